import { defineConfig } from 'vitest/config';

/**
 * Unit tests live next to the code (geo/, api/, web/); integration tests in tests/integration run
 * against a real database (embedded PGlite by default, PostgreSQL when DATABASE_URL is set);
 * tests/bench holds the tests of the benchmark's own parts (its load's HTTP client); tests/fences
 * checks the code base's shape (layer imports, landed migrations, file lengths).
 * Browser tests (tests/e2e) have their own command: `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    include: [
      'geo/**/*.test.ts',
      'api/**/*.test.ts',
      'web/**/*.test.ts',
      'tests/integration/**/*.test.ts',
      'tests/bench/**/*.test.ts',
      'tests/fences/**/*.test.ts',
    ],
    globalSetup: ['tests/integration/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One process for every file, modules shared: the seeded database starts once per run.
    fileParallelism: false,
    isolate: false,
  },
});
