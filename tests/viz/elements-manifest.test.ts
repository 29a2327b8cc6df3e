/**
 * The Custom Elements Manifest (tools/manifest.mjs) and the page drawn from it
 * (demos/elements.html): every element with every attribute of its spec table, its events and
 * CSS custom properties, and no internal state; the page shows each element's tables, a live
 * example and its snippet, with no console error.
 */
import { describe, expect, it } from 'vitest';
import { buildManifest, expandNames, parseDocs } from '../../tools/manifest.mjs';
import { ATTENTION_MAP_ATTRIBUTES } from '../../src/viz/attention-map/attributes';
import { FLASH_TILES_ATTRIBUTES } from '../../src/viz/flash-tiles/attributes';
import { DIFFUSION_STEPS_ATTRIBUTES } from '../../src/viz/diffusion-steps/attributes';
import { LOSS_LANDSCAPE_ATTRIBUTES } from '../../src/viz/loss-landscape/attributes';
import { attributeName, type AttributeSpecs } from '../../src/viz/attributes';
import { openPage } from '../support/browser';

interface Decl {
  tagName: string;
  attributes: { name: string; fieldName: string; description: string }[];
  members: { name: string; kind: string }[];
  events: { name: string }[];
  cssProperties: { name: string }[];
}

const SPECS: Record<string, AttributeSpecs> = {
  'attention-map': ATTENTION_MAP_ATTRIBUTES,
  'flash-tiles': FLASH_TILES_ATTRIBUTES,
  'diffusion-steps': DIFFUSION_STEPS_ATTRIBUTES,
  'loss-landscape': LOSS_LANDSCAPE_ATTRIBUTES,
};

describe('custom elements manifest', () => {
  it('reads tags: continued lines, lists, ranges and a bare slot', () => {
    const docs = parseDocs(`/**
 * The summary.
 *
 * @attr n - queries, 1 … 2048
 *   (default 256).
 * @attr block-q, block-k - tile sizes.
 * @cssprop --ks-series-0 … --ks-series-2 - rows.
 * @slot - the content.
 */`);
    expect(docs.summary).toBe('The summary.');
    expect(docs.attrs).toEqual([
      { name: 'n', description: 'queries, 1 … 2048 (default 256).' },
      { name: 'block-q', description: 'tile sizes.' },
      { name: 'block-k', description: 'tile sizes.' },
    ]);
    expect(docs.cssprops.map((c) => c.name)).toEqual(['--ks-series-0', '--ks-series-1', '--ks-series-2']);
    expect(docs.slots).toEqual([{ name: '', description: 'the content.' }]);
    expect(expandNames('a, b')).toEqual(['a', 'b']);
  });

  it('declares every element with its spec table, events and custom properties, and no internal state', async () => {
    const manifest = (await buildManifest()) as {
      modules: { path: string; declarations: Decl[]; exports: { kind: string; name: string }[] }[];
    };
    expect(manifest.modules).toHaveLength(1);
    const mod = manifest.modules[0]!;
    expect(mod.path).toBe('dist/lib/viz.js');
    for (const [tag, specs] of Object.entries(SPECS)) {
      const d = mod.declarations.find((x) => x.tagName === tag);
      expect(d, tag).toBeDefined();
      expect(d!.attributes.map((a) => a.name).sort()).toEqual(
        Object.entries(specs)
          .map(([p, s]) => attributeName(p, s))
          .sort(),
      );
      for (const a of d!.attributes) expect(a.description, `${tag} ${a.name}`).toMatch(/Accepts /);
      expect(d!.events.map((e) => e.name)).toContain('ks-error');
      expect(d!.cssProperties.map((c) => c.name)).toContain('--ks-fg');
      const members = d!.members.map((m) => m.name);
      for (const hidden of ['hover', 'selectedHead', 'takeChanges', 'checkAcross', 'fire', 'render', 'styles', 'attributeSpecs'])
        expect(members, `${tag} hides ${hidden}`).not.toContain(hidden);
      expect(members).toContain('exportSvg');
      expect(members).toContain('settled');
      expect(mod.exports).toContainEqual(expect.objectContaining({ kind: 'custom-element-definition', name: tag }));
    }
  });

  it('demos/elements.html shows each element’s tables, a live example and its snippet', async () => {
    const { page, errors } = await openPage('/demos/elements.html', {
      waitFor: "document.body.dataset.ready !== 'pending'",
      timeoutMs: 170_000,
    });
    try {
      const r = await page.evaluate(() => ({
        ready: document.body.dataset.ready,
        sections: [...document.querySelectorAll('section.element-doc')].map((s) => ({
          id: s.id,
          tables: [...s.querySelectorAll('h3')].map((h) => h.textContent),
          attrRows: s.querySelector('table tbody')?.children.length ?? 0,
          snippet: s.querySelector('.snippet code')?.textContent ?? '',
          live: !!s.querySelector('.live > *')?.shadowRoot?.querySelector('svg'),
        })),
      }));
      expect(r.ready).toBe('true');
      for (const [tag, specs] of Object.entries(SPECS)) {
        const s = r.sections.find((x) => x.id === tag);
        expect(s, tag).toBeDefined();
        expect(s!.tables).toEqual(expect.arrayContaining(['Attributes', 'Methods', 'Events', 'CSS custom properties']));
        expect(s!.attrRows).toBe(Object.keys(specs).length);
        expect(s!.snippet).toMatch(new RegExp(`^<${tag} .*></${tag}>$`));
        expect(s!.live, `${tag} live example drawn`).toBe(true);
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
