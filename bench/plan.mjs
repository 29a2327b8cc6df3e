// @ts-check
/**
 * The whole plan of a run, checked in Node before anything is written or a browser
 * starts: the sizes parse, every variant and peer exists, every suite asked for has
 * cases, and the plan is not empty. The CLI then runs exactly these cases.
 */
import { BenchCliError } from './errors.mjs';

/**
 * @typedef {import('./shared').BenchCase} BenchCase
 * @typedef {{ cases: BenchCase[], warnings: string[] }} CheckedPlan
 */

/**
 * The implementations `--variants` can name.
 * @param {typeof import('./shared')} shared
 */
export function knownVariants(shared) {
  return [...new Set([...shared.MATMUL_LADDER, ...shared.ATTENTION_VARIANTS, 'softmax', ...Object.keys(shared.PEERS)])];
}

/**
 * Builds and checks the plan of `opts`.
 * @param {import('./args.mjs').CliOptions} opts
 * @param {typeof import('./shared')} shared
 * @returns {CheckedPlan} the cases, and warnings about options that have no effect
 * @throws {BenchCliError} naming the option and value at fault, or an empty plan
 */
export function checkPlan(opts, shared) {
  /** @type {string[]} */
  const warnings = [];
  try {
    shared.parseSizes(opts.sizes);
  } catch (e) {
    throw new BenchCliError('--sizes', /** @type {Error} */ (e).message);
  }
  const peers = Object.keys(shared.PEERS);
  for (const p of opts.peers)
    if (!peers.includes(p)) throw new BenchCliError('--peer', `unknown peer '${p}' (known: ${peers.join(', ')}, or none)`);
  const variants = knownVariants(shared);
  for (const v of opts.variants)
    if (!variants.includes(v)) throw new BenchCliError('--variants', `unknown implementation '${v}' (known: ${variants.join(', ')})`);
  const suites = /** @type {import('./shared').SuiteName[]} */ (opts.suites);
  /** @type {BenchCase[]} */
  let cases;
  try {
    cases = shared.planCases({
      suites,
      quick: opts.quick,
      sizes: opts.sizes,
      variants: opts.variants,
      peers: opts.peers,
      dims: opts.dims,
      heads: opts.heads,
      causal: opts.causal,
    });
  } catch (e) {
    throw new BenchCliError('the plan', /** @type {Error} */ (e).message);
  }
  const narrowing = describeNarrowing(opts);
  if (cases.length === 0) throw new BenchCliError('the plan', `it has no cases${narrowing}`);
  const chosen = suites.length > 0 ? suites : shared.SUITES;
  for (const suite of chosen) {
    if (cases.some((c) => c.suite === suite)) continue;
    // A suite named on the command line that gets no case is a mistake; one that is
    // only there by default (no --suite) is left out with a warning.
    if (suites.length > 0) throw new BenchCliError('--suite', `${suite} has no cases${narrowing}`);
    warnings.push(`${suite}: no cases${narrowing}; it is left out`);
  }
  if (!chosen.includes('attention'))
    for (const [name, v] of Object.entries({ dims: opts.dims, heads: opts.heads, causal: opts.causal }))
      if (v !== undefined) warnings.push(`--${name} applies to attention only, which this run leaves out`);
  return { cases, warnings };
}

/**
 * " with --sizes …, --variants …" for the options that narrow a plan, or "".
 * @param {import('./args.mjs').CliOptions} opts
 */
function describeNarrowing(opts) {
  const parts = [];
  if (opts.sizes.length) parts.push(`--sizes ${opts.sizes.join(',')}`);
  if (opts.variants.length) parts.push(`--variants ${opts.variants.join(',')}`);
  if (opts.variants.length && opts.peers.length === 0) parts.push('--peer none');
  return parts.length ? ` with ${parts.join(', ')}` : '';
}
