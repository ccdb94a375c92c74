/** The simulator against the real desk and sandbox: a replayed day lands in the past, live traffic flows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupportEvent } from '../schemas/events.js';
import { startFeatureHarness, type FeatureHarness } from '../test/bot/feature-harness.js';
import { analyticsIdOf } from '../bot/store/pseudonyms.js';
import { HOUR_WEIGHTS, TICKETS_PER_DAY, csatScore, loadFactor, npsScore } from './model.js';
import { Rng } from './random.js';
import { historyArrivals, liveArrivals, startSimulator } from './simulator.js';
import type { Timeline } from './timeline.js';

/** A timeline whose waits pass at once: live traffic for days in milliseconds. */
function virtualTimeline(startMs: number): Timeline {
  let t = startMs;
  return { stamp: () => Math.floor(t / 1000), now: () => new Date(t), sleep: async (minutes) => void (t += Math.max(0, minutes) * 60_000) };
}

async function liveUntil(rng: Rng, perDay: number, startMs: number, endMs: number): Promise<number[]> {
  const out: number[] = [];
  for await (const at of liveArrivals(rng, perDay, virtualTimeline(startMs))) {
    if (at.getTime() >= endMs) break;
    out.push(at.getTime());
  }
  return out;
}

const H = 3600_000;
/** A real person writing to the desk while the simulator plays. */
const PERSON = 12345;
/** Tickets per hour of day (UTC), summed over the days. */
const byHour = (ts: number[]) => ts.reduce((a, t) => (a[new Date(t).getUTCHours()]!++, a), Array<number>(24).fill(0));

describe('traffic model', () => {
  it('peaks late morning and evening, is quiet at night and lighter on weekends', () => {
    const at = (iso: string) => loadFactor(new Date(iso));
    expect(at('2026-03-10T11:00:00Z')).toBeGreaterThan(3 * at('2026-03-10T03:00:00Z'));
    expect(at('2026-03-10T19:00:00Z')).toBeGreaterThan(at('2026-03-10T16:00:00Z'));
    expect(at('2026-03-15T11:00:00Z')).toBeLessThan(at('2026-03-10T11:00:00Z')); // Sunday vs Tuesday
    expect(HOUR_WEIGHTS).toHaveLength(24);
  });

  it('plays live traffic at the rate of the replayed days: the first live hour is not a spike', async () => {
    // What npm start plays: a week replayed up to the present, then live from there, with the default volume.
    const now = Date.parse('2026-03-10T09:00:00Z'); // a Tuesday morning, near the day's peak
    const replayed = historyArrivals(new Rng(1), TICKETS_PER_DAY, 7, now);
    const live = await liveUntil(new Rng(2), TICKETS_PER_DAY, now, now + 7 * 24 * H);

    // The replay's own rate at this hour: tickets per hour in the same hours of the replayed weekdays.
    const sameHour = replayed.filter((t) => new Date(t).getUTCHours() === 9 && ![0, 6].includes(new Date(t).getUTCDay())).length / 5;
    const firstHour = live.filter((t) => t < now + H).length;
    expect(sameHour).toBeGreaterThan(0.5);
    expect(sameHour).toBeLessThan(3);
    expect(firstHour).toBeLessThanOrEqual(Math.ceil(4 * sameHour));

    // Over a week, live brings as many tickets as the replayed week, with the same daily shape.
    expect(replayed.length).toBeGreaterThan(0.8 * 7 * TICKETS_PER_DAY);
    expect(live.length / replayed.length).toBeGreaterThan(0.8);
    expect(live.length / replayed.length).toBeLessThan(1.25);
    for (const hours of [byHour(replayed), byHour(live)]) {
      const lateMorning = hours[9]! + hours[10]! + hours[11]! + hours[12]!;
      const night = hours[2]! + hours[3]! + hours[4]! + hours[5]!;
      expect(lateMorning).toBeGreaterThan(3 * night);
    }
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

// A whole day replayed through the desk, ticket after ticket as fast as the desk answers (no timed waits): on this
// 2-core machine 10 s alone (load ~5), 39-41 s two at once (load ~8), 58 s of the default 60 s in the full suite (load ~20): these two get
// 3 minutes; the waits inside them stay bounded by their own conditions' timeouts.
describe('simulator through the desk', () => {
  let h: FeatureHarness;
  beforeAll(async () => {
    h = await startFeatureHarness();
  });
  afterAll(async () => h?.close());

  it('replays a past day with past dates while a person writing meanwhile is dated now: tickets, KB answers, agents, ratings', async () => {
    const started = Date.now();
    const sim = startSimulator({ sandboxUrl: h.sandbox.url, historyDays: 1, perDay: 14, live: false, seed: 11, waitMs: 20_000 });
    expect(sim.history).toEqual({ days: 1, tickets: expect.any(Number) });

    // Mid-replay, a real customer writes: their ticket opens now, not in the replayed past.
    await h.client.waitFor(async () => sim.stats.started >= 2, { timeoutMs: 30_000, what: 'the replay under way' });
    const wrote = Date.now();
    await h.client.sendCustomerMessage(PERSON, { text: 'hello, my card was charged twice', first_name: 'Real', language_code: 'en' });
    const theirs = await h.client.waitFor(
      async () => (await h.db.query<{ created_at: Date }>('SELECT created_at FROM tickets WHERE customer_id = $1', [PERSON])).rows[0],
      { timeoutMs: 20_000, what: 'the real customer ticket' },
    );
    expect(sim.stats.started).toBeLessThan(sim.history!.tickets);
    expect(theirs.created_at.getTime()).toBeGreaterThanOrEqual(Math.floor(wrote / 1000) * 1000 - 2000);
    expect((await h.client.getClock()).offset_seconds).toBe(0);

    expect(await sim.replayed).toBe('replayed');
    await sim.stop();
    expect((await h.client.getClock()).offset_seconds).toBe(0);
    const s = sim.stats;
    expect(s.started).toBe(sim.history!.tickets);
    expect(s.started).toBeGreaterThanOrEqual(6);
    expect(s.lastError ?? '').toBe('');
    expect(s.failed).toBe(0);
    expect(s.outcomes.resolved + s.outcomes.kb + s.outcomes.waiting).toBeGreaterThan(0);

    const events = await h.settle();
    const tickets = await h.db.query<{ created_at: Date; status: string; resolved_by: string | null }>(
      'SELECT created_at, status, resolved_by FROM tickets WHERE customer_id <> $1',
      [PERSON],
    );
    // Every ticket the simulator started is a ticket in the desk: spam too (held on its card, resolved as spam by an agent).
    expect(tickets.rows.length).toBe(s.started);
    const now = Date.now();
    // The replayed day ends where live traffic takes over: when the simulator started.
    for (const t of tickets.rows) {
      expect(t.created_at.getTime()).toBeLessThanOrEqual(started);
      expect(t.created_at.getTime()).toBeGreaterThanOrEqual(started - 24 * 3600_000 - 1000);
    }
    expect(tickets.rows.filter((t) => t.resolved_by === 'agent').length).toBe(s.outcomes.resolved + s.outcomes.spam);
    expect(tickets.rows.filter((t) => t.resolved_by === 'kb').length).toBe(s.outcomes.kb);

    const replies = events.filter((e) => e.type === 'message_out');
    expect(replies.length).toBeGreaterThan(0);
    // Agent replies carry their simulated past dates, so first-response times are minutes, not the replay's milliseconds.
    const frts = replies.flatMap((e) => (e.type === 'message_out' && e.first_response_seconds !== null ? [e.first_response_seconds] : []));
    expect(Math.max(...frts)).toBeGreaterThan(60);
    expect(replies.every((e) => Date.parse(e.occurred_at) <= Date.now())).toBe(true);
    expect(replies.filter((e) => Date.parse(e.occurred_at) < now - 3600_000).length).toBeGreaterThan(replies.length / 2);
    // What the desk dates by the bot's own messages (the receipt, a KB suggestion, an article an agent picks) lands in the replayed day too.
    const sinceCreated = (e: SupportEvent) => (Date.parse(e.occurred_at) - Date.parse(e.ticket_created_at!)) / 1000;
    const firstReceipt = new Map<number, SupportEvent>();
    for (const e of events) if (e.type === 'bot_reply' && e.reply_kind === 'receipt' && !firstReceipt.has(e.ticket_id!)) firstReceipt.set(e.ticket_id!, e);
    expect(firstReceipt.size).toBeGreaterThan(0);
    for (const e of [...firstReceipt.values(), ...events.filter((x) => x.type === 'kb_suggested')]) expect(sinceCreated(e)).toBeLessThan(600);
    expect(Math.max(...frts)).toBeLessThan(12 * 3600);
  }, 180_000);

  it('plays every ticket to its end: held messages released or resolved as spam, "Didn\'t help" answered again, no phantom tickets', async () => {
    // Spam and "Didn't help" forced on, and many back-and-forth rounds (where a late reply used to open a phantom ticket).
    const sim = startSimulator({
      sandboxUrl: h.sandbox.url,
      historyDays: 1,
      perDay: 12,
      live: false,
      seed: 23,
      waitMs: 20_000,
      speed: 3000,
      followupSweepMs: 200,
      p: { held: 0.6, spam: 0.4, extraRound: 0.8, followupAnswered: 1, followupHelped: 0 },
    });
    expect(await sim.replayed).toBe('replayed');
    const s = sim.stats;
    // The desk's "Did it help?" for the replayed resolutions, FOLLOWUP_DELAY after them; every one is answered no.
    await h.runJobs(new Date(Date.now() + 25 * 3600_000));
    await h.client.waitFor(async () => (s.followupsAnswered >= s.outcomes.resolved && s.reopenedResolved + s.failed >= s.reopened) || undefined, {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: 'the reopened tickets resolved again',
    });
    await sim.stop();
    expect(s.lastError ?? '').toBe('');
    expect(s.failed).toBe(0);
    expect(s.outcomes.lost).toBe(0);
    expect(s.outcomes.spam).toBeGreaterThan(0);
    expect(s.released).toBeGreaterThan(0);
    expect(s.held).toBeGreaterThanOrEqual(s.outcomes.spam + s.released); // a held question the knowledge base answers ends there
    expect(s.reopened).toBe(s.outcomes.resolved);
    expect(s.reopenedResolved).toBe(s.reopened);
    expect(s.reopened).toBeGreaterThan(0);

    const played = sim.customers();
    const rows = (
      await h.db.query<{ customer_id: string; status: string; resolved_by: string | null }>(
        'SELECT customer_id::text, status, resolved_by FROM tickets WHERE customer_id = ANY($1::bigint[]) ORDER BY id',
        [[...played.keys()]],
      )
    ).rows;
    const byCustomer = new Map<number, typeof rows>();
    for (const r of rows) byCustomer.set(Number(r.customer_id), [...(byCustomer.get(Number(r.customer_id)) ?? []), r]);
    // No phantom tickets: each customer has exactly the tickets the simulator started for them…
    for (const [id, r] of played) expect({ id, tickets: byCustomer.get(id)?.length ?? 0 }).toEqual({ id, tickets: r.tickets });
    // …and none is left open but the last one of a customer it left waiting on purpose.
    for (const [id, list] of byCustomer) {
      const open = list.filter((t) => t.status !== 'resolved');
      expect({ id, open: open.length }).toEqual({ id, open: played.get(id)!.waiting ? 1 : 0 });
      if (open.length > 0) expect(open[0]).toBe(list.at(-1));
    }
    expect(rows.filter((t) => t.status === 'resolved').length).toBe(s.started - s.outcomes.waiting);
    const pseudonyms = new Set(await Promise.all([...played.keys()].map((id) => analyticsIdOf(h.db, id))));
    const reopened = (await h.eventsOf('ticket_reopened')).filter((e) => e.reason === 'followup' && pseudonyms.has(Number(e.customer_id)));
    expect(reopened.length).toBe(s.reopened);
  }, 180_000);

  it('plays live traffic until stopped', async () => {
    const before = (await h.db.query('SELECT id FROM tickets')).rows.length;
    // 720 a day at 60× speed: about 30 new customers a real minute.
    const sim = startSimulator({ sandboxUrl: h.sandbox.url, perDay: 720, speed: 60, seed: 5, waitMs: 20_000 });
    await h.client.waitFor(async () => ((await h.db.query('SELECT id FROM tickets')).rows.length > before + 1 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'live tickets',
    });
    await sim.stop();
    expect(sim.stats.started).toBeGreaterThan(1);
  });
});
