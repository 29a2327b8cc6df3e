/**
 * The Node runtime itself: the adapter Dawn gives (and what it reports), the Vulkan
 * survey and the reasons given when there is no loader, no driver, a driver file that
 * does not exist, no SwiftShader, or no `webgpu` package: each a
 * `WebGPUUnavailableError` whose reason says how to fix it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adapterClass } from '../../src/gpu/adapter-class';
import { explainNoAdapter, releaseNodeGpu, requestNodeGpu, surveyVulkan, WebGPUUnavailableError } from '../../src/node/index';
import { NODE_ADAPTER } from './support';

const savedEnv = { ...process.env };
afterEach(() => {
  for (const k of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'KS_SWIFTSHADER_ICD']) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  vi.doUnmock('webgpu');
  vi.resetModules();
});

describe('requestNodeGpu', () => {
  it('gives a working Gpu on Dawn with the adapter asked for, and its info', async () => {
    const gpu = await requestNodeGpu({ adapter: NODE_ADAPTER });
    try {
      if (NODE_ADAPTER === 'swiftshader') {
        expect(adapterClass(gpu.info)).toBe('swiftshader');
        expect(gpu.features.timestampQuery).toBe(true);
      }
      expect(typeof gpu.info.description).toBe('string');
      expect(gpu.limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThanOrEqual(256);
      expect(navigator.userAgent).toMatch(/Node\.js|Dawn/);
      // A second call shares Dawn's instance and gives a second device.
      const again = await requestNodeGpu({ adapter: NODE_ADAPTER });
      expect(again.device).not.toBe(gpu.device);
      again.destroy();
    } finally {
      gpu.destroy();
      releaseNodeGpu();
    }
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
  });

  it('explains a driver manifest that does not exist, naming it', async () => {
    process.env.VK_ICD_FILENAMES = '/nonexistent/ks_icd.json';
    process.env.VK_DRIVER_FILES = '/nonexistent/ks_icd.json';
    const e = await requestNodeGpu({ adapter: 'default' }).then(
      () => null,
      (x: unknown) => x,
    );
    releaseNodeGpu();
    expect(e).toBeInstanceOf(WebGPUUnavailableError);
    expect((e as WebGPUUnavailableError).reason).toMatch(/\/nonexistent\/ks_icd\.json does not exist/);
    expect((e as WebGPUUnavailableError).reason).toMatch(/--adapter swiftshader/);
  });

  it('says how to get SwiftShader when its driver is missing', async () => {
    process.env.KS_SWIFTSHADER_ICD = '';
    const survey = surveyVulkan({ ...process.env, KS_SWIFTSHADER_ICD: '' });
    if (survey.swiftshader) {
      // This machine has Chromium: check the message through a missing explicit path instead.
      process.env.KS_SWIFTSHADER_ICD = '/nonexistent/vk_swiftshader_icd.json';
      const e = await requestNodeGpu({ adapter: 'swiftshader' }).catch((x: unknown) => x);
      releaseNodeGpu();
      expect(e).toBeInstanceOf(WebGPUUnavailableError);
      expect((e as WebGPUUnavailableError).reason).toMatch(/vk_swiftshader_icd\.json does not exist/);
    } else {
      const e = await requestNodeGpu({ adapter: 'swiftshader' }).catch((x: unknown) => x);
      expect((e as WebGPUUnavailableError).reason).toMatch(/apt-get install -y chromium/);
    }
  });

  it('says how to install webgpu when the package cannot be loaded', async () => {
    vi.doMock('webgpu', () => {
      throw new Error("Cannot find package 'webgpu'");
    });
    const fresh = await import('../../src/node/dawn');
    // Modules were reset: the error class is the fresh copy's.
    const errors = await import('../../src/problem/errors');
    const e = await fresh.loadDawn().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(errors.WebGPUUnavailableError);
    expect((e as WebGPUUnavailableError).reason).toMatch(/npm i -E webgpu@0\.6\.2/);
  });
});

describe('explainNoAdapter', () => {
  const base = { loader: '/usr/lib/x86_64-linux-gnu/libvulkan.so.1', icds: [], icdsFromEnv: false, swiftshader: null };

  it('no loader: names libvulkan.so.1, the package, and LD_LIBRARY_PATH', () => {
    const m = explainNoAdapter({ ...base, loader: null, swiftshader: '/usr/lib/chromium/vk_swiftshader_icd.json' }, 'default');
    expect(m).toMatch(/libvulkan\.so\.1/);
    expect(m).toMatch(/apt-get install -y libvulkan1/);
    expect(m).toMatch(/LD_LIBRARY_PATH=\/usr\/lib\/chromium/);
  });

  it('no driver: names the folders searched, the NVIDIA manifest and the SwiftShader way out', () => {
    const m = explainNoAdapter(base, 'default');
    expect(m).toMatch(/no Vulkan driver/);
    expect(m).toMatch(/icd\.d/);
    expect(m).toMatch(/nvidia_icd\.json/);
    expect(m).toMatch(/--adapter swiftshader/);
  });

  it('drivers present but no adapter: points at vulkaninfo', () => {
    const m = explainNoAdapter({ ...base, icds: ['/usr/lib/chromium/vk_swiftshader_icd.json'] }, 'default');
    expect(m).toMatch(/vulkaninfo/);
  });

  it('the survey reads VK_ICD_FILENAMES as the only drivers', () => {
    const s = surveyVulkan({ VK_ICD_FILENAMES: '/a.json:/b.json', LD_LIBRARY_PATH: '/nowhere' });
    expect(s.icds).toEqual(['/a.json', '/b.json']);
    expect(s.icdsFromEnv).toBe(true);
  });
});
