/**
 * `kernelscope/node`: the same kernels in Node, on Dawn (the optional `webgpu`
 * package), for GPU servers with no browser.
 *
 * ```ts
 * import { requestNodeGpu, matmul, releaseNodeGpu } from 'kernelscope/node';
 * const gpu = await requestNodeGpu();                  // the machine's GPU, through Vulkan
 * const cpu = await requestNodeGpu({ adapter: 'swiftshader' }); // SwiftShader, for CI
 * const c = await matmul(gpu, a, b);
 * releaseNodeGpu();                                    // lets Node exit
 * ```
 *
 * On Linux, Dawn reaches the GPU through the Vulkan loader (`libvulkan.so.1`) and a
 * driver manifest; when either is missing, `requestNodeGpu` throws
 * `WebGPUUnavailableError` saying which, and how to fix it. One process uses one kind
 * of adapter: the loader reads its environment when Dawn first starts it.
 */
// First: the flag namespaces that library modules read at import time.
import './flags';
import { adapterClass } from '../gpu/adapter-class';
import { requestGpu, type Gpu, type RequestGpuOptions } from '../gpu/device';
import { WebGPUUnavailableError } from '../problem/errors';
import { dawnVersion, installNavigatorGpu, installWebGpuGlobals, loadDawn } from './dawn';
import { explainNoAdapter, surveyVulkan, swiftShaderEnv } from './vulkan';

export * from '../index';
export { surveyVulkan, explainNoAdapter, findSwiftShaderIcd, icdSearchDirs, type VulkanSurvey } from './vulkan';
export { loadDawn, dawnVersion, DAWN_PACKAGE, type DawnModule } from './dawn';

/** Which adapter Dawn should give: the machine's own (`default`), or SwiftShader on the CPU. */
export type NodeAdapter = 'default' | 'swiftshader';

/** Options of `requestNodeGpu`: those of `requestGpu`, plus the adapter and Dawn's own flags. */
export interface NodeGpuOptions extends RequestGpuOptions {
  /** `default` (the GPU the Vulkan loader finds) or `swiftshader`; default `default`. */
  adapter?: NodeAdapter;
  /** Extra Dawn options, e.g. `disable-dawn-features=timestamp_quantization`. */
  dawnFlags?: string[];
}

/** The Dawn instance in use, the key it was made for, and how to remove it from `navigator`. */
let current: { key: string; gpu: GPU; uninstall: () => void } | null = null;

/** Points the Vulkan loader at SwiftShader; throws when its driver is not on this machine. */
function useSwiftShader(): void {
  const survey = surveyVulkan();
  if (!survey.swiftshader)
    throw new WebGPUUnavailableError(
      "SwiftShader's Vulkan driver was not found (vk_swiftshader_icd.json beside Chrome or Chromium): " +
        "install Debian's chromium (apt-get install -y chromium) or set KS_SWIFTSHADER_ICD to a vk_swiftshader_icd.json",
    );
  Object.assign(process.env, swiftShaderEnv(survey.swiftshader));
}

/** Dawn's `GPU` for `adapter` and `flags`, installed as `navigator.gpu` (created once per kind). */
async function nodeGpu(adapter: NodeAdapter, flags: readonly string[]): Promise<GPU> {
  if (adapter === 'swiftshader') {
    if (process.platform !== 'linux') throw new WebGPUUnavailableError(`the swiftshader adapter needs Linux (this is ${process.platform})`);
    useSwiftShader();
  }
  // The loader reads its driver list when Dawn starts it: a changed list needs a new instance.
  const key = [adapter, ...flags, process.env.VK_DRIVER_FILES ?? '', process.env.VK_ICD_FILENAMES ?? ''].join('|');
  if (current?.key === key) return current.gpu;
  const dawn = await loadDawn();
  installWebGpuGlobals(dawn.globals);
  const gpu = dawn.create([...flags]);
  current?.uninstall();
  current = { key, gpu, uninstall: installNavigatorGpu(gpu, `Node.js ${process.version} (Dawn, webgpu ${dawnVersion()})`) };
  return gpu;
}

/**
 * A kernelscope `Gpu` on Dawn. Throws `WebGPUUnavailableError` when `webgpu` is not
 * installed, when SwiftShader is asked for and missing, or when Dawn finds no adapter
 * (the reason names the missing Vulkan loader or driver and the fix).
 */
export async function requestNodeGpu(options: NodeGpuOptions = {}): Promise<Gpu> {
  const { adapter = 'default', dawnFlags = [], ...rest } = options;
  const navGpu = await nodeGpu(adapter, dawnFlags);
  const featureLevel = rest.featureLevel ?? 'core';
  // Asked first, so that a null adapter is explained with what the Vulkan loader sees.
  const probe = await navGpu.requestAdapter({ featureLevel, powerPreference: rest.powerPreference } as GPURequestAdapterOptions);
  if (!probe) {
    const why = process.platform === 'linux' ? explainNoAdapter(surveyVulkan(), adapter) : `Dawn found no ${featureLevel} adapter`;
    throw new WebGPUUnavailableError(`Dawn found no adapter: ${why}`);
  }
  const gpu = await requestGpu(rest);
  if (adapter === 'swiftshader' && adapterClass(gpu.info) !== 'swiftshader') {
    gpu.destroy();
    throw new WebGPUUnavailableError(
      `asked for SwiftShader, but Dawn gave '${gpu.info.description || gpu.info.vendor}': the Vulkan loader had already started ` +
        'with other drivers in this process; use one adapter kind per process, or set VK_ICD_FILENAMES before starting node',
    );
  }
  return gpu;
}

/**
 * Removes Dawn's instance from `navigator.gpu` so that Node can exit. Destroy your
 * `Gpu`s first; a later `requestNodeGpu` creates a new instance.
 */
export function releaseNodeGpu(): void {
  current?.uninstall();
  current = null;
}
