/**
 * What an element shows, as one standalone SVG document: the figure a note can embed with no
 * script and no stylesheet.
 *
 * The element's rendered tree is walked in page coordinates: each `<svg>` is cloned with its
 * computed styles written as presentation attributes (so classes, `var(--ks-*)` and the shadow
 * root's stylesheet are no longer needed) and placed where it is drawn; a `<canvas>` or `<img>`
 * becomes an `<image>` with a data URL; HTML boxes give their backgrounds and borders as rects;
 * HTML text (legends, captions, labels) is written word by word where the browser laid it out.
 * Controls (inputs, selects, buttons, `.controls`, `[data-export="skip"]`) are left out. The
 * viewBox is the union of everything drawn, overflow included, so nothing is clipped (content
 * under a clip-path counts only inside its <svg>, where the clip keeps it).
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** What `snapshotSvg` leaves out by default: the element's controls. */
export const SNAPSHOT_SKIP = 'input, select, button, textarea, label, .controls, [data-export="skip"], style, script';

/** Properties written onto cloned SVG nodes. Inherited ones are written only where they change. */
const INHERITED = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'paint-order',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'shape-rendering',
  'image-rendering',
] as const;
/** Not inherited: written where they differ from their initial value. */
const OWN: Record<string, string> = { opacity: '1', display: 'inline' };

/** Options of `snapshotSvg`. */
export interface SnapshotOptions {
  /** A selector of elements to leave out (default `SNAPSHOT_SKIP`). */
  skip?: string;
  /** The background colour (default: the host's `--ks-bg`, else its page's background, else white). */
  background?: string;
  /** Space around the content, in px (default 4). */
  padding?: number;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function grow(box: Box, r: { left: number; top: number; right: number; bottom: number }): void {
  if (!(r.right > r.left || r.bottom > r.top)) return;
  box.x0 = Math.min(box.x0, r.left);
  box.y0 = Math.min(box.y0, r.top);
  box.x1 = Math.max(box.x1, r.right);
  box.y1 = Math.max(box.y1, r.bottom);
}

const round = (v: number) => String(Math.round(v * 100) / 100);

/**
 * The part of `node` that can be painted: its box, cut to its `<svg>`'s box when a clip-path
 * ancestor clips it (a bounding box ignores clipping, so a trajectory that leaves the plot
 * would otherwise stretch the viewBox to where it went, thousands of pixels off the figure).
 */
function paintedRect(node: Element, svg: SVGSVGElement): { left: number; top: number; right: number; bottom: number } {
  const r = node.getBoundingClientRect();
  if (!node.closest('[clip-path]')) return r;
  const s = svg.getBoundingClientRect();
  return {
    left: Math.max(r.left, s.left),
    top: Math.max(r.top, s.top),
    right: Math.min(r.right, s.right),
    bottom: Math.min(r.bottom, s.bottom),
  };
}

function svgEl(name: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, typeof v === 'number' ? round(v) : v);
  return el;
}

/** A CSS colour as an SVG paint and opacity (`rgba(…, a)` → `rgb(…)` and `a`); null when transparent. */
export function paint(color: string): { color: string; opacity: number } | null {
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(color.trim());
  if (!m) return color && color !== 'transparent' && color !== 'none' ? { color, opacity: 1 } : null;
  const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
  if (a <= 0) return null;
  return { color: `rgb(${m[1]}, ${m[2]}, ${m[3]})`, opacity: a };
}

/** Clones a live `<svg>` with its computed styles inlined, placed at its page position. */
function cloneSvg(svg: SVGSVGElement, box: Box): SVGSVGElement {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  const computed = src.map((n) => getComputedStyle(n));
  src.forEach((node, i) => {
    const style = computed[i]!;
    const target = dst[i]!;
    const parent = node.parentElement && i > 0 ? computed[src.indexOf(node.parentElement)] : undefined;
    for (const prop of INHERITED) {
      const value = style.getPropertyValue(prop);
      if (value && (!parent || parent.getPropertyValue(prop) !== value)) target.setAttribute(prop, value);
    }
    for (const [prop, initial] of Object.entries(OWN)) {
      const value = style.getPropertyValue(prop);
      if (value && value !== initial && !(prop === 'display' && value !== 'none')) target.setAttribute(prop, value);
    }
    target.removeAttribute('style');
    if (i > 0 && !node.closest('defs, pattern, clipPath, mask, marker')) grow(box, paintedRect(node, svg));
  });
  const r = svg.getBoundingClientRect();
  grow(box, r);
  // The browser paints an inline <svg> at its layout box snapped to whole pixels; inside an
  // exported image a nested <svg> is not snapped. Snap it here, or every 2 px line of the
  // export lands a fraction of a pixel off and rasterizes as three lighter rows.
  clone.setAttribute('x', String(Math.round(r.left)));
  clone.setAttribute('y', String(Math.round(r.top)));
  clone.setAttribute('width', round(r.width));
  clone.setAttribute('height', round(r.height));
  clone.setAttribute('overflow', 'visible');
  clone.removeAttribute('xmlns');
  return clone;
}

/** A raster (canvas or image) as an `<image>` at its page position. */
function rasterImage(el: HTMLCanvasElement | HTMLImageElement, box: Box): SVGElement | null {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return null;
  let href: string;
  try {
    if (el instanceof HTMLCanvasElement) href = el.toDataURL('image/png');
    else if (el.src.startsWith('data:')) href = el.src;
    else {
      const c = document.createElement('canvas');
      c.width = el.naturalWidth;
      c.height = el.naturalHeight;
      c.getContext('2d')?.drawImage(el, 0, 0);
      href = c.toDataURL('image/png');
    }
  } catch {
    return null;
  }
  grow(box, r);
  const style = getComputedStyle(el);
  return svgEl('image', {
    x: r.left,
    y: r.top,
    width: r.width,
    height: r.height,
    href,
    preserveAspectRatio: 'none',
    ...(style.imageRendering === 'pixelated' ? { 'image-rendering': 'pixelated', style: 'image-rendering:pixelated' } : {}),
  });
}

/** An HTML box's background and solid borders as rects. */
function boxRects(el: Element, style: CSSStyleDeclaration, out: Element, box: Box): void {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return;
  const bg = paint(style.backgroundColor);
  if (bg) {
    const rx = parseFloat(style.borderTopLeftRadius) || 0;
    out.append(svgEl('rect', { x: r.left, y: r.top, width: r.width, height: r.height, rx, fill: bg.color, 'fill-opacity': bg.opacity }));
    grow(box, r);
  }
  const sides = [
    ['Top', r.left, r.top, r.width, 0],
    ['Bottom', r.left, r.bottom, r.width, -1],
    ['Left', r.left, r.top, 0, r.height],
    ['Right', r.right, r.top, -1, r.height],
  ] as const;
  for (const [side, x, y, w, h] of sides) {
    const width = parseFloat(style.getPropertyValue(`border-${side.toLowerCase()}-width`)) || 0;
    const kind = style.getPropertyValue(`border-${side.toLowerCase()}-style`);
    const color = paint(style.getPropertyValue(`border-${side.toLowerCase()}-color`));
    if (width === 0 || !color || kind === 'none' || kind === 'hidden') continue;
    const horizontal = side === 'Top' || side === 'Bottom';
    out.append(
      svgEl('rect', {
        x: horizontal ? x : w < 0 ? x - width : x,
        y: horizontal ? (h < 0 ? y - width : y) : y,
        width: horizontal ? w : width,
        height: horizontal ? width : h,
        fill: color.color,
        'fill-opacity': color.opacity,
      }),
    );
    grow(box, r);
  }
}

let measure: CanvasRenderingContext2D | null = null;

/** One text node, word by word where the browser placed each word. */
function textRuns(node: Text, out: Element, box: Box): void {
  const parent = node.parentElement;
  if (!parent || !node.data.trim()) return;
  const style = getComputedStyle(parent);
  const fill = paint(style.color);
  if (!fill || style.visibility === 'hidden') return;
  measure ??= document.createElement('canvas').getContext('2d');
  const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  if (measure) measure.font = font;
  const metrics = measure?.measureText('Hg');
  const ascent = metrics?.fontBoundingBoxAscent ?? parseFloat(style.fontSize) * 0.8;
  const descent = metrics?.fontBoundingBoxDescent ?? parseFloat(style.fontSize) * 0.2;
  const text = svgEl('text', {
    fill: fill.color,
    'font-family': style.fontFamily,
    'font-size': style.fontSize,
    'font-weight': style.fontWeight,
    'font-style': style.fontStyle,
  });
  if (fill.opacity < 1) text.setAttribute('fill-opacity', round(fill.opacity));
  const range = document.createRange();
  for (const word of node.data.matchAll(/\S+/g)) {
    range.setStart(node, word.index);
    range.setEnd(node, word.index + word[0].length);
    const r = range.getClientRects()[0];
    if (!r || r.width === 0) continue;
    const baseline = r.top + (r.height - (ascent + descent)) / 2 + ascent;
    const span = svgEl('tspan', { x: r.left, y: baseline });
    span.textContent = word[0];
    text.append(span);
    grow(box, r);
  }
  if (text.childNodes.length) out.append(text);
}

function walk(node: Node, out: Element, box: Box, skip: string): void {
  if (node.nodeType === Node.TEXT_NODE) return textRuns(node as Text, out, box);
  if (!(node instanceof Element) || node.matches(skip)) return;
  const style = getComputedStyle(node);
  if (style.display === 'none') return;
  if (node instanceof SVGSVGElement) {
    if (style.visibility !== 'hidden') out.append(cloneSvg(node, box));
    return;
  }
  if (node instanceof HTMLCanvasElement || node instanceof HTMLImageElement) {
    const img = style.visibility === 'hidden' ? null : rasterImage(node, box);
    if (img) out.append(img);
    return;
  }
  let target = out;
  const opacity = Number(style.opacity);
  if (opacity < 1) {
    target = svgEl('g', { opacity });
    out.append(target);
  }
  if (style.visibility !== 'hidden') boxRects(node, style, target, box);
  const children = node instanceof HTMLSlotElement ? node.assignedNodes({ flatten: true }) : [...(node.shadowRoot ?? node).childNodes];
  for (const child of children) walk(child, target, box, skip);
}

/**
 * The background a snapshot of `host` gets: the page's `--ks-bg`, else the first opaque background
 * above it, else the element's own (`--_bg`, light or dark), else white.
 */
export function snapshotBackground(host: Element): string {
  const style = getComputedStyle(host);
  const bg = style.getPropertyValue('--ks-bg').trim();
  if (bg) return bg;
  for (let el: Element | null = host; el; el = el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null)) {
    const p = paint(getComputedStyle(el).backgroundColor);
    if (p && p.opacity === 1) return p.color;
  }
  return style.getPropertyValue('--_bg').trim() || '#ffffff';
}

/**
 * A standalone SVG document of what `root` (an element, or a shadow root and everything in it)
 * shows: see the module's comment. Throws when nothing is drawn.
 */
export function snapshotSvg(root: Element | ShadowRoot, opts: SnapshotOptions = {}): string {
  const host = root instanceof ShadowRoot ? root.host : root;
  const skip = opts.skip ?? SNAPSHOT_SKIP;
  const pad = opts.padding ?? 4;
  const box: Box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  const content = svgEl('g', {});
  for (const child of root.childNodes) walk(child, content, box, skip);
  if (!Number.isFinite(box.x0)) throw new Error(`${host.localName}: nothing drawn to export`);
  const x0 = Math.floor(box.x0 - pad);
  const y0 = Math.floor(box.y0 - pad);
  const width = Math.ceil(box.x1 + pad) - x0;
  const height = Math.ceil(box.y1 + pad) - y0;
  const doc = svgEl('svg', { width, height, viewBox: `${x0} ${y0} ${width} ${height}` });
  doc.append(svgEl('rect', { x: x0, y: y0, width, height, fill: opts.background ?? snapshotBackground(host) }), content);
  return new XMLSerializer().serializeToString(doc);
}

/** The size (`width`, `height` attributes) of an SVG document made by `snapshotSvg`. */
export function svgSize(text: string): { width: number; height: number } {
  const w = /<svg[^>]*?\swidth="([\d.]+)"/.exec(text);
  const h = /<svg[^>]*?\sheight="([\d.]+)"/.exec(text);
  return { width: Number(w?.[1] ?? 0), height: Number(h?.[1] ?? 0) };
}
