import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Browser tests: the built app (dist/web, from `vite build`) served by the real API server,
 * driven in Chromium. `npm run test:e2e` builds first. One server for the run (global-setup.ts);
 * one file at a time, each with its own browser.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, '../..'),
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 360_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
