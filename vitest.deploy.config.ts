import { defineConfig } from 'vitest/config';

/** Tests that start real schedulers (tests/deploy): run with `npm run test:deploy`, CI's own step. */
export default defineConfig({
  test: {
    include: ['tests/deploy/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 1_200_000,
    pool: 'forks',
  },
});
