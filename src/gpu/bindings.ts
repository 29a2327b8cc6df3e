/**
 * Binding tables. Each kernel declares its bindings once, in order (binding i is
 * entry i of group 0). The table builds the explicit bind-group layout, names the
 * buffers when a bind group is made, and a test checks it against the WGSL text.
 */

/** How the shader sees a binding. */
export type BindingKind = 'uniform' | 'read-only-storage' | 'storage';

export interface BindingSpec {
  /** The WGSL variable name. */
  readonly name: string;
  readonly kind: BindingKind;
}

/** A kernel's shader plus its declared bindings. */
export interface KernelSpec {
  /** Stable, human-readable name; part of the pipeline cache key. */
  readonly name: string;
  readonly code: string;
  readonly entryPoint?: string;
  readonly bindings: readonly BindingSpec[];
}

/** A binding as declared in WGSL: `@group(0) @binding(i) var<...> name`. */
export interface WgslBinding {
  group: number;
  binding: number;
  name: string;
  kind: BindingKind;
}

const BINDING_RE = /@group\((\d+)\)\s*@binding\((\d+)\)\s*var\s*<\s*([a-z_]+)\s*(?:,\s*([a-z_]+)\s*)?>\s*([A-Za-z_][A-Za-z0-9_]*)/g;

/** Parses the buffer bindings out of WGSL source (comments stripped first). */
export function parseWgslBindings(code: string): WgslBinding[] {
  const text = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const out: WgslBinding[] = [];
  for (const m of text.matchAll(BINDING_RE)) {
    const [, group, binding, space, access, name] = m;
    const kind: BindingKind = space === 'uniform' ? 'uniform' : access === 'read_write' ? 'storage' : 'read-only-storage';
    out.push({ group: Number(group), binding: Number(binding), name: name!, kind });
  }
  return out.sort((a, b) => a.group - b.group || a.binding - b.binding);
}

export function layoutEntries(bindings: readonly BindingSpec[]): GPUBindGroupLayoutEntry[] {
  return bindings.map((b, i) => ({ binding: i, visibility: GPUShaderStage.COMPUTE, buffer: { type: b.kind } }));
}

/** Bind-group entries from a name → buffer record, in table order. Throws on a missing name. */
export function bindGroupEntries(spec: KernelSpec, buffers: Record<string, GPUBuffer>): GPUBindGroupEntry[] {
  return spec.bindings.map((b, i) => {
    const buffer = buffers[b.name];
    if (!buffer) throw new Error(`${spec.name}: no buffer given for binding '${b.name}'`);
    return { binding: i, resource: { buffer } };
  });
}
