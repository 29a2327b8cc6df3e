// @ts-check
/**
 * Finding the system Chrome and the flags that give it a WebGPU adapter.
 * Shared by the test harness and the bench CLI. See docs/TESTING.md.
 */
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

/**
 * The Chrome executable: `explicit`, else CHROME_PATH, else the usual locations; null if none.
 * @param {string} [explicit]
 * @returns {string | null}
 */
export function findChrome(explicit) {
  for (const p of [explicit, process.env.CHROME_PATH, ...CANDIDATES]) {
    if (p && existsSync(p)) return p;
  }
  return null;
}

/** One line telling the reader how to get a Chrome. */
export const NO_CHROME_MESSAGE =
  'kernelscope: no Chrome or Chromium found. Install one (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROME_PATH to its executable.';

const COMMON = [
  '--headless=new',
  '--no-sandbox',
  '--no-first-run',
  '--disable-sync',
  '--disable-background-networking',
  '--disable-component-update',
  '--enable-unsafe-webgpu',
];

/** Adapter name → Chrome flags and environment. `featureLevel` is what the page must request. */
export const ADAPTERS = {
  swiftshader: {
    args: [...COMMON, '--enable-features=Vulkan', '--use-angle=swiftshader', '--use-webgpu-adapter=swiftshader'],
    env: {},
    featureLevel: 'core',
  },
  lavapipe: {
    args: [...COMMON, '--use-angle=vulkan', '--use-webgpu-adapter=opengles'],
    env: { VK_ICD_FILENAMES: '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json' },
    featureLevel: 'compatibility',
  },
  default: {
    args: [...COMMON, '--enable-features=Vulkan'],
    env: {},
    featureLevel: 'core',
  },
};

/**
 * Flags and environment for `adapter` ('swiftshader' | 'lavapipe' | 'default').
 * @param {string} adapter
 */
export function adapterLaunch(adapter) {
  const a = ADAPTERS[/** @type {keyof typeof ADAPTERS} */ (adapter)];
  if (!a) throw new Error(`unknown adapter '${adapter}': use one of ${Object.keys(ADAPTERS).join(', ')}`);
  return a;
}
