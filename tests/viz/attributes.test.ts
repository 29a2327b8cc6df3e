/**
 * The attribute module on its own (no page): each kind's reading of attribute text and
 * of property values, refusals with typed errors naming the element, attribute and
 * value, and enum look-ups that see only a table's own keys.
 */
import { describe, expect, it } from 'vitest';
import { AttributeError, choices, kebab, parseDecimal, readAttribute, shorten, type AttributeSpec } from '../../src/viz/attributes';
import { InvalidArgumentError } from '../../src/problem/errors';
import { ATTENTION_MAP_ATTRIBUTES } from '../../src/viz/attention-map/attributes';
import { FLASH_TILES_ATTRIBUTES } from '../../src/viz/flash-tiles/attributes';
import { DIFFUSION_STEPS_ATTRIBUTES } from '../../src/viz/diffusion-steps/attributes';
import { LOSS_LANDSCAPE_ATTRIBUTES } from '../../src/viz/loss-landscape/attributes';

const read = (spec: AttributeSpec, value: unknown, property = 'x') => readAttribute('test-element', property, spec, value);

/** The error `readAttribute` throws, or null. */
function refusal(spec: AttributeSpec, value: unknown, property = 'x'): AttributeError | null {
  try {
    read(spec, value, property);
    return null;
  } catch (e) {
    return e as AttributeError;
  }
}

describe('readAttribute', () => {
  const size: AttributeSpec = { kind: 'integer', min: 64, max: 2048, default: 400 };

  it('integers: plain decimals in range, from text or numbers; the default when absent', () => {
    expect(read(size, '512')).toBe(512);
    expect(read(size, ' 1e3 ')).toBe(1000);
    expect(read(size, 300)).toBe(300);
    expect(read(size, null)).toBe(400);
    expect(read(size, undefined)).toBe(400);
    for (const bad of [
      '1e9',
      '1e308',
      'abc',
      'NaN',
      'Infinity',
      '-Infinity',
      '0x100',
      '',
      '  ',
      '100.5',
      '-1',
      '9'.repeat(400),
      1e9,
      NaN,
      Infinity,
      100.5,
      true,
      {},
      [],
    ]) {
      expect(refusal(size, bad), String(bad)).toBeInstanceOf(AttributeError);
    }
  });

  it('refusals are typed and name the element, the attribute, what was expected and the value', () => {
    const e = refusal(size, '1e9', 'size')!;
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.name).toBe('AttributeError');
    expect(e.element).toBe('test-element');
    expect(e.attribute).toBe('size');
    expect(e.value).toBe('1e9');
    expect(e.message).toBe('test-element: size must be an integer in [64, 2048], got "1e9"');
    expect(refusal(size, 5000, 'size')!.message).toBe('test-element: size must be an integer in [64, 2048], got 5000');
    // Long text is shortened in the message and the error's value.
    const long = refusal(size, 'x'.repeat(5000), 'size')!;
    expect(long.message.length).toBeLessThan(200);
    expect(String(long.value).length).toBeLessThan(100);
    // camelCase properties are named as their attributes.
    expect(refusal(size, 'abc', 'keyLength')!.attribute).toBe('key-length');
    expect(kebab('canvasThreshold')).toBe('canvas-threshold');
  });

  it('integer keywords are own keys only', () => {
    const head: AttributeSpec = { kind: 'integer', min: 0, max: 63, keywords: { all: -1 }, default: 0 };
    expect(read(head, 'all')).toBe(-1);
    expect(read(head, ' ALL ')).toBe(-1);
    expect(read(head, -1)).toBe(-1);
    expect(read(head, '3')).toBe(3);
    for (const bad of ['constructor', 'toString', '__proto__', 'hasOwnProperty', '-2', '64'])
      expect(refusal(head, bad), bad).not.toBeNull();
  });

  it('numbers: finite and in range', () => {
    const t: AttributeSpec = { kind: 'number', min: 0.01, max: 100, default: 1 };
    expect(read(t, '0.5')).toBe(0.5);
    expect(read(t, '1.5e1')).toBe(15);
    expect(read(t, 2)).toBe(2);
    for (const bad of ['0', '-1', '1e308', '1e-320', 'NaN', 'Infinity', '', 'abc', '1,5', 0, -0.5, NaN])
      expect(refusal(t, bad), String(bad)).not.toBeNull();
    expect(read({ kind: 'number', min: -1, max: 1, default: null }, '-0')).toBe(0);
  });

  it('enums: trimmed, case-folded, and looked up among the table’s own keys only', () => {
    const mode: AttributeSpec = { kind: 'enum', values: choices(['weights', 'logits']), default: 'weights' };
    expect(read(mode, 'logits')).toBe('logits');
    expect(read(mode, ' LOGITS ')).toBe('logits');
    expect(read(mode, null)).toBe('weights');
    for (const bad of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '', 'abc', 1, true]) {
      expect(refusal(mode, bad), String(bad)).not.toBeNull();
    }
    expect(refusal(mode, 'x')!.message).toBe('test-element: x must be one of weights, logits, got "x"');
    expect(Object.getPrototypeOf(choices(['a']))).toBeNull();
    expect(Object.isFrozen(choices(['a']))).toBe(true);
  });

  it('booleans follow HTML: present is true', () => {
    const b: AttributeSpec = { kind: 'boolean', default: false };
    expect(read(b, '')).toBe(true);
    expect(read(b, 'false')).toBe(true);
    expect(read(b, false)).toBe(false);
    expect(read(b, null)).toBe(false);
    expect(refusal(b, 1)).not.toBeNull();
  });

  it('json: parsed text within its length, objects as given, bad JSON named', () => {
    const data: AttributeSpec = { kind: 'json', maxLength: 100, default: null };
    expect(read(data, '{"a": [1, 2]}')).toEqual({ a: [1, 2] });
    const obj = { a: 1 };
    expect(read(data, obj)).toBe(obj);
    expect(read(data, '')).toBeNull();
    expect(refusal(data, '{"a": [1, 2')!.message).toMatch(/^test-element: the x attribute is not valid JSON \(/);
    expect(refusal(data, `[${'1,'.repeat(100)}1]`)!.message).toMatch(/JSON of at most 100 characters/);
    expect(refusal(data, 5)).not.toBeNull();
  });

  it('lists: comma- or space-separated numbers, each in range, within the item counts', () => {
    const rows: AttributeSpec = { kind: 'list', item: 'integer', min: 0, max: 255, minItems: 1, maxItems: 7, default: null };
    expect(read(rows, '0, 15 31')).toEqual([0, 15, 31]);
    expect(read(rows, [1, 2])).toEqual([1, 2]);
    expect(read(rows, ' ')).toBeNull();
    for (const bad of [
      '0,1,2,3,4,5,6,7',
      '1,abc',
      '1.5',
      '-1',
      '256',
      'NaN',
      Array.from({ length: 5000 }, (_, i) => i).join(','),
      [1, '2x'],
    ]) {
      expect(refusal(rows, bad), String(bad).slice(0, 20)).not.toBeNull();
    }
  });

  it('strings: up to their length; empty is the default', () => {
    const s: AttributeSpec = { kind: 'string', maxLength: 10, default: null };
    expect(read(s, 'sgd,adam')).toBe('sgd,adam');
    expect(read(s, '  ')).toBeNull();
    expect(refusal(s, 'x'.repeat(11))).not.toBeNull();
    expect(refusal(s, 3)).not.toBeNull();
  });

  it('parseDecimal and shorten', () => {
    expect(parseDecimal('12')).toBe(12);
    expect(parseDecimal('.5')).toBe(0.5);
    expect(parseDecimal('1e400')).toBeNull();
    expect(parseDecimal('Infinity')).toBeNull();
    expect(parseDecimal('0b11')).toBeNull();
    expect(shorten('abc')).toBe('abc');
    expect(String(shorten('x'.repeat(100))).length).toBe(81);
    expect(shorten([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toHaveLength(9);
  });
});

describe('the elements’ spec tables', () => {
  const tables = { ATTENTION_MAP_ATTRIBUTES, FLASH_TILES_ATTRIBUTES, DIFFUSION_STEPS_ATTRIBUTES, LOSS_LANDSCAPE_ATTRIBUTES };

  it.each(Object.entries(tables))('%s: every default is a value its spec accepts, and ranges are sane', (_, specs) => {
    for (const [property, spec] of Object.entries(specs as Record<string, AttributeSpec>)) {
      expect(read(spec, spec.default, property), property).toEqual(spec.default);
      if (spec.kind === 'integer' || spec.kind === 'number') {
        expect(spec.min, property).toBeLessThanOrEqual(spec.max);
        expect(Number.isFinite(spec.max), property).toBe(true);
      }
      if (spec.kind === 'enum') expect(Object.getPrototypeOf(spec.values), property).toBeNull();
    }
  });

  it('sizes that reach geometry or the GPU are capped', () => {
    expect(ATTENTION_MAP_ATTRIBUTES.size.max).toBeLessThanOrEqual(2048);
    expect(ATTENTION_MAP_ATTRIBUTES.n.max).toBeLessThanOrEqual(1024);
    expect(LOSS_LANDSCAPE_ATTRIBUTES.resolution.max).toBeLessThanOrEqual(512);
    expect(DIFFUSION_STEPS_ATTRIBUTES.steps.max).toBeLessThanOrEqual(1000);
    expect(FLASH_TILES_ATTRIBUTES.n.max).toBeLessThanOrEqual(2048);
  });
});
