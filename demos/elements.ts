/**
 * The elements reference: API tables for every element, drawn from the Custom Elements Manifest
 * (`/custom-elements.json`, made by tools/manifest.mjs), each with a live example and the snippet
 * that makes it. The examples are data (tag and attributes), so the live element and the snippet
 * are built from the same thing, without parsing markup.
 */
import { html, nothing, render, type TemplateResult } from 'lit';
import '../src/viz/index';

/** The parts of the manifest this page reads. */
interface Field {
  name: string;
  description?: string;
  type?: { text: string };
  default?: string;
}
interface Member extends Field {
  kind: 'field' | 'method';
  attribute?: string;
  readonly?: boolean;
  parameters?: (Field & { optional?: boolean })[];
  return?: { type?: { text: string } };
}
interface ElementDoc {
  name: string;
  tagName: string;
  summary?: string;
  description?: string;
  attributes?: Field[];
  members?: Member[];
  events?: Field[];
  cssProperties?: Field[];
  cssParts?: Field[];
  slots?: Field[];
}
interface Manifest {
  modules: { declarations?: (ElementDoc & { customElement?: boolean })[] }[];
}

/** One example per element: small sizes, so the page stays quick on a software adapter. */
export const EXAMPLES: Record<string, Record<string, string>> = {
  'attention-map': { pattern: 'local', n: '16', heads: '2', dim: '16', causal: '' },
  'flash-tiles': { n: '64', dim: '16', causal: '' },
  'loss-landscape': { surface: 'himmelblau', optimizers: 'sgd,momentum,adam', steps: '60', resolution: '48' },
  'diffusion-steps': { dataset: 'two-moons', samples: '512', steps: '20' },
};

/** `<tag a="1" flag></tag>`, attribute values escaped. */
export function snippet(tag: string, attrs: Record<string, string>): string {
  const escape = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const parts = Object.entries(attrs).map(([k, v]) => (v === '' ? k : `${k}="${escape(v)}"`));
  return `<${[tag, ...parts].join(' ')}></${tag}>`;
}

function liveExample(tag: string, attrs: Record<string, string>): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function table(caption: string, heads: string[], rows: (string | TemplateResult)[][]): TemplateResult | typeof nothing {
  if (rows.length === 0) return nothing;
  return html`<h3>${caption}</h3>
    <table>
      <thead>
        <tr>
          ${heads.map((h) => html`<th scope="col">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              ${r.map((c, i) => (i === 0 ? html`<td><code>${c}</code></td>` : html`<td>${c}</td>`))}
            </tr>`,
        )}
      </tbody>
    </table>`;
}

const code = (text: string | undefined) => (text ? html`<code>${text}</code>` : '');

/** Text with its \`backtick\` spans as code (the manifest keeps the JSDoc's Markdown). */
function prose(text: string | undefined): TemplateResult {
  const parts = (text ?? '').replace(/^`<[\w-]+>`:\s*/, '').split('`');
  return html`${parts.map((p, i) => (i % 2 === 1 ? html`<code>${p}</code>` : p))}`;
}

function signature(m: Member): string {
  const params = (m.parameters ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}${p.type ? `: ${p.type.text}` : ''}`).join(', ');
  return `${m.name}(${params})${m.return?.type ? `: ${m.return.type.text}` : ''}`;
}

async function copy(text: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Select and copy';
  }
}

function elementSection(doc: ElementDoc): TemplateResult {
  const attrs = EXAMPLES[doc.tagName];
  const text = attrs ? snippet(doc.tagName, attrs) : '';
  const fields = (doc.members ?? []).filter((m) => m.kind === 'field' && !m.attribute);
  const methods = (doc.members ?? []).filter((m) => m.kind === 'method');
  return html`<section class="element-doc" id=${doc.tagName}>
    <h2><code>&lt;${doc.tagName}&gt;</code></h2>
    <p>${prose(doc.description ?? doc.summary)}</p>
    ${
      attrs
        ? html`<div class="snippet">
              <pre><code>${text}</code></pre>
              <button type="button" @click=${(e: Event) => void copy(text, e.currentTarget as HTMLButtonElement)}>Copy</button>
            </div>
            <div class="live" data-live=${doc.tagName}></div>`
        : nothing
    }
    ${table(
      'Attributes',
      ['attribute', 'type', 'default', 'description'],
      (doc.attributes ?? []).map((a) => [a.name, code(a.type?.text), code(a.default), prose(a.description)]),
    )}
    ${table(
      'Properties',
      ['property', 'type', 'description'],
      fields.map((m) => [
        m.name,
        code(m.type?.text),
        prose(`${m.readonly && !m.description?.startsWith('(read-only)') ? '(read-only) ' : ''}${m.description ?? ''}`),
      ]),
    )}
    ${table(
      'Methods',
      ['method', 'description'],
      methods.map((m) => [signature(m), prose(m.description)]),
    )}
    ${table(
      'Events',
      ['event', 'detail and when'],
      (doc.events ?? []).map((e) => [e.name, prose(e.description)]),
    )}
    ${table(
      'CSS custom properties',
      ['property', 'what it colours or sizes'],
      (doc.cssProperties ?? []).map((c) => [c.name, prose(c.description)]),
    )}
    ${table(
      'CSS parts',
      ['part', 'description'],
      (doc.cssParts ?? []).map((c) => [c.name, prose(c.description)]),
    )}
    ${table(
      'Slots',
      ['slot', 'description'],
      (doc.slots ?? []).map((s) => [s.name || '(default)', prose(s.description)]),
    )}
  </section>`;
}

/** Every custom element the manifest declares, by tag name. */
export function manifestElements(manifest: Manifest): ElementDoc[] {
  return manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .filter((d) => d.customElement && d.tagName)
    .sort((a, b) => a.tagName.localeCompare(b.tagName));
}

async function main(): Promise<void> {
  const host = document.getElementById('elements')!;
  const toc = document.getElementById('toc')!;
  try {
    const res = await fetch(new URL('../custom-elements.json', location.href));
    if (!res.ok) throw new Error(`custom-elements.json: HTTP ${res.status}`);
    const elements = manifestElements((await res.json()) as Manifest);
    render(
      elements.map((d) => html`<a href=${`#${d.tagName}`}><code>&lt;${d.tagName}&gt;</code></a>`),
      toc,
    );
    host.replaceChildren();
    render(elements.map(elementSection), host);
    const live = [...host.querySelectorAll<HTMLElement>('[data-live]')].map((slot) => {
      const tag = slot.dataset.live!;
      const el = liveExample(tag, EXAMPLES[tag]!);
      slot.append(el);
      return el as HTMLElement & { settled?: () => Promise<void> };
    });
    await Promise.all(live.map((el) => el.settled?.()));
    document.body.dataset.ready = 'true';
  } catch (e) {
    document.body.dataset.ready = `error: ${(e as Error).message}`;
    render(html`<p role="alert">The manifest could not be read: ${(e as Error).message}</p>`, host);
  }
}

void main();
