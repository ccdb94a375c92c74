/**
 * Exactly once, end to end, under faults (issue 18, item 6) — the bounded run of the suite: the bot and the
 * ingest (the bus's consumer into ClickHouse) as their own processes over Kafka, the sandbox failing 30 % of
 * the Bot API calls the desk serves with, a dozen SIGKILLs of the bot, the ingest or both at seeded random points while six
 * customers write and an agent answers (test/bot/chaos-world.ts). Then: every customer message in its topic and
 * every reply at its customer at least once — more than once only for a copy a kill cut off, sent again after
 * the restart and flagged by a note in the topic (no Bot API call can be made idempotent: a duplicate is better
 * than a loss, see bot/README "Guarantees") — every event once in the outbox and once in ClickHouse, and the
 * metrics as the scenario played them. Fixed seed; the longer variant (more
 * customers, seeds, kills) is bench/bot/chaos.spec.ts, its results in BENCHMARKS.md ("Chaos").
 */
import { describe, expect, it } from 'vitest';
import { expectDelivered, resentSummary, runChaos } from './chaos-world.js';

const scenario = { customers: 6, messages: 3 };

describe('chaos: SIGKILLs of the bot and the ingest, 30 % Telegram faults', () => {
  it('every message and reply at least once (a duplicate only for a cut-off copy, flagged), every event once in ClickHouse, the metrics as played', {
    timeout: 540_000,
  }, async () => {
    const r = await runChaos({
      seed: 18_006,
      kills: 12,
      faults: 0.3,
      gapMs: [200, 1500],
      firstCustomer: 18_900,
      trace: Boolean(process.env.CHAOS_TRACE),
      ...scenario,
    });
    expect(r.kills.rounds).toBe(12);
    console.log(`chaos: ${JSON.stringify({ kills: r.kills, ...resentSummary(r), events: r.outbox.ids, durationMs: r.durationMs })}`);
    expectDelivered(r, scenario);
  });
});
