// @ts-check
/**
 * Measures the matmul ladder (naive, tiled, register, and subgroup where the
 * adapter has it) at one size, in one browser run, and prints a Markdown table.
 *
 *   node bench/matmul-ladder.mjs [--size 512 | --shape M,N,K] [--repeats 5] [--variants naive,tiled,…]
 *                                [--transposeB] [--adapter swiftshader] [--port 5209]
 *
 * It serves the repository with Vite's dev server, opens the test harness page in
 * headless Chrome (see bench/chrome.mjs) and times each variant with `gpu.time`
 * (timestamp-query where present): one warm-up run, then the median of `repeats`.
 */
import { arg, withHarnessPage } from './harness-page.mjs';

const size = Number(arg('size', '512'));
const [M = size, N = size, K = size] = arg('shape', `${size},${size},${size}`).split(',').map(Number);
const only = arg('variants', '');
const transposeB = process.argv.includes('--transposeB');
const repeats = Number(arg('repeats', '5'));
const adapter = arg('adapter', 'swiftshader');
const port = Number(arg('port', '5209'));

await withHarnessPage(
  {
    adapter,
    port,
    // Progress (one line per variant) and page errors go to stderr; the table to stdout.
    onConsole: (m) => {
      if (m.type() === 'log' || m.type() === 'error' || m.type() === 'warn')
        console.error(`${m.type() === 'log' ? '' : `page ${m.type()}: `}${m.text()}`);
    },
  },
  async (page) => {
    const result = await page.evaluate(
      async (M, N, K, reps, only, transposeB) => {
        const m = await window.ksImport('/src/kernels/matmul.ts');
        const { Tensor, mulberry32, uniformArray } = window.ks;
        const gpu = window.gpu;
        const rng = mulberry32(1);
        const a = Tensor.fromData(gpu, uniformArray(rng, M * K), [M, K]);
        const b = Tensor.fromData(gpu, uniformArray(rng, K * N), transposeB ? [N, K] : [K, N]);
        const variants = [...m.MATMUL_VARIANTS, 'auto'].filter(
          (/** @type {string} */ v) => (v !== 'subgroup' || gpu.features.subgroups) && (!only || only.split(',').includes(v)),
        );
        const rows = [];
        for (const variant of variants) {
          (await m.matmul(gpu, a, b, { variant, transposeB })).destroy(); // warm-up: pipeline compile, first touch
          const times = [];
          for (let r = 0; r < reps; r++) {
            const { result, timing } = await gpu.time(() => m.matmul(gpu, a, b, { variant, transposeB }));
            result.destroy();
            times.push(timing.gpuMs);
          }
          times.sort((x, y) => x - y);
          const median = /** @type {number} */ (times[Math.floor(times.length / 2)]);
          console.log(`${variant}: ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
          rows.push({
            variant,
            median,
            min: /** @type {number} */ (times[0]),
            max: /** @type {number} */ (times[times.length - 1]),
            gflops: (2 * M * N * K) / (median * 1e6),
          });
        }
        a.destroy();
        b.destroy();
        const info = gpu.info;
        return {
          rows,
          adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' · '),
          timer: gpu.features.timestampQuery ? 'timestamp-query' : 'submit-to-done',
          auto: m.chooseMatmulVariant(gpu, { M, N, K, batch: 1 }),
        };
      },
      M,
      N,
      K,
      repeats,
      only,
      transposeB,
    );
    const naive = result.rows.find((r) => r.variant === 'naive');
    console.log(
      `matmul ladder, M×N×K = ${M}×${N}×${K} f32${transposeB ? ' (B transposed)' : ''}, median of ${repeats} (${result.timer}), adapter: ${result.adapter}; 'auto' runs ${result.auto}\n`,
    );
    console.log('| variant | median ms | min–max ms | GFLOP/s | time ÷ naive (below 1 = faster) |');
    console.log('|---|---:|---:|---:|---:|');
    for (const r of result.rows) {
      console.log(
        `| ${r.variant} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)}–${r.max.toFixed(1)} | ${r.gflops.toFixed(3)} | ${naive ? (r.median / naive.median).toFixed(2) : '–'} |`,
      );
    }
  },
);
