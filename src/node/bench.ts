/**
 * The benchmark in Node, on Dawn: what bench/node-runner.mjs needs, in one module.
 * It is the plan and report builders the browser CLI uses (bench/shared.ts), the
 * in-page runner (`BenchSession`, the same cases, timing, checks and peers), and the
 * Node runtime. `npm run bench -- --runtime node` loads it through Vite's module
 * runner; `npm run bench:pack` bundles it (WGSL inlined) into the pack.
 */
import './flags';
import type { Gpu } from '../gpu/device';
import { BenchSession } from '../bench/session';
import { FULL_POLICY, QUICK_POLICY, type BenchEnvironment } from '../bench/types';
import { dawnVersion } from './dawn';

export * from '../../bench/shared';
export { BenchSession } from '../bench/session';
export { requestNodeGpu, releaseNodeGpu, surveyVulkan, type NodeAdapter } from './index';
export { dawnVersion } from './dawn';

/** The run settings the CLI passes (the same as the bench page's `ksBench.configure`). */
export interface NodeRunSettings {
  quick: boolean;
  seed: number;
  /** Timed calls per case, at least; undefined keeps the policy's. */
  minRepeats?: number;
}

/** A session on `gpu` with the quick or full repeat policy, the seed and the repeats asked for. */
export function nodeSession(gpu: Gpu, s: NodeRunSettings): BenchSession {
  let policy = s.quick ? QUICK_POLICY : FULL_POLICY;
  if (s.minRepeats) policy = { ...policy, minRepeats: s.minRepeats, maxRepeats: Math.max(policy.maxRepeats, s.minRepeats) };
  return new BenchSession(gpu, { seed: s.seed, policy });
}

/** The session's environment, marked as a Node run on Dawn (with the Node and webgpu versions). */
export function nodeEnvironment(session: BenchSession): BenchEnvironment & { runtime: Record<string, string> } {
  return {
    ...session.environment(),
    runtime: { name: 'node', node: process.version, dawn: `webgpu ${dawnVersion()}`, platform: `${process.platform}-${process.arch}` },
  };
}
