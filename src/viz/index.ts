export { KsPage } from './ks-page';
export * from './palette';
export * from './export';
export { acquireGpu, releaseGpu, gpuUnavailableReason } from './shared-gpu';
