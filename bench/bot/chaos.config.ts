import { defineConfig } from 'vitest/config';

// The chaos run (bench/bot/chaos.spec.ts) outside the default suite: `npx vitest run --config bench/bot/chaos.config.ts`
// (CHAOS_SEED, CHAOS_KILLS, CHAOS_TRACE=1 prints each kill).
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['bench/bot/chaos.spec.ts'],
    testTimeout: 150_000,
    hookTimeout: 120_000,
  },
});
