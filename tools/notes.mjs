// @ts-check
/**
 * `npm run notes`: the example notes of demos/notes/, ready to open, in dist/notes/ (or `--out DIR`).
 *
 * - every `.html` note is copied as it is;
 * - every `.md` note is rendered with markdown-it (HTML allowed, so the elements sit in the text)
 *   into a page that loads the ES build once;
 * - the two builds the notes load sit beside them: `kernelscope.js` (ES module: serve the folder
 *   over http) and `kernelscope.iife.js` (classic script: also works from file://).
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
const NOTES = join(ROOT, 'demos', 'notes');

/**
 * Escapes text for HTML.
 * @param {string} s
 */
const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A Markdown note as a page that loads the ES build.
 * @param {string} markdown
 * @returns {Promise<string>}
 */
export async function renderMarkdownNote(markdown) {
  // markdown-it ships no types; loaded by name so that the typecheck needs none.
  const MARKDOWN_IT = 'markdown-it';
  /** @type {any} */
  const { default: MarkdownIt } = await import(MARKDOWN_IT);
  const md = new MarkdownIt({ html: true, linkify: true, typographer: true });
  const body = md.render(markdown);
  const title = /^#\s+(.+)$/m.exec(markdown)?.[1] ?? 'kernelscope note';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <link rel="icon" href="data:,">
  <script type="module" src="./kernelscope.js"></script>
  <style>
    body { font: 16px/1.55 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
    attention-map, flash-tiles, loss-landscape, diffusion-steps { display: block; margin: 1rem 0 2rem; }
  </style>
</head>
<body>
<main>
${body}</main>
</body>
</html>
`;
}

/**
 * Builds the notes into `out` (emptied first) and returns the files written.
 * @param {{ out?: string }} [opts]
 * @returns {Promise<string[]>}
 */
export async function buildNotes(opts = {}) {
  const out = opts.out ?? join(ROOT, 'dist', 'notes');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const { build } = await import('vite');
  const configFile = join(ROOT, 'vite.lib.config.ts');
  for (const mode of ['bundle', 'iife']) await build({ configFile, mode, logLevel: 'warn', build: { outDir: out, emptyOutDir: false } });
  const written = ['kernelscope.js', 'kernelscope.iife.js'];
  for (const name of readdirSync(NOTES)) {
    if (name.endsWith('.html')) {
      copyFileSync(join(NOTES, name), join(out, name));
      written.push(name);
    } else if (name.endsWith('.md')) {
      const page = name.replace(/\.md$/, '.html');
      writeFileSync(join(out, page), await renderMarkdownNote(readFileSync(join(NOTES, name), 'utf8')));
      written.push(page);
    }
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = values.out ? resolve(values.out) : join(ROOT, 'dist', 'notes');
  const files = await buildNotes({ out });
  console.log(`kernelscope: ${files.length} files in ${out}: ${files.join(', ')}`);
  console.log('Serve it over http for the ES notes (npx vite preview --outDir dist/notes); open attention-file.html from disk.');
}
