/**
 * The benchmark runner shared by the bench page and `npm run bench`: case lists,
 * warm-up and repeats, statistics, FLOP and byte counts, peak bytes, the error
 * against the CPU reference, peers, and the written outputs (JSONL records, CSV,
 * Markdown, SVG plots).
 */
export * from './types';
export * from './stats';
export * from './flops';
export { planCases, parseSizes, parseSize, MATMUL_LADDER, ATTENTION_VARIANTS, PEER_SUITES, type PlanOptions } from './cases';
export { measure, runCase, describeError, measureWallResolution, type PreparedRun, type CaseDriver, type Measurement } from './runner';
export { BenchSession } from './session';
export { caseWork } from './work';
export { makeInputs, caseShapes, inputBytes, assertCaseFits, type CaseInputs } from './inputs';
export { checkOutput, sampleRows, matmulRows, softmaxRows, attentionRows } from './check';
export { toCsv, markdownReport, keyFigures, ceilings, timeRatio, fmtMs, fmtBytes } from './report';
export { timePlot, memoryPlot, rooflinePlot, allPlots, xml } from './plots';
export { fmaProbe, copyProbe } from './probes';
export { PEERS, type Peer, type PeerFactory } from './peers/index';
