/**
 * The Node harness: one Dawn `Gpu` per test file (SwiftShader by default, or
 * KS_NODE_ADAPTER=default for the machine's GPU), and after each test the same check
 * as the browser harness: every GPU buffer created was destroyed.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { releaseNodeGpu, requestNodeGpu, type NodeAdapter } from '../../src/node/index';
import type { Gpu } from '../../src/gpu/device';

/** The adapter the Node tests ask Dawn for. */
export const NODE_ADAPTER: NodeAdapter = process.env.KS_NODE_ADAPTER === 'default' ? 'default' : 'swiftshader';

/** Registers the file's hooks; the returned function gives the file's `Gpu`. */
export function useNodeGpu(): () => Gpu {
  let gpu: Gpu | null = null;
  let live = 0;
  beforeAll(async () => {
    gpu = await requestNodeGpu({ adapter: NODE_ADAPTER });
    const i = gpu.info;
    console.log(`adapter (node, ${NODE_ADAPTER}): ${[i.vendor, i.architecture, i.description].filter(Boolean).join(' · ')}`);
    live = gpu.memory.liveBuffers;
  });
  afterEach(() => {
    if (gpu) expect(gpu.memory.liveBuffers, 'GPU buffers created and not destroyed').toBe(live);
  });
  afterAll(() => {
    gpu?.destroy();
    releaseNodeGpu();
  });
  return () => {
    if (!gpu) throw new Error('useNodeGpu: no Gpu yet (beforeAll failed?)');
    return gpu;
  };
}

/** The case with the largest tolerance ratio, as one line for the log. */
export function worstLine(what: string, rows: readonly { label: string; ratio: number }[]): string {
  const w = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return `${what}: ${rows.length} cases, worst tolerance ratio ${w.ratio.toFixed(3)} (${w.label})`;
}
