import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: one file at a time, one test at a time (two cores, fixed demo
// ports 8470/8471 that the demo-profile build pins), with long timeouts for browser starts
// and 100+ MiB downloads.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    // The store pictures are taken by `npm run store:screenshots` (vitest.store.config.ts).
    exclude: ['**/node_modules/**', 'test/e2e/store-screenshots.e2e.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
    reporters: ['default'],
  },
});
