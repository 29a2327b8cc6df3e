/**
 * Packs a uniform block of 4-byte scalars. The WGSL side declares a struct of
 * `u32`/`i32`/`f32` fields in the same order; each field is 4-byte aligned, and the
 * block is padded to 16 bytes as uniform buffers require.
 */
export type ScalarField = readonly ['u32' | 'i32' | 'f32', number];

export function packScalars(fields: readonly ScalarField[]): ArrayBuffer {
  const bytes = Math.max(16, Math.ceil((fields.length * 4) / 16) * 16);
  const buf = new ArrayBuffer(bytes);
  const view = new DataView(buf);
  fields.forEach(([type, value], i) => {
    if (type === 'f32') view.setFloat32(i * 4, value, true);
    else if (type === 'i32') view.setInt32(i * 4, value, true);
    else view.setUint32(i * 4, value, true);
  });
  return buf;
}

/**
 * A uniform block's fields, in WGSL declaration order: each is 4 bytes. A field with a
 * third entry is a constant (padding, a fixed −∞): packed from the layout, never passed.
 */
export type UniformLayout = readonly (readonly [name: string, type: 'u32' | 'i32' | 'f32', constant?: number])[];

/** The usual uniform block of a kernel: binding `params` with these fields (the WGSL struct `Params`). */
export function paramsBlock(layout: UniformLayout): { readonly binding: 'params'; readonly layout: UniformLayout } {
  return { binding: 'params', layout };
}

/**
 * Packs `values` into a uniform block by field name (16-byte padded). Every field but the
 * layout's constants must be given, finite; a name the layout lacks (or a constant's) is an error.
 */
export function packUniforms(kernel: string, layout: UniformLayout, values: Readonly<Record<string, number>>): ArrayBuffer {
  const extra = Object.keys(values).filter((k) => !layout.some(([name, , constant]) => name === k && constant === undefined));
  if (extra.length) throw new Error(`${kernel}: unknown uniform field(s) ${extra.join(', ')}`);
  const buf = new ArrayBuffer(Math.max(16, Math.ceil((layout.length * 4) / 16) * 16));
  const view = new DataView(buf);
  layout.forEach(([name, type, constant], i) => {
    const v = constant ?? (Object.hasOwn(values, name) ? values[name] : undefined);
    if (typeof v !== 'number' || (constant === undefined && !Number.isFinite(v)))
      throw new Error(`${kernel}: uniform field '${name}' is ${String(v)}`);
    if (type === 'f32') view.setFloat32(i * 4, v, true);
    else if (type === 'i32') view.setInt32(i * 4, v, true);
    else view.setUint32(i * 4, v, true);
  });
  return buf;
}

/** A WGSL `struct <name> { … }`'s fields as [name, type] pairs (comments stripped), for tests. */
export function parseWgslStruct(code: string, struct: string): [string, string][] {
  const text = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const m = new RegExp(`struct\\s+${struct}\\s*\\{([^}]*)\\}`).exec(text);
  if (!m) return [];
  return [...m[1]!.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z0-9_<>]+)/g)].map((f) => [f[1]!, f[2]!]);
}

/**
 * The uniform block bound as `binding` in WGSL `code`, flattened to [name, type] pairs:
 * the struct of `var<uniform> binding: T`, with a nested struct's fields named
 * `outer.inner` (for tests that check a `UniformLayout` against the WGSL).
 */
export function wgslUniformFields(code: string, binding: string): [string, string][] {
  const text = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const type = new RegExp(`var\\s*<\\s*uniform\\s*>\\s*${binding}\\s*:\\s*([A-Za-z_][A-Za-z0-9_]*)`).exec(text)?.[1];
  const flatten = (struct: string, prefix: string): [string, string][] =>
    parseWgslStruct(text, struct).flatMap(([n, t]) => {
      const inner = /^[A-Z]/.test(t) ? flatten(t, `${prefix}${n}.`) : [];
      return inner.length ? inner : [[`${prefix}${n}`, t] as [string, string]];
    });
  return type ? flatten(type, '') : [];
}
