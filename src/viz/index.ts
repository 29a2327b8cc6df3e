export { KsPage } from './ks-page';
export * from './palette';
export * from './export';
export { acquireGpu, releaseGpu, gpuUnavailableReason } from './shared-gpu';
export { AttentionMap, attentionColor } from './attention-map';
export { FlashTiles } from './flash-tiles';
export { generatePattern, ATTENTION_PATTERNS, PATTERN_NOTES, type AttentionPattern } from './attention-patterns';
export type { AttentionMapInput, AttentionMapModel } from './attention-map-data';
export type { FlashTraceSource, FlashTilesModel } from './flash-tiles-data';
