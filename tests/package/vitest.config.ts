/**
 * `npm run test:package`: the packed package in a fixture app (tests/package/package.test.ts).
 * Separate from `npm test` (it packs, installs and builds: about a minute or two).
 */
import { defineConfig } from 'vitest/config';
import { join } from 'node:path';

export default defineConfig({
  test: {
    root: join(import.meta.dirname, '../..'),
    include: ['tests/package/**/*.test.ts'],
    environment: 'node',
    reporters: ['default', 'json'],
    outputFile: { json: 'tests/.artifacts/vitest-package.json' },
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
