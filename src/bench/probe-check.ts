/**
 * Correctness of the roofline probes, so a configuration that skips work can never
 * set a ceiling: the FMA probe's output has a closed form (each chain is a linear
 * recurrence), and a copy must equal its source bit for bit. Each candidate
 * configuration is checked on a small ragged case before it is timed.
 */
import type { Gpu } from '../gpu/device';
import { Tensor } from '../gpu/tensor';
import { FMA_CHAINS_PER_ROUND } from './flops';
import { fmaOutputError } from './probe-math';
import { copyProbe, fmaProbe, type CopyProbeConfig, type FmaProbeConfig } from './probes';

/** Rounds of the FMA check: 2048 trips at 8 chains, enough that mⁿ (≈ 0.82) is far from 0 and 1. */
const FMA_CHECK_ROUNDS = 2048;

/** Runs `config` on a small ragged case; null when its output is right, else why not. */
export async function checkFmaConfig(gpu: Gpu, config: FmaProbeConfig): Promise<string | null> {
  const invocations = 2 * config.WG + 3;
  const out = await fmaProbe(gpu, invocations, FMA_CHECK_ROUNDS, config);
  try {
    const trips = (FMA_CHECK_ROUNDS * FMA_CHAINS_PER_ROUND) / config.CHAINS;
    const { maxAbsErr, tolerance } = fmaOutputError(await out.read(), config.CHAINS, trips);
    return maxAbsErr <= tolerance
      ? null
      : `wrong output: max abs error ${maxAbsErr.toExponential(2)} (tolerance ${tolerance.toExponential(1)})`;
  } finally {
    out.destroy();
  }
}

/** Copies a small ragged buffer with `config` (two copies in one submission); null when the copy is exact. */
export async function checkCopyConfig(gpu: Gpu, config: CopyProbeConfig): Promise<string | null> {
  const elements = 4 * (2 * config.WG * config.VPT + 3);
  const data = Float32Array.from({ length: elements }, (_, i) => i * 0.5 - 7);
  const x = Tensor.fromData(gpu, data, [elements], 'bench:copy-check');
  try {
    const out = await copyProbe(gpu, x, { config, reps: 2 });
    try {
      const got = await out.read();
      const bad = got.findIndex((v, i) => v !== data[i]);
      return bad < 0 ? null : `wrong output: element ${bad} is ${got[bad]}, not ${data[bad]}`;
    } finally {
      out.destroy();
    }
  } finally {
    x.destroy();
  }
}
