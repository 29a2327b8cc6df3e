// matmul, workgroup-memory tiled: C[bi] = alpha · op(A)[bi] · op(B)[bi].
//
// Algorithm: a TILE × TILE workgroup owns a TILE × TILE block of C; invocation
// (x, y) owns the single output C[bi, row0 + y, col0 + x]. The K axis is walked in
// steps of TILE: each step, every invocation loads one element of the A tile
// (rows row0.., k0..) and one of the B tile (k0.., cols col0..) into workgroup
// memory, the workgroup synchronizes, and each invocation does TILE multiply-adds
// from workgroup memory. Each global value is now read once per workgroup instead
// of once per output: global traffic falls by a factor of TILE (arithmetic
// intensity TILE/4 FLOP per byte). Elements past the matrix edges load as 0, so
// any M, N, K works.
//
// Tiling: TILE (override) per side, TILE² ≤ maxComputeInvocationsPerWorkgroup
// (the launcher picks 16, or 8 on 128-invocation devices). Workgroups are numbered
// linearly, batch-major, folded into x·y (linear = wid.x + wid.y · nwg.x).

override TILE: u32 = 16;

var<workgroup> tileA: array<f32, TILE * TILE>;   // [y][k]: op(A)[row0 + y, k0 + k]
var<workgroup> tileB: array<f32, TILE * TILE>;   // [k][x]: op(B)[k0 + k, col0 + x]

@compute @workgroup_size(TILE, TILE)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let tilesN = (params.N + TILE - 1u) / TILE;
  let tilesM = (params.M + TILE - 1u) / TILE;
  let perBatch = tilesM * tilesN;
  let linear = linearWorkgroup(wid, nwg);
  // Workgroup-uniform: the whole workgroup leaves together, before any barrier.
  if (linear >= perBatch * params.batch) { return; }
  let bi = linear / perBatch;
  let tile = linear % perBatch;
  let m = (tile / tilesN) * TILE + lid.y;
  let n = (tile % tilesN) * TILE + lid.x;

  var acc = 0.0;
  for (var k0 = 0u; k0 < params.K; k0 += TILE) {
    tileA[lid.y * TILE + lid.x] = loadA(bi, m, k0 + lid.x);
    tileB[lid.y * TILE + lid.x] = loadB(bi, k0 + lid.y, n);
    workgroupBarrier();
    for (var k = 0u; k < TILE; k++) {
      acc += tileA[lid.y * TILE + k] * tileB[k * TILE + lid.x];
    }
    workgroupBarrier();
  }
  storeC(bi, m, n, acc);
}
