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
    'let d4 = d & ~3u;   // head-dim columns in whole vec4 chunks',
    'let dv4 = dv & ~3u;',
    // Rows past Nq read the last row's Q (valid memory) and are never stored.
    ...range(R).map((r) => `let qr${r} = (bh * nq + min(rowA + ${r}u, nq - 1u)) * d;`),
    ...range(R).map((r) => `let or${r} = (bh * nq + rowA + ${r}u) * dv;`),
    ...range(R / 4).flatMap((g) => [`var m${g} = vec4f(MASKED);`, `var l${g} = vec4f(0.0);`]),
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

/** The R × KB scores of one key group, over the head dim in vec4 chunks (a partial last one). */
function scoreBlock(R: number, KB: number, plain: boolean): string[] {
  return [
    // Keys past keyEnd read key keyEnd − 1 (valid memory); score() masks them.
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
    // A plain problem needs only the scale, the key end and the causal mask (plainScores);
    // any other goes through the general rule (scores4, shaders/attention/score.wgsl).
    ...range(R / 4).flatMap((g) =>
      range(KB).map((j) =>
        plain
          ? `s${g}_${j} = plainScores(s${g}_${j}, rowA + ${4 * g}u, key0 + ${j}u, keyEnd);`
          : `s${g}_${j} = scores4(s${g}_${j}, bh, b, rowA + ${4 * g}u, key0 + ${j}u, keyEnd);`,
      ),
    ),
  ];
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

/** O = O / l per row; a row with no visible key (l = 0) keeps the zeroed buffer's 0. */
function normalize(R: number): string[] {
  return [
    ...range(R / 4).map((g) => `let inv${g} = select(vec4f(1.0) / l${g}, vec4f(0.0), l${g} == vec4f(0.0));`),
    'for (var cv = 0u; cv < dv; cv++) {',
    ...range(R).map((r) => `  ${forRow(r, `o[or${r} + cv] *= inv${r >> 2}.${LANE[r % 4]};`)}`),
    '}',
  ];
}

/** The generated entry point for R rows (a multiple of 4, ≤ 16), KB keys per group, plain or general scores. */
export function flashRowsMain(R: number, KB: number, plain: boolean): string {
  const indent = (lines: string[], n: number) => lines.map((l) => ' '.repeat(n) + l);
  return [
    `// Generated by src/kernels/attention/flash-rows.ts for R = ${R} rows, KB = ${KB} keys, ${plain ? 'plain' : 'general'} scores.`,
    '@compute @workgroup_size(WG)',
    'fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {',
    ...indent(prologue(R), 2),
    `  for (var key0 = keyStart; key0 < keyEnd; key0 += ${KB}u) {`,
    ...indent([...scoreBlock(R, KB, plain), ...onlineSoftmax(R, KB), ...accumulate(R, KB)], 4),
    '  }',
    ...indent(normalize(R), 2),
    '}',
  ].join('\n');
}

const kernels = new Map<string, KernelDescription>();

/**
 * Keys per group a general (not plain) problem runs with: at most 8. The general score rule
 * is inlined once per score of the R × KB block, and at KB = 16 its pipelines took 8–10 s
 * to compile on SwiftShader and lavapipe (3 s at KB = 8); plain problems keep KB.
 */
export const GENERAL_MAX_KB = 8;

/**
 * The `rows` kernel for R rows × KB keys per invocation (flash.wgsl's bindings and uniform
 * block, in the same order). `plain`: the problem has no padding mask, bias, window, ALiBi or soft-capping,
 * so its scores need only plainScores; otherwise KB is capped at GENERAL_MAX_KB.
 */
export function flashRowsKernel(R: number, KB: number, plain: boolean): KernelDescription {
  if (!(FLASH_ROWS_R as readonly number[]).includes(R) || !(FLASH_ROWS_KB as readonly number[]).includes(KB)) {
    throw new RangeError(`flashRowsKernel: R must be one of ${FLASH_ROWS_R.join(', ')} and KB one of ${FLASH_ROWS_KB.join(', ')}`);
  }
  const kb = plain ? KB : Math.min(KB, GENERAL_MAX_KB);
  const key = `${R}x${kb}${plain ? ':plain' : ''}`;
  let spec = kernels.get(key);
  if (!spec) {
    const code = flashRowsTemplate.replace(/^\/\/ @generated main$/m, flashRowsMain(R, kb, plain));
    spec = {
      name: `attention:flash-rows:${key}`,
      code: withScoreRule(code),
      bindings: FLASH_KERNEL.bindings,
      uniforms: FLASH_KERNEL.uniforms,
    };
    kernels.set(key, spec);
  }
  return spec;
}
