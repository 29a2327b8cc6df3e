/** The work of one call of each case, from the counts in flops.ts. Pure (no GPU). */
import { attentionCaseWork } from './attention-case';
import { FMA_FLOPS_PER_ITERATION, matmulBytes, matmulFlops, softmaxBytes, softmaxFlops } from './flops';
import type { BenchCase } from './types';

/** FLOPs and compulsory bytes of one call of a case (see flops.ts for the definitions). */
export function caseWork(c: BenchCase): { flops: number; bytes: number } {
  const p = c.params as Record<string, number>;
  switch (c.suite) {
    case 'matmul':
      return { flops: matmulFlops(p.M!, p.K!, p.N!), bytes: matmulBytes(p.M!, p.K!, p.N!) };
    case 'attention':
    case 'decode':
      return attentionCaseWork(c);
    case 'softmax':
      return { flops: softmaxFlops(p.rows!, p.cols!), bytes: softmaxBytes(p.rows!, p.cols!) };
    case 'roofline':
      return c.params.probe === 'copy'
        ? { flops: 0, bytes: 8 * p.elements! * (p.reps ?? 1) }
        : { flops: p.invocations! * p.iterations! * FMA_FLOPS_PER_ITERATION, bytes: 16 * p.invocations! };
  }
}
