/**
 * The `rows` flash layout's kernels: shaders/attention/flash_rows.wgsl (bindings, helpers,
 * and the algorithm in its header comment) with its entry point generated for R query
 * rows per invocation and KB keys per group. Generating it lets every score, probability
 * and row statistic of the R × KB block be a named WGSL value, which CPU-style adapters
 * keep in registers; a private array indexed in a loop (the only way to write it by
 * hand for any R and KB) is kept in memory there and runs slower. One kernel per
 * (R, KB, plain or general scores), memoized: the pipeline cache keys on the kernel object.
 */
import flashRowsTemplate from '../../../shaders/attention/flash_rows.wgsl?raw';
import type { KernelDescription } from '../../gpu/launch';
import { FLASH_KERNEL, withScoreRule } from './specs';

/** Rows per invocation the generator accepts (quads of 4). */
export const FLASH_ROWS_R = [4, 8, 12, 16] as const;
/** Keys per group the generator accepts. */
export const FLASH_ROWS_KB = [4, 8, 16] as const;

const LANE = ['x', 'y', 'z', 'w'] as const; // row r of a quad is component LANE[r % 4]

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** `max(a, b)` over every name, as a balanced tree. */
function maxTree(names: readonly string[]): string {
  if (names.length === 1) return names[0]!;
  const half = names.length >> 1;
  return `max(${maxTree(names.slice(0, half))}, ${maxTree(names.slice(half))})`;
}

/** Writes `body` for row r (the first row is always owned; the others only below Nq). */
function forRow(r: number, body: string): string {
  return r === 0 ? body : `if (nRows > ${r}u) { ${body} }`;
}

/** Where each invocation's rows and keys are, and the running statistics. */
function prologue(R: number): string[] {
  return [
    'let linear = wid.x + wid.y * nwg.x;   // folded dispatch',
    'if (linear >= params.total) { return; }',
    'let qb = linear % params.qBlocks;',
    'let bh = linear / params.qBlocks;',
    'let b = bh / params.heads;',
    `let rowA = (qb * WG + lid.x) * ${R}u;   // this invocation's first row`,
    'if (rowA >= params.nq) { return; }',
    'let d = params.d;',
    'let dv = params.dv;',
    'let nq = params.nq;',
    'if (ALIBI) { slope = kinfo[params.slopeBase + bh % params.heads]; }',
    `let firstRow = qb * WG * ${R}u;   // the workgroup's rows: its key range is the same in every lane`,
    `let keys = keyRange(b, firstRow, min(firstRow + WG * ${R}u, nq) - 1u);`,
    'let keyStart = keys.x;',
    'let keyEnd = keys.y;',
    'let kvh = bh / params.group;   // grouped-query attention: the K/V head this query head reads',
    'let kBase = kvh * params.nk * d;',
    'let vBase = kvh * params.nk * dv;',
    `let nRows = min(${R}u, nq - rowA);   // rows this invocation stores`,
    ...range(R / 4).flatMap((g) => [`var m${g} = vec4f(MASKED);`, `var l${g} = vec4f(0.0);`]),
  ];
}

/** Buffer kernels: f32 row offsets of Q and O (rows past Nq read the last row's Q and are never stored). */
function bufferPrologue(R: number): string[] {
  return [
    'let d4 = d & ~3u;   // head-dim columns in whole vec4 chunks',
    'let dv4 = dv & ~3u;',
    ...range(R).map((r) => `let qr${r} = (bh * nq + min(rowA + ${r}u, nq - 1u)) * d;`),
    ...range(R).map((r) => `let or${r} = (bh * nq + rowA + ${r}u) * dv;`),
  ];
}

/** One 4-value chunk of the score block: s{g}_{j} += Q rows · K key j. */
function scoreChunk(R: number, KB: number, kLoad: (row: string) => string, qCount: string): string[] {
  const lines = range(R).map((r) => `let a${r} = q4(qr${r} + c, ${qCount});`);
  for (const j of range(KB)) {
    lines.push(`{ let kj = ${kLoad(`kr${j}`)};`);
    for (const g of range(R / 4)) {
      lines.push(
        `  s${g}_${j} += vec4f(${range(4)
          .map((i) => `dot(a${4 * g + i}, kj)`)
          .join(', ')});`,
      );
    }
    lines.push('}');
  }
  return lines;
}

/** The R × KB raw scores of one key group, over the head dim in vec4 chunks (a partial last one). */
function scoreBlock(R: number, KB: number): string[] {
  return [
    // Keys past keyEnd read key keyEnd − 1 (valid memory); the score rule masks them.
    ...range(KB).map((j) => `let kr${j} = kBase + min(key0 + ${j}u, keyEnd - 1u) * d;`),
    ...range(R / 4).flatMap((g) => range(KB).map((j) => `var s${g}_${j} = vec4f(0.0);`)),
    'var c = 0u;',
    'for (; c < d4; c += 4u) {',
    ...scoreChunk(R, KB, (row) => `k4(${row} + c)`, '4u').map((l) => `  ${l}`),
    '}',
    'if (c < d) {',
    '  let n = d - c;',
    ...scoreChunk(R, KB, (row) => `kTail(${row} + c, n)`, 'n').map((l) => `  ${l}`),
    '}',
  ];
}

/**
 * The score rule on the raw scores. A plain problem needs only the scale, the key end and
 * the causal mask (plainScores); any other goes through the general rule (scores4,
 * shaders/attention/score.wgsl).
 */
function scoreRule(R: number, KB: number, plain: boolean): string[] {
  return range(R / 4).flatMap((g) =>
    range(KB).map((j) =>
      plain
        ? `s${g}_${j} = plainScores(s${g}_${j}, rowA + ${4 * g}u, key0 + ${j}u, keyEnd);`
        : `s${g}_${j} = scores4(s${g}_${j}, bh, b, rowA + ${4 * g}u, key0 + ${j}u, keyEnd);`,
    ),
  );
}

/** Online softmax per quad: new max, rescale factor al{g}, probabilities p{g}_{j}, sum. */
function onlineSoftmax(R: number, KB: number): string[] {
  return range(R / 4).flatMap((g) => [
    `let mn${g} = max(m${g}, ${maxTree(range(KB).map((j) => `s${g}_${j}`))});`,
    `let al${g} = exp(m${g} - mn${g});`,
    `m${g} = mn${g};`,
    ...range(KB).map((j) => `let p${g}_${j} = probs(s${g}_${j}, mn${g});`),
    `l${g} = al${g} * l${g} + (${range(KB)
      .map((j) => `p${g}_${j}`)
      .join(' + ')});`,
  ]);
}

/** O rows = al·O + P·V for the group, 4 value columns at a time, then the scalar tail. */
function accumulate(R: number, KB: number): string[] {
  const weighted = (r: number, w: (j: number) => string) =>
    range(KB)
      .map((j) => `p${r >> 2}_${j}.${LANE[r % 4]} * ${w(j)}`)
      .join(' + ');
  return [
    ...range(KB).map((j) => `let vr${j} = vBase + min(key0 + ${j}u, keyEnd - 1u) * dv;`),
    'var cv = 0u;',
    'for (; cv < dv4; cv += 4u) {',
    ...range(KB).map((j) => `  let w${j} = v4(vr${j} + cv);`),
    ...range(R).map((r) => `  ${forRow(r, `rescaleAdd(or${r} + cv, al${r >> 2}.${LANE[r % 4]}, ${weighted(r, (j) => `w${j}`)});`)}`),
    '}',
    'for (; cv < dv; cv++) {',
    ...range(R).map((r) => {
      const i = `or${r} + cv`;
      return `  ${forRow(r, `o[${i}] = al${r >> 2}.${LANE[r % 4]} * o[${i}] + (${weighted(r, (j) => `v[vr${j} + cv]`)});`)}`;
    }),
    '}',
  ];
}

/**
 * Registers kernels read Q, K and V through vec4 views of the same buffers (every head row
 * starts on a vec4 boundary when d and dv are multiples of 4): one load per 4 values, which
 * on lavapipe also cut the pipeline's compile time from about 20 s to 5–10 s.
 */
const VEC4_VIEWS = [
  '@group(0) @binding(6) var<storage, read_write> o: array<vec4f>;   // [B·H, Nq, dv / 4]',
  '@group(0) @binding(8) var<storage, read> qVec: array<vec4f>;   // q as vec4s',
  '@group(0) @binding(9) var<storage, read> kVec: array<vec4f>;   // k as vec4s',
  '@group(0) @binding(10) var<storage, read> vVec: array<vec4f>;  // v as vec4s',
];

/** Buffer kernels: the output as f32s, and the running-output update. */
const BUFFER_OUTPUT = [
  '@group(0) @binding(6) var<storage, read_write> o: array<f32>;   // [B·H, Nq, dv]',
  '',
  "// O[i..i+3] = alpha·O[i..i+3] + x: one row's running output, 4 columns.",
  'fn rescaleAdd(i: u32, alpha: f32, x: vec4f) {',
  '  let r = alpha * vec4f(o[i], o[i + 1u], o[i + 2u], o[i + 3u]) + x;',
  '  o[i] = r.x; o[i + 1u] = r.y; o[i + 2u] = r.z; o[i + 3u] = r.w;',
  '}',
  '',
];

/** The vec4 views' binding table entries (bound to the q, k and v tensors). */
const VEC4_BINDINGS = [
  { name: 'qVec', kind: 'read-only-storage' },
  { name: 'kVec', kind: 'read-only-storage' },
  { name: 'vVec', kind: 'read-only-storage' },
] as const;

/**
 * Registers kernels: vec4 row offsets of Q and O (rows past Nq read the last row's Q and are
 * never stored), and the running O of R rows × C vec4 chunks in named registers o{r}_{c}.
 */
function registerPrologue(R: number, C: number): string[] {
  return [
    'let dq = d / 4u;   // head-dim chunks (d is a multiple of 4 here)',
    ...range(R).map((r) => `let qv${r} = (bh * nq + min(rowA + ${r}u, nq - 1u)) * dq;`),
    ...range(R).map((r) => `let ov${r} = (bh * nq + rowA + ${r}u) * (dv / 4u);`),
    ...range(R).map((r) =>
      range(C)
        .map((c) => `var o${r}_${c} = vec4f(0.0);`)
        .join(' '),
    ),
  ];
}

/** Registers kernels: the R × KB scores of one key group from the vec4 views (no partial chunk). */
function scoreBlockVec4(R: number, KB: number): string[] {
  const lines = [
    ...range(KB).map((j) => `let kv${j} = (kvh * params.nk + min(key0 + ${j}u, keyEnd - 1u)) * dq;`),
    ...range(R / 4).flatMap((g) => range(KB).map((j) => `var s${g}_${j} = vec4f(0.0);`)),
    'for (var c = 0u; c < dq; c++) {',
    ...range(R).map((r) => `  let a${r} = qVec[qv${r} + c];`),
  ];
  for (const j of range(KB)) {
    lines.push(`  { let kj = kVec[kv${j} + c];`);
    for (const g of range(R / 4)) {
      lines.push(
        `    s${g}_${j} += vec4f(${range(4)
          .map((i) => `dot(a${4 * g + i}, kj)`)
          .join(', ')});`,
      );
    }
    lines.push('  }');
  }
  lines.push('}');
  return lines;
}

/**
 * Registers kernels: O rows = al·O + P·V for the group, O in o{r}_{c}. Each key's value row
 * is loaded once (C vec4s, one address across lanes) and added into every row.
 */
function accumulateRegisters(R: number, KB: number, C: number): string[] {
  const lane = (r: number) => LANE[r % 4];
  const lines = range(R).map((r) =>
    range(C)
      .map((c) => `o${r}_${c} *= al${r >> 2}.${lane(r)};`)
      .join(' '),
  );
  for (const j of range(KB)) {
    lines.push(`{ let vr = (kvh * params.nk + min(key0 + ${j}u, keyEnd - 1u)) * ${C}u;`);
    lines.push(...range(C).map((c) => `  let w${c} = vVec[vr + ${c}u];`));
    for (const r of range(R)) {
      lines.push(
        `  ${range(C)
          .map((c) => `o${r}_${c} += p${r >> 2}_${j}.${lane(r)} * w${c};`)
          .join(' ')}`,
      );
    }
    lines.push('}');
  }
  return lines;
}

/** Registers kernels: O = O / l per row, stored once (a row with no visible key stores 0). */
function storeRegisters(R: number, C: number): string[] {
  return [
    ...range(R / 4).map((g) => `let inv${g} = select(vec4f(1.0) / l${g}, vec4f(0.0), l${g} == vec4f(0.0));`),
    ...range(R).map((r) =>
      forRow(
        r,
        range(C)
          .map((c) => `o[ov${r} + ${c}u] = o${r}_${c} * inv${r >> 2}.${LANE[r % 4]};`)
          .join(' '),
      ),
    ),
  ];
}

/** O = O / l per row; a row with no visible key (l = 0) keeps the zeroed buffer's 0. */
function normalize(R: number): string[] {
  return [
    ...range(R / 4).map((g) => `let inv${g} = select(vec4f(1.0) / l${g}, vec4f(0.0), l${g} == vec4f(0.0));`),
    'for (var cv = 0u; cv < dv; cv++) {',
    ...range(R).map((r) => `  ${forRow(r, `o[or${r} + cv] *= inv${r >> 2}.${LANE[r % 4]};`)}`),
    '}',
  ];
}

/**
 * The generated entry point for R rows (a multiple of 4, ≤ 16), KB keys per group, plain or
 * general scores, and the running O in the output buffer (oChunks = 0) or in registers for
 * value rows of oChunks vec4 chunks (dv = 4·oChunks, `registerChunks`).
 */
export function flashRowsMain(R: number, KB: number, plain: boolean, oChunks = 0): string {
  const indent = (lines: string[], n: number) => lines.map((l) => ' '.repeat(n) + l);
  const where = oChunks ? `O in registers (${oChunks} vec4 chunks per row)` : 'O in the output buffer';
  return [
    `// Generated by src/kernels/attention/flash-rows.ts for R = ${R} rows, KB = ${KB} keys, ${plain ? 'plain' : 'general'} scores, ${where}.`,
    ...(oChunks ? VEC4_VIEWS : BUFFER_OUTPUT),
    '@compute @workgroup_size(WG)',
    'fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {',
    ...indent(prologue(R), 2),
    ...indent(oChunks ? registerPrologue(R, oChunks) : bufferPrologue(R), 2),
    `  for (var key0 = keyStart; key0 < keyEnd; key0 += ${KB}u) {`,
    ...indent(oChunks ? scoreBlockVec4(R, KB) : scoreBlock(R, KB), 4),
    ...indent([...scoreRule(R, KB, plain), ...onlineSoftmax(R, KB)], 4),
    ...indent(oChunks ? accumulateRegisters(R, KB, oChunks) : accumulate(R, KB), 4),
    '  }',
    ...indent(oChunks ? storeRegisters(R, oChunks) : normalize(R), 2),
    '}',
  ].join('\n');
}

const kernels = new Map<string, KernelDescription>();

/**
 * The most running-output values an invocation keeps in registers (R·4·oChunks): R = 8 rows
 * of a 64-wide head. Past it the `registers` accumulator falls back to the output buffer.
 */
export const ROWS_REGISTER_FLOATS = 512;

/**
 * The vec4 chunks of O a `registers` kernel keeps per row for R rows of a (d, dv) head: dv / 4,
 * or 0 (the buffer accumulator) when d or dv is not a multiple of 4 (no vec4 views) or
 * R·dv > ROWS_REGISTER_FLOATS.
 */
export function registerChunks(R: number, d: number, dv: number): number {
  return d % 4 === 0 && dv % 4 === 0 && R * dv <= ROWS_REGISTER_FLOATS ? dv / 4 : 0;
}

/**
 * Keys per group a general (not plain) problem runs with: at most 8. The general score rule
 * is inlined once per score of the R × KB block, and at KB = 16 its pipelines took 8–10 s
 * to compile on SwiftShader and lavapipe (3 s at KB = 8); plain problems keep KB.
 */
export const GENERAL_MAX_KB = 8;

/**
 * The `rows` kernel for R rows × KB keys per invocation (flash.wgsl's bindings and uniform
 * block, in the same order). `plain`: the problem has no padding mask, bias, window, ALiBi or soft-capping,
 * so its scores need only plainScores; otherwise KB is capped at GENERAL_MAX_KB. `oChunks`: 0
 * keeps the running output in the output buffer; dv / 4 (`registerChunks`) keeps it in
 * registers, with vec4 views of q, k and v bound as qVec, kVec and vVec after flash.wgsl's.
 */
export function flashRowsKernel(R: number, KB: number, plain: boolean, oChunks = 0): KernelDescription {
  if (!(FLASH_ROWS_R as readonly number[]).includes(R) || !(FLASH_ROWS_KB as readonly number[]).includes(KB)) {
    throw new RangeError(`flashRowsKernel: R must be one of ${FLASH_ROWS_R.join(', ')} and KB one of ${FLASH_ROWS_KB.join(', ')}`);
  }
  if (!Number.isInteger(oChunks) || oChunks < 0 || R * oChunks * 4 > ROWS_REGISTER_FLOATS) {
    throw new RangeError(`flashRowsKernel: oChunks must be an integer in [0, ${ROWS_REGISTER_FLOATS / (4 * R)}] for R = ${R}`);
  }
  const kb = plain ? KB : Math.min(KB, GENERAL_MAX_KB);
  const key = `${R}x${kb}${plain ? ':plain' : ''}${oChunks ? `:o${oChunks}` : ''}`;
  let spec = kernels.get(key);
  if (!spec) {
    const code = flashRowsTemplate.replace(/^\/\/ @generated main$/m, flashRowsMain(R, kb, plain, oChunks));
    spec = {
      name: `attention:flash-rows:${key}`,
      code: withScoreRule(code),
      bindings: oChunks ? [...FLASH_KERNEL.bindings, ...VEC4_BINDINGS] : FLASH_KERNEL.bindings,
      uniforms: FLASH_KERNEL.uniforms,
    };
    kernels.set(key, spec);
  }
  return spec;
}
