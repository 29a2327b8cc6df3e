/**
 * The MLP's parameter layout and the 2-D slice's grid: the rules that the GPU slice
 * kernels (`src/kernels/landscape.ts`) and the CPU reference (`src/reference/mlp.ts`)
 * share. Parameters are one flat vector, layer by layer: W_l as [in, out] row-major
 * (h_out = h_in · W_l + b_l), then b_l.
 */

/** A labelled 2-D point set: x is [N, 2], labels are 0 … C − 1. */
export interface Dataset {
  x: Float32Array;
  labels: Uint32Array;
  n: number;
  classes: number;
}

/** Where each layer's weights and bias live in the flat parameter vector. */
export interface LayerSlot {
  inDim: number;
  outDim: number;
  /** Offset of W ([in, out]) and of b ([out]). */
  w: number;
  b: number;
}

/** The layout of an MLP with layer sizes `sizes` (e.g. [2, 16, 16, 2]). */
export function mlpLayout(sizes: readonly number[]): { layers: LayerSlot[]; count: number } {
  const layers: LayerSlot[] = [];
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inDim = sizes[l]!;
    const outDim = sizes[l + 1]!;
    layers.push({ inDim, outDim, w: off, b: off + inDim * outDim });
    off += inDim * outDim + outDim;
  }
  return { layers, count: off };
}

/** A 2-D slice: θ(α, β) = θ* + α·d₁ + β·d₂ on a G×G grid, α along columns, β along rows. */
export interface SliceInput {
  sizes: readonly number[];
  params: Float32Array;
  d1: Float32Array;
  d2: Float32Array;
  data: Dataset;
  resolution: number;
  /** [α0, α1, β0, β1]. */
  domain: readonly [number, number, number, number];
}

/** The f32 grid coordinates both the GPU and CPU use: α_i = α0 + i·dα. */
export function sliceCoordinates(input: Pick<SliceInput, 'resolution' | 'domain'>): { a0: number; da: number; b0: number; db: number } {
  const G = input.resolution;
  const [a0, a1, b0, b1] = input.domain.map(Math.fround) as [number, number, number, number];
  return { a0, da: Math.fround((a1 - a0) / (G - 1)), b0, db: Math.fround((b1 - b0) / (G - 1)) };
}
