/**
 * Linear attention's launcher: features φ(√scale·x) of q and k, per-key weights, the
 * chunked prefix states of the keys (per K/V head), then the outputs (see
 * shaders/attention/linear_prefix.wgsl for what it computes).
 */
import type { Gpu } from '../../gpu/device';
import { Tensor } from '../../gpu/tensor';
import { packScalars } from '../../gpu/uniforms';
import { LINEAR_CHUNK, LINEAR_FEATURES_KERNEL, LINEAR_OUT_KERNEL, LINEAR_PREFIX_KERNEL, LINEAR_WEIGHTS_KERNEL } from './specs';
import { keyInfo, storageUsage, type Prepared } from './prepare';

/** Runs linear attention on prepared inputs. */
export async function runLinear(gpu: Gpu, op: string, x: Prepared): Promise<Tensor> {
  const { p } = x;
  const out = Tensor.zeros(gpu, p.outShape, `${op}:o`);
  const BH = p.B * p.H;
  // Grouped-query attention: key features and prefix states per K/V head (B·Hkv of them).
  const BKV = p.B * p.Hkv;
  if (BH * p.Nq * p.dv === 0) return out;
  const chunks = Math.max(1, Math.ceil(p.Nk / LINEAR_CHUNK));
  const rootScale = Math.sqrt(p.scale);
  const temporaries: GPUBuffer[] = [];
  try {
    const [pf, pw, pp, po] = await Promise.all([
      gpu.pipeline(LINEAR_FEATURES_KERNEL, { WG: 256 }),
      gpu.pipeline(LINEAR_WEIGHTS_KERNEL, { WG: 64 }),
      gpu.pipeline(LINEAR_PREFIX_KERNEL, { WG: 64, CH: LINEAR_CHUNK }),
      gpu.pipeline(LINEAR_OUT_KERNEL, { CH: LINEAR_CHUNK }),
    ]);
    const pre: ((e: GPUCommandEncoder) => void)[] = [];
    const kinfo = keyInfo(gpu, op, x, pre);
    const dummy = gpu.createBuffer(`${op}:unused`, 4, GPUBufferUsage.STORAGE);
    const w = gpu.createBuffer(`${op}:weights`, p.B * p.Nk * 4, storageUsage());
    const stateTotal = BKV * p.d * (p.dv + 1);
    const fq = gpu.createBuffer(`${op}:features-q`, BH * p.Nq * p.d * 4, storageUsage());
    const fk = gpu.createBuffer(`${op}:features-k`, BKV * p.Nk * p.d * 4, storageUsage());
    const fqParams = gpu.uniformBuffer(
      `${op}:params-fq`,
      packScalars([
        ['u32', BH * p.Nq * p.d],
        ['f32', rootScale],
      ]),
    );
    const fkParams = gpu.uniformBuffer(
      `${op}:params-fk`,
      packScalars([
        ['u32', BKV * p.Nk * p.d],
        ['f32', rootScale],
      ]),
    );
    const state = gpu.createBuffer(`${op}:state`, BKV * chunks * p.d * (p.dv + 1) * 4, storageUsage());
    const wParams = gpu.uniformBuffer(
      `${op}:params-w`,
      packScalars([
        ['u32', p.Nk],
        ['u32', p.B],
        ['u32', x.bias ? 1 : 0],
        ['u32', x.mask ? 1 : 0],
      ]),
    );
    const pParams = gpu.uniformBuffer(
      `${op}:params-prefix`,
      packScalars([
        ['u32', p.Nk],
        ['u32', p.d],
        ['u32', p.dv],
        ['u32', p.Hkv],
        ['u32', chunks],
        ['u32', stateTotal],
        ['u32', 0],
        ['u32', 0],
      ]),
    );
    const oParams = gpu.uniformBuffer(
      `${op}:params-out`,
      packScalars([
        ['u32', p.Nq],
        ['u32', p.Nk],
        ['u32', p.d],
        ['u32', p.dv],
        ['u32', p.H],
        ['u32', chunks],
        ['u32', BH * p.Nq],
        ['u32', p.causal ? 1 : 0],
        ['i32', p.causalOffset],
        ['u32', p.group],
        ['u32', 0],
        ['u32', 0],
      ]),
    );
    temporaries.push(kinfo, dummy, w, state, fq, fk, fqParams, fkParams, wParams, pParams, oParams);
    const vb = p.Nk > 0 ? x.v.buffer : dummy;
    await gpu.submit(
      op,
      (encoder) => {
        for (const f of pre) f(encoder);
        const pass = gpu.beginComputePass(encoder, op);
        pass.setPipeline(pf);
        pass.setBindGroup(0, gpu.bindGroup(LINEAR_FEATURES_KERNEL, { params: fqParams, x: x.q.buffer, y: fq }));
        gpu.dispatch(pass, Math.ceil((BH * p.Nq * p.d) / 256), op);
        if (p.Nk > 0) {
          pass.setBindGroup(0, gpu.bindGroup(LINEAR_FEATURES_KERNEL, { params: fkParams, x: x.k.buffer, y: fk }));
          gpu.dispatch(pass, Math.ceil((BKV * p.Nk * p.d) / 256), op);
          pass.setPipeline(pw);
          pass.setBindGroup(0, gpu.bindGroup(LINEAR_WEIGHTS_KERNEL, { params: wParams, bias: x.bias ? x.bias.buffer : dummy, kinfo, w }));
          pass.dispatchWorkgroups(p.B);
          pass.setPipeline(pp);
          pass.setBindGroup(0, gpu.bindGroup(LINEAR_PREFIX_KERNEL, { params: pParams, fk, v: vb, w, state }));
          gpu.dispatch(pass, Math.ceil(stateTotal / 64), op);
        }
        pass.setPipeline(po);
        pass.setBindGroup(0, gpu.bindGroup(LINEAR_OUT_KERNEL, { params: oParams, fq, fk, v: vb, w, state, o: out.buffer }));
        gpu.dispatch(pass, BH * p.Nq, op);
        pass.end();
      },
      temporaries,
    );
    return out;
  } catch (e) {
    for (const t of temporaries) gpu.release(t);
    out.destroy();
    throw e;
  }
}
