/**
 * Renders TeX with KaTeX. Pages write `<span class="tex">…</span>` (inline) or
 * `<div class="tex display">…</div>`; the TeX is the element's own static text,
 * never user data, and KaTeX builds the DOM itself (no innerHTML).
 */
import katex from 'katex';

/** Typesets every `.tex` element under `root` (once each). */
export function renderMath(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('.tex:not([data-tex-done])')) {
    const tex = el.textContent ?? '';
    el.dataset.texSource = tex;
    katex.render(tex, el, { displayMode: el.classList.contains('display'), throwOnError: false, output: 'htmlAndMathml' });
    el.dataset.texDone = '';
  }
}
