/**
 * Checkpoints (issue 15), in Node: JSON and binary round trips are bit-identical
 * (NaN payloads and −0 included), malformed files raise typed errors, and the
 * training config is validated field by field before anything is allocated.
 */
import { describe, expect, it } from 'vitest';
import {
  checkpointFromBytes,
  checkpointFromJson,
  checkpointToBytes,
  checkpointToJson,
  NonFiniteLossError,
  type Checkpoint,
} from '../../src/problem/train-checkpoint';
import { networkLayout, CLASSIFIER_NETWORK, DENOISER_NETWORK } from '../../src/problem/train-model';
import { resolveOptimizer } from '../../src/problem/optim';
import { resolveTrainConfig } from '../../src/problem/train-config';
import { makeSchedule } from '../../src/problem/ddpm-schedule';
import { InvalidArgumentError, KernelscopeError, ShapeError } from '../../src/problem/errors';

function sample(): Checkpoint {
  const layout = networkLayout('t', CLASSIFIER_NETWORK);
  const arr = (k: number) => Float32Array.from({ length: layout.count }, (_, i) => Math.fround(Math.sin(i * k) * 10 ** ((i % 9) - 4)));
  const params = arr(1);
  const bits = new Uint32Array(params.buffer);
  bits[3] = 0x7fc01234; // a NaN with a payload
  params[4] = -0;
  params[5] = Infinity;
  return {
    network: layout.spec,
    optimizer: resolveOptimizer('t', { kind: 'adam', lr: 0.003 }),
    step: 1234,
    seed: 99,
    b1t: Math.fround(0.9 ** 7),
    b2t: Math.fround(0.999 ** 7),
    params,
    m: arr(2),
    v: arr(3),
    vmax: arr(4),
  };
}

const sameBits = (a: Float32Array, b: Float32Array) =>
  Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

describe('checkpoint files', () => {
  it('JSON round trip is bit-identical', () => {
    const ck = sample();
    const back = checkpointFromJson(checkpointToJson(ck));
    for (const k of ['params', 'm', 'v', 'vmax'] as const) expect(sameBits(back[k], ck[k]), k).toBe(true);
    expect({ ...back, params: 0, m: 0, v: 0, vmax: 0 }).toEqual({ ...ck, params: 0, m: 0, v: 0, vmax: 0 });
    expect(checkpointToJson(back)).toBe(checkpointToJson(ck));
  });
  it('binary round trip is bit-identical, and JSON ↔ binary agree', () => {
    const ck = sample();
    const bytes = checkpointToBytes(ck);
    expect([...bytes.subarray(0, 4)]).toEqual([0x4b, 0x53, 0x43, 0x4b]);
    const back = checkpointFromBytes(bytes);
    for (const k of ['params', 'm', 'v', 'vmax'] as const) expect(sameBits(back[k], ck[k]), k).toBe(true);
    expect(Buffer.compare(Buffer.from(checkpointToBytes(back)), Buffer.from(bytes))).toBe(0);
    expect(checkpointToJson(checkpointFromBytes(checkpointToBytes(checkpointFromJson(checkpointToJson(ck)))))).toBe(checkpointToJson(ck));
  });
  it('malformed files raise typed errors', () => {
    const ck = sample();
    const json = JSON.parse(checkpointToJson(ck));
    expect(() => checkpointFromJson('{')).toThrow(InvalidArgumentError);
    expect(() => checkpointFromJson(JSON.stringify({ ...json, format: 'x' }))).toThrow(/format/);
    expect(() => checkpointFromJson(JSON.stringify({ ...json, network: DENOISER_NETWORK }))).toThrow(ShapeError);
    expect(() => checkpointFromJson(JSON.stringify({ ...json, step: -1 }))).toThrow(/step/);
    expect(() => checkpointFromJson(JSON.stringify({ ...json, params: '!!' }))).toThrow(/base64/);
    const bytes = checkpointToBytes(ck);
    expect(() => checkpointFromBytes(bytes.subarray(0, bytes.length - 4))).toThrow(InvalidArgumentError);
    expect(() => checkpointFromBytes(new Uint8Array([1, 2, 3]))).toThrow(/KSCK/);
  });
  it('NonFiniteLossError names the step and the checkpoint it kept', () => {
    const e = new NonFiniteLossError('Trainer.run', 17, NaN, sample());
    expect(e).toBeInstanceOf(KernelscopeError);
    expect(e.message).toMatch(/step 17 is NaN.*checkpoint of step 1234/);
    expect(new NonFiniteLossError('Trainer.run', 0, Infinity, null).message).toMatch(/before any finite loss/);
  });
});

describe('training config', () => {
  const data = new Float32Array(20);
  const ddpm = { network: DENOISER_NETWORK, task: { kind: 'ddpm' as const, data, schedule: makeSchedule('cosine', 100) } };
  it('fills defaults', () => {
    const c = resolveTrainConfig('t', ddpm);
    expect(c.batch).toBe(256);
    expect(c.optimizer.kind).toBe('adam');
    expect(c.lossEvery).toBe(25);
  });
  it('rejects bad fields with the field named', () => {
    expect(() => resolveTrainConfig('t', { ...ddpm, batch: 0 })).toThrow(/batch/);
    expect(() => resolveTrainConfig('t', { ...ddpm, clipNorm: -1 })).toThrow(/clipNorm/);
    expect(() => resolveTrainConfig('t', { ...ddpm, optimizer: { kind: 'adam', schedule: { kind: 'warmup', warmup: 3 } } })).toThrow(
      /optimizer.schedule/,
    );
    expect(() => resolveTrainConfig('t', { ...ddpm, task: { ...ddpm.task, data: new Float32Array(3) } })).toThrow(ShapeError);
    expect(() => resolveTrainConfig('t', { ...ddpm, network: { ...DENOISER_NETWORK, timeEmbedding: 0 } })).toThrow(/timeEmbedding/);
    const cls = { network: CLASSIFIER_NETWORK, task: { kind: 'classify' as const, x: new Float32Array(8), labels: [0, 1, 2, 0] } };
    expect(() => resolveTrainConfig('t', cls)).toThrow(/labels\[2\]/);
    expect(() => resolveTrainConfig('t', { ...cls, task: { ...cls.task, labels: [0, 1, 1] } })).toThrow(ShapeError);
    expect(resolveTrainConfig('t', { ...cls, task: { ...cls.task, labels: [0, 1, 1, 0] } }).batch).toBe(4);
  });
});
