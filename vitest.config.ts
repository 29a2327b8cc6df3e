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
        // The kernels in Node on Dawn (the optional `webgpu` package), SwiftShader by default
        // (KS_NODE_ADAPTER=default: the machine's GPU). No browser. Each file is its own process.
        test: {
          name: 'node',
          include: ['tests/node/**/*.test.ts'],
          exclude: ['tests/node/pack.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        // Builds the bench pack and runs its run.sh on one quick case (SwiftShader). Not in `npm test`.
        test: {
          name: 'pack',
          include: ['tests/node/pack.test.ts'],
          environment: 'node',
          testTimeout: 900_000,
          hookTimeout: 900_000,
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
