/**
 * Philox4x32-10's constants and kernelscope's noise streams: the rules that the WGSL
 * generator (`shaders/rng/philox.wgsl`, given them as override constants) and the CPU
 * reference (`src/reference/philox.ts`) share.
 */

/** Philox round multipliers and Weyl key increments (Random123's constants). */
export const PHILOX_M0 = 0xd2511f53;
export const PHILOX_M1 = 0xcd9e8d57;
export const PHILOX_W0 = 0x9e3779b9;
export const PHILOX_W1 = 0xbb67ae85;
/** The constants as WGSL `override` values, so the shader never repeats them. */
export const PHILOX_CONSTANTS = Object.freeze({ PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1 });

/** Noise streams: the key's second word. */
export const RNG_STREAM = Object.freeze({ init: 0, reverse: 1, forward: 2, test: 7 });
