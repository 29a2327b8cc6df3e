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
export { BenchSession, type SessionTuneOptions } from './session';
export { caseWork } from './work';
export { makeInputs, caseShapes, inputBytes, assertCaseFits, type CaseInputs } from './inputs';
export { checkOutput, sampleRows, matmulRows, softmaxRows, attentionRows } from './check';
export {
  toCsv,
  markdownReport,
  keyFigures,
  timeRatio,
  timeRatioColumn,
  bytesRatioColumn,
  fmtSpread,
  SPREAD_COLUMN,
  fmtMs,
  fmtBytes,
  sibling,
} from './report';
export { ceilings, roofShare, roofShares, fmtRoofShare, missingCeiling, ROOF_COLUMN, type Ceilings, type RoofShare } from './roof';
export { tuningSection, tuningStatus, tuningGain, TUNING_GAIN_COLUMN } from './report-tuning';
export { tuningNeeds, tuneSize, type TuningNeed } from './tuning-plan';
export { timePlot, memoryPlot, rooflinePlot, allPlots, xml } from './plots';
export { fmaProbe, copyProbe, FMA_PROBE_CONFIGS, COPY_PROBE_CONFIGS, type FmaProbeConfig, type CopyProbeConfig } from './probes';
export { searchProbe, PROBE_SEARCH_REPEATS, type ProbeSearch } from './probe-search';
export { PEERS, type Peer, type PeerFactory } from './peers/index';
