/**
 * The bench page's GPU session: the page's shared device or, with
 * `?featureLevel=compatibility`, one of its own; why there is none; and the run
 * options (policy, repeats) the session measures with.
 */
import { acquireGpu, gpuUnavailableReason } from '../src/viz/shared-gpu';
import { requestGpu } from '../src/gpu/device';
import { BenchSession, FULL_POLICY, QUICK_POLICY, type BenchEnvironment, type RunOptions } from '../src/bench/index';

let session: BenchSession | null = null;

/**
 * The page's shared device; with `?featureLevel=compatibility` (Dawn's OpenGL ES
 * backend, e.g. lavapipe, which the CLI asks for) a compatibility-mode device of its own.
 */
let ownReason: string | null = null;
const compatibility = new URLSearchParams(location.search).get('featureLevel') === 'compatibility';
export const gpuReady: Promise<BenchSession | null> = (
  compatibility
    ? requestGpu({ featureLevel: 'compatibility' }).catch((e: Error) => {
        ownReason = e.message;
        return null;
      })
    : acquireGpu()
).then((gpu) => (gpu ? (session = new BenchSession(gpu)) : null));
export const unavailable = () => ownReason ?? gpuUnavailableReason() ?? 'unknown reason';

/** The session once the GPU is ready; null before then or without WebGPU. */
export const currentSession = (): BenchSession | null => session;

/** The session, or a rejection saying why there is none. */
export async function ready(): Promise<BenchSession> {
  const s = await gpuReady;
  if (!s) throw new Error(`no WebGPU: ${unavailable()}`);
  return s;
}

export function environment(): BenchEnvironment | null {
  return session?.environment() ?? null;
}

export function configure(opts: Partial<RunOptions> & { quick?: boolean; minRepeats?: number }): void {
  if (!session) return;
  const { quick, minRepeats, ...rest } = opts;
  let policy = quick !== undefined ? (quick ? QUICK_POLICY : FULL_POLICY) : session.options.policy;
  if (minRepeats) policy = { ...policy, minRepeats, maxRepeats: Math.max(policy.maxRepeats, minRepeats) };
  session.options = { ...session.options, ...rest, policy };
}
