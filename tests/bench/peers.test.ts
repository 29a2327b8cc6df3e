/**
 * The benchmark peers (TF.js, ONNX Runtime Web, jax-js) in the page, on the
 * harness's adapter: one small case per peer per suite through the in-page runner,
 * its output checked against the float64 reference with the runner's own tolerance;
 * a case a peer does not support becomes a failed record with its reason. Also, in
 * Node: the ONNX model writer's bytes (decoded back) and the attention layout
 * change. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/browser';
import type { BenchCase, BenchRecord } from '../../src/bench/types';
import { DEFAULT_RUN_OPTIONS } from '../../src/bench/types';
import { encodeModel, OnnxModelError, type OnnxModel } from '../../src/bench/peers/onnx-model';
import { causalBias, fromBsd, toBsd } from '../../src/bench/peers/layout';

const harness = useHarness();
const PEER_IDS = ['tfjs', 'ort', 'jaxjs'] as const;

type Bench = typeof import('../../src/bench/index');

/** The three small cases of one peer: matmul 64×48×80, softmax 37×129, causal attention B1 H2 N33 d16. */
async function runPeerCases(peer: string): Promise<{ records: BenchRecord[]; label: string | undefined }> {
  const page = harness().page;
  await page.evaluate(async () => {
    (window as unknown as { ksBenchModule: unknown }).ksBenchModule = await window.ksImport('/src/bench/index.ts');
  });
  return page.evaluate(async (peer) => {
    const b = (window as unknown as { ksBenchModule: Bench }).ksBenchModule;
    const s = new b.BenchSession(window.gpu, { policy: { warmup: 1, warmupMs: 0, minRepeats: 2, minTimeMs: 0, maxRepeats: 2 } });
    const only = { variants: [peer], peers: [peer] };
    const plan = [
      ...b.planCases({ ...only, suites: ['matmul'], sizes: ['64x48x80'] }),
      ...b.planCases({ ...only, suites: ['softmax'], sizes: ['37x129'] }),
      ...b.planCases({ ...only, suites: ['attention'], sizes: ['33'], heads: [2], dims: [16], causal: [true] }),
    ];
    const records = [];
    for (const c of plan) records.push(await s.runCase(c));
    return { records, label: s.environment().peers[peer] };
  }, peer);
}

/** A case `peer` has no implementation for: the roofline copy probe. */
async function runUnsupported(peer: string): Promise<BenchRecord> {
  return harness().page.evaluate(async (peer) => {
    const b = (window as unknown as { ksBenchModule: Bench }).ksBenchModule;
    const s = new b.BenchSession(window.gpu, { policy: { warmup: 1, warmupMs: 0, minRepeats: 1, minTimeMs: 0, maxRepeats: 1 } });
    const copy = b.planCases({ suites: ['roofline'], quick: true, peers: [] }).find((c) => c.impl === 'copy')!;
    const c: BenchCase = {
      ...copy,
      id: `roofline/${peer}/copy 4096`,
      impl: peer,
      provider: peer,
      params: { probe: 'copy', elements: 4096 },
    };
    return s.runCase(c);
  }, peer);
}

describe.each(PEER_IDS)('peer %s on the harness adapter', (peer) => {
  it('runs matmul, softmax and causal attention within the runner tolerance of the float64 reference', async () => {
    const { records, label } = await runPeerCases(peer);
    expect(records.map((r) => [r.suite, r.shape, r.provider])).toEqual([
      ['matmul', 'M64 K48 N80', peer],
      ['softmax', '37×129', peer],
      ['attention', 'B1 H2 N33 d16 causal', peer],
    ]);
    expect(label).toMatch({ tfjs: /^TensorFlow\.js /, ort: /^ONNX Runtime Web /, jaxjs: /^jax-js / }[peer as 'tfjs'] ?? /^$/);
    const total = [64 * 80, 37 * 129, 2 * 33 * 16];
    records.forEach((r, i) => {
      expect(r.status, `${r.id}: ${r.reason}`).toBe('ok');
      expect(r.error).toMatchObject({ checked: 'all', count: total[i], total: total[i], nonFinite: 0 });
      expect(r.error!.maxAbsErr, r.id).toBeLessThanOrEqual(DEFAULT_RUN_OPTIONS.wrongAbove * r.error!.maxAbsRef);
      expect(r.wall!.n).toBe(2);
      expect(r.peakBytes).toBeGreaterThan(0);
      expect(['tf.profile', 'device buffers']).toContain(r.peakSource);
      // Counted on the peer's device, the peak holds at least the case's inputs and output.
      if (r.peakSource === 'device buffers') expect(r.peakBytes, r.id).toBeGreaterThanOrEqual(r.bytes);
    });
  });

  it('records a case it does not support as failed, with the reason', async () => {
    const r = await runUnsupported(peer);
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/no roofline implementation/);
  });
});

/** A generic protobuf reader for the test: field number → list of raw values. */
function decode(bytes: Uint8Array): Map<number, (bigint | Uint8Array | number)[]> {
  const fields = new Map<number, (bigint | Uint8Array | number)[]>();
  let i = 0;
  const varint = () => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) return v;
    }
  };
  while (i < bytes.length) {
    const tag = Number(varint());
    const [field, wire] = [tag >> 3, tag & 7];
    let value: bigint | Uint8Array | number;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const n = Number(varint());
      value = bytes.subarray(i, i + n);
      i += n;
    } else if (wire === 5) {
      value = new DataView(bytes.buffer, bytes.byteOffset + i, 4).getFloat32(0, true);
      i += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}
const text = (v: unknown) => new TextDecoder().decode(v as Uint8Array);
const sub = (v: unknown) => decode(v as Uint8Array);

describe('ONNX model writer', () => {
  const model: OnnxModel = {
    opsets: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
    graph: {
      name: 'g',
      nodes: [
        {
          opType: 'Softmax',
          inputs: ['x'],
          outputs: ['y'],
          attributes: [
            { name: 'axis', int: -1 },
            { name: 'scale', float: 0.25 },
          ],
        },
      ],
      inputs: [{ name: 'x', shape: [37, 129] }],
      outputs: [{ name: 'y', shape: [37, 129] }],
      initializers: [{ name: 'w', shape: [2], data: new Float32Array([1.5, -2]) }],
    },
  };

  it('writes ModelProto fields that decode back to the model', () => {
    const m = decode(encodeModel(model));
    expect(m.get(1)).toEqual([8n]); // ir_version
    const opsets = m
      .get(8)!
      .map(sub)
      .map((o) => [text(o.get(1)?.[0] ?? new Uint8Array()), o.get(2)![0]]);
    expect(opsets).toEqual([
      ['', 17n],
      ['com.microsoft', 1n],
    ]);
    const g = sub(m.get(7)![0]);
    expect(text(g.get(2)![0])).toBe('g');
    const node = sub(g.get(1)![0]);
    expect([text(node.get(1)![0]), text(node.get(2)![0]), text(node.get(4)![0])]).toEqual(['x', 'y', 'Softmax']);
    const [axis, scale] = node.get(5)!.map(sub);
    // int64 −1 is ten bytes of two's complement; type INT = 2, FLOAT = 1.
    expect([text(axis!.get(1)![0]), BigInt.asIntN(64, axis!.get(3)![0] as bigint), axis!.get(20)![0]]).toEqual(['axis', -1n, 2n]);
    expect([text(scale!.get(1)![0]), scale!.get(2)![0], scale!.get(20)![0]]).toEqual(['scale', 0.25, 1n]);
    const input = sub(g.get(11)![0]);
    const tensorType = sub(sub(input.get(2)![0]).get(1)![0]);
    expect(tensorType.get(1)).toEqual([1n]); // FLOAT
    const dims = sub(tensorType.get(2)![0])
      .get(1)!
      .map((d) => sub(d).get(1)![0]);
    expect(dims).toEqual([37n, 129n]);
    const w = sub(g.get(5)![0]);
    expect([w.get(1), w.get(2), text(w.get(8)![0])]).toEqual([[2n], [1n], 'w']);
    const raw = w.get(9)![0] as Uint8Array;
    expect(Array.from(new Float32Array(raw.slice().buffer))).toEqual([1.5, -2]);
  });

  it('rejects a node that reads an undefined name, an unknown domain or a bad shape', () => {
    const bad =
      (patch: Partial<OnnxModel['graph']>, opsets = model.opsets) =>
      () =>
        encodeModel({ opsets, graph: { ...model.graph, ...patch } });
    expect(bad({ nodes: [{ opType: 'Relu', inputs: ['nope'], outputs: ['y'] }] })).toThrow(OnnxModelError);
    expect(bad({ nodes: [{ opType: 'X', domain: 'other', inputs: ['x'], outputs: ['y'] }] })).toThrow(/domain 'other'/);
    expect(bad({ inputs: [{ name: 'x', shape: [2.5] }] })).toThrow(/bad dimension/);
    expect(bad({}, [{ domain: '', version: 17 }])).not.toThrow();
  });
});

describe('attention layout for ORT', () => {
  it('[B,H,N,d] → [B,N,H·d] and back is the identity, and moves head h of token n next to head h+1', () => {
    const [B, H, N, d] = [2, 3, 5, 4];
    const x = Float32Array.from({ length: B * H * N * d }, (_, i) => i);
    const y = toBsd(x, B, H, N, d);
    // token n = 1 of batch 0: head 0's d values, then head 1's.
    expect(Array.from(y.subarray(1 * H * d, 1 * H * d + 2 * d))).toEqual([...x.subarray(4, 8), ...x.subarray(N * d + 4, N * d + 8)]);
    expect(fromBsd(y, B, H, N, d)).toEqual(x);
  });

  it('the causal bias is 0 on and below the diagonal and −1e9 above', () => {
    expect(Array.from(causalBias(3))).toEqual([0, -1e9, -1e9, 0, 0, -1e9, 0, 0, 0].map(Math.fround));
  });
});
