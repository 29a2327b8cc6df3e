// matmul common: the uniform block, the bindings and the element accessors that
// every matmul variant shares. The launcher appends this file to each variant's
// source (WGSL module-scope declarations are order-independent; a variant's own
// `enable` directive stays first), so the layout lives in one place and matches
// `packMatmulParams` in src/kernels/matmul/params.ts field for field.
//
// Operands are addressed through strides, so a transpose is just a different
// stride pair and costs no branch in the hot loops:
//   op(A)[bi, m, k] = matA[bi * aBatch + m * aRow + k * aCol]
//   op(B)[bi, k, n] = matB[bi * bBatch + k * bRow + n * bCol]
//   C[bi, m, n]     = matC[(bi * M + m) * N + n]           (always row-major, dense)
// A batch stride of 0 broadcasts that operand over the batch.

struct Params {
  M: u32,
  N: u32,
  K: u32,
  batch: u32,
  aBatch: u32,
  aRow: u32,
  aCol: u32,
  bBatch: u32,
  bRow: u32,
  bCol: u32,
  alpha: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> matA: array<f32>;
@group(0) @binding(2) var<storage, read> matB: array<f32>;
@group(0) @binding(3) var<storage, read_write> matC: array<f32>;

// The linear workgroup index of a folded dispatch (see src/gpu/dispatch.ts).
fn linearWorkgroup(wid: vec3u, nwg: vec3u) -> u32 {
  return wid.x + wid.y * nwg.x;
}

// op(A)[bi, m, k], or 0 outside the matrix (tiles that overhang the edges).
fn loadA(bi: u32, m: u32, k: u32) -> f32 {
  if (m >= params.M || k >= params.K) { return 0.0; }
  return matA[bi * params.aBatch + m * params.aRow + k * params.aCol];
}

// op(B)[bi, k, n], or 0 outside the matrix.
fn loadB(bi: u32, k: u32, n: u32) -> f32 {
  if (k >= params.K || n >= params.N) { return 0.0; }
  return matB[bi * params.bBatch + k * params.bRow + n * params.bCol];
}

// C[bi, m, n] = alpha · value, dropped outside the matrix.
fn storeC(bi: u32, m: u32, n: u32, value: f32) {
  if (m >= params.M || n >= params.N) { return; }
  matC[(bi * params.M + m) * params.N + n] = params.alpha * value;
}
