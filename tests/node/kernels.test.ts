/**
 * A subset of the kernel tests, run in Node on Dawn (SwiftShader by default): the
 * matmul ladder, softmax, naive and flash attention, and one DDPM/DDIM reverse step,
 * each against its float64 CPU reference with the tolerance rule of docs/TESTING.md
 * (`checkTolerance`: error ≤ 2 × the f32 baseline's error + 1e-6). The browser tests
 * (tests/gpu/) cover the full case lists; these prove the same kernels give the same
 * answers through Dawn's Node binding.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { matmul, attention, softmax, ddpm } from '../../src/node/index';
import { runCases, type MatmulCase } from '../gpu/matmul-page';
import { checkTolerance } from '../../src/reference/compare';
import { mulberry32, normalArray } from '../../src/reference/random';
import { softmaxReference } from '../../src/reference/softmax';
import { attentionReference } from '../../src/reference/attention';
import { stepRef } from '../../src/reference/ddpm';
import { useNodeGpu, worstLine } from './support';

const gpu = useNodeGpu();
const verdicts: { label: string; ratio: number }[] = [];
afterAll(() => {
  if (verdicts.length) console.log(worstLine('node kernels', verdicts));
});

/** Fails listing every case whose verdict is not ok. */
function expectAllOk(rows: readonly { label: string; ok: boolean; ratio: number }[]): void {
  verdicts.push(...rows);
  expect(rows.filter((r) => !r.ok).map((r) => `${r.label}: ratio ${r.ratio.toFixed(3)}`)).toEqual([]);
}

describe('matmul on Dawn', () => {
  const cases: MatmulCase[] = [
    { a: [1, 1], b: [1, 1], seed: 1 },
    { a: [17, 33], b: [33, 15], seed: 2 },
    { a: [64, 65], b: [65, 63], seed: 3 },
    { a: [97, 127], b: [127, 129], seed: 4 },
    { a: [2, 5, 7], b: [7, 3], seed: 5 },
    { a: [31, 40], b: [31, 24], opts: { transposeA: true }, seed: 6 },
    { a: [0, 5], b: [5, 4], seed: 7 },
  ];
  for (const variant of ['naive', 'tiled', 'register', 'direct', 'subgroup'] as const) {
    it(`${variant}: edge, prime, batched, transposed and empty shapes`, async () => {
      if (variant === 'subgroup' && !gpu().features.subgroups) {
        console.log("matmul: skipping subgroup: this adapter has no 'subgroups' feature");
        return;
      }
      const r = await runCases(gpu(), variant, cases);
      expect(r).toHaveLength(cases.length);
      expectAllOk(r.map((x) => ({ ...x, ok: x.ok && x.boundRatio <= 1 })));
    });
  }

  it('matmul() itself returns a Tensor that reads back on Dawn', async () => {
    const c = await matmul(
      gpu(),
      { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] },
      { data: new Float32Array([1, 0, 0, 1]), shape: [2, 2] },
    );
    expect(Array.from(await c.read())).toEqual([1, 2, 3, 4]);
    c.destroy();
  });
});

describe('softmax on Dawn', () => {
  it('rows around the vec4 width and workgroup sizes, log-softmax, extreme and fully masked rows', async () => {
    const rng = mulberry32(11);
    const rows: { label: string; ok: boolean; ratio: number }[] = [];
    const shapes = [
      [1, 1],
      [3, 4],
      [5, 63],
      [7, 65],
      [4, 257],
      [2, 1024],
      [300, 7],
    ];
    for (const shape of shapes) {
      for (const log of [false, true]) {
        const n = shape[0]! * shape[1]!;
        const data = Float32Array.from(normalArray(rng, n), (v) => v * 8);
        if (shape[0]! > 2) for (let j = 0; j < shape[1]!; j++) data[shape[1]! + j] = -Infinity; // row 1: fully masked
        const x = { data, shape };
        const y = await softmax(gpu(), x, { log });
        const got = await y.read();
        y.destroy();
        const v = checkTolerance(got, softmaxReference(x, { log }).data, softmaxReference(x, { log }, 'f32').data);
        rows.push({ label: `softmax ${shape.join('×')}${log ? ' log' : ''}`, ok: v.ok, ratio: v.ratio });
      }
    }
    expectAllOk(rows);
  });
});

describe('attention on Dawn', () => {
  for (const variant of ['naive', 'flash'] as const) {
    it(`${variant}: seqlen pairs (1, 239), (239, 1), (97, 33), head dims 16, 64, 80, causal on and off`, async () => {
      const rng = mulberry32(variant === 'naive' ? 21 : 22);
      const rows: { label: string; ok: boolean; ratio: number }[] = [];
      const cases: [number, number, number, number, number][] = [
        // B, H, Nq, Nk, d
        [1, 1, 1, 239, 64],
        [1, 1, 239, 1, 16],
        [2, 2, 97, 33, 80],
        [1, 2, 64, 64, 64],
      ];
      for (const [B, H, Nq, Nk, d] of cases) {
        for (const causal of [false, true]) {
          const t = (n: number) => ({ data: Float32Array.from(normalArray(rng, B * H * n * d)), shape: [B, H, n, d] });
          const q = t(Nq);
          const k = t(Nk);
          const v = t(Nk);
          const y = await attention(gpu(), q, k, v, { variant, causal });
          const got = await y.read();
          y.destroy();
          const verdict = checkTolerance(
            got,
            attentionReference(q, k, v, { causal }).data,
            attentionReference(q, k, v, { causal }, 'f32').data,
          );
          rows.push({ label: `${variant} B${B} H${H} ${Nq}×${Nk} d${d}${causal ? ' causal' : ''}`, ok: verdict.ok, ratio: verdict.ratio });
        }
      }
      expectAllOk(rows);
    });
  }
});

describe('one DDPM step on Dawn', () => {
  it('a DDPM (posterior variance) and a DDIM (η = 0.5) reverse step match the reference given the same noise', async () => {
    const rng = mulberry32(5);
    const n = 239 * 2;
    const x = normalArray(rng, n);
    const pred = normalArray(rng, n);
    const z = normalArray(rng, n);
    const s = ddpm.linearSchedule();
    const steps: [string, ReturnType<typeof ddpm.ddpmCoefficients>][] = [
      ['ddpm t=500 posterior eps', ddpm.ddpmCoefficients(s, 500, 'posterior', 'eps')],
      ['ddim 500→480 η=0.5 x0', ddpm.ddimCoefficients(s, 500, 480, 0.5, 'x0')],
    ];
    const rows: { label: string; ok: boolean; ratio: number }[] = [];
    for (const [label, c] of steps) {
      const shape = [239, 2];
      const y = await ddpm.reverseStep(gpu(), c, { data: x, shape }, { data: pred, shape }, { data: z, shape });
      const got = await y.read();
      y.destroy();
      const v = checkTolerance(got, stepRef(c, x, pred, z), stepRef(c, x, pred, z, 'f32'));
      rows.push({ label, ok: v.ok, ratio: v.ratio });
    }
    expectAllOk(rows);
  });
});
