/**
 * The causal-alignment drill of the attention-maps page: for Nq queries over Nk keys,
 * which keys each query may see under the two conventions in use, drawn as two small
 * grids side by side.
 *
 * - bottom-right (FlashAttention ≥ 2.1, kernelscope): query i sees key j iff j ≤ i + Nk − Nq,
 *   so the queries are the last Nq positions of the sequence (a KV cache's new tokens);
 * - top-left (PyTorch's `scaled_dot_product_attention(is_causal=True)` when Nq ≠ Nk):
 *   query i sees key j iff j ≤ i.
 */

/** Which corner the causal diagonal starts from. */
export type CausalAlignment = 'bottom-right' | 'top-left';

/** Whether query i may see key j under `align`, for Nq queries and Nk keys. */
export function causalVisible(i: number, j: number, Nq: number, Nk: number, align: CausalAlignment): boolean {
  return align === 'bottom-right' ? j <= i + Nk - Nq : j <= i;
}

/** How many keys query i sees under `align` (0 … Nk). */
export function visibleKeys(i: number, Nq: number, Nk: number, align: CausalAlignment): number {
  const last = align === 'bottom-right' ? i + Nk - Nq : i;
  return Math.max(0, Math.min(Nk, last + 1));
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** One alignment's mask as an SVG grid (visible cells filled, masked cells in the mask colour), with a caption. */
export function drawCausalGrid(Nq: number, Nk: number, align: CausalAlignment): HTMLElement {
  const cell = Math.max(10, Math.min(22, Math.floor(240 / Math.max(Nq, Nk))));
  const left = 26;
  const top = 18;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('width', String(left + Nk * cell + 4));
  svg.setAttribute('height', String(top + Nq * cell + 4));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${align} causal mask, ${Nq} queries × ${Nk} keys`);
  const label = (x: number, y: number, text: string, anchor: string) => {
    const t = document.createElementNS(SVG_NS, 'text');
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(y));
    t.setAttribute('text-anchor', anchor);
    t.setAttribute('font-size', '10');
    t.setAttribute('fill', 'currentColor');
    t.textContent = text;
    svg.append(t);
  };
  label(left, 10, 'keys →', 'start');
  for (let i = 0; i < Nq; i++) {
    label(left - 4, top + i * cell + cell * 0.7, String(i), 'end');
    for (let j = 0; j < Nk; j++) {
      const r = document.createElementNS(SVG_NS, 'rect');
      const visible = causalVisible(i, j, Nq, Nk, align);
      r.setAttribute('x', String(left + j * cell));
      r.setAttribute('y', String(top + i * cell));
      r.setAttribute('width', String(cell - 1));
      r.setAttribute('height', String(cell - 1));
      r.setAttribute('fill', visible ? 'var(--ks-accent)' : 'var(--ks-mask, var(--ks-grid))');
      r.setAttribute('fill-opacity', visible ? '0.85' : '0.6');
      r.dataset.visible = String(visible);
      svg.append(r);
    }
  }
  const figure = document.createElement('figure');
  figure.className = 'causal-grid';
  figure.dataset.align = align;
  figure.dataset.row0 = String(visibleKeys(0, Nq, Nk, align));
  figure.dataset.lastRow = String(visibleKeys(Nq - 1, Nq, Nk, align));
  const caption = document.createElement('figcaption');
  caption.textContent =
    Nq === 1
      ? `${align}: the query sees ${visibleKeys(0, Nq, Nk, align)} of ${Nk} keys.`
      : `${align}: query 0 sees ${visibleKeys(0, Nq, Nk, align)} key(s), query ${Nq - 1} sees ${visibleKeys(Nq - 1, Nq, Nk, align)} of ${Nk}.`;
  figure.append(svg, caption);
  return figure;
}

/** Draws both alignments for the drill's current Nq and Nk into `host`, and a one-line verdict into `verdict`. */
export function renderCausalDrill(host: HTMLElement, verdict: HTMLElement, Nq: number, Nk: number): void {
  host.replaceChildren(drawCausalGrid(Nq, Nk, 'bottom-right'), drawCausalGrid(Nq, Nk, 'top-left'));
  if (Nq === Nk) verdict.textContent = 'Nq = Nk: the two alignments are the same mask.';
  else if (Nq < Nk)
    verdict.textContent =
      `With ${Nq} new token(s) after ${Nk - Nq} cached one(s), the last query must see all ${Nk} keys: only bottom-right ` +
      `does that; top-left lets it see ${visibleKeys(Nq - 1, Nq, Nk, 'top-left')}.`;
  else
    verdict.textContent =
      `Nq > Nk: under bottom-right the first ${Nq - Nk} queries see no key at all (fully masked rows, which give 0 here); ` +
      `under top-left every query sees at least key 0.`;
}
