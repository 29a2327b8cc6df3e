/**
 * LaunchScope beyond one dispatch, on a recording fake of the Gpu (Node has no WebGPU):
 * `runAll` encodes several dispatches in one pass of one submit (repeats, skipped empty
 * ones, a copy after), uniforms packed by name, buffer ranges bound as ranges, and every
 * buffer the scope made (uniforms, uploads, scratch, owned tensors) freed at the end,
 * outputs too when the call fails.
 */
import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  const g = globalThis as Record<string, unknown>;
  g.GPUBufferUsage ??= { STORAGE: 128, COPY_SRC: 4, COPY_DST: 8, MAP_READ: 1, UNIFORM: 64 };
  g.GPUShaderStage ??= { COMPUTE: 4 };
  g.GPUBuffer ??= class GPUBuffer {};
});

const { launch, packFor } = await import('../../src/gpu/launch');
type KernelDescription = import('../../src/gpu/launch').KernelDescription;
type Gpu = import('../../src/gpu/device').Gpu;

/** A fake buffer: a real `GPUBuffer` instance (the stub class) with a label and size. */
function fakeBuffer(label: string, size: number): GPUBuffer {
  return Object.assign(new GPUBuffer(), { label, size }) as GPUBuffer;
}

/** A Gpu that records what a scope asks of it. */
function recordingGpu() {
  const live = new Set<GPUBuffer>();
  const log: unknown[][] = [];
  const uniforms: DataView[] = [];
  const pass = {
    setPipeline: (p: { kernel: string }) => log.push(['pipeline', p.kernel]),
    setBindGroup: (_: number, g: { entries: GPUBindGroupEntry[] }) =>
      log.push([
        'bind',
        g.entries.map((e) => e.resource as GPUBufferBinding).map((r) => [(r.buffer as { label: string }).label, r.offset, r.size]),
      ]),
    end: () => log.push(['end']),
  };
  const createBuffer = (label: string, bytes: number) => {
    const b = fakeBuffer(label, Math.max(4, Math.ceil(bytes / 4) * 4));
    live.add(b);
    return b;
  };
  const gpu = {
    generation: 0,
    limits: { maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30 },
    assertAlive: () => {},
    createBuffer,
    uniformBuffer: (label: string, data: ArrayBuffer) => {
      uniforms.push(new DataView(data));
      return createBuffer(label, data.byteLength);
    },
    release: (b: GPUBuffer) => live.delete(b),
    pipeline: (k: KernelDescription, constants: Record<string, number>) => Promise.resolve({ kernel: k.name, constants }),
    beginComputePass: (_: unknown, label: string) => (log.push(['pass', label]), pass),
    dispatch: (_: unknown, n: number) => log.push(['dispatch', n]),
    submit: async (op: string, encode: (e: unknown) => void) => {
      log.push(['submit', op]);
      encode({
        copyBufferToBuffer: (from: { label: string }, _o: number, to: { label: string }) => log.push(['copy', from.label, to.label]),
      });
    },
    device: {
      queue: { writeBuffer: (b: { label: string }) => log.push(['write', b.label]) },
      createBindGroupLayout: () => ({}),
      createBindGroup: (d: { entries: GPUBindGroupEntry[] }) => d,
    },
  };
  return { gpu: gpu as unknown as Gpu, live, log, uniforms };
}

const ADD: KernelDescription = {
  name: 'add',
  code: '',
  bindings: [
    { name: 'params', kind: 'uniform' },
    { name: 'x', kind: 'read-only-storage' },
    { name: 'y', kind: 'storage' },
  ],
  uniforms: {
    binding: 'params',
    layout: [
      ['n', 'u32'],
      ['alpha', 'f32'],
    ],
  },
};
const COPY: KernelDescription = { name: 'copy', code: '', bindings: [{ name: 'y', kind: 'storage' }] };

describe('LaunchScope.runAll', () => {
  it('encodes every dispatch in one pass of one submit, then the copy; frees all but the output', async () => {
    const { gpu, live, log, uniforms } = recordingGpu();
    const out = await launch(gpu, 'op', async (scope) => {
      const [x] = scope.inputs([['x', { data: [1, 2, 3, 4], shape: [4] }]]);
      const y = scope.output([4], 'y');
      const table = scope.upload('table', new Float32Array([5, 6]));
      const tmp = scope.tensor([2], 'tmp');
      const range = { buffer: scope.scratch('big', 512), offset: 256, size: 16 };
      await scope.runAll(
        [
          { kernel: ADD, bindings: { params: { n: 4, alpha: 0.5 }, x: x!, y }, workgroups: 2, repeat: 3 },
          { kernel: COPY, bindings: { y: range }, workgroups: 0 },
          { kernel: COPY, bindings: { y: table }, workgroups: 1 },
          { kernel: COPY, bindings: { y: tmp }, workgroups: 1 },
        ],
        { label: 'op:batch', then: (e) => e.copyBufferToBuffer(table, 0, y.buffer, 0, 8) },
      );
      return y;
    });
    expect(log.filter(([k]) => k === 'submit' || k === 'pass' || k === 'end' || k === 'dispatch' || k === 'copy')).toEqual([
      ['submit', 'op:batch'],
      ['pass', 'op:batch'],
      ['dispatch', 2],
      ['dispatch', 2],
      ['dispatch', 2],
      ['dispatch', 1],
      ['dispatch', 1],
      ['end'],
      ['copy', 'op:table', 'op:y'],
    ]);
    expect(log.filter(([k]) => k === 'bind')[0]).toEqual([
      'bind',
      [
        ['op:params', undefined, undefined],
        ['op:x', undefined, undefined],
        ['op:y', undefined, undefined],
      ],
    ]);
    expect([uniforms[0]!.getUint32(0, true), uniforms[0]!.getFloat32(4, true)]).toEqual([4, 0.5]);
    expect([...live].map((b) => b.label)).toEqual(['op:y']);
    expect(out.buffer.label).toBe('op:y');
  });

  it('binds a buffer range with its offset and size', async () => {
    const { gpu, log } = recordingGpu();
    await launch(gpu, 'op', async (scope) => {
      const big = scope.scratch('big', 512);
      await scope.runAll([{ kernel: COPY, bindings: { y: { buffer: big, offset: 256, size: 16 } }, workgroups: 1 }]);
    });
    expect(log.find(([k]) => k === 'bind')).toEqual(['bind', [['op:big', 256, 16]]]);
  });

  it('on failure frees outputs, uploads, scratch, owned tensors and uniforms alike', async () => {
    const { gpu, live } = recordingGpu();
    const failing = launch(gpu, 'op', async (scope) => {
      scope.inputs([['x', { data: [1], shape: [1] }]]);
      scope.output([2], 'y');
      scope.upload('u', new Uint32Array([1]));
      scope.own(scope.tensor([1], 't'));
      await scope.runAll([
        { kernel: ADD, bindings: { params: { n: 1, alpha: 1 }, x: scope.scratch('s', 4), y: scope.scratch('z', 4) }, workgroups: 1 },
      ]);
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(live.size).toBe(0);
  });

  it('names a missing binding, and uniform values given to a non-uniform binding', async () => {
    const { gpu, live } = recordingGpu();
    await expect(launch(gpu, 'op', (s) => s.runAll([{ kernel: COPY, bindings: {}, workgroups: 1 }]))).rejects.toThrow(
      "copy: no value for binding 'y'",
    );
    await expect(launch(gpu, 'op', (s) => s.runAll([{ kernel: COPY, bindings: { y: { n: 1 } }, workgroups: 1 }]))).rejects.toThrow(
      "copy: binding 'y' is not the uniform block",
    );
    expect(live.size).toBe(0);
  });
});

describe('packFor', () => {
  it("packs by the kernel's layout, and refuses a kernel without one", () => {
    expect(new DataView(packFor(ADD, { n: 9, alpha: 2 })).getUint32(0, true)).toBe(9);
    expect(() => packFor(COPY, {})).toThrow('copy: declares no uniform block');
  });
});
