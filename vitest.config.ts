import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The package imports itself as 'alice' (as a user would); point that at the source entry.
    alias: { alice: fileURLToPath(new URL('./index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores on CI machines: forks keep worker memory isolated; model-checking tests are CPU-bound.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
