/**
 * A benchmark session on one page: the shared `Gpu`, the peers (created once, on
 * first use), and `runCase`, which turns a `BenchCase` into a `BenchRecord`. The
 * bench page and the CLI (through `window.ksBench`) both drive cases through it.
 */
import type { Gpu } from '../gpu/device';
import { checkOutput } from './check';
import { assertCaseFits, makeInputs, type CaseInputs } from './inputs';
import { availableKernels } from './modules';
import { PEERS, type Peer } from './peers/index';
import { measureWallResolution, runCase, type CaseDriver } from './runner';
import { caseWork, prepareOurs } from './suites';
import { DEFAULT_RUN_OPTIONS, type BenchCase, type BenchEnvironment, type BenchRecord, type RunOptions } from './types';

export class BenchSession {
  readonly gpu: Gpu;
  options: RunOptions;
  private readonly peers = new Map<string, Promise<Peer>>();
  private readonly peerLabels: Record<string, string> = {};

  constructor(gpu: Gpu, options: Partial<RunOptions> = {}) {
    this.gpu = gpu;
    this.options = { ...DEFAULT_RUN_OPTIONS, ...options };
  }

  /** The peer `id`, created on first use (a failed creation is retried next time). */
  peer(id: string): Promise<Peer> {
    let p = this.peers.get(id);
    if (!p) {
      const factory = PEERS[id];
      if (!factory) return Promise.reject(new Error(`unknown peer '${id}': known peers are ${Object.keys(PEERS).join(', ')}`));
      p = factory({ featureLevel: this.gpu.info.featureLevel });
      p.then((peer) => (this.peerLabels[id] = peer.label)).catch(() => this.peers.delete(id));
      this.peers.set(id, p);
    }
    return p;
  }

  /** The driver of a case: its inputs, implementation and reference check. */
  driver(c: BenchCase): CaseDriver {
    let inputs: CaseInputs | null = null;
    return {
      work: caseWork(c),
      prepare: async () => {
        await this.gpu.ready('bench');
        assertCaseFits(c, this.gpu.limits);
        inputs = makeInputs(c, this.options.seed);
        if (c.provider === 'kernelscope') return prepareOurs(this.gpu, c, inputs);
        const peer = await this.peer(c.provider);
        if (!peer.supports(c)) throw new Error(`${peer.label} has no ${c.suite} implementation`);
        return peer.prepare(c, inputs);
      },
      check: (output) => checkOutput(c, inputs!, output, this.options),
    };
  }

  /** Runs one case; never throws (failures are records with their reason). */
  runCase(c: BenchCase): Promise<BenchRecord> {
    return runCase(c, this.driver(c), this.options);
  }

  /** The adapter, its limits and features, the clocks, and the peers used so far. */
  environment(): BenchEnvironment {
    const limits: Record<string, number> = {};
    const l = this.gpu.limits as unknown as Record<string, unknown>;
    // GPUSupportedLimits keeps its values on the prototype as getters.
    for (const key in l) if (typeof l[key] === 'number') limits[key] = l[key] as number;
    return {
      adapter: { ...this.gpu.info, kernels: availableKernels().join(', ') },
      limits,
      features: { ...this.gpu.features },
      userAgent: navigator.userAgent,
      crossOriginIsolated: Boolean(globalThis.crossOriginIsolated),
      wallResolutionMs: measureWallResolution(),
      peers: { ...this.peerLabels },
      startedAt: new Date().toISOString(),
    };
  }
}
