/**
 * The WebGPU flag namespaces, defined on `globalThis` when this module is imported and
 * they are missing (Node has none until Dawn loads). Library modules read
 * `GPUBufferUsage` at import time, before `requestNodeGpu()` can load Dawn; with these
 * in place, importing `kernelscope/node` never fails, and a missing `webgpu` package
 * is reported by `requestNodeGpu()` as a typed error. The values are the WebGPU
 * specification's (they are the same numbers in every implementation).
 */

const FLAGS = {
  GPUBufferUsage: {
    MAP_READ: 0x0001,
    MAP_WRITE: 0x0002,
    COPY_SRC: 0x0004,
    COPY_DST: 0x0008,
    INDEX: 0x0010,
    VERTEX: 0x0020,
    UNIFORM: 0x0040,
    STORAGE: 0x0080,
    INDIRECT: 0x0100,
    QUERY_RESOLVE: 0x0200,
  },
  GPUMapMode: { READ: 0x0001, WRITE: 0x0002 },
  GPUShaderStage: { VERTEX: 0x1, FRAGMENT: 0x2, COMPUTE: 0x4 },
  GPUTextureUsage: { COPY_SRC: 0x01, COPY_DST: 0x02, TEXTURE_BINDING: 0x04, STORAGE_BINDING: 0x08, RENDER_ATTACHMENT: 0x10 },
  GPUColorWrite: { RED: 0x1, GREEN: 0x2, BLUE: 0x4, ALPHA: 0x8, ALL: 0xf },
} as const;

/** Defines each flag namespace that `globalThis` lacks. Idempotent. */
export function installWebGpuFlags(): void {
  for (const [name, value] of Object.entries(FLAGS)) {
    if (name in globalThis) continue;
    Object.defineProperty(globalThis, name, { value: Object.freeze({ ...value }), writable: true, configurable: true });
  }
}

installWebGpuFlags();
