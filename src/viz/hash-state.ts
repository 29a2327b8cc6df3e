/** @deprecated Page state in the URL hash moved to `src/site/hash-state.ts`. */
export { readHash, writeHash } from '../site/hash-state';
