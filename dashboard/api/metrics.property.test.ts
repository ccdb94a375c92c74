/**
 * The metrics are a function of the set of events, not of how they arrived:
 * a generated history ingested once, twice, or shuffled across several inserts
 * gives the same summary and breakdowns — before and after background merges —
 * and those equal a plain TypeScript computation of the definitions.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, WINDOW_DAYS, deskHistory } from '../../test/analytics/arbitraries.js';
import { ingest, openAnalyticsDb, resetAnalytics, shuffled, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { deskEvents } from '../../test/analytics/history.js';
import { referenceBreakdown, referenceSummary, sameMetrics, type ReferenceQuery } from '../../test/analytics/reference.js';
import { BREAKDOWN_DIMENSIONS, type TicketFilter } from '../../analytics/ticket-facts.js';
import { breakdown, clickHouseRunner, summary, type BreakdownRow } from './queries.js';
import { queryRows } from '../../core/clickhouse.js';
import type { SupportEvent } from '../../schemas/events.js';

let db: AnalyticsDb;
beforeAll(async () => {
  db = await openAnalyticsDb();
});
afterAll(async () => db?.close());

const NOW = BASE + 86_400_000; // some deadlines already passed, some not due yet
const QUERIES: (ReferenceQuery & { label: string })[] = [
  { label: 'whole window', from: BASE - WINDOW_DAYS * 86_400_000, to: BASE, now: NOW },
  { label: 'first half', from: BASE - WINDOW_DAYS * 86_400_000, to: BASE - (WINDOW_DAYS / 2) * 86_400_000, now: NOW },
  { label: 'queue L1', from: BASE - WINDOW_DAYS * 86_400_000, to: BASE, now: NOW, filter: { queue: 'L1' } },
  { label: 'category payment, agent 100', from: BASE - WINDOW_DAYS * 86_400_000, to: BASE, now: NOW, filter: { category: 'payment', agent: 100 } },
];

interface Snapshot {
  summaries: Awaited<ReturnType<typeof summary>>[];
  breakdowns: BreakdownRow[][];
}

async function snapshot(): Promise<Snapshot> {
  const run = clickHouseRunner(db.ch);
  const range = (q: ReferenceQuery) => ({ from: new Date(q.from), to: new Date(q.to) });
  const summaries = [];
  for (const q of QUERIES) summaries.push(await summary(run, range(q), (q.filter ?? {}) as TicketFilter, new Date(q.now)));
  const breakdowns = [];
  for (const by of BREAKDOWN_DIMENSIONS) breakdowns.push(await breakdown(run, by, range(QUERIES[0]!), {}, new Date(NOW)));
  return { summaries, breakdowns };
}

async function ingestAndSnapshot(batches: SupportEvent[][], optimize = false): Promise<Snapshot> {
  await resetAnalytics(db.ch);
  for (const b of batches) await ingest(db.ch, b, 1);
  if (optimize) for (const t of ['events', 'ticket_facts']) await db.ch.client.command({ query: `OPTIMIZE TABLE ${t} FINAL` });
  return snapshot();
}

function expectMatchesReference(s: Snapshot, events: SupportEvent[]): void {
  QUERIES.forEach((q, i) => {
    expect(sameMetrics(s.summaries[i]!, referenceSummary(events, q)), `summary (${q.label})`).toEqual([]);
  });
  BREAKDOWN_DIMENSIONS.forEach((by, i) => {
    const ref = referenceBreakdown(events, by, QUERIES[0]!);
    const got = s.breakdowns[i]!;
    expect(
      got.map((r) => r.key),
      `breakdown keys by ${by}`,
    ).toEqual(ref.map((r) => r.key));
    got.forEach((row, j) => expect(sameMetrics(row, ref[j]!), `breakdown by ${by}, key "${row.key}"`).toEqual([]));
  });
}

function expectSameSnapshot(a: Snapshot, b: Snapshot, label: string): void {
  a.summaries.forEach((s, i) => expect(sameMetrics(s, b.summaries[i]!), `${label}: summary ${QUERIES[i]!.label}`).toEqual([]));
  a.breakdowns.forEach((rows, i) => {
    expect(
      b.breakdowns[i]!.map((r) => r.key),
      `${label}: breakdown keys`,
    ).toEqual(rows.map((r) => r.key));
    rows.forEach((r, j) => expect(sameMetrics(r, b.breakdowns[i]![j]!), `${label}: breakdown ${BREAKDOWN_DIMENSIONS[i]} ${r.key}`).toEqual([]));
  });
}

describe('metrics are idempotent and order-independent', () => {
  it('once = twice = shuffled = merged = reference', async () => {
    await fc.assert(
      fc.asyncProperty(deskHistory, fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })), async (specs, randoms) => {
        const events = deskEvents(specs);
        const it = randoms[Symbol.iterator]();
        const rand = () => it.next().value as number;

        const once = await ingestAndSnapshot([events]);
        expectMatchesReference(once, events);
        // one insert → one ticket_facts row per ticket (FINAL has nothing left to merge)
        const [facts] = await queryRows<{ rows: number }>(db.ch, 'SELECT count() AS rows FROM ticket_facts');
        expect(Number(facts!.rows)).toBe(new Set(events.map((e) => e.ticket_id)).size);

        // every event twice, shuffled, across several inserts: ratings and replies may land before ticket_opened
        const doubled = shuffled([...events, ...events], rand);
        const cut1 = Math.floor(doubled.length / 3);
        const cut2 = Math.floor((2 * doubled.length) / 3);
        const twice = await ingestAndSnapshot([doubled.slice(0, cut1), doubled.slice(cut1, cut2), doubled.slice(cut2)]);
        expectSameSnapshot(once, twice, 'twice + shuffled');

        const merged = await ingestAndSnapshot([shuffled(events, rand), shuffled(events, rand)], true);
        expectSameSnapshot(once, merged, 'after OPTIMIZE FINAL');
      }),
      { numRuns: 15, endOnFailure: true },
    );
  }, 300_000);
});
