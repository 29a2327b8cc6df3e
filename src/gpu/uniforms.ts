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
