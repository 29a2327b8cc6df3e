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

/** A uniform block's fields, in WGSL declaration order: each is 4 bytes. */
export type UniformLayout = readonly (readonly [name: string, type: 'u32' | 'i32' | 'f32'])[];

/** Packs `values` into a uniform block by field name (16-byte padded). */
export function packUniforms(kernel: string, layout: UniformLayout, values: Readonly<Record<string, number>>): ArrayBuffer {
  const extra = Object.keys(values).filter((k) => !layout.some(([name]) => name === k));
  if (extra.length) throw new Error(`${kernel}: unknown uniform field(s) ${extra.join(', ')}`);
  const buf = new ArrayBuffer(Math.max(16, Math.ceil((layout.length * 4) / 16) * 16));
  const view = new DataView(buf);
  layout.forEach(([name, type], i) => {
    const v = Object.hasOwn(values, name) ? values[name] : undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${kernel}: uniform field '${name}' is ${String(v)}`);
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
