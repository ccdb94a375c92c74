/**
 * The per-day rollup (rollup.ts) changes how long ranges are read, never what they say: for generated desk
 * histories delivered in shuffled batches with every event twice — the rollup computed between batches, so
 * late ratings, replies before ticket_opened, queue changes and re-deliveries land on days already rolled up —
 * the summary and every breakdown equal the plain TypeScript computation of the definitions and the same
 * statements read from ticket_facts alone, for whole and partial days and for a "now" before and after the
 * deadlines. A runner that cannot write (docker-compose's read-only user) reads ticket_facts instead, and
 * another registry (a throwaway metric) keeps rows of its own.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, WINDOW_DAYS, deskHistory } from '../test/analytics/arbitraries.js';
import { ingest, openAnalyticsDb, resetAnalytics, shuffled, type AnalyticsDb } from '../test/analytics/chdb.js';
import { deskEvents } from '../test/analytics/history.js';
import { referenceBreakdown, referenceSummary, sameMetrics, type ReferenceQuery } from '../test/analytics/reference.js';
import { queryRows } from '../core/clickhouse.js';
import type { SupportEvent } from '../schemas/events.js';
import { aggregate, count, metric } from './metric.js';
import { breakdown, clickHouseRunner, summary, type QueryRunner } from './query.js';
import { METRICS } from './registry.js';
import { wholeDays, remainderRanges } from './rollup.js';
import { BREAKDOWN_DIMENSIONS } from './ticket-facts.js';

let db: AnalyticsDb;
beforeAll(async () => {
  db = await openAnalyticsDb();
});
afterAll(async () => db?.close());

const DAY = 86_400_000;
const START = BASE - WINDOW_DAYS * DAY;
const QUERIES: (ReferenceQuery & { label: string })[] = [
  { label: 'whole days, deadlines passed', from: START, to: BASE, now: BASE + DAY },
  { label: 'whole days, some deadlines pending', from: START, to: BASE, now: BASE - 2 * DAY },
  { label: 'partial first and last day', from: START + 5 * 3600_000, to: BASE - 3600_000, now: BASE + DAY },
];
const range = (q: ReferenceQuery) => ({ from: new Date(q.from), to: new Date(q.to) });

/** Rows written by the rollup so far (to prove it was used). */
async function rolledDays(): Promise<number> {
  const [r] = await queryRows<{ n: number }>(db.ch, 'SELECT count() AS n FROM ticket_rollup_days');
  return Number(r?.n);
}

async function expectReference(run: QueryRunner, events: SupportEvent[], label: string) {
  const direct = clickHouseRunner(db.ch, { rollupQuietMs: false });
  for (const q of QUERIES) {
    const got = await summary(run, range(q), {}, new Date(q.now));
    expect(sameMetrics(got, referenceSummary(events, q)), `${label}: summary, ${q.label}`).toEqual([]);
    expect(sameMetrics(got, await summary(direct, range(q), {}, new Date(q.now))), `${label}: summary vs ticket_facts, ${q.label}`).toEqual([]);
  }
  const q = QUERIES[1]!;
  for (const by of BREAKDOWN_DIMENSIONS) {
    const got = await breakdown(run, by, range(q), {}, new Date(q.now));
    const ref = referenceBreakdown(events, by, q);
    expect(
      got.map((r) => r.key),
      `${label}: breakdown keys by ${by}`,
    ).toEqual(ref.map((r) => r.key));
    got.forEach((row, j) => expect(sameMetrics(row, ref[j]!), `${label}: breakdown by ${by}, "${row.key}"`).toEqual([]));
  }
}

describe('the per-day rollup', () => {
  it('equals the reference with events late, twice and out of order, the rollup kept between batches', async () => {
    const run = clickHouseRunner(db.ch, { rollupQuietMs: 0, rollupMinDays: 1 });
    let used = 0;
    await fc.assert(
      fc.asyncProperty(deskHistory, fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })), async (specs, randoms) => {
        const events = deskEvents(specs);
        const it = randoms[Symbol.iterator]();
        const rand = () => it.next().value as number;
        await resetAnalytics(db.ch);
        const doubled = shuffled([...events, ...events], rand);
        const cuts = [0, Math.floor(doubled.length / 3), Math.floor((2 * doubled.length) / 3), doubled.length];
        for (let i = 0; i < 3; i++) {
          await ingest(db.ch, doubled.slice(cuts[i], cuts[i + 1]));
          // computed over what has arrived so far: the next batch must make those days recomputed
          await summary(run, range(QUERIES[0]!), {}, new Date(QUERIES[0]!.now));
          await breakdown(run, 'queue', range(QUERIES[0]!), {}, new Date(QUERIES[0]!.now));
        }
        used += await rolledDays();
        await expectReference(run, events, 'rollup');
      }),
      { numRuns: 12, endOnFailure: true },
    );
    expect(used).toBeGreaterThan(0);
  }, 300_000);

  it('is read from ticket_facts by a runner that cannot write it, and kept apart per registry', async () => {
    await resetAnalytics(db.ch);
    const events = deskEvents(fc.sample(deskHistory, { numRuns: 1, seed: 7 })[0]!);
    await ingest(db.ch, events);
    const base = clickHouseRunner(db.ch, { rollupQuietMs: 0, rollupMinDays: 1 });
    const readOnly: QueryRunner = Object.assign((sql: string, params: Record<string, unknown>) => base(sql, params), {
      rollup: {
        quietMs: 0,
        minDays: 1,
        write: async () => {
          throw new Error('Code: 164. DB::Exception: desk_readonly: Cannot execute query in readonly mode. (READONLY)');
        },
      },
    });
    await expectReference(readOnly, events, 'read-only');
    expect(await rolledDays()).toBe(0);

    // the page's requests at once: one computes each day, the others wait for it and read the same rows
    const q0 = QUERIES[1]!;
    const direct = clickHouseRunner(db.ch, { rollupQuietMs: false });
    const [s, ...bs] = await Promise.all([
      summary(base, range(q0), {}, new Date(q0.now)),
      ...BREAKDOWN_DIMENSIONS.map((by) => breakdown(base, by, range(q0), {}, new Date(q0.now))),
    ]);
    expect(s).toEqual(await summary(direct, range(q0), {}, new Date(q0.now)));
    for (const [i, by] of BREAKDOWN_DIMENSIONS.entries()) expect(bs[i]).toEqual(await breakdown(direct, by, range(q0), {}, new Date(q0.now)));
    await expectReference(base, events, 'writer');
    const rows = await rolledDays();
    expect(rows).toBeGreaterThan(0);
    const extra = metric({
      key: 'test_l2_tickets',
      title: 'L2',
      meaning: 'Tickets now in L2.',
      unit: 'count',
      better: 'neither',
      sql: count(aggregate('test_l2_n', "countIf(tupleElement(queue_last, 4) = 'L2')")),
    });
    const q = QUERIES[0]!;
    const got = await summary(base, range(q), {}, new Date(q.now), METRICS.with(extra));
    expect(got).toEqual(await summary(direct, range(q), {}, new Date(q.now), METRICS.with(extra)));
    expect(got.test_l2_tickets).toBe(referenceBreakdown(events, 'queue', q).find((r) => r.key === 'L2')?.tickets_created ?? 0);
    expect(await rolledDays()).toBeGreaterThan(rows);
  }, 120_000);

  it('splits a range into whole UTC days and the rest', () => {
    const from = new Date('2026-01-01T05:00:00Z');
    const to = new Date('2026-01-04T01:00:00Z');
    expect(wholeDays(from, to)).toEqual(['2026-01-02', '2026-01-03']);
    const rest = remainderRanges(from, to, new Set(['2026-01-02', '2026-01-03']));
    expect(rest?.params).toEqual({
      r0a: '2026-01-01 05:00:00.000',
      r0b: '2026-01-02 00:00:00.000',
      r1a: '2026-01-04 00:00:00.000',
      r1b: '2026-01-04 01:00:00.000',
    });
    expect(remainderRanges(new Date('2026-01-02T00:00:00Z'), new Date('2026-01-04T00:00:00Z'), new Set(['2026-01-02', '2026-01-03']))).toBeNull();
  });
});
