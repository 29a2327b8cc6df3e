// @ts-check
/**
 * The Custom Elements Manifest of `kernelscope/viz` (dist/lib/custom-elements.json), made by
 * `@custom-elements-manifest/analyzer` over src/viz, then completed from what the analyzer
 * cannot read:
 *
 * - attributes come from each element's spec table (`static attributeSpecs`, loaded through
 *   Vite): the name in markup, the type, the default and the accepted values, with the words of
 *   the element's `@attr` tags;
 * - `@attr`, `@prop`, `@fires`, `@cssprop`, `@csspart` and `@slot` tags are read from the
 *   class's JSDoc (or the module's, for elements still documented there), with continued lines,
 *   lists (`--ks-fg, --ks-bg`) and ranges (`--ks-series-0 … --ks-series-6`) expanded;
 * - internal state (`state: true` properties, private and protected members, Lit's statics) is
 *   left out.
 *
 * Every element is declared in one module, `dist/lib/viz.js`, the file that defines them.
 * `node tools/manifest.mjs [--out FILE]` writes it (default dist/lib/custom-elements.json).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

/** The analyzer's `create`, its TypeScript, and its Lit plugins (its published types omit these). */
async function analyzer() {
  const LIT = '@custom-elements-manifest/analyzer/src/features/framework-plugins/lit/lit.js';
  /** @type {any} */
  const main = await import('@custom-elements-manifest/analyzer');
  /** @type {any} */
  const lit = await import(LIT);
  return {
    /** @type {(opts: { modules: unknown[], plugins: unknown[] }) => any} */ create: main.create,
    /** @type {typeof import('typescript')} */ ts: main.ts,
    /** @type {() => unknown[]} */ litPlugin: lit.litPlugin,
  };
}

const ROOT = resolve(import.meta.dirname, '..');
const VIZ = join(ROOT, 'src', 'viz');
/** The package module that defines every element. */
export const VIZ_MODULE = 'dist/lib/viz.js';
/** Statics and members every Lit element has, never part of an element's API. */
const HIDDEN = new Set(['styles', 'properties', 'attributeSpecs', 'shadowRootOptions', 'render', 'updated', 'willUpdate', 'firstUpdated']);

/**
 * @typedef {{ name: string, description: string, extra?: string }} Tag
 * @typedef {{ attrs: Tag[], props: Tag[], fires: Tag[], cssprops: Tag[], cssparts: Tag[], slots: Tag[], summary: string }} Docs
 * @typedef {{ docs: Docs, states: Set<string>, specIdent: string | null, specModule: string | null }} ClassInfo
 */

/** Every TypeScript file under `dir`, recursively. @param {string} dir @returns {string[]} */
function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * Splits a JSDoc comment's text into its summary and its tags (continued lines joined).
 * @param {string} text the comment, `/**` … `*\/` included
 * @returns {Docs}
 */
export function parseDocs(text) {
  const lines = text
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''));
  /** @type {Docs} */
  const docs = { attrs: [], props: [], fires: [], cssprops: [], cssparts: [], slots: [], summary: '' };
  /** @type {Record<string, Tag[]>} */
  const lists = { attr: docs.attrs, prop: docs.props, fires: docs.fires, cssprop: docs.cssprops, csspart: docs.cssparts, slot: docs.slots };
  const summary = [];
  /** @type {{ list: Tag[], text: string } | null} */
  let current = null;
  const flush = () => {
    if (!current) return;
    const m = /^(.*?)(?:(?:^|\s+)-\s+|$)([\s\S]*)$/.exec(current.text.trim());
    const names = (m?.[1] ?? '').trim();
    const description = (m?.[2] ?? '').replace(/\s+/g, ' ').trim();
    for (const name of expandNames(names)) current.list.push({ name, description });
    current = null;
  };
  for (const line of lines) {
    const tag = /^@(\w+)\s*(.*)$/.exec(line.trim());
    if (tag) {
      flush();
      const list = lists[tag[1] ?? ''];
      if (list) current = { list, text: tag[2] ?? '' };
      continue;
    }
    if (current) current.text += ` ${line.trim()}`;
    else summary.push(line);
  }
  flush();
  docs.summary = summary.join(' ').replace(/\s+/g, ' ').trim();
  return docs;
}

/**
 * `a, b` → [a, b]; `--ks-series-0 … --ks-series-6` → the seven names; a bare slot tag → ''.
 * @param {string} names
 * @returns {string[]}
 */
export function expandNames(names) {
  const range = /^(.*?)(\d+)\s*(?:…|\.\.\.)\s*\1(\d+)$/.exec(names);
  if (range) {
    const out = [];
    for (let i = Number(range[2]); i <= Number(range[3]); i++) out.push(`${range[1]}${i}`);
    return out;
  }
  const list = names
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length ? list : [''];
}

/**
 * An analyzer plugin that records, per class, its JSDoc (else its module's), its
 * `state: true` properties and where its attribute specs come from.
 * @param {Map<string, ClassInfo>} classes
 * @returns {{ name: string, analyzePhase: (params: { ts: typeof import('typescript'), node: import('typescript').Node }) => void }}
 */
function kernelscopePlugin(classes) {
  return {
    name: 'kernelscope',
    analyzePhase({ ts: t, node }) {
      if (!t.isClassDeclaration(node) || !node.name) return;
      const source = node.getSourceFile();
      /** @type {any} */
      const withDoc = node;
      const classDoc = withDoc.jsDoc?.at(-1);
      /** @type {any} */
      const first = source.statements[0];
      const moduleDoc = first && first !== node ? first.jsDoc?.[0] : undefined;
      const doc = classDoc ?? moduleDoc;
      /** @type {ClassInfo} */
      const info = { docs: parseDocs(doc ? doc.getText() : ''), states: new Set(), specIdent: null, specModule: null };
      for (const member of node.members) {
        if (!t.isPropertyDeclaration(member) || !member.initializer || !t.isIdentifier(member.name)) continue;
        if (member.name.text === 'properties' && t.isObjectLiteralExpression(member.initializer)) {
          for (const p of member.initializer.properties) {
            if (!t.isPropertyAssignment(p) || !t.isObjectLiteralExpression(p.initializer)) continue;
            const state = p.initializer.properties.some(
              (q) => t.isPropertyAssignment(q) && q.name.getText() === 'state' && q.initializer.kind === t.SyntaxKind.TrueKeyword,
            );
            if (state) info.states.add(p.name.getText());
          }
        }
        if (member.name.text === 'attributeSpecs' && t.isIdentifier(member.initializer)) info.specIdent = member.initializer.text;
      }
      if (info.specIdent) {
        for (const s of source.statements) {
          if (!t.isImportDeclaration(s) || !s.importClause?.namedBindings || !t.isNamedImports(s.importClause.namedBindings)) continue;
          if (t.isStringLiteral(s.moduleSpecifier) && s.importClause.namedBindings.elements.some((e) => e.name.text === info.specIdent))
            info.specModule = resolve(dirname(source.fileName), `${s.moduleSpecifier.text}.ts`);
        }
        info.specModule ??= source.fileName;
      }
      classes.set(node.name.text, info);
    },
  };
}

/**
 * The TypeScript type text of a spec's values.
 * @param {any} spec
 */
function specType(spec) {
  const nullable = spec.default === null ? ' | null' : '';
  switch (spec.kind) {
    case 'integer':
    case 'number':
      return `number${nullable}`;
    case 'boolean':
      return 'boolean';
    case 'enum':
      return (
        Object.keys(spec.values)
          .map((v) => JSON.stringify(v))
          .join(' | ') + nullable
      );
    case 'list':
      return `number[]${nullable}`;
    case 'json':
      return 'object | string | null';
    default:
      return `string${nullable}`;
  }
}

/**
 * Builds the manifest object.
 * @returns {Promise<any>}
 */
export async function buildManifest() {
  const { create, ts, litPlugin } = await analyzer();
  const files = tsFiles(VIZ);
  const modules = files.map((f) => ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true));
  /** @type {Map<string, ClassInfo>} */
  const classes = new Map();
  const raw = create({ modules, plugins: [...litPlugin(), kernelscopePlugin(classes)] });

  const { runnerImport } = await import('vite');
  const attributes = (await runnerImport(join(VIZ, 'attributes.ts'))).module;
  /** @type {any[]} */
  const declarations = [];
  /** @type {any[]} */
  const exports = [];
  for (const mod of raw.modules) {
    for (const decl of mod.declarations ?? []) {
      if (!decl.customElement || !decl.tagName) continue;
      const info = classes.get(decl.name);
      if (!info) continue;
      const specs = info.specIdent && info.specModule ? (await runnerImport(info.specModule)).module[info.specIdent] : null;
      declarations.push(await elementDeclaration(decl, info, specs, attributes));
      exports.push(
        { kind: 'js', name: decl.name, declaration: { name: decl.name, module: VIZ_MODULE } },
        { kind: 'custom-element-definition', name: decl.tagName, declaration: { name: decl.name, module: VIZ_MODULE } },
      );
    }
  }
  declarations.sort((a, b) => a.tagName.localeCompare(b.tagName));
  return {
    schemaVersion: '2.1.0',
    readme: 'README.md',
    modules: [{ kind: 'javascript-module', path: VIZ_MODULE, declarations, exports }],
  };
}

/**
 * One element's declaration: the analyzer's public members, and the attributes, events,
 * CSS properties, parts and slots from the specs and the docs.
 * @param {any} decl @param {ClassInfo} info @param {any} specs @param {any} attributes
 */
async function elementDeclaration(decl, info, specs, attributes) {
  const { docs } = info;
  const attrDoc = new Map(docs.attrs.map((a) => [a.name, a.description]));
  const propDoc = new Map(docs.props.map((p) => [p.name, p.description]));
  /** @type {any[]} */
  let attrs;
  if (specs) {
    attrs = Object.entries(specs).map(([property, spec]) => {
      const name = attributes.attributeName(property, spec);
      const words = attrDoc.get(name);
      return {
        name,
        fieldName: property,
        type: { text: specType(spec) },
        ...(spec.default !== null && spec.default !== undefined ? { default: JSON.stringify(spec.default) } : {}),
        description: [words, `Accepts ${attributes.expectedText(spec)}.`].filter(Boolean).join(' '),
      };
    });
  } else {
    attrs = (decl.attributes ?? [])
      .filter((/** @type {any} */ a) => !info.states.has(a.fieldName ?? a.name))
      .map((/** @type {any} */ a) => ({ ...a, description: attrDoc.get(a.name) ?? a.description ?? '' }));
  }
  const attrFields = new Set(attrs.map((a) => a.fieldName));
  const members = (decl.members ?? [])
    .filter((/** @type {any} */ m) => !m.privacy || m.privacy === 'public')
    .filter((/** @type {any} */ m) => !info.states.has(m.name) && !HIDDEN.has(m.name) && !m.name.startsWith('_') && !m.name.startsWith('#'))
    .filter((/** @type {any} */ m) => !m.static)
    .map((/** @type {any} */ m) => {
      const out = { ...m };
      delete out.inheritedFrom;
      delete out.privacy;
      if (propDoc.has(m.name)) out.description = propDoc.get(m.name);
      if (attrFields.has(m.name)) out.attribute = attrs.find((a) => a.fieldName === m.name)?.name;
      return out;
    });
  return {
    kind: 'class',
    customElement: true,
    name: decl.name,
    tagName: decl.tagName,
    description: docs.summary,
    summary: (docs.summary.split(/\.\s/)[0] ?? '').replace(/^`<[\w-]+>`:\s*/, '').replace(/\.$/, ''),
    superclass: { name: 'LitElement', package: 'lit' },
    attributes: attrs,
    members,
    events: docs.fires.map((e) => ({ name: e.name, type: { text: 'CustomEvent' }, description: e.description })),
    cssProperties: docs.cssprops.map((c) => ({ name: c.name, description: c.description })),
    cssParts: docs.cssparts.map((c) => ({ name: c.name, description: c.description })),
    slots: docs.slots.map((s) => ({ name: s.name, description: s.description })),
  };
}

/**
 * Writes the manifest to `out`.
 * @param {{ out?: string }} [opts]
 */
export async function writeManifest(opts = {}) {
  const out = opts.out ?? join(ROOT, 'dist', 'lib', 'custom-elements.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(await buildManifest(), null, 2)}\n`);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  console.log(`kernelscope: manifest written to ${await writeManifest({ out: values.out && resolve(values.out) })}`);
}
