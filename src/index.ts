/**
 * kernelscope: WebGPU compute kernels you can see into.
 * The public API: the GPU runtime, the kernels and their CPU references.
 */
export * from './gpu/index';
export { scale } from './kernels/scale';
export * from './reference/compare';
export * from './reference/random';
