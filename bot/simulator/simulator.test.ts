/** The simulator against the real desk and sandbox: a replayed day lands in the past, live traffic flows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeatureHarness, type FeatureHarness } from '../features/test-support.js';
import { HOUR_WEIGHTS, csatScore, loadFactor, npsScore } from './model.js';
import { Rng } from './random.js';
import { startSimulator } from './simulator.js';

describe('traffic model', () => {
  it('peaks late morning and evening, is quiet at night and lighter on weekends', () => {
    const at = (iso: string) => loadFactor(new Date(iso));
    expect(at('2026-03-10T11:00:00Z')).toBeGreaterThan(3 * at('2026-03-10T03:00:00Z'));
    expect(at('2026-03-10T19:00:00Z')).toBeGreaterThan(at('2026-03-10T16:00:00Z'));
    expect(at('2026-03-15T11:00:00Z')).toBeLessThan(at('2026-03-10T11:00:00Z')); // Sunday vs Tuesday
    expect(HOUR_WEIGHTS).toHaveLength(24);
  });

  it('draws repeatable, well-shaped numbers', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    const r = new Rng(7);
    const xs = Array.from({ length: 4000 }, () => r.lognormal(6, 20)).sort((x, y) => x - y);
    expect(xs[2000]!).toBeGreaterThan(5);
    expect(xs[2000]!).toBeLessThan(7);
    expect(xs[3600]!).toBeGreaterThan(17);
    expect(xs[3600]!).toBeLessThan(23);
    const csat = Array.from({ length: 2000 }, () => csatScore(r, 5));
    expect(csat.reduce((s, x) => s + x, 0) / csat.length).toBeGreaterThan(4.1);
    expect(Math.min(...csat)).toBe(1);
    const nps = Array.from({ length: 2000 }, () => npsScore(r));
    expect(nps.every((x) => x >= 0 && x <= 10)).toBe(true);
  });
});

describe('simulator through the desk', () => {
  let h: FeatureHarness;
  beforeAll(async () => {
    h = await startFeatureHarness();
  });
  afterAll(async () => h?.close());

  it('replays a past day with past dates: tickets, KB answers, agents, ratings', async () => {
    const sim = startSimulator({ sandboxUrl: h.sandbox.url, historyDays: 1, historyPerDay: 14, live: false, seed: 11, waitMs: 20_000 });
    await sim.replayed;
    await sim.stop();
    const s = sim.stats;
    expect(s.started).toBeGreaterThanOrEqual(6);
    expect(s.lastError ?? "").toBe("");
    expect(s.failed).toBe(0);
    expect(s.outcomes.resolved + s.outcomes.kb + s.outcomes.waiting).toBeGreaterThan(0);

    const events = await h.settle();
    const tickets = await h.db.query<{ created_at: Date; status: string; resolved_by: string | null }>('SELECT created_at, status, resolved_by FROM tickets');
    expect(tickets.rows.length).toBe(s.started - s.outcomes.spam);
    const now = Date.now();
    for (const t of tickets.rows) {
      expect(t.created_at.getTime()).toBeLessThan(now - 3600_000);
      expect(t.created_at.getTime()).toBeGreaterThan(now - 27 * 3600_000);
    }
    expect(tickets.rows.filter((t) => t.resolved_by === 'agent').length).toBe(s.outcomes.resolved);
    expect(tickets.rows.filter((t) => t.resolved_by === 'kb').length).toBe(s.outcomes.kb);

    const replies = events.filter((e) => e.type === 'message_out');
    expect(replies.length).toBeGreaterThan(0);
    // Agent replies carry their simulated past dates, so first-response times are minutes, not the replay's milliseconds.
    const frts = replies.flatMap((e) => (e.type === 'message_out' && e.first_response_seconds !== null ? [e.first_response_seconds] : []));
    expect(Math.max(...frts)).toBeGreaterThan(60);
    expect(replies.every((e) => Date.parse(e.occurred_at) <= Date.now())).toBe(true);
    expect(replies.filter((e) => Date.parse(e.occurred_at) < now - 3600_000).length).toBeGreaterThan(replies.length / 2);
  });

  it('plays live traffic until stopped', async () => {
    const before = (await h.db.query('SELECT id FROM tickets')).rows.length;
    const sim = startSimulator({ sandboxUrl: h.sandbox.url, ratePerMinute: 30, speed: 60, seed: 5, waitMs: 20_000 });
    await h.client.waitFor(async () => ((await h.db.query('SELECT id FROM tickets')).rows.length > before + 1 ? true : undefined), { timeoutMs: 30_000, what: 'live tickets' });
    await sim.stop();
    expect(sim.stats.started).toBeGreaterThan(1);
  });
});
