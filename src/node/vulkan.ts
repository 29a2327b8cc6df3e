/**
 * Where Dawn's Vulkan backend will look, read from the file system only (nothing is
 * loaded): the Vulkan loader `libvulkan.so.1`, the installed drivers (ICD manifests),
 * and SwiftShader's driver as Chrome and Debian's chromium ship it. Used to point the
 * loader at SwiftShader and to say, when no adapter comes back, what is missing and how
 * to fix it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** Folders where a Vulkan loader is usually installed (Debian multiarch, RHEL lib64, local). */
const LOADER_DIRS = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64', '/usr/lib64', '/lib', '/usr/lib', '/usr/local/lib'];

/** Where Chrome and Chromium keep SwiftShader's Vulkan driver and its manifest. */
export const SWIFTSHADER_ICD_CANDIDATES = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
  '/opt/google/chrome/vk_swiftshader_icd.json',
  '/opt/chromium.org/chromium/vk_swiftshader_icd.json',
];

/** What this machine offers the Vulkan loader. */
export interface VulkanSurvey {
  /** The `libvulkan.so.1` found (LD_LIBRARY_PATH first, then the usual folders), or null. */
  loader: string | null;
  /** Driver manifests: those named by VK_DRIVER_FILES / VK_ICD_FILENAMES, else the installed ones. */
  icds: string[];
  /** Whether `icds` came from VK_DRIVER_FILES or VK_ICD_FILENAMES (the loader then looks nowhere else). */
  icdsFromEnv: boolean;
  /** SwiftShader's manifest (KS_SWIFTSHADER_ICD, else Chrome's or Chromium's), or null. */
  swiftshader: string | null;
}

const splitList = (s: string | undefined) => (s ?? '').split(delimiter).filter(Boolean);

function jsonFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** The folders the Vulkan loader searches for driver manifests, in its order. */
export function icdSearchDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const config = [...splitList(env.XDG_CONFIG_DIRS || '/etc/xdg'), '/etc'];
  const data = [join(homedir(), '.local/share'), ...splitList(env.XDG_DATA_DIRS || '/usr/local/share:/usr/share')];
  return [...new Set([...config, ...data].map((d) => join(d, 'vulkan', 'icd.d')))];
}

/** SwiftShader's ICD manifest: `KS_SWIFTSHADER_ICD` when set (even if missing, so the error names it), else the first candidate found. */
export function findSwiftShaderIcd(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.KS_SWIFTSHADER_ICD) return env.KS_SWIFTSHADER_ICD;
  return SWIFTSHADER_ICD_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Looks at the loader and drivers this process will see. Reads the file system only. */
export function surveyVulkan(env: NodeJS.ProcessEnv = process.env): VulkanSurvey {
  const loaderDirs = [...splitList(env.LD_LIBRARY_PATH), ...LOADER_DIRS];
  const loader = loaderDirs.map((d) => join(d, 'libvulkan.so.1')).find((p) => existsSync(p)) ?? null;
  const named = splitList(env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES);
  const icds = named.length > 0 ? named : icdSearchDirs(env).flatMap(jsonFiles);
  return { loader, icds, icdsFromEnv: named.length > 0, swiftshader: findSwiftShaderIcd(env) };
}

/**
 * The environment that makes the Vulkan loader use SwiftShader only: both manifest
 * variables (a newer loader prefers VK_DRIVER_FILES) set to its manifest.
 */
export function swiftShaderEnv(icd: string): Record<string, string> {
  return { VK_ICD_FILENAMES: icd, VK_DRIVER_FILES: icd };
}

/**
 * Why Dawn found no Vulkan adapter, and how to fix it, from a survey. One paragraph,
 * meant for a person at a terminal.
 */
export function explainNoAdapter(s: VulkanSurvey, adapter: 'default' | 'swiftshader'): string {
  const fixGpu =
    'install the GPU\'s Vulkan driver (NVIDIA: the driver\'s Vulkan part, whose manifest nvidia_icd.json goes to /usr/share/vulkan/icd.d or /etc/vulkan/icd.d; in a container, the "graphics" driver capability), ' +
    'or run on the CPU with --adapter swiftshader (Debian/Ubuntu: apt-get install -y chromium)';
  if (!s.loader) {
    return (
      `no Vulkan loader: libvulkan.so.1 is not in LD_LIBRARY_PATH nor in ${LOADER_DIRS.join(', ')}. ` +
      'Install it (Debian/Ubuntu: apt-get install -y libvulkan1), or start node with LD_LIBRARY_PATH set to a folder that holds it ' +
      `(${s.swiftshader ? `Chromium keeps one: LD_LIBRARY_PATH=${dirname(s.swiftshader)}; ` : ''}the bench pack's run.sh carries one)` +
      (adapter === 'default' ? `; then ${fixGpu}` : '')
    );
  }
  if (s.icds.length === 0) {
    return `no Vulkan driver: the loader ${s.loader} found no driver manifest in ${icdSearchDirs().join(', ')}; ${fixGpu}`;
  }
  const missing = s.icds.filter((p) => !existsSync(p));
  const listed = `${s.icdsFromEnv ? 'VK_DRIVER_FILES/VK_ICD_FILENAMES name' : 'the installed drivers are'} ${s.icds.join(', ')}`;
  if (missing.length > 0) return `no Vulkan adapter: ${listed}, but ${missing.join(', ')} does not exist; fix the path, or ${fixGpu}`;
  return (
    `no Vulkan adapter: ${listed}, and none gave Dawn a usable device (Dawn needs Vulkan 1.1 with core WebGPU's features; ` +
    `Mesa's lavapipe and GPUs without a Vulkan driver do not qualify). Check the driver with vulkaninfo --summary, or ${fixGpu}`
  );
}
