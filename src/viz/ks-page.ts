/** @deprecated The page shell moved to `src/site/ks-page.ts` (page plumbing is not part of `kernelscope/viz`). */
export { KsPage } from '../site/ks-page';
