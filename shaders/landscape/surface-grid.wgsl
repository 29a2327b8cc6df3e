// surface-grid: f(x, y) of an analytic surface on an R×R grid, for contours.
//
// out[j·R + i] = f(x0 + i·dx, y0 + j·dy): row j is one y. The surface functions
// come from shaders/optim/surfaces.wgsl, prepended by the launcher. dx and dy are
// computed once on the host, in f32, exactly as the CPU reference does.
//
// Tiling: none. Invocation i of linear workgroup w owns grid point w·WG + i.

override WG: u32 = 256;

struct GridParams {
  surface: Surface,
  res: u32,     // R
  x0: f32,
  y0: f32,
  dx: f32,
  dy: f32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> params: GridParams;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;   // [R, R]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let k = (wid.x + wid.y * nwg.x) * WG + lid;
  let r = params.res;
  if (k >= r * r) { return; }
  let i = k % r;
  let j = k / r;
  let p = vec2f(params.x0 + f32(i) * params.dx, params.y0 + f32(j) * params.dy);
  out[k] = surface_value(params.surface, p);
}
