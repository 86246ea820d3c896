import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Real schedulers (Slurm) start system daemons as root: their own CI step, `npm run test:deploy`.
    exclude: [...configDefaults.exclude, 'tests/deploy/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Native better-sqlite3 and worker_threads are happier in forked processes.
    pool: 'forks',
  },
});
