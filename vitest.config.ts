import { defineConfig } from 'vitest/config';

// chDB binds one data directory per process, so every test file runs in its own
// forked process (isolation) and creates its own DATA_DIR (see test/helpers).
export default defineConfig({
  test: {
    pool: 'forks',
    isolate: true,
    fileParallelism: true,
    maxWorkers: 2,
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**', 'dashboard/web/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
