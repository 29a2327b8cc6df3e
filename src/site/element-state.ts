/**
 * The state of a page's elements in its URL hash, so that a link reproduces the picture.
 *
 * Elements keep what the reader changes (a learning rate, a start point, the mode, the step,
 * the selected query) in their attributes and fire `ks-change` `{attribute}`. This module writes
 * each such change into the hash as `<key>.<attribute>=<value>` (`~` for an attribute removed),
 * where the key is the element's `id`, else `<tag>-<n>` (its rank among the page's elements of
 * that tag), and gives the attributes back to the elements when the page loads. The page's own
 * hash parameters (`n=512&variant=tiled`) are left alone.
 */
import { readHash } from './hash-state';

/** The tags whose state is kept. */
export const STATEFUL_TAGS = ['attention-map', 'flash-tiles', 'loss-landscape', 'diffusion-steps'] as const;

/** An attribute removed by the reader (its default). */
const REMOVED = '~';

/** The hash key of `el`: its id, else its tag and rank. */
export function stateKey(el: Element, root: ParentNode = document): string {
  if (el.id) return el.id;
  const same = [...root.querySelectorAll(el.localName)];
  return `${el.localName}-${same.indexOf(el)}`;
}

/** Gives `el` the attributes the hash holds for it. */
function restoreOne(el: Element, root: ParentNode, params: URLSearchParams): void {
  const prefix = `${stateKey(el, root)}.`;
  for (const [name, value] of params) {
    if (!name.startsWith(prefix)) continue;
    const attr = name.slice(prefix.length);
    if (!/^[a-z][a-z0-9-]*$/.test(attr)) continue;
    if (value === REMOVED) el.removeAttribute(attr);
    else el.setAttribute(attr, value);
  }
}

/** The page's stateful elements at or under `node`. */
function statefulIn(node: Node): Element[] {
  if (!(node instanceof Element)) return [];
  const own = (STATEFUL_TAGS as readonly string[]).includes(node.localName) ? [node] : [];
  return [...own, ...node.querySelectorAll(STATEFUL_TAGS.join(','))];
}

/** Gives the elements under `root` the attributes the hash holds for them. */
export function restoreElementState(root: ParentNode = document, params: URLSearchParams = readHash()): void {
  for (const el of root.querySelectorAll(STATEFUL_TAGS.join(','))) restoreOne(el, root, params);
}

/**
 * Restores the elements' state from the hash (now, and for elements added later), then records
 * every `ks-change` under `root` in the hash (without adding history entries). Returns a
 * function that stops both.
 */
export function keepElementState(root: Document | HTMLElement = document): () => void {
  restoreElementState(root);
  const onChange = (e: Event) => {
    const el = e.composedPath()[0];
    const attr = (e as CustomEvent<{ attribute?: unknown }>).detail?.attribute;
    if (!(el instanceof Element) || typeof attr !== 'string' || !(STATEFUL_TAGS as readonly string[]).includes(el.localName)) return;
    const params = readHash();
    params.set(`${stateKey(el, root)}.${attr}`, el.getAttribute(attr) ?? REMOVED);
    history.replaceState(history.state, '', `#${params.toString()}`);
  };
  root.addEventListener('ks-change', onChange);
  // Elements a page adds later (built from data, say) get their state when they arrive.
  const added = new MutationObserver((records) => {
    const params = readHash();
    for (const r of records) for (const node of r.addedNodes) for (const el of statefulIn(node)) restoreOne(el, root, params);
  });
  added.observe(root, { childList: true, subtree: true });
  return () => {
    root.removeEventListener('ks-change', onChange);
    added.disconnect();
  };
}
