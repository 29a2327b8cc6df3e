/**
 * Loaded first by every demo page: the site stylesheet, KaTeX's stylesheet, the
 * palette's custom properties, the `<ks-page>` shell, and typesetting of `.tex`.
 */
import 'katex/dist/katex.min.css';
import './site.css';
import { PALETTE_CSS } from '../src/viz/palette';
import '../src/site/ks-page';
import { renderMath } from '../src/site/math';

const palette = new CSSStyleSheet();
palette.replaceSync(PALETTE_CSS);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, palette];

renderMath();
