/** The site's pages, in reading order: the navigation of every demo page. */
export interface SitePage {
  /** File name under demos/, without `.html`. */
  id: string;
  title: string;
  /** The research-engineer skill the page trains (docs/TOPICS.md). */
  skill: string;
}

export const SITE_PAGES: readonly SitePage[] = [
  {
    id: 'matmul',
    title: 'Matmul ladder',
    skill: 'Explain why workgroup tiling and register blocking raise arithmetic intensity, and read a roofline.',
  },
  {
    id: 'softmax',
    title: 'Stable softmax',
    skill: 'Derive the max-subtraction and log-sum-exp trick, and say what a fully masked row must give.',
  },
  {
    id: 'attention',
    title: 'Naive vs flash attention',
    skill: 'Explain the N×N memory bottleneck, derive the online softmax, and compare naive, flash and linear attention.',
  },
  {
    id: 'attention-maps',
    title: 'Attention maps',
    skill: 'Implement multi-head attention with correct masking, and read the patterns heads learn.',
  },
  {
    id: 'diffusion',
    title: 'Diffusion (DDPM)',
    skill: 'Describe the forward process, the noise schedules, ε-prediction and the reverse sampling step.',
  },
  {
    id: 'optimizers',
    title: 'Optimizers',
    skill: 'Explain what momentum, Nesterov, AdaGrad, RMSProp, Adam and AMSGrad each fix, and where each fails.',
  },
  { id: 'landscape', title: 'Loss landscapes', skill: 'Reason about saddles and sharp versus flat minima on a real network’s loss slice.' },
  { id: 'training', title: 'Training on the GPU', skill: 'Write backward passes, implement Adam, and train a DDPM denoiser.' },
  { id: 'gradcheck', title: 'Numerical checking', skill: 'Verify analytic gradients against numerical ones, and kernels against float64.' },
  { id: 'bench', title: 'Benchmark', skill: 'Report medians with spread, compare ratios from one run, and avoid timing artefacts.' },
];
