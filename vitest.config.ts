import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Native better-sqlite3 and worker_threads are happier in forked processes.
    pool: 'forks',
  },
});
