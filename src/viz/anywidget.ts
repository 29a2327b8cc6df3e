/**
 * Jupyter through anywidget: `anywidget(tag)` is the module an `AnyWidget` loads as its `_esm`
 * (`export default { render({ model, el }) }`). The build writes one self-contained module per
 * element, `dist/lib/anywidget/<tag>.js`.
 *
 * The model's `attrs` trait (a dict, attribute name → value) is synced with the element's
 * attributes both ways: a change in Python sets or removes attributes (`True` or `""` sets a flag,
 * `False` or `None` removes the attribute, numbers are written as text); a change in the element
 * (a control, a click, state it reflects to its attributes) is sent back to `attrs`. The `error`
 * trait, when the model has one, receives the message of each `ks-error` (and `""` after the next
 * good render). A custom message `{type: 'export-svg'}` is answered with `{type: 'svg', svg}`.
 *
 * ```python
 * import anywidget, traitlets, pathlib
 * class AttentionMap(anywidget.AnyWidget):
 *     _esm = pathlib.Path("node_modules/kernelscope/dist/lib/anywidget/attention-map.js")
 *     attrs = traitlets.Dict({"pattern": "local", "n": 16, "causal": True}).tag(sync=True)
 *     error = traitlets.Unicode("").tag(sync=True)
 * ```
 */

/** The part of anywidget's model this module uses. */
export interface AnyModel {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  save_changes(): void;
  on(event: string, callback: (...args: unknown[]) => void): void;
  off(event?: string | null, callback?: ((...args: unknown[]) => void) | null): void;
  send?(content: unknown): void;
}

/** What anywidget passes to `render`. */
export interface RenderProps {
  model: AnyModel;
  el: HTMLElement;
}

/** An anywidget front-end module. */
export interface AnyWidgetModule {
  render(props: RenderProps): () => void;
}

/** Attribute values as Python sends them. */
type AttrValue = string | number | boolean | null | undefined;

/** The text an attribute gets for `value`, or null to remove it. */
export function attributeText(value: AttrValue): string | null {
  if (value === null || value === undefined || value === false) return null;
  if (value === true) return '';
  return String(value);
}

function modelAttrs(model: AnyModel): Record<string, AttrValue> {
  const value = model.get('attrs');
  return value && typeof value === 'object' ? { ...(value as Record<string, AttrValue>) } : {};
}

/** Attributes the widget leaves alone: styling and identity belong to the notebook. */
const NOT_SYNCED = new Set(['class', 'style', 'id', 'slot']);

/** The element's attributes, keeping the model's own values where their text is unchanged. */
function elementAttrs(el: Element, previous: Record<string, AttrValue>): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const { name, value } of el.attributes) {
    if (NOT_SYNCED.has(name)) continue;
    const before = previous[name];
    out[name] = attributeText(before) === value ? before : value;
  }
  return out;
}

function sameAttrs(a: Record<string, AttrValue>, b: Record<string, AttrValue>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (attributeText(a[k]) !== attributeText(b[k])) return false;
  return true;
}

/** The anywidget module of the element `tag` (which must be defined by the time `render` runs). */
export function anywidget(tag: string): AnyWidgetModule {
  return {
    render({ model, el }) {
      const element = document.createElement(tag) as HTMLElement & { exportSvg?: () => string };
      const apply = () => {
        const attrs = modelAttrs(model);
        for (const name of [...element.getAttributeNames()])
          if (!NOT_SYNCED.has(name) && attributeText(attrs[name]) === null) element.removeAttribute(name);
        for (const [name, value] of Object.entries(attrs)) {
          const text = attributeText(value);
          if (text === null) element.removeAttribute(name);
          else if (element.getAttribute(name) !== text) element.setAttribute(name, text);
        }
      };
      apply();
      const observer = new MutationObserver(() => {
        const current = modelAttrs(model);
        const next = elementAttrs(element, current);
        if (sameAttrs(current, next)) return;
        model.set('attrs', next);
        model.save_changes();
      });
      observer.observe(element, { attributes: true });
      const hasError = model.get('error') !== undefined;
      const onError = (e: Event) => {
        if (!hasError) return;
        model.set('error', String((e as CustomEvent<{ message?: string }>).detail?.message ?? 'error'));
        model.save_changes();
      };
      const onRendered = () => {
        if (!hasError || model.get('error') === '') return;
        model.set('error', '');
        model.save_changes();
      };
      const onMessage = (content: unknown) => {
        if ((content as { type?: string } | null)?.type !== 'export-svg') return;
        try {
          model.send?.({ type: 'svg', svg: element.exportSvg?.() ?? '' });
        } catch (e) {
          model.send?.({ type: 'svg', error: (e as Error).message });
        }
      };
      element.addEventListener('ks-error', onError);
      element.addEventListener('ks-rendered', onRendered);
      model.on('change:attrs', apply);
      model.on('msg:custom', onMessage);
      el.append(element);
      return () => {
        observer.disconnect();
        element.removeEventListener('ks-error', onError);
        element.removeEventListener('ks-rendered', onRendered);
        model.off('change:attrs', apply);
        model.off('msg:custom', onMessage);
        element.remove();
      };
    },
  };
}
