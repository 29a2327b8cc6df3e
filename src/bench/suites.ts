/**
 * kernelscope's side of every case: the work counts, and how each suite prepares
 * its kernel (inputs uploaded once; each call timed with `gpu.time`; peak bytes from
 * `gpu.memory.measure`). Kernel modules load lazily, per suite.
 */
import type { Gpu } from '../gpu/device';
import { Tensor } from '../gpu/tensor';
import { inputBytes, type CaseInputs } from './inputs';
import { loadAttention, loadMatmul, loadSoftmax } from './modules';
import { copyProbe, fmaProbe } from './probes';
import type { PreparedRun } from './runner';
import type { BenchCase } from './types';

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

/** Prepares kernelscope's implementation of a case. */
export async function prepareOurs(gpu: Gpu, c: BenchCase, inputs: CaseInputs): Promise<PreparedRun> {
  const bytes = inputBytes(c);
  switch (c.suite) {
    case 'matmul': {
      const { matmul } = await loadMatmul();
      const t = upload(gpu, inputs);
      return gpuPrepared(gpu, Object.values(t), () => matmul(gpu, t.a!, t.b!, { variant: c.impl }), bytes);
    }
    case 'attention': {
      const { attention } = await loadAttention();
      const t = upload(gpu, inputs);
      const causal = Boolean(c.params.causal);
      return gpuPrepared(gpu, Object.values(t), () => attention(gpu, t.q!, t.k!, t.v!, { variant: c.impl, causal }), bytes);
    }
    case 'softmax': {
      const { softmax } = await loadSoftmax();
      const t = upload(gpu, inputs);
      return gpuPrepared(gpu, Object.values(t), () => softmax(gpu, t.x!), bytes);
    }
    case 'roofline': {
      const p = c.params as Record<string, number>;
      if (c.params.probe === 'fma') return gpuPrepared(gpu, [], () => fmaProbe(gpu, p.invocations!, p.iterations!), 0);
      const t = upload(gpu, inputs);
      return gpuPrepared(gpu, Object.values(t), () => copyProbe(gpu, t.x!), bytes);
    }
  }
}
