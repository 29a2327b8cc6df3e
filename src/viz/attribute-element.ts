/**
 * `AttributeElement`: the base of kernelscope's Lit elements, for their attributes and
 * their errors. A subclass lists its attributes in `static attributeSpecs` (see
 * `attributes.ts`) and spreads `attributeProperties(specs)` into its Lit properties;
 * then, before each update:
 *
 * - every changed attribute (or property) is read through its spec; a good value
 *   replaces the property's, typed (a number for `n="32"`);
 * - a bad value is put back to the last good one at once, so it never reaches
 *   geometry, and is recorded: the element shows its message inline and fires
 *   `ks-error` `{attribute, value, message}` (bubbling, composed);
 * - while any attribute is bad, `takeChanges()` returns null: the element computes
 *   nothing new and keeps its last good picture. Fixing or removing the bad attribute
 *   clears its error, and the changes held back meanwhile are handed over at once.
 *
 * Rules that span attributes (a sample count too large for one data set, say) are
 * checked by the element through `checkAcross`, on every change of the attributes
 * involved (even while another is bad, so each message shows as soon as it applies):
 * a broken rule is shown and fired like a bad attribute, but holds nothing back; it is
 * cleared when the rule holds again.
 */
import { LitElement, type PropertyDeclaration, type PropertyValues } from 'lit';
import { AttributeError, attributeName, readAttribute, shorten, type AttributeSpecs } from './attributes';
import { svgToPng } from './export';
import { SNAPSHOT_SKIP, snapshotSvg, svgSize } from './svg-snapshot';

/** The detail of `ks-error`: the attribute at fault (null for a failed computation), its value, and the message. */
export interface KsErrorDetail {
  attribute: string | null;
  value: unknown;
  message: string;
}

/** What `settled()` waits for: a task controller's runs. */
export interface SettlingTask {
  readonly complete: Promise<void>;
  readonly busy: boolean;
}

/** Equal values of an attribute: the same number, flag or text, or lists of the same numbers. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  return Object.is(a, b);
}

/** An old value that differs from every value: asks for an attribute to be read again. */
const READ_AGAIN = Symbol('read again');

export abstract class AttributeElement extends LitElement {
  /** The element's attributes, keyed by property name (each subclass sets its own). */
  static attributeSpecs: AttributeSpecs = {};

  /** Each property's last accepted value (as set: typed, or the raw JSON text or object). */
  private readonly acceptedValues = new Map<string, unknown>();
  /** Each property's last accepted value as read (JSON parsed, then `checkAttribute`). */
  private readonly readValues = new Map<string, unknown>();
  /** Standing errors, latest last: keyed by attribute (bad values) or `~attribute` (broken rules across attributes). */
  private readonly errors = new Map<string, { error: AttributeError; derived: boolean }>();
  private readonly held = new Set<string>();
  private firstRead = true;
  /** The element's task controllers (see `settled`). */
  private readonly tasks: SettlingTask[] = [];

  constructor() {
    super();
    // Every attribute starts at its default (subclasses set only their other fields).
    const self = this as unknown as Record<string, unknown>;
    for (const [property, spec] of Object.entries(this.specs)) self[property] = spec.default;
  }

  private get specs(): AttributeSpecs {
    return (this.constructor as typeof AttributeElement).attributeSpecs;
  }

  /**
   * While an attribute is bad its property holds the last good value, so setting the
   * property again (or removing the attribute, which may give the same default) would
   * not count as a change: such a set is always read again.
   */
  override requestUpdate(name?: PropertyKey, oldValue?: unknown, options?: PropertyDeclaration): void {
    const spec = typeof name === 'string' ? this.specs[name] : undefined;
    const standing = spec !== undefined && this.errors?.has(attributeName(name as string, spec));
    super.requestUpdate(name, standing ? READ_AGAIN : oldValue, options);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.readAttributes(changed);
  }

  /**
   * A hook for element-specific checks of one attribute's read value (for example the
   * structure of a JSON input). Return the value to keep; throw to refuse it (the
   * error's message is shown, prefixed with the element and attribute).
   */
  protected checkAttribute(_property: string, value: unknown): unknown {
    return value;
  }

  private readAttributes(changed: PropertyValues): void {
    const element = this.localName;
    const self = this as unknown as Record<string, unknown>;
    for (const [property, spec] of Object.entries(this.specs)) {
      if (!this.firstRead && !changed.has(property)) continue;
      const given = self[property];
      const name = attributeName(property, spec);
      try {
        let value: unknown;
        try {
          value = this.checkAttribute(property, readAttribute(element, property, spec, given));
        } catch (e) {
          if (e instanceof AttributeError) throw e;
          throw new AttributeError(element, name, given, 'valid', `${element}: ${name}: ${(e as Error).message}`);
        }
        const kept = spec.kind === 'json' ? given : value;
        self[property] = kept;
        // The same value again (a bad one put back, say) is no change: nothing to recompute.
        if (!this.acceptedValues.has(property) || !sameValue(this.acceptedValues.get(property), kept)) this.held.add(property);
        this.acceptedValues.set(property, kept);
        this.readValues.set(property, value);
        this.errors.delete(name);
      } catch (e) {
        if (!(e instanceof AttributeError)) throw e;
        self[property] = this.acceptedValues.has(property) ? this.acceptedValues.get(property) : spec.default;
        if (!this.readValues.has(property)) this.readValues.set(property, spec.default);
        this.recordError(e, false);
      }
    }
    this.firstRead = false;
  }

  private recordError(error: AttributeError, derived: boolean): void {
    const key = derived ? `~${error.attribute}` : error.attribute;
    this.errors.delete(key);
    this.errors.set(key, { error, derived });
    this.fire('ks-error', { attribute: error.attribute, value: shorten(error.value, 200), message: error.message } satisfies KsErrorDetail);
  }

  /** The read value of an attribute (JSON parsed and checked); its default before the first update. */
  protected attributeValue(property: string): unknown {
    return this.readValues.has(property) ? this.readValues.get(property) : this.specs[property]?.default;
  }

  /**
   * The properties changed (and accepted) since the last call, plus those of `extra`
   * (properties that are not attributes, such as a `data` object) in `changed`; or null
   * while any attribute is bad: then nothing new should be computed, and the changes are
   * kept for the call after the bad attribute is fixed.
   */
  protected takeChanges(changed?: PropertyValues, extra: readonly string[] = []): Set<string> | null {
    for (const p of extra) if (changed?.has(p)) this.held.add(p);
    if (this.attributesBlocked) return null;
    const out = new Set(this.held);
    this.held.clear();
    return out;
  }

  /** Whether some attribute is bad (not counting broken rules across attributes). */
  protected get attributesBlocked(): boolean {
    for (const e of this.errors.values()) if (!e.derived) return true;
    return false;
  }

  /**
   * Checks the rules across attributes: returns `check()`'s value, or undefined when it
   * throws an `AttributeError`, which is then shown and fired (once per new message).
   * Errors of earlier checks are cleared.
   */
  protected checkAcross<T>(check: () => T): T | undefined {
    const derived = [...this.errors.keys()].filter((k) => k.startsWith('~'));
    try {
      const value = check();
      for (const k of derived) this.errors.delete(k);
      return value;
    } catch (e) {
      if (!(e instanceof AttributeError)) throw e;
      const key = `~${e.attribute}`;
      for (const k of derived) if (k !== key) this.errors.delete(k);
      if (this.errors.get(key)?.error.message !== e.message) this.recordError(e, true);
      return undefined;
    }
  }

  /** The most recent attribute error still standing, or null. */
  get attributeError(): AttributeError | null {
    let last: AttributeError | null = null;
    for (const e of this.errors.values()) last = e.error;
    return last;
  }

  /**
   * Sets the attribute of `property` to `value` because the reader changed it through the element
   * (a control, a click, a key), and fires `ks-change` `{attribute, value, ...extra}`. State that
   * changes the picture lives in attributes, so a page can keep it (a link, a notebook) and give
   * it back. `true` and `false` set and remove a flag; `null` removes the attribute (its default).
   */
  protected setState(property: string, value: unknown, extra: Record<string, unknown> = {}): void {
    const spec = this.specs[property];
    if (!spec) throw new Error(`${this.localName}: ${property} is not an attribute`);
    const name = attributeName(property, spec);
    if (value === null || value === undefined || value === false) this.removeAttribute(name);
    else if (value === true) this.setAttribute(name, '');
    else
      this.setAttribute(name, Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value));
    this.fire('ks-change', { attribute: name, value, ...extra });
  }

  /** Dispatches a bubbling, composed `CustomEvent`. */
  protected fire(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  /**
   * Resolves when the element is quiet: its update done, and every run of its task controllers
   * (`GpuTask`, registered by constructing them with this element as host) settled and drawn. A
   * finished run may ask for another (a clamped value, say), so it waits until nothing is pending.
   */
  async settled(): Promise<void> {
    for (let i = 0; i < 8; i++) {
      await this.updateComplete;
      await Promise.all(this.tasks.map((t) => t.complete));
      if (!this.isUpdatePending && !this.tasks.some((t) => t.busy)) return;
    }
  }

  /** Called by each `GpuTask` created with this element as its host. */
  registerTask(task: SettlingTask): void {
    this.tasks.push(task);
  }

  /** Whether there is a picture to export (subclasses: once their first result is drawn). */
  protected get exportReady(): boolean {
    return true;
  }

  /** A selector of what `exportSvg` leaves out (the controls, by default). */
  protected exportSkip(): string {
    return SNAPSHOT_SKIP;
  }

  /**
   * What the element shows, controls left out, as one standalone SVG document: legends, labels,
   * curves and colours inlined, nothing clipped (see `svg-snapshot.ts`).
   */
  exportSvg(): string {
    if (!this.exportReady) throw new Error(`${this.localName}: nothing to export yet`);
    return snapshotSvg(this.renderRoot as ShadowRoot, { skip: this.exportSkip() });
  }

  /** The SVG export rasterized to PNG at `scale`× its size. */
  exportPng(scale = 2): Promise<Blob> {
    const text = this.exportSvg();
    const { width, height } = svgSize(text);
    return svgToPng(text, width, height, scale);
  }

  /** Fires `ks-error` for a failed computation (no attribute at fault). */
  protected fireRunError(message: string): void {
    this.fire('ks-error', { attribute: null, value: null, message } satisfies KsErrorDetail);
  }
}
