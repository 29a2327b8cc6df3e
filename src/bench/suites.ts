/**
 * kernelscope's side of every case: the work counts, and how each suite prepares
 * its kernel (inputs uploaded once; each call timed with `gpu.time`; peak bytes from
 * `gpu.memory.measure`). Kernel modules load lazily, per suite.
 */
import type { Gpu } from '../gpu/device';
import { Tensor } from '../gpu/tensor';
import { ourConfig } from './configs';
import { inputBytes, type CaseInputs } from './inputs';
import type { MatmulVariant } from '../problem/matmul';
import { loadAttention, loadMatmul, loadSoftmax } from './modules';
import { checkCopyConfig, checkFmaConfig } from './probe-check';
import { searchProbe } from './probe-search';
import { COPY_PROBE_CONFIGS, FMA_PROBE_CONFIGS, copyProbe, fmaProbe } from './probes';
import type { PreparedRun } from './runner';
import type { BenchCase } from './types';
import { attentionRunOptions } from './attention-case';

export { caseWork } from './work';

/**
 * A PreparedRun around a kernel call on tensors already on the GPU. `owned` are
 * freed by `dispose`; `extraBytes` are the inputs' bytes, added to the measured
 * peak so it means "inputs plus everything the call allocated".
 */
export function gpuPrepared(gpu: Gpu, owned: Tensor[], call: () => Promise<Tensor>, extraBytes: number): PreparedRun {
  let last: Tensor | null = null;
  const keep = (t: Tensor) => {
    last?.destroy();
    last = t;
  };
  return {
    async run() {
      const { result, timing } = await gpu.time(call);
      keep(result);
      return { wallMs: timing.wallMs, gpuMs: timing.gpuMs, gpuTimer: timing.timer };
    },
    async peak() {
      last?.destroy();
      last = null;
      const { result, memory } = await gpu.memory.measure(async () => {
        const r = await call();
        await gpu.done('bench');
        return r;
      });
      keep(result);
      return { bytes: extraBytes + memory.peakDeltaBytes, source: 'gpu.memory' };
    },
    async read() {
      if (!last) throw new Error('bench: read() before any run');
      return last.read();
    },
    dispose() {
      last?.destroy();
      last = null;
      for (const t of owned) t.destroy();
    },
  };
}

function upload(gpu: Gpu, inputs: CaseInputs): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  try {
    for (const [name, x] of Object.entries(inputs)) out[name] = Tensor.fromData(gpu, x.data, x.shape, `bench:${name}`);
  } catch (e) {
    for (const t of Object.values(out)) t.destroy();
    throw e;
  }
  return out;
}

/** Wall ms of one call, its output freed. */
async function timeOnce(gpu: Gpu, call: () => Promise<Tensor>): Promise<number> {
  const { result, timing } = await gpu.time(call);
  result.destroy();
  return timing.wallMs;
}

/**
 * The roofline probes: every configuration is checked and timed (probe-search.ts),
 * and the fastest is the one measured; its record names it.
 */
async function prepareProbe(gpu: Gpu, c: BenchCase, inputs: CaseInputs): Promise<PreparedRun> {
  const p = c.params as Record<string, number>;
  if (c.params.probe === 'fma') {
    const fma = (cfg: (typeof FMA_PROBE_CONFIGS)[number]) => () => fmaProbe(gpu, p.invocations!, p.iterations!, cfg);
    const { best, config } = await searchProbe({
      candidates: FMA_PROBE_CONFIGS,
      label: (cfg) => `WG ${cfg.WG} · ${cfg.CHAINS} chains`,
      check: (cfg) => checkFmaConfig(gpu, cfg),
      time: (cfg) => timeOnce(gpu, fma(cfg)),
    });
    return { ...gpuPrepared(gpu, [], fma(best), 0), config };
  }
  const t = upload(gpu, inputs);
  try {
    const reps = p.reps ?? 1;
    const copy = (cfg: (typeof COPY_PROBE_CONFIGS)[number]) => () => copyProbe(gpu, t.x!, { config: cfg, reps });
    const { best, config } = await searchProbe({
      candidates: COPY_PROBE_CONFIGS,
      label: (cfg) => `WG ${cfg.WG} · ${cfg.VPT} vec4/invocation`,
      check: (cfg) => checkCopyConfig(gpu, cfg),
      time: (cfg) => timeOnce(gpu, copy(cfg)),
    });
    return { ...gpuPrepared(gpu, Object.values(t), copy(best), inputBytes(c)), config };
  } catch (e) {
    for (const x of Object.values(t)) x.destroy();
    throw e;
  }
}

/** Prepares kernelscope's implementation of a case, with the configuration it runs. */
export async function prepareOurs(gpu: Gpu, c: BenchCase, inputs: CaseInputs): Promise<PreparedRun> {
  if (c.suite === 'roofline') return prepareProbe(gpu, c, inputs);
  const config = await ourConfig(gpu, c);
  const run = await prepareKernel(gpu, c, inputs);
  return config ? { ...run, config } : run;
}

async function prepareKernel(gpu: Gpu, c: BenchCase, inputs: CaseInputs): Promise<PreparedRun> {
  const bytes = inputBytes(c);
  switch (c.suite) {
    case 'matmul': {
      const { matmul } = await loadMatmul();
      const t = upload(gpu, inputs);
      const variant = c.impl as MatmulVariant | 'auto';
      return gpuPrepared(gpu, Object.values(t), () => matmul(gpu, t.a!, t.b!, { variant }), bytes);
    }
    case 'attention':
    case 'decode': {
      const { attention } = await loadAttention();
      const t = upload(gpu, inputs);
      const opts = attentionRunOptions(c);
      return gpuPrepared(gpu, Object.values(t), () => attention(gpu, t.q!, t.k!, t.v!, opts), bytes);
    }
    case 'softmax': {
      const { softmax } = await loadSoftmax();
      const t = upload(gpu, inputs);
      return gpuPrepared(gpu, Object.values(t), () => softmax(gpu, t.x!), bytes);
    }
    case 'roofline':
      return prepareProbe(gpu, c, inputs);
  }
}
