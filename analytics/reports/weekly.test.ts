/**
 * The weekly report in chDB over a fixed fortnight (2026-W13 and 2026-W14, UTC): the top reasons by category and
 * by first-suggested KB article with their week-over-week change, the tickets the KB could not answer, the
 * hardest cases (longest resolution, lowest CSAT, most reopens) and the queues against their targets — each
 * equal to what this file works out by hand from the tickets below. Every event is inserted twice (at least
 * once delivery): nothing counts twice, a reopen included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupportEvent } from '../../schemas/events.js';
import { makeEvent, type EventInput } from '../../schemas/validate.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { deskEvents, nextEventId, quietTicket, type TicketSpec } from '../../test/analytics/history.js';
import { clickHouseRunner, summary } from '../query.js';
import { isoWeekOf, isoWeekRange, lastWeekRange } from '../../core/weeks.js';
import { compareReasons, weeklyReport, type WeeklyReport } from './weekly.js';

const MIN = 60_000;
const WEEK = isoWeekRange('2026-W14', 'UTC')!;
const MON = WEEK.from.getTime();
const PREV = MON - 7 * 86_400_000;
const NOW = new Date(WEEK.to.getTime() + 9 * 3_600_000);

let db: AnalyticsDb;
let report: WeeklyReport;

const t = (id: number, base: number, day: number, o: Partial<TicketSpec> & { cat?: string }) =>
  quietTicket({ id, customer: 1000 + id, createdAt: base + day * 86_400_000 + id * MIN, ...(o.cat ? { category: { at: 1, value: o.cat } } : {}), ...o });

// this week: payment ×4, account ×2, features ×1, no category ×1
const THIS_WEEK: TicketSpec[] = [
  t(1, MON, 0, { cat: 'payment', lifecycle: [600, 700, 800], csat: [{ at: 610, score: 2 }] }),
  t(2, MON, 1, { cat: 'payment', lifecycle: [30], csat: [{ at: 40, score: 5 }] }),
  t(3, MON, 2, { cat: 'payment', lifecycle: [100], csat: [{ at: 110, score: 3 }] }),
  t(4, MON, 3, { cat: 'payment' }),
  t(5, MON, 1, {
    cat: 'account',
    queue: 'payments',
    lifecycle: [1200],
    csat: [
      { at: 1210, score: 1 },
      { at: 1220, score: 4 },
    ],
  }),
  t(6, MON, 2, { cat: 'account', queue: 'payments', lifecycle: [60, 70, 300, 310, 400], csat: [{ at: 410, score: 1 }] }),
  t(7, MON, 4, { cat: 'features', queue: 'payments', lifecycle: [5] }),
  t(8, MON, 5, { queue: 'payments' }),
];
// the week before: payment ×2, account ×4, ideas ×1
const WEEK_BEFORE: TicketSpec[] = [
  t(101, PREV, 0, { cat: 'payment' }),
  t(102, PREV, 1, { cat: 'payment' }),
  t(103, PREV, 1, { cat: 'account' }),
  t(104, PREV, 2, { cat: 'account' }),
  t(105, PREV, 3, { cat: 'account' }),
  t(106, PREV, 4, { cat: 'account' }),
  t(107, PREV, 5, { cat: 'ideas' }),
];

/** kb_suggested for a ticket `min` minutes after its creation. */
function suggested(spec: TicketSpec, article: string, min: number): SupportEvent {
  const when = new Date(spec.createdAt + min * MIN + 30);
  return {
    event_id: nextEventId(),
    schema_version: 1,
    type: 'kb_suggested',
    occurred_at: when.toISOString(),
    emitted_at: when.toISOString(),
    ticket_id: spec.id,
    ticket_created_at: new Date(spec.createdAt).toISOString(),
    ticket_seq: 50 + min,
    customer_id: spec.customer,
    agent_id: null,
    queue: spec.queue,
    category: spec.category?.value ?? null,
    language: 'en',
    kb_article_id: article,
    kb_score: 0.9,
  } as unknown as SupportEvent;
}

const byId = (id: number) => [...THIS_WEEK, ...WEEK_BEFORE].find((s) => s.id === id)!;

beforeAll(async () => {
  db = await openAnalyticsDb();
  const events = deskEvents([...THIS_WEEK, ...WEEK_BEFORE]);
  events.push(
    // this week: tickets 1–3 first got kb-pay (ticket 1 later kb-other too), ticket 5 kb-acc
    suggested(byId(1), 'kb-pay', 2),
    suggested(byId(1), 'kb-other', 3),
    suggested(byId(2), 'kb-pay', 2),
    suggested(byId(3), 'kb-pay', 2),
    suggested(byId(5), 'kb-acc', 2),
    // the week before: kb-pay ×1, kb-acc ×2
    suggested(byId(101), 'kb-pay', 2),
    suggested(byId(103), 'kb-acc', 2),
    suggested(byId(104), 'kb-acc', 2),
    makeEvent(
      {
        type: 'incident_opened',
        occurred_at: new Date(MON + 2 * 86_400_000).toISOString(),
        agent_id: 900,
        category: 'payment',
        incident_id: 7,
        spike_id: null,
        ack_seconds: null,
        incident_tickets: 0,
      } as unknown as EventInput<'incident_opened'>,
      new Date(MON),
    ) as SupportEvent,
  );
  await ingest(db.ch, events);
  await ingest(db.ch, events); // delivered twice: counted once
  report = await weeklyReport(clickHouseRunner(db.ch), {
    range: WEEK,
    now: NOW,
    targets: { queues: { payments: { csat_avg: 2 } } },
    clusters: {
      current: [
        { key: 'kw:card declined', count: 3 },
        { key: 'kw:login', count: 1 },
      ],
      previous: [{ key: 'kw:card declined', count: 4 }],
      unanswered: [
        { key: 'kw:login', count: 1 },
        { key: 'kw:refund', count: 2 },
      ],
    },
  });
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('weekly report', () => {
  it('names the ISO week in a zone', () => {
    expect(WEEK.from.toISOString()).toBe('2026-03-30T00:00:00.000Z');
    expect(WEEK.to.toISOString()).toBe('2026-04-06T00:00:00.000Z');
    // Berlin is on summer time from 29 March: its Monday starts at 22:00 UTC the day before
    expect(isoWeekRange('2026-W14', 'Europe/Berlin')!.from.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(isoWeekRange('2026-W54', 'UTC')).toBeNull();
    expect(isoWeekRange('2026-14', 'UTC')).toBeNull();
    expect(lastWeekRange(new Date('2026-04-06T09:00:00Z'), 'UTC')).toEqual(WEEK);
    expect(isoWeekOf(new Date('2026-04-05T23:59:00Z'), 'UTC')).toBe('2026-W14');
  });

  it('top reasons by category with the change from the week before', () => {
    expect(report.tickets).toBe(8);
    expect(report.previous_tickets).toBe(7);
    expect(report.reasons.categories).toEqual([
      { key: 'payment', count: 4, previous: 2, change_pct: 100 },
      { key: 'account', count: 2, previous: 4, change_pct: -50 },
      { key: '', count: 1, previous: 0, change_pct: null },
      { key: 'features', count: 1, previous: 0, change_pct: null },
    ]);
  });

  it('top reasons by the first KB article suggested, each ticket once', () => {
    expect(report.reasons.kb_articles).toEqual([
      { key: 'kb-pay', count: 3, previous: 1, change_pct: 200 },
      { key: 'kb-acc', count: 1, previous: 2, change_pct: -50 },
    ]);
  });

  it('keyword clusters from the desk store, compared the same way', () => {
    expect(report.reasons.clusters).toEqual([
      { key: 'kw:card declined', count: 3, previous: 4, change_pct: -25 },
      { key: 'kw:login', count: 1, previous: 0, change_pct: null },
    ]);
    expect(compareReasons([{ key: 'a', count: 3 }], [{ key: 'a', count: 9 }], 5)).toEqual([{ key: 'a', count: 3, previous: 9, change_pct: -66.7 }]);
  });

  it('what the KB could not answer: tickets with no suggestion, per category and per cluster', () => {
    expect(report.unanswered.tickets).toBe(4);
    expect(report.unanswered.categories).toEqual([
      { key: '', count: 1 },
      { key: 'account', count: 1 },
      { key: 'features', count: 1 },
      { key: 'payment', count: 1 },
    ]);
    expect(report.unanswered.clusters).toEqual([
      { key: 'kw:refund', count: 2 },
      { key: 'kw:login', count: 1 },
    ]);
  });

  it('the hardest cases: longest resolution, lowest CSAT, most reopens', () => {
    const ids = (xs: { ticket_id: number }[]) => xs.map((x) => x.ticket_id);
    // first resolutions: 5 → 1200 min, 1 → 600, 3 → 100, 6 → 60, 2 → 30, 7 → 5 (left out: five only)
    expect(ids(report.hardest.longest_resolution)).toEqual([5, 1, 3, 6, 2]);
    // (each event is a few milliseconds past its minute: its step in the ticket)
    expect(report.hardest.longest_resolution.map((c) => Math.floor(c.resolution_seconds!))).toEqual([72_000, 36_000, 6_000, 3_600, 1_800]);
    // latest ratings: 6 → 1, 1 → 2, 3 → 3, 5 → 4 (its 1 was changed), 2 → 5
    expect(ids(report.hardest.lowest_csat)).toEqual([6, 1, 3, 5, 2]);
    expect(report.hardest.lowest_csat.map((c) => c.csat)).toEqual([1, 2, 3, 4, 5]);
    // reopens: 6 twice, 1 once — each event delivered twice, counted once
    expect(report.hardest.most_reopens.map((c) => [c.ticket_id, c.reopens])).toEqual([
      [6, 2],
      [1, 1],
    ]);
    expect(report.hardest.most_reopens[0]).toMatchObject({ queue: 'payments', category: 'account', csat: 1 });
  });

  it('SLA and CSAT per queue are the registry metrics, against their targets', async () => {
    const run = clickHouseRunner(db.ch);
    expect(report.queues.map((q) => [q.queue, q.tickets])).toEqual([
      ['L1', 4],
      ['payments', 4],
    ]);
    for (const q of report.queues) {
      const s = await summary(run, WEEK, { queue: q.queue }, NOW);
      expect(q.metrics.sla_first_response_met_rate.value).toBe(s.sla_first_response_met_rate);
      expect(q.metrics.sla_resolution_met_rate.value).toBe(s.sla_resolution_met_rate);
      expect(q.metrics.csat_avg.value).toBe(s.csat_avg);
    }
    const l1 = report.queues[0]!;
    // L1's ratings 2, 5, 3; the definition's target 4.5
    expect(l1.metrics.csat_avg).toEqual({ value: 10 / 3, target: 4.5, met: false });
    // payments' ratings 4, 1 against its own target 2
    expect(report.queues[1]!.metrics.csat_avg).toEqual({ value: 2.5, target: 2, met: true });
    expect(l1.metrics.sla_resolution_met_rate.target).toBe(0.9);
  });

  it("the week's incidents", () => {
    expect(report.incidents.summary.incidents_opened).toBe(1);
    expect(report.incidents.list.map((i) => [i.incident_id, i.category])).toEqual([[7, 'payment']]);
  });
});
