import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report lets .ci/run print plain totals.
    reporters: ['default', 'json'],
    outputFile: { json: 'tests/.artifacts/vitest.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/gpu/**/*.test.ts', 'tests/viz/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'tests/bench/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          // One shared browser on a small machine: files run one after another.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        // Timing runs that print figures (never assert them). `npm run measure`; not part of `npm test`.
        test: {
          name: 'measure',
          include: ['tests/measure/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
