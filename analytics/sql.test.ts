/**
 * A metric computed wholly in SQL (`valuesStatement`, what Grafana runs) equals
 * the same metric computed the API's way (aggregates in SQL, the value in
 * TypeScript): every metric, in total, per queue and for an empty cohort, over a
 * generated desk history on chDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../test/analytics/chdb.js';
import { deskEvents, seededDesk } from '../test/analytics/history.js';
import { breakdown, clickHouseRunner, cohortParams, summary, type Range } from './query.js';
import { METRIC_FIELDS, METRICS, type MetricValues } from './registry.js';
import { GROUP, valuesStatement } from './sql.js';

const NOW = Date.parse('2026-02-15T12:00:00Z');
let db: AnalyticsDb;
beforeAll(async () => {
  db = await openAnalyticsDb();
  await ingest(db.ch, deskEvents(seededDesk({ tickets: 500, days: 14, end: NOW, seed: 11 })), 3);
});
afterAll(async () => db?.close());

const COHORT = ['ticket_created_at >= {from:DateTime64(3)}', 'ticket_created_at < {to:DateTime64(3)}'];

function expectSame(sqlRow: Record<string, unknown>, api: MetricValues, label: string) {
  for (const k of METRIC_FIELDS) {
    const a = api[k] ?? null;
    const s = sqlRow[k] === null || sqlRow[k] === undefined ? null : Number(sqlRow[k]);
    if (a === null) expect(s, `${label} ${k}`).toBeNull();
    else expect(s, `${label} ${k}`).toBeCloseTo(a, 9);
  }
}

describe('metric values in SQL = the API’s', () => {
  const ranges: [string, Range][] = [
    ['two weeks', { from: new Date(NOW - 14 * 86_400_000), to: new Date(NOW) }],
    ['one day', { from: new Date(NOW - 3 * 86_400_000), to: new Date(NOW - 2 * 86_400_000) }],
    ['empty', { from: new Date(NOW + 86_400_000), to: new Date(NOW + 2 * 86_400_000) }],
  ];

  it.each(ranges)('in total: %s', async (label, range) => {
    const run = clickHouseRunner(db.ch);
    const now = new Date(NOW);
    const api = await summary(run, range, {}, now);
    const [row] = await run(valuesStatement(METRICS, METRIC_FIELDS, { where: COHORT, now: '{now:DateTime64(3)}' }), cohortParams(range, {}, now));
    expectSame(row!, api, label);
    if (label === 'empty') expect(api.tickets_created).toBe(0);
    else expect(api.tickets_created).toBeGreaterThan(0);
  });

  it('per queue', async () => {
    const run = clickHouseRunner(db.ch);
    const range = ranges[0]![1];
    const now = new Date(NOW);
    const api = await breakdown(run, 'queue', range, {}, now);
    const rows = await run(
      valuesStatement(METRICS, METRIC_FIELDS, { where: COHORT, now: '{now:DateTime64(3)}', groupBy: [GROUP.queue] }),
      cohortParams(range, {}, now),
    );
    expect(rows.map((r) => String(r.queue)).sort()).toEqual(api.map((r) => r.key).sort());
    for (const r of rows) expectSame(r, api.find((a) => a.key === r.queue)! as unknown as MetricValues, `queue ${String(r.queue)}`);
  });
});
