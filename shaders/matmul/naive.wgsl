// matmul, naive: C[bi] = alpha · op(A)[bi] · op(B)[bi], one invocation per output.
//
// Algorithm: invocation (x, y) of a WG_X × WG_Y workgroup owns C[bi, m, n] with
// m = tileRow·WG_Y + y and n = tileCol·WG_X + x, and walks k = 0..K-1 reading
// op(A)[m, k] and op(B)[k, n] straight from global memory: 2 loads per multiply-add,
// an arithmetic intensity of 1/4 FLOP per byte. Every other rung improves on that.
//
// Tiling: none (the workgroup is only a grid of outputs). Workgroups are numbered
// linearly, batch-major: linear = bi · tilesM · tilesN + tileRow · tilesN + tileCol,
// folded into x·y past 65,535 (linear = wid.x + wid.y · nwg.x).
// Shapes, strides and alpha come from `params` (common.wgsl).

override WG_X: u32 = 16;   // invocations along N
override WG_Y: u32 = 16;   // invocations along M

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let tilesN = (params.N + WG_X - 1u) / WG_X;
  let tilesM = (params.M + WG_Y - 1u) / WG_Y;
  let perBatch = tilesM * tilesN;
  let linear = linearWorkgroup(wid, nwg);
  if (linear >= perBatch * params.batch) { return; }
  let bi = linear / perBatch;
  let tile = linear % perBatch;
  let m = (tile / tilesN) * WG_Y + lid.y;
  let n = (tile % tilesN) * WG_X + lid.x;
  if (m >= params.M || n >= params.N) { return; }

  var ia = bi * params.aBatch + m * params.aRow;
  var ib = bi * params.bBatch + n * params.bCol;
  var acc = 0.0;
  for (var k = 0u; k < params.K; k++) {
    acc += matA[ia] * matB[ib];
    ia += params.aCol;
    ib += params.bRow;
  }
  storeC(bi, m, n, acc);
}
