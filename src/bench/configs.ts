/**
 * The configuration each of our cases runs with, asked of the kernels themselves so
 * the record says what really ran: matmul's `planMatmul` (variant, override constants,
 * whether from the tuning table), flash attention's layout (`attentionConfig` in
 * attention-case.ts, from `flashConfigFor`),
 * softmax's `resolveSoftmaxConfig` (tuned or default). Kernel modules load lazily (see modules.ts).
 */
import type { Gpu } from '../gpu/device';
import type { MatmulVariant } from '../problem/matmul';
import { configLabel } from './config-label';
import { loadMatmul, loadSoftmax, loadSoftmaxTuning, loadTuned } from './modules';
import type { BenchCase, RunConfig } from './types';
import { attentionConfig } from './attention-case';

/** " (tuned)" or " (default)" where the kernel consulted the tuning table, else "". */
function origin(consulted: boolean, tuned: boolean): string {
  return consulted ? (tuned ? ' (tuned)' : ' (default)') : '';
}

async function matmulConfig(gpu: Gpu, c: BenchCase): Promise<RunConfig> {
  const mm = await loadMatmul();
  const p = c.params as Record<string, number>;
  const options = mm.resolveMatmulOptions('matmul', { variant: c.impl as MatmulVariant | 'auto' });
  const problem = mm.resolveMatmulProblem('matmul', [p.M!, p.K!], [p.K!, p.N!], options);
  const plan = mm.planMatmul(gpu, 'matmul', problem, options.variant);
  const auto = options.variant === 'auto';
  const values: Record<string, unknown> = { variant: plan.variant, ...plan.config.constants };
  if (auto) values.shapeClass = (await loadTuned()).matmulShapeClass(problem);
  return {
    label: `${auto ? 'auto → ' : ''}${configLabel(plan.variant, plan.config.constants)}${origin(auto, plan.tuned)}`,
    values,
    tuned: plan.tuned,
  };
}

async function softmaxConfig(gpu: Gpu, c: BenchCase): Promise<RunConfig> {
  const [{ resolveSoftmaxConfig }, { tunedSoftmax, softmaxShapeClass }] = await Promise.all([loadSoftmax(), loadSoftmaxTuning()]);
  const rows = Number(c.params.rows);
  const cols = Number(c.params.cols);
  const config = resolveSoftmaxConfig('softmax', gpu, rows, cols, undefined);
  const tuned = tunedSoftmax(gpu, cols) !== null;
  const { variant, ...rest } = config;
  return {
    label: `${configLabel(String(variant), rest)}${origin(true, tuned)}`,
    values: { ...config, shapeClass: softmaxShapeClass(cols) },
    tuned,
  };
}

/**
 * The configuration kernelscope's implementation of `c` runs on `gpu` (the roofline
 * probes search theirs as they run: probe-search.ts).
 * @throws what the kernel's own planning throws (e.g. a variant the device lacks), so the case fails with that reason.
 */
export async function ourConfig(gpu: Gpu, c: BenchCase): Promise<RunConfig | undefined> {
  switch (c.suite) {
    case 'matmul':
      return matmulConfig(gpu, c);
    case 'attention':
    case 'decode':
      return attentionConfig(gpu, c);
    case 'softmax':
      return softmaxConfig(gpu, c);
    case 'roofline':
      return undefined;
  }
}
