/**
 * The fixture app that tests/package/package.test.ts installs the packed tarball into: a Vite +
 * TypeScript app as a new user would write it, with strict `tsc` and no type package of its own,
 * plus a Node script. Kept as text (written out by the test), so that the repository's own
 * `tsc` and eslint never try to resolve `kernelscope` before the package is built.
 */

/** The app's package.json: only kernelscope, from the tarball at `tarball`. */
export function fixturePackageJson(tarball: string): string {
  return JSON.stringify(
    { name: 'kernelscope-fixture', private: true, type: 'module', dependencies: { kernelscope: `file:${tarball}` } },
    null,
    2,
  );
}

/** Strict, as strict as the project itself, and `skipLibCheck` off: the package's types are checked too. */
export const TSCONFIG = JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      strict: true,
      noUncheckedIndexedAccess: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      isolatedModules: true,
      noEmit: true,
    },
    include: ['src'],
  },
  null,
  2,
);

export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <link rel="icon" href="data:,">
  <title>kernelscope fixture</title>
  <script type="module" src="/src/main.ts"></script>
</head>
<body>
  <attention-map pattern="local" n="12" heads="2" dim="16" causal></attention-map>
  <flash-tiles n="64" dim="16" causal></flash-tiles>
  <loss-landscape surface="saddle" optimizers="sgd,momentum" steps="30" resolution="40" backend="cpu"></loss-landscape>
  <diffusion-steps dataset="rings" samples="256" steps="10"></diffusion-steps>
</body>
</html>
`;

/** Typed use of both entry points; the outcome goes to `window.fixture` for the test. */
export const MAIN_TS = `import { requestGpu, matmul, matmulReference, maxAbsError, WebGPUUnavailableError, type Gpu } from 'kernelscope';
import { AttentionMap, SERIES_COLORS, type LandscapeConfig } from 'kernelscope/viz';

interface Outcome {
  done: boolean;
  error?: string;
  matmulErr?: number;
  adapter?: string;
  svgBytes: Record<string, number>;
  firstColor: string;
}

declare global {
  interface Window {
    fixture: Outcome;
  }
}

async function gpuCheck(out: Outcome): Promise<void> {
  let gpu: Gpu;
  try {
    gpu = await requestGpu();
  } catch (e) {
    if (e instanceof WebGPUUnavailableError) {
      out.adapter = 'none: ' + e.message;
      return;
    }
    throw e;
  }
  const a = { data: Float32Array.from({ length: 12 }, (_, i) => i / 7), shape: [3, 4] };
  const b = { data: Float32Array.from({ length: 8 }, (_, i) => 1 - i / 5), shape: [4, 2] };
  const c = await matmul(gpu, a, b);
  const got = await c.read();
  c.destroy();
  out.matmulErr = maxAbsError(got, matmulReference(a, b).data).maxAbsErr;
  out.adapter = gpu.info.description || gpu.info.vendor || 'unnamed';
  gpu.destroy();
}

async function main(): Promise<void> {
  const out: Outcome = { done: false, svgBytes: {}, firstColor: SERIES_COLORS[0] };
  window.fixture = out;
  try {
    await gpuCheck(out);
    const map: AttentionMap | null = document.querySelector('attention-map');
    if (!map) throw new Error('no attention-map');
    const config: Partial<LandscapeConfig> = {};
    void config;
    for (const tag of ['attention-map', 'flash-tiles', 'loss-landscape', 'diffusion-steps'] as const) {
      const el = document.querySelector(tag);
      if (!el) throw new Error('missing ' + tag);
      await el.settled();
      out.svgBytes[tag] = el.exportSvg().length;
    }
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
  }
  out.done = true;
}

void main();
`;

/** Node: the CPU side of \`kernelscope\`, and \`kernelscope/node\` without Dawn installed. */
export const NODE_CHECK = `import { matmulReference, requestGpu, WebGPUUnavailableError } from 'kernelscope';
import { requestNodeGpu } from 'kernelscope/node';

const out = {};
const c = matmulReference({ data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] }, { data: new Float32Array([5, 6, 7, 8]), shape: [2, 2] });
out.matmul = Array.from(c.data);
for (const [name, f] of [['requestGpu', requestGpu], ['requestNodeGpu', requestNodeGpu]]) {
  try {
    await f();
    out[name] = 'resolved';
  } catch (e) {
    out[name] = (e instanceof WebGPUUnavailableError ? 'WebGPUUnavailableError: ' : 'other: ') + e.message;
  }
}
console.log(JSON.stringify(out));
`;
