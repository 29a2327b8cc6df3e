/** @deprecated TeX rendering for pages moved to `src/site/math.ts`. */
export { renderMath } from '../site/math';
