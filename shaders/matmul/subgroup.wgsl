// matmul, subgroup split-K: C[bi] = alpha · op(A)[bi] · op(B)[bi], for skinny
// shapes (GEMV-like: M or N of 1, a small M·N and a long K), where the other
// variants leave most invocations idle because there are too few outputs.
//
// Algorithm: each output is computed by one whole subgroup. Its lanes split the K
// axis (lane r of L takes k = r, r + L, r + 2L, …), each accumulates a partial dot
// product, and `subgroupAdd` sums the L partials. Nothing assumes a subgroup size
// or how lanes map to local_invocation_index: the lane count L is `subgroupAdd(1u)`
// and the dense lane rank r is `subgroupExclusiveAdd(1u)`, both taken over the
// lanes actually present, so it is correct for 4 lanes (SwiftShader) or 8–128
// (real GPUs), and for partial subgroups.
//
// Work assignment: linear workgroup w owns outputs w·TASKS .. w·TASKS + TASKS - 1
// (flattened batch-major over [batch, M, N]). Its subgroups claim them one at a
// time from a workgroup atomic counter: the elected lane does the atomicAdd and
// `subgroupBroadcastFirst` hands the claimed index to every lane, so all lanes of
// a subgroup agree on the task and the loop exit without knowing subgroup ids.
//
// Tiling: none; WG (override) invocations per workgroup. The launcher sets WG to
// the adapter's largest subgroup size, so a workgroup is one full subgroup, or
// several full ones, all with the same L: the summation order, hence the bits,
// then do not depend on which subgroup claimed an output. TASKS (override)
// outputs per workgroup. Folded dispatch as elsewhere.
//
// Cost: one atomic, one broadcast and one subgroupAdd per output, so it pays only
// when there are few outputs and a long K (GEMV: M = 1). With row-major B the
// lanes read B down a column (stride N); transposeB (B stored [N, K]) makes the
// lanes' reads contiguous.

enable subgroups;

// The task loop's condition comes from an atomic, which the uniformity analysis
// cannot see is subgroup-uniform. It is: `task` is the result of
// subgroupBroadcastFirst, identical on every lane of the subgroup, so the lanes
// enter and leave each iteration together and every subgroupAdd below runs with
// the whole subgroup converged.
diagnostic(off, subgroup_uniformity);

override WG: u32 = 32;
override TASKS: u32 = 8;

var<workgroup> nextTask: atomic<u32>;   // zero-initialized per workgroup

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u) {
  let total = params.batch * params.M * params.N;
  let linear = linearWorkgroup(wid, nwg);
  let first = linear * TASKS;
  if (first >= total) { return; }
  let count = min(TASKS, total - first);

  let lanes = subgroupAdd(1u);
  let rank = subgroupExclusiveAdd(1u);
  let perBatch = params.M * params.N;

  loop {
    var claimed = 0u;
    if (subgroupElect()) { claimed = atomicAdd(&nextTask, 1u); }
    let task = subgroupBroadcastFirst(claimed);
    if (task >= count) { break; }

    let o = first + task;
    let bi = o / perBatch;
    let m = (o % perBatch) / params.N;
    let n = o % params.N;
    var ia = bi * params.aBatch + m * params.aRow + rank * params.aCol;
    var ib = bi * params.bBatch + n * params.bCol + rank * params.bRow;
    let stepA = lanes * params.aCol;
    let stepB = lanes * params.bRow;
    var partial = 0.0;
    for (var k = rank; k < params.K; k += lanes) {
      partial += matA[ia] * matB[ib];
      ia += stepA;
      ib += stepB;
    }
    let sum = subgroupAdd(partial);
    if (rank == 0u) { storeC(bi, m, n, sum); }
  }
}
