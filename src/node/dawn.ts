/**
 * Dawn in Node: loads the optional `webgpu` package (Dawn's Node binding), creates its
 * `GPU` object, and installs what browser code expects to find on `globalThis`: the
 * WebGPU classes and flag objects (`GPUBufferUsage`, `GPUMapMode`, …) and
 * `navigator.gpu`. The library's `requestGpu()` then works unchanged.
 */
import { createRequire } from 'node:module';
import { WebGPUUnavailableError } from '../problem/errors';

/** The part of the `webgpu` package this module uses. */
export interface DawnModule {
  /** A new Dawn instance; `flags` are Dawn's options (`backend=vulkan`, `enable-dawn-features=…`). */
  create(flags: string[]): GPU;
  /** The WebGPU interface objects and flag namespaces. */
  globals: object;
}

/** The exact version of `webgpu` kernelscope is tested with. */
export const DAWN_PACKAGE = 'webgpu@0.6.2';

let loading: Promise<DawnModule> | null = null;

/**
 * The `webgpu` package, loaded once. Throws `WebGPUUnavailableError` saying how to
 * install it when it is missing or its native part does not load.
 */
export function loadDawn(): Promise<DawnModule> {
  loading ??= import('webgpu').then(
    (m) => m as unknown as DawnModule,
    (e: unknown) => {
      loading = null;
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw new WebGPUUnavailableError(
        `Dawn for Node (the optional dependency '${DAWN_PACKAGE}') could not be loaded (${why}). ` +
          `Install it with npm i -E ${DAWN_PACKAGE} (it ships dawn.node for Linux x64/arm64, macOS and Windows x64/arm64), ` +
          'or use the bench pack (npm run bench:pack), which carries it',
      );
    },
  );
  return loading;
}

/** The installed `webgpu` package's version, or 'unknown'. */
export function dawnVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require('webgpu/package.json') as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Defines on `globalThis` each of Dawn's WebGPU globals that is not there yet. */
export function installWebGpuGlobals(globals: object): void {
  for (const [name, value] of Object.entries(globals)) {
    if (name in globalThis) continue;
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
  }
}

/**
 * Sets `navigator.gpu` to `gpu`, creating a minimal `navigator` (with a `userAgent`
 * naming Node and Dawn) where Node has none (Node 20). Returns a function that removes
 * what it added: while `navigator.gpu` holds Dawn's instance, Node does not exit.
 */
export function installNavigatorGpu(gpu: GPU, userAgent: string): () => void {
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent }, writable: true, configurable: true });
    return () => void delete g.navigator;
  }
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, writable: true, configurable: true });
  return () => void delete (g.navigator as { gpu?: GPU }).gpu;
}
