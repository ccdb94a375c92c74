import { defineConfig } from 'vitest/config';

// The longer chaos run (bench/bot/chaos.spec.ts) outside the default suite: `npx vitest run --config bench/bot/chaos.config.ts`
// (CHAOS_SEEDS, CHAOS_KILLS, CHAOS_CUSTOMERS, CHAOS_MESSAGES, CHAOS_FAULTS, CHAOS_TRACE=1 prints each kill).
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['bench/bot/chaos.spec.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
