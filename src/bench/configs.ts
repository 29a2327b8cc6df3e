/**
 * The configuration each of our cases runs with, asked of the kernels themselves so
 * the record says what really ran: matmul's `planMatmul` (variant, override constants,
 * whether from the tuning table), flash attention's layout (`flashConfigFor`),
 * softmax's `resolveSoftmaxConfig`. Kernel modules load lazily (see modules.ts).
 */
import type { Gpu } from '../gpu/device';
import { adapterIdentity } from '../gpu/adapter-class';
import type { MatmulVariant } from '../problem/matmul';
import { configLabel } from './config-label';
import { loadMatmul, loadSoftmax, loadTuned } from './modules';
import type { BenchCase, RunConfig } from './types';

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

async function flashConfig(gpu: Gpu, c: BenchCase): Promise<RunConfig> {
  const t = await loadTuned();
  const d = Number(c.params.d);
  const problem = { d, dv: d, causal: Boolean(c.params.causal) };
  const config = t.flashConfigFor(gpu, problem);
  const shapeClass = t.flashShapeClass(problem);
  const family = t.FLASH_FAMILY;
  const record = gpu.tuning.lookup(adapterIdentity(gpu.info), family.kernel, shapeClass, family.source);
  const tuned = record !== undefined && family.accept(record.config, gpu) !== null;
  const { layout, ...rest } = config as { layout: string } & Record<string, unknown>;
  return { label: `${configLabel(layout, rest)}${origin(true, tuned)}`, values: { ...config, shapeClass }, tuned };
}

async function softmaxConfig(gpu: Gpu, c: BenchCase): Promise<RunConfig> {
  const resolve = (await loadSoftmax()).resolveSoftmaxConfig;
  const rows = Number(c.params.rows);
  const cols = Number(c.params.cols);
  const config = resolve ? resolve('softmax', gpu, rows, cols, undefined) : null;
  if (!config) return { label: 'default', values: {}, tuned: false };
  const { variant, ...rest } = config;
  return { label: configLabel(String(variant), rest), values: { ...config }, tuned: false };
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
      return c.impl === 'flash' ? flashConfig(gpu, c) : { label: c.impl, values: { variant: c.impl }, tuned: false };
    case 'softmax':
      return softmaxConfig(gpu, c);
    case 'roofline':
      return undefined;
  }
}
