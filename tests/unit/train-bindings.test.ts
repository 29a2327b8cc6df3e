/**
 * The training kernels' tables against their WGSL (issue 15): binding tables,
 * the activation and optimizer ids, the override constants each family is given,
 * and the optimizer rules shared with the race (written once, in rules.wgsl).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWgslBindings } from '../../src/gpu/bindings';
import {
  TRAIN_ACTIVATION_KERNELS,
  TRAIN_KERNELS,
  TRAIN_PHILOX_KERNELS,
  UPDATE_KERNEL,
  OPTIMIZER_ID_CONSTS,
} from '../../src/kernels/train/specs';
import { ACTIVATION_IDS, GELU_CONSTANTS } from '../../src/problem/train-layers';
import { OPTIMIZER_IDS } from '../../src/problem/optim';
import { PHILOX_CONSTANTS } from '../../src/problem/philox';

const root = join(import.meta.dirname, '../..');
const wgsl = (path: string) => readFileSync(join(root, path), 'utf8');
const consts = (code: string, prefix: string) =>
  Object.fromEntries(
    [...code.matchAll(new RegExp(`const ${prefix}_([A-Z0-9_]+)\\s*:\\s*u32\\s*=\\s*(\\d+)u;`, 'g'))].map((m) => [
      m[1]!.toLowerCase(),
      Number(m[2]),
    ]),
  );

describe('training kernels', () => {
  it.each(TRAIN_KERNELS.map((k) => [k.name, k] as const))('%s: binding table matches its WGSL', (_name, spec) => {
    const parsed = parseWgslBindings(spec.code);
    expect(parsed.map((b) => [b.group, b.binding, b.name, b.kind])).toEqual(spec.bindings.map((b, i) => [0, i, b.name, b.kind]));
  });

  it('every WGSL file opens with a comment on its algorithm', () => {
    for (const f of [
      'activations',
      'bias_act',
      'activation',
      'act_backward',
      'col_sum',
      'layernorm',
      'layernorm_backward',
      'layernorm_params',
      'losses',
      'trig',
      'time_embed',
      'time_embed_backward',
      'sumsq',
      'update',
      'init',
      'ddpm_batch',
      'scatter_cols',
      'clip_x0',
    ])
      expect(wgsl(`shaders/train/${f}.wgsl`).startsWith(`// ${f}:`), f).toBe(true);
    expect(wgsl('shaders/optim/rules.wgsl').startsWith('// rules:')).toBe(true);
  });

  it('activation ids match ACTIVATION_IDS, and activation kernels declare the GELU overrides', () => {
    expect(consts(wgsl('shaders/train/activations.wgsl'), 'ACT')).toEqual(ACTIVATION_IDS);
    for (const spec of TRAIN_ACTIVATION_KERNELS)
      for (const k of Object.keys(GELU_CONSTANTS)) expect(spec.code).toMatch(new RegExp(`override ${k}: f32;`));
  });

  it('Philox kernels declare the Philox overrides', () => {
    for (const spec of TRAIN_PHILOX_KERNELS)
      for (const k of Object.keys(PHILOX_CONSTANTS)) expect(spec.code).toMatch(new RegExp(`override ${k}: u32;`));
  });

  it('the update kernel gets the optimizer ids from OPTIMIZER_IDS and the rules from rules.wgsl (shared with the race)', () => {
    expect(consts(OPTIMIZER_ID_CONSTS, 'OPT')).toEqual(OPTIMIZER_IDS);
    const rules = wgsl('shaders/optim/rules.wgsl');
    expect(UPDATE_KERNEL.code).toContain(rules);
    expect(wgsl('shaders/optim/race.wgsl')).toContain('optimizer_rule(');
    expect(wgsl('shaders/optim/race.wgsl')).not.toContain('struct OptConfig');
    // Each rule is written once: no other shader spells an update.
    expect(wgsl('shaders/train/update.wgsl')).not.toMatch(/beta1 \*/);
  });
});
