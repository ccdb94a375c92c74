/**
 * The longer chaos run (issue 18, item 6), outside the default suite: the world of the suite's bounded run
 * (test/bot/chaos-world.ts: `npm run bot` and `npm run ingest` as processes over Kafka, the sandbox failing
 * CHAOS_FAULTS of the Bot API calls the desk serves with, SIGKILLs of the bot, the ingest or both at seeded
 * random points) with more customers and messages, and as many seeds and kills as asked, once per seed:
 *
 *   bash scripts/services.sh start; eval "$(bash scripts/services.sh env | sed 's/^/export /')"
 *   CHAOS_SEEDS=1-12 npx vitest run --config bench/bot/chaos.config.ts
 *
 * (CHAOS_SEEDS: a list or a range, default 1-3; CHAOS_KILLS default 12; CHAOS_CUSTOMERS 10; CHAOS_MESSAGES 5;
 * CHAOS_FAULTS 0.3; CHAOS_TRACE=1 prints each kill). Each seed prints one result line for BENCHMARKS.md ("Chaos"):
 * resent counts the copies sent again after a restart (flagged by a note), duplicates how many of them the
 * sandbox had done before the kill (delivered twice), left the claims left without a pair (none expected).
 */
import { describe, expect, it } from 'vitest';
import { expectDelivered, resentSummary, runChaos } from '../../test/bot/chaos-world.js';

function seeds(spec: string): number[] {
  return spec.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
  });
}

const scenario = { customers: Number(process.env.CHAOS_CUSTOMERS ?? 10), messages: Number(process.env.CHAOS_MESSAGES ?? 5) };
const kills = Number(process.env.CHAOS_KILLS ?? 12);
const faults = Number(process.env.CHAOS_FAULTS ?? 0.3);

describe('chaos, longer: SIGKILLs of the bot and the ingest under Telegram faults', () => {
  for (const seed of seeds(process.env.CHAOS_SEEDS ?? '1-3'))
    it(`seed ${seed}`, async () => {
      const r = await runChaos({
        seed,
        kills,
        faults,
        gapMs: [200, 2500],
        firstCustomer: 18_600 + seed * 100,
        trace: Boolean(process.env.CHAOS_TRACE),
        ...scenario,
      });
      const re = resentSummary(r);
      console.log(
        `chaos seed=${seed} rounds=${r.kills.rounds} kills=bot:${r.kills.bot},ingest:${r.kills.ingest} resent=${re.resent} duplicates=${re.duplicates} left=${re.leftClaims} customers=${scenario.customers} messages=${scenario.customers * (scenario.messages + 1)} events=${r.outbox.ids} duration=${(r.durationMs / 1000).toFixed(1)}s`,
      );
      expect(r.kills.rounds).toBe(kills);
      expectDelivered(r, scenario);
    });
});
