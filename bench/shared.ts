/**
 * The pure parts of src/bench that the Node CLI runs itself, without a browser: the
 * case plan (validated before a run writes anything) and the report builders (CSV,
 * Markdown, SVG plots). bench/modules.mjs loads this file through Vite's module
 * runner, so the CLI and the bench page run the same code.
 */
export { planCases, parseSizes, MATMUL_LADDER, ATTENTION_VARIANTS, PEER_SUITES, type PlanOptions } from '../src/bench/cases';
export { markdownReport, toCsv } from '../src/bench/report';
export { allPlots } from '../src/bench/plots';
export { tunedConfigLabel } from '../src/bench/config-label';
export { PEERS } from '../src/bench/peers/index';
export { SUITES, type BenchCase, type BenchEnvironment, type BenchRecord, type SuiteName } from '../src/bench/types';
