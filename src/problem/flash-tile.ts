/**
 * The flash attention kernel's tile choice for a head dim d (and value dim dv):
 * tile sizes, workgroup shape and workgroup-memory layout, within the 16 KB every
 * WebGPU device guarantees. Pure, so the launcher, the trace viewer and tests share it.
 */

/** The flash kernel's tiling for a head dim d (and value dim dv), within 16 KB of workgroup memory. */
export interface FlashTile {
  /** Query rows per workgroup (Br). */
  blockQ: number;
  /** Keys per K/V tile (Bc). */
  blockK: number;
  /** Output columns per workgroup; dv > blockDv splits across workgroups. */
  blockDv: number;
  /** Workgroup: TC × TR invocations; each owns 4 query rows × 4 keys of S and 4 rows × 4 columns of O. */
  TR: number;
  TC: number;
  /** vec4s of the head dim staged per chunk (the head dim is walked in chunks of 4·DC4). */
  DC4: number;
  /** Keys per staged V chunk. */
  KC: number;
  /** Workgroup memory in vec4 slots: the Q chunk, the shared K/V chunk, P (scores), partial maxima. */
  qsLen: number;
  kvLen: number;
  ptLen: number;
  partLen: number;
  /** Total workgroup bytes. */
  workgroupBytes: number;
}

/** Workgroup memory the flash kernel plans for: the WebGPU guaranteed minimum. */
export const FLASH_WORKGROUP_BYTES = 16384;

/**
 * The flash tiling for head dim `d` and value dim `dv` (default d). Pure, so the
 * trace viewer and tests can call it too:
 * - TC = clamp(⌈dv/4⌉, 4, 16) column groups, TR = ⌊64/TC⌋ row groups (≤ 64 invocations);
 * - blockQ = 4·TR query rows, blockK = 4·TC keys, blockDv = 4·TC output columns;
 * - d is walked in chunks of DC4 vec4s, V in chunks of KC keys, all within 16 KB.
 */
export function flashTile(d: number, dv: number = d): FlashTile {
  const d4 = Math.max(1, Math.ceil(d / 4));
  const dv4 = Math.max(1, Math.ceil(dv / 4));
  const TC = Math.min(16, Math.max(4, dv4));
  const TR = Math.floor(64 / TC);
  const blockQ = 4 * TR;
  const blockK = 4 * TC;
  const ptLen = blockK * TR;
  const partLen = TC * TR;
  const slots = FLASH_WORKGROUP_BYTES / 16 - ptLen - partLen;
  const chunks = Math.ceil(d4 / 8);
  let DC4 = Math.ceil(d4 / chunks);
  while ((blockQ + blockK) * DC4 > slots && DC4 > 1) DC4 -= 1;
  const qsLen = blockQ * DC4;
  let KC = blockK;
  while (KC > 1 && (blockK % KC !== 0 || KC * TC > slots - qsLen)) KC -= 1;
  const kvLen = Math.max(blockK * DC4, KC * TC);
  return {
    blockQ,
    blockK,
    blockDv: 4 * TC,
    TR,
    TC,
    DC4,
    KC,
    qsLen,
    kvLen,
    ptLen,
    partLen,
    workgroupBytes: 16 * (qsLen + kvLen + ptLen + partLen),
  };
}
