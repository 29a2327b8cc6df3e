/**
 * Element attributes, declared once and read in one place.
 *
 * Each element lists its attributes in a spec table: the kind (integer, number,
 * boolean, enum, json, list, string), the range or the allowed values, and the default.
 * `readAttribute` turns what a page gave (an attribute's text, or a value set as a
 * property) into a checked value, or throws an `AttributeError` that names the
 * element, the attribute and the value at fault. Nothing here touches the DOM.
 *
 * The rules, the same for every element:
 * - Numbers are plain decimals (`12`, `-0.5`, `1e3`); `NaN`, `Infinity`, hex, empty text
 *   and values outside [min, max] are refused, never clamped.
 * - Enum values are looked up among a table's own keys only (`Object.hasOwn`), after
 *   trimming and lower-casing, so `constructor`, `toString` and `__proto__` are refused.
 * - Booleans follow HTML: present means true.
 * - An absent attribute (or `null` / `undefined` set as a property) means the default.
 *   For json, list and string kinds, empty text also means the default.
 */
import { InvalidArgumentError } from '../problem/errors';

/** The kinds of attribute values. */
export type AttributeKind = 'integer' | 'number' | 'boolean' | 'enum' | 'json' | 'list' | 'string';

interface SpecBase {
  /** The attribute's name in markup; by default the property's name in kebab case. */
  readonly attribute?: string;
}

/** A whole number in [min, max]; `keywords` name extra values (e.g. `{ all: -1 }`). */
export interface IntegerSpec extends SpecBase {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
  readonly default: number | null;
  readonly keywords?: Readonly<Record<string, number>>;
}

/** A finite number in [min, max]. */
export interface NumberSpec extends SpecBase {
  readonly kind: 'number';
  readonly min: number;
  readonly max: number;
  readonly default: number | null;
}

/** Present or absent. */
export interface BooleanSpec extends SpecBase {
  readonly kind: 'boolean';
  readonly default: boolean;
}

/** One of a table's own keys (see `choices`). */
export interface EnumSpec extends SpecBase {
  readonly kind: 'enum';
  readonly values: Readonly<Record<string, string>>;
  readonly default: string | null;
}

/** JSON text of at most `maxLength` characters, or an object set as a property. */
export interface JsonSpec extends SpecBase {
  readonly kind: 'json';
  readonly maxLength: number;
  readonly default: null;
}

/** A comma- or space-separated list of numbers (or an array set as a property). */
export interface ListSpec extends SpecBase {
  readonly kind: 'list';
  readonly item: 'integer' | 'number';
  readonly min: number;
  readonly max: number;
  readonly minItems: number;
  readonly maxItems: number;
  readonly default: readonly number[] | null;
}

/** Free text of at most `maxLength` characters (parsed further by its element). */
export interface StringSpec extends SpecBase {
  readonly kind: 'string';
  readonly maxLength: number;
  readonly default: string | null;
}

export type AttributeSpec = IntegerSpec | NumberSpec | BooleanSpec | EnumSpec | JsonSpec | ListSpec | StringSpec;

/** An element's attributes, keyed by property name. */
export type AttributeSpecs = Readonly<Record<string, AttributeSpec>>;

/** The longest text a scalar attribute (number, enum) may have before it is refused unread. */
const MAX_SCALAR_TEXT = 200;

/**
 * A bad attribute value. The message names the element, the attribute, what was
 * expected and the value (long text is shortened); `detail`, when given, replaces the
 * generated message (for rules that span attributes, or a parser's own words).
 */
export class AttributeError extends InvalidArgumentError {
  /** The element's tag name. */
  readonly element: string;
  /** The attribute's name in markup. */
  readonly attribute: string;
  constructor(element: string, attribute: string, value: unknown, expected: string, detail?: string) {
    super(element, attribute, shorten(value), expected);
    this.element = element;
    this.attribute = attribute;
    if (detail !== undefined) this.message = detail;
  }
}

/** Shortens long text (and long arrays) so that messages and events stay readable. */
export function shorten(value: unknown, max = 80): unknown {
  if (typeof value === 'string' && value.length > max) return `${value.slice(0, max)}…`;
  if (Array.isArray(value) && value.length > 8) return [...value.slice(0, 8), '…'];
  return value;
}

/** A table of enum values whose only keys are `values` (no prototype, frozen). */
export function choices<const V extends string>(values: readonly V[]): Readonly<Record<V, V>> {
  const table = Object.create(null) as Record<V, V>;
  for (const v of values) table[v] = v;
  return Object.freeze(table);
}

/** `selectedQuery` → `selected-query`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The attribute's name in markup. */
export function attributeName(property: string, spec: AttributeSpec): string {
  return spec.attribute ?? kebab(property);
}

function own(table: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, key);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** Plain decimal text → its number; anything else (NaN, Infinity, hex, empty) → null. */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  if (t.length > MAX_SCALAR_TEXT || !DECIMAL.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

function rangeText(spec: IntegerSpec | NumberSpec | ListSpec, integer: boolean): string {
  return `${integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}]`;
}

/** What a spec accepts, in words ("an integer in [1, 1024]"): used in error messages and the element docs. */
export function expectedText(spec: AttributeSpec): string {
  switch (spec.kind) {
    case 'integer': {
      const words = spec.keywords ? Object.keys(spec.keywords).map((k) => JSON.stringify(k)) : [];
      return rangeText(spec, true) + (words.length ? ` or ${words.join(', ')}` : '');
    }
    case 'number':
      return rangeText(spec, false);
    case 'boolean':
      return 'true or false (present or absent)';
    case 'enum':
      return `one of ${Object.keys(spec.values)
        .filter((k) => k !== '')
        .join(', ')}`;
    case 'json':
      return `JSON of at most ${spec.maxLength} characters`;
    case 'list': {
      const count = spec.minItems === spec.maxItems ? `${spec.minItems}` : `${spec.minItems} to ${spec.maxItems}`;
      return `a list of ${count} ${spec.item === 'integer' ? 'integers' : 'numbers'} in [${spec.min}, ${spec.max}]`;
    }
    case 'string':
      return `text of at most ${spec.maxLength} characters`;
  }
}

function isEmptyText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() === '';
}

function readNumber(spec: IntegerSpec | NumberSpec, value: unknown, fail: () => never): number {
  let v: number | null = null;
  if (typeof value === 'number') v = value;
  else if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (spec.kind === 'integer' && spec.keywords && own(spec.keywords, word)) return spec.keywords[word]!;
    v = parseDecimal(value);
  }
  if (v === null || !Number.isFinite(v)) fail();
  if (spec.kind === 'integer' && spec.keywords && Object.values(spec.keywords).includes(v)) return v;
  if ((spec.kind === 'integer' && !Number.isInteger(v)) || v < spec.min || v > spec.max) fail();
  return Object.is(v, -0) ? 0 : v;
}

function readList(spec: ListSpec, value: unknown, fail: () => never): number[] {
  let items: unknown[];
  if (typeof value === 'string') {
    if (value.length > spec.maxItems * 32) fail();
    items = value.split(/[\s,]+/).filter(Boolean);
  } else if (Array.isArray(value)) items = value;
  else fail();
  if (items.length < spec.minItems || items.length > spec.maxItems) fail();
  const item: IntegerSpec | NumberSpec =
    spec.item === 'integer'
      ? { kind: 'integer', min: spec.min, max: spec.max, default: null }
      : { kind: 'number', min: spec.min, max: spec.max, default: null };
  return items.map((x) => readNumber(item, x, fail));
}

function readJson(element: string, name: string, spec: JsonSpec, value: unknown, fail: () => never): unknown {
  if (typeof value === 'object') return value;
  if (typeof value !== 'string' || value.length > spec.maxLength) fail();
  try {
    return JSON.parse(value) as unknown;
  } catch (e) {
    throw new AttributeError(
      element,
      name,
      value,
      'valid JSON',
      `${element}: the ${name} attribute is not valid JSON (${(e as Error).message})`,
    );
  }
}

/**
 * Reads one attribute: `value` is the attribute's text, or a value set as a property.
 * Returns the checked value (the spec's default when absent); throws `AttributeError`.
 */
export function readAttribute(element: string, property: string, spec: AttributeSpec, value: unknown): unknown {
  const name = attributeName(property, spec);
  const fail = (): never => {
    throw new AttributeError(element, name, value, expectedText(spec));
  };
  if (value === null || value === undefined) return spec.default;
  switch (spec.kind) {
    case 'integer':
    case 'number':
      return readNumber(spec, value, fail);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') return true;
      return fail();
    case 'enum': {
      if (typeof value !== 'string' || value.length > MAX_SCALAR_TEXT) return fail();
      const key = value.trim().toLowerCase();
      return own(spec.values, key) ? spec.values[key]! : fail();
    }
    case 'json':
      return isEmptyText(value) ? spec.default : readJson(element, name, spec, value, fail);
    case 'list':
      return isEmptyText(value) ? spec.default : readList(spec, value, fail);
    case 'string':
      if (typeof value !== 'string' || value.length > spec.maxLength) return fail();
      return isEmptyText(value) ? spec.default : value;
  }
}

/** Lit property declarations for a spec table: each attribute reaches its property as given, and is read in `willUpdate`. */
export function attributeProperties(specs: AttributeSpecs): Record<string, { attribute: string; type?: BooleanConstructor }> {
  const out: Record<string, { attribute: string; type?: BooleanConstructor }> = {};
  for (const [property, spec] of Object.entries(specs)) {
    out[property] =
      spec.kind === 'boolean' ? { attribute: attributeName(property, spec), type: Boolean } : { attribute: attributeName(property, spec) };
  }
  return out;
}
