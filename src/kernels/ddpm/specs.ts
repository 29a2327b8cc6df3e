/**
 * The DDPM kernels' binding tables and uniform blocks. Each shader is the Philox library
 * followed by the kernel's own file (WGSL has no includes); tests check the tables and
 * the layouts (`Params`, field for field) against the text.
 */
import philox from '../../../shaders/rng/philox.wgsl?raw';
import randnCode from '../../../shaders/ddpm/randn.wgsl?raw';
import forwardCode from '../../../shaders/ddpm/forward.wgsl?raw';
import stepCode from '../../../shaders/ddpm/step.wgsl?raw';
import optimalPointsCode from '../../../shaders/ddpm/optimal_points.wgsl?raw';
import type { KernelDescription } from '../../gpu/launch';
import { paramsBlock } from '../../gpu/uniforms';
import { PHILOX_CONSTANTS } from '../../problem/philox';

/** Workgroup size of the element-wise DDPM kernels. */
export const DDPM_WG = 256;

/** Override constants every Philox-using pipeline gets. */
export const PHILOX_OVERRIDES: Readonly<Record<string, number>> = PHILOX_CONSTANTS;

export const RANDN_KERNEL: KernelDescription = {
  name: 'ddpm.randn',
  code: `${philox}\n${randnCode}`,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'out', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['n', 'u32'],
    ['seed', 'u32'],
    ['stream', 'u32'],
    ['step', 'u32'],
  ]),
};

export const FORWARD_KERNEL: KernelDescription = {
  name: 'ddpm.forward',
  code: `${philox}\n${forwardCode}`,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'x0', kind: 'read-only-storage' },
    { name: 't', kind: 'read-only-storage' },
    { name: 'coef', kind: 'read-only-storage' },
    { name: 'eps', kind: 'read-only-storage' },
    { name: 'out', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['n', 'u32'],
    ['dim', 'u32'],
    ['noise_mode', 'u32'],
    ['seed', 'u32'],
    ['stream', 'u32'],
    ['step', 'u32'],
  ]),
};

export const STEP_KERNEL: KernelDescription = {
  name: 'ddpm.step',
  code: `${philox}\n${stepCode}`,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'x', kind: 'read-only-storage' },
    { name: 'pred', kind: 'read-only-storage' },
    { name: 'z', kind: 'read-only-storage' },
    { name: 'out', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['n', 'u32'],
    ['noise_mode', 'u32'],
    ['seed', 'u32'],
    ['stream', 'u32'],
    ['step', 'u32'],
    ['ca', 'f32'],
    ['cb', 'f32'],
    ['sigma', 'f32'],
  ]),
};

/** The fused exact denoiser for dim ≤ 4 (no Philox: it draws no noise). */
export const OPTIMAL_POINTS_KERNEL: KernelDescription = {
  name: 'ddpm.optimal-points',
  code: optimalPointsCode,
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'x', kind: 'read-only-storage' },
    { name: 'train', kind: 'read-only-storage' },
    { name: 'out', kind: 'storage' },
  ],
  uniforms: paramsBlock([
    ['n', 'u32'],
    ['m', 'u32'],
    ['dim', 'u32'],
    ['scale', 'f32'],
    ['bias_factor', 'f32'],
  ]),
};

/** Workgroup size (queries per workgroup, keys per tile) of the fused exact denoiser. */
export const OPTIMAL_POINTS_WG = 64;
/** The largest dim the fused exact denoiser takes (one vec4 per point). */
export const OPTIMAL_POINTS_MAX_DIM = 4;

/** Kernels that prepend the Philox library. */
export const PHILOX_KERNELS: readonly KernelDescription[] = [RANDN_KERNEL, FORWARD_KERNEL, STEP_KERNEL];
export const DDPM_KERNELS: readonly KernelDescription[] = [...PHILOX_KERNELS, OPTIMAL_POINTS_KERNEL];
