// matmul, register-tiled straight from global memory: C[bi] = alpha · op(A)[bi] · op(B)[bi].
//
// Algorithm: no workgroup memory and no barriers. Each invocation owns a TM × 16
// block of C (TM = 8 or 16 rows from m0, columns n0 .. n0+15) in TM named `Row`
// structs of four vec4f each (r0..r15: row i, columns as four vec4s). For every k it
// loads the TM values op(A)[m0+i, k] and the 16 values op(B)[k, n0 .. n0+15] (four
// vec4s), and does the TM × 16 outer product: 128 (TM = 8) or 256 (TM = 16)
// multiply-adds per 24 or 32 loads, against 2 loads per multiply-add in `naive`. The
// loop over k is unrolled by 2. TM is a pipeline constant, so the rows a TM = 8
// pipeline does not own fold away at compile time.
//
// Why no workgroup memory: on CPU-style adapters (SwiftShader, lavapipe) workgroup
// memory is ordinary RAM behind the same caches, so staging a slab saves no traffic
// while every barrier costs a full synchronization of the workgroup's lanes; the big
// per-invocation tile is what raises the arithmetic intensity there. Real GPUs with
// fast shared memory still prefer `register` (staged slabs): the tuner chooses.
//
// Tiling: a WG_X × WG_Y workgroup covers (TM·WG_Y) × (16·WG_X) outputs. Invocations
// with consecutive local index (along x) share the same 8 rows, so the A values a
// SIMD group loads are one address, and the B vec4s they load are contiguous: CPU
// backends run 4–8 invocations as SIMD lanes. WG_X and WG_Y are overrides. Tiles that
// overhang an edge take the guarded path (`loadA`/`loadB` give 0 outside, `storeC`
// drops writes outside); interior tiles read without per-element bounds checks.
// The accumulators are named fields, never a dynamically indexed private array: on
// SwiftShader an indexed array spills to memory and runs no faster than naive.
// Workgroups are numbered linearly, batch-major, folded into x·y (src/gpu/dispatch.ts).

override WG_X: u32 = 8;   // invocations along N; a workgroup covers 16·WG_X columns
override WG_Y: u32 = 8;   // invocations along M; a workgroup covers TM·WG_Y rows

override TM: u32 = 8u;  // rows per invocation: 8 (r0..r7) or 16 (r0..r15); rows 8..15 exist only when TM = 16
// B is row-major with every row (and batch) starting on a vec4 boundary, so interior tiles
// read it through matB4 (the launcher decides: bCol = 1, bRow and bBatch multiples of 4).
// A constant, so the choice costs no branch in the k loop: a uniform branch there cost
// 1.2–1.4× on SwiftShader and lavapipe (raw 1024³ probes, bench/probe-page.mjs).
override B_VEC4: bool = false;
const TN: u32 = 16u;  // columns per invocation (four vec4s per Row)

// One row of an invocation's block: 16 consecutive columns.
struct Row {
  c0: vec4f,
  c1: vec4f,
  c2: vec4f,
  c3: vec4f,
}

// r += a · b (a broadcast over the 16 columns).
fn axpy(r: ptr<function, Row>, a: f32, b: Row) {
  (*r).c0 += a * b.c0;
  (*r).c1 += a * b.c1;
  (*r).c2 += a * b.c2;
  (*r).c3 += a * b.c3;
}

// The same buffer as matB, seen as vec4s: interior rows of a row-major B whose rows
// start on a vec4 boundary load 4 vec4s instead of 16 scalars.
@group(0) @binding(4) var<storage, read> matB4: array<vec4f>;

// op(B)[bi, k, n0 .. n0+15] for an interior tile of a vec4-aligned, row-major B.
fn rowB4(base4: u32, k: u32) -> Row {
  let o = base4 + k * (params.bRow >> 2u);
  return Row(matB4[o], matB4[o + 1u], matB4[o + 2u], matB4[o + 3u]);
}

// op(B)[bi, k, n0 .. n0+15] for an interior tile (no bounds checks; bCol may be anything).
fn rowB(base: u32, k: u32) -> Row {
  let s = params.bCol;
  let o = base + k * params.bRow;
  return Row(
    vec4f(matB[o], matB[o + s], matB[o + 2u * s], matB[o + 3u * s]),
    vec4f(matB[o + 4u * s], matB[o + 5u * s], matB[o + 6u * s], matB[o + 7u * s]),
    vec4f(matB[o + 8u * s], matB[o + 9u * s], matB[o + 10u * s], matB[o + 11u * s]),
    vec4f(matB[o + 12u * s], matB[o + 13u * s], matB[o + 14u * s], matB[o + 15u * s]),
  );
}

// op(B)[bi, k, n0 .. n0+15] with zeros outside the matrix.
fn rowBGuarded(bi: u32, k: u32, n0: u32) -> Row {
  return Row(
    vec4f(loadB(bi, k, n0), loadB(bi, k, n0 + 1u), loadB(bi, k, n0 + 2u), loadB(bi, k, n0 + 3u)),
    vec4f(loadB(bi, k, n0 + 4u), loadB(bi, k, n0 + 5u), loadB(bi, k, n0 + 6u), loadB(bi, k, n0 + 7u)),
    vec4f(loadB(bi, k, n0 + 8u), loadB(bi, k, n0 + 9u), loadB(bi, k, n0 + 10u), loadB(bi, k, n0 + 11u)),
    vec4f(loadB(bi, k, n0 + 12u), loadB(bi, k, n0 + 13u), loadB(bi, k, n0 + 14u), loadB(bi, k, n0 + 15u)),
  );
}

// C[bi, m, n0 .. n0+15] = alpha · r, dropping columns and rows outside the matrix.
fn storeRow(bi: u32, m: u32, n0: u32, r: Row) {
  if (m >= params.M) { return; }
  let o = (bi * params.M + m) * params.N;
  let a = params.alpha;
  if (n0 + TN <= params.N) {
    // The common case: the whole row of the block is inside C.
    matC[o + n0] = a * r.c0.x; matC[o + n0 + 1u] = a * r.c0.y; matC[o + n0 + 2u] = a * r.c0.z; matC[o + n0 + 3u] = a * r.c0.w;
    matC[o + n0 + 4u] = a * r.c1.x; matC[o + n0 + 5u] = a * r.c1.y; matC[o + n0 + 6u] = a * r.c1.z; matC[o + n0 + 7u] = a * r.c1.w;
    matC[o + n0 + 8u] = a * r.c2.x; matC[o + n0 + 9u] = a * r.c2.y; matC[o + n0 + 10u] = a * r.c2.z; matC[o + n0 + 11u] = a * r.c2.w;
    matC[o + n0 + 12u] = a * r.c3.x; matC[o + n0 + 13u] = a * r.c3.y; matC[o + n0 + 14u] = a * r.c3.z; matC[o + n0 + 15u] = a * r.c3.w;
    return;
  }
  storeC(bi, m, n0, r.c0.x); storeC(bi, m, n0 + 1u, r.c0.y); storeC(bi, m, n0 + 2u, r.c0.z); storeC(bi, m, n0 + 3u, r.c0.w);
  storeC(bi, m, n0 + 4u, r.c1.x); storeC(bi, m, n0 + 5u, r.c1.y); storeC(bi, m, n0 + 6u, r.c1.z); storeC(bi, m, n0 + 7u, r.c1.w);
  storeC(bi, m, n0 + 8u, r.c2.x); storeC(bi, m, n0 + 9u, r.c2.y); storeC(bi, m, n0 + 10u, r.c2.z); storeC(bi, m, n0 + 11u, r.c2.w);
  storeC(bi, m, n0 + 12u, r.c3.x); storeC(bi, m, n0 + 13u, r.c3.y); storeC(bi, m, n0 + 14u, r.c3.z); storeC(bi, m, n0 + 15u, r.c3.w);
}

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let blockN = TN * WG_X;
  let blockM = TM * WG_Y;
  let tilesN = (params.N + blockN - 1u) / blockN;
  let tilesM = (params.M + blockM - 1u) / blockM;
  let perBatch = tilesM * tilesN;
  let linear = linearWorkgroup(wid, nwg);
  if (linear >= perBatch * params.batch) { return; }
  let bi = linear / perBatch;
  let tile = linear % perBatch;
  let m0 = (tile / tilesN) * blockM + lid.y * TM;
  let n0 = (tile % tilesN) * blockN + lid.x * TN;
  if (m0 >= params.M || n0 >= params.N) { return; }

  var r0 = Row(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  var r1 = r0; var r2 = r0; var r3 = r0; var r4 = r0; var r5 = r0; var r6 = r0; var r7 = r0;
  var r8 = r0; var r9 = r0; var r10 = r0; var r11 = r0; var r12 = r0; var r13 = r0; var r14 = r0; var r15 = r0;
  let tall = TM == 16u;  // a pipeline constant: the branches below fold away
  let K = params.K;

  if (m0 + TM <= params.M && n0 + TN <= params.N) {
    // Interior block: unchecked addressing. aK walks along k in op(A)'s row, bBase is B's column n0.
    let ar = params.aRow;
    let a0 = bi * params.aBatch + m0 * ar;
    let ac = params.aCol;
    let bBase = bi * params.bBatch + n0 * params.bCol;
    let aligned = B_VEC4;   // vec4 loads of B (a pipeline constant: the branch below folds away)
    let bBase4 = bBase >> 2u;
    var k = 0u;
    for (; k + 2u <= K; k += 2u) {
      let ka = a0 + k * ac;
      var b0: Row;
      var b1: Row;
      if (aligned) {
        b0 = rowB4(bBase4, k);
        b1 = rowB4(bBase4, k + 1u);
      } else {
        b0 = rowB(bBase, k);
        b1 = rowB(bBase, k + 1u);
      }
      axpy(&r0, matA[ka], b0);            axpy(&r0, matA[ka + ac], b1);
      axpy(&r1, matA[ka + ar], b0);       axpy(&r1, matA[ka + ar + ac], b1);
      axpy(&r2, matA[ka + 2u * ar], b0);  axpy(&r2, matA[ka + 2u * ar + ac], b1);
      axpy(&r3, matA[ka + 3u * ar], b0);  axpy(&r3, matA[ka + 3u * ar + ac], b1);
      axpy(&r4, matA[ka + 4u * ar], b0);  axpy(&r4, matA[ka + 4u * ar + ac], b1);
      axpy(&r5, matA[ka + 5u * ar], b0);  axpy(&r5, matA[ka + 5u * ar + ac], b1);
      axpy(&r6, matA[ka + 6u * ar], b0);  axpy(&r6, matA[ka + 6u * ar + ac], b1);
      axpy(&r7, matA[ka + 7u * ar], b0);  axpy(&r7, matA[ka + 7u * ar + ac], b1);
      if (tall) {
        axpy(&r8, matA[ka + 8u * ar], b0);  axpy(&r8, matA[ka + 8u * ar + ac], b1);
        axpy(&r9, matA[ka + 9u * ar], b0);  axpy(&r9, matA[ka + 9u * ar + ac], b1);
        axpy(&r10, matA[ka + 10u * ar], b0);  axpy(&r10, matA[ka + 10u * ar + ac], b1);
        axpy(&r11, matA[ka + 11u * ar], b0);  axpy(&r11, matA[ka + 11u * ar + ac], b1);
        axpy(&r12, matA[ka + 12u * ar], b0);  axpy(&r12, matA[ka + 12u * ar + ac], b1);
        axpy(&r13, matA[ka + 13u * ar], b0);  axpy(&r13, matA[ka + 13u * ar + ac], b1);
        axpy(&r14, matA[ka + 14u * ar], b0);  axpy(&r14, matA[ka + 14u * ar + ac], b1);
        axpy(&r15, matA[ka + 15u * ar], b0);  axpy(&r15, matA[ka + 15u * ar + ac], b1);
      }
    }
    if (k < K) {
      let ka = a0 + k * ac;
      let b0 = rowB(bBase, k);
      axpy(&r0, matA[ka], b0);
      axpy(&r1, matA[ka + ar], b0);
      axpy(&r2, matA[ka + 2u * ar], b0);
      axpy(&r3, matA[ka + 3u * ar], b0);
      axpy(&r4, matA[ka + 4u * ar], b0);
      axpy(&r5, matA[ka + 5u * ar], b0);
      axpy(&r6, matA[ka + 6u * ar], b0);
      axpy(&r7, matA[ka + 7u * ar], b0);
      if (tall) {
        axpy(&r8, matA[ka + 8u * ar], b0);
        axpy(&r9, matA[ka + 9u * ar], b0);
        axpy(&r10, matA[ka + 10u * ar], b0);
        axpy(&r11, matA[ka + 11u * ar], b0);
        axpy(&r12, matA[ka + 12u * ar], b0);
        axpy(&r13, matA[ka + 13u * ar], b0);
        axpy(&r14, matA[ka + 14u * ar], b0);
        axpy(&r15, matA[ka + 15u * ar], b0);
      }
    }
  } else {
    // Edge block: every load guarded (zeros outside), one k at a time.
    for (var k = 0u; k < K; k++) {
      let b0 = rowBGuarded(bi, k, n0);
      axpy(&r0, loadA(bi, m0, k), b0);
      axpy(&r1, loadA(bi, m0 + 1u, k), b0);
      axpy(&r2, loadA(bi, m0 + 2u, k), b0);
      axpy(&r3, loadA(bi, m0 + 3u, k), b0);
      axpy(&r4, loadA(bi, m0 + 4u, k), b0);
      axpy(&r5, loadA(bi, m0 + 5u, k), b0);
      axpy(&r6, loadA(bi, m0 + 6u, k), b0);
      axpy(&r7, loadA(bi, m0 + 7u, k), b0);
      if (tall) {
        axpy(&r8, loadA(bi, m0 + 8u, k), b0);
        axpy(&r9, loadA(bi, m0 + 9u, k), b0);
        axpy(&r10, loadA(bi, m0 + 10u, k), b0);
        axpy(&r11, loadA(bi, m0 + 11u, k), b0);
        axpy(&r12, loadA(bi, m0 + 12u, k), b0);
        axpy(&r13, loadA(bi, m0 + 13u, k), b0);
        axpy(&r14, loadA(bi, m0 + 14u, k), b0);
        axpy(&r15, loadA(bi, m0 + 15u, k), b0);
      }
    }
  }

  storeRow(bi, m0, n0, r0);
  storeRow(bi, m0 + 1u, n0, r1);
  storeRow(bi, m0 + 2u, n0, r2);
  storeRow(bi, m0 + 3u, n0, r3);
  storeRow(bi, m0 + 4u, n0, r4);
  storeRow(bi, m0 + 5u, n0, r5);
  storeRow(bi, m0 + 6u, n0, r6);
  storeRow(bi, m0 + 7u, n0, r7);
  if (tall) {
    storeRow(bi, m0 + 8u, n0, r8);
    storeRow(bi, m0 + 9u, n0, r9);
    storeRow(bi, m0 + 10u, n0, r10);
    storeRow(bi, m0 + 11u, n0, r11);
    storeRow(bi, m0 + 12u, n0, r12);
    storeRow(bi, m0 + 13u, n0, r13);
    storeRow(bi, m0 + 14u, n0, r14);
    storeRow(bi, m0 + 15u, n0, r15);
  }
}
