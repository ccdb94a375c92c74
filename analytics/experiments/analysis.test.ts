/**
 * An experiment's results end to end in chDB: a scenario of exposed customers
 * and their tickets (some before their exposure, duplicated and conflicting
 * exposures, customers exposed outside the range) goes through the migrations'
 * tables; the results equal what this test computes itself, in plain
 * TypeScript, from the scenario; ingesting every event twice, shuffled,
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, openAnalyticsDb, resetAnalytics, shuffled, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { DAY, DEF, type Exposure, METRIC_KEYS, NOW, RANGE, scenario, T0 } from '../../test/analytics/experiment-scenario.js';
import { prng, type TicketSpec } from '../../test/analytics/history.js';
import { migrate } from '../../core/migrate.js';
import { clickHouseRunner } from '../query.js';
import { analysable, analysisOf, experimentResults, exposureCounts, type ExperimentResults } from './analysis.js';
import { bootstrapPercentileDiff, percentileInc } from './stats/bootstrap.js';
import { normalTwoSided } from './stats/dist.js';
import { welch } from './stats/fixed.js';
import { METRICS } from '../registry.js';

/** The expected numbers, from the scenario alone. */
function expected(s: ReturnType<typeof scenario>) {
  const first = new Map<number, Exposure>();
  for (const e of s.exposures) {
    const f = first.get(e.customer);
    if (!f || e.at < f.at || (e.at === f.at && e.id < f.id)) first.set(e.customer, e);
  }
  const inRange = [...first.values()].filter((e) => e.at >= RANGE.from.getTime() && e.at < RANGE.to.getTime());
  const resolvedAt = (t: TicketSpec) => (t.lifecycle.length ? t.createdAt + t.lifecycle[0]! * 60_000 : null);
  const isRepeat = (t: TicketSpec) =>
    s.tickets.some(
      (o) => o.customer === t.customer && o.id !== t.id && resolvedAt(o) !== null && resolvedAt(o)! >= t.createdAt - 7 * DAY && resolvedAt(o)! < t.createdAt,
    );
  // FRT from the events the desk published (first message_out − creation)
  const frtOf = new Map<number, number>();
  for (const e of s.events)
    if (e.type === 'message_out' && !frtOf.has(e.ticket_id!)) frtOf.set(e.ticket_id!, (Date.parse(e.occurred_at) - Date.parse(e.ticket_created_at!)) / 1000);
  const perVariant = DEF.variants.map((v) => {
    const customers = inRange
      .filter((e) => e.variant === v.name)
      .map((e) => {
        const ts = s.tickets.filter((t) => t.customer === e.customer && t.createdAt < RANGE.to.getTime() && (t.createdAt >= e.at || t.id === e.ticket));
        const rated = ts.filter((t) => t.csat.length > 0);
        const resolved = ts.filter((t) => t.lifecycle.length > 0);
        const repliedResolved = resolved.filter((t) => t.replies.length > 0);
        return {
          tickets: ts.length,
          csat: [rated.reduce((a, t) => a + t.csat.at(-1)!.score, 0), rated.length] as const,
          auto: [resolved.filter((t) => t.replies.length === 0).length, resolved.length] as const,
          fcr: [repliedResolved.filter((t) => t.replies.length === 1 && t.lifecycle.length === 1).length, repliedResolved.length] as const,
          repeat: ts.some(isRepeat),
          frt: ts.filter((t) => frtOf.has(t.id)).map((t) => frtOf.get(t.id)!),
        };
      });
    return { name: v.name, customers };
  });
  return { inRange, perVariant };
}

/** Delta method written out another way: Var(R) = n/(n−1) · Σ(x − R·y)² / (Σy)². */
function deltaByHand(a: readonly (readonly [number, number])[], b: readonly (readonly [number, number])[]) {
  const side = (xs: readonly (readonly [number, number])[]) => {
    const sx = xs.reduce((s, p) => s + p[0], 0);
    const sy = xs.reduce((s, p) => s + p[1], 0);
    const r = sx / sy;
    const n = xs.length;
    return { r, v: ((n / (n - 1)) * xs.reduce((s, [x, y]) => s + (x - r * y) ** 2, 0)) / sy ** 2 };
  };
  const x = side(a);
  const y = side(b);
  const diff = x.r - y.r;
  const se = Math.sqrt(x.v + y.v);
  return { value: x.r, baseline: y.r, diff, p: normalTwoSided(diff / se), lo: diff - 1.959963984540054 * se, hi: diff + 1.959963984540054 * se };
}

let db: AnalyticsDb;
let s: ReturnType<typeof scenario>;
let first: ExperimentResults;
beforeAll(async () => {
  db = await openAnalyticsDb();
  s = scenario();
  await ingest(db.ch, s.events, 4);
  first = await experimentResults(clickHouseRunner(db.ch), DEF, RANGE, NOW, { seed: 5 });
}, 60_000);
afterAll(async () => db?.close());

describe('experiment results in chDB = the scenario computed independently', () => {
  it('maps each metric to its method from its definition', () => {
    expect(METRIC_KEYS.map((k) => analysisOf(METRICS.get(k)).method)).toEqual([
      'delta_ratio',
      'two_proportion_z',
      'delta_ratio',
      'bootstrap_percentile',
      'bootstrap_percentile',
      'delta_ratio',
      'welch_t',
    ]);
  });

  it('every registry metric can be analysed per customer (a quantiles aggregate needs quantilesOf, not quantilesAggregate)', () => {
    expect(analysable()).toEqual([...METRICS.keys]);
  });

  it('customers by first exposure, tickets after it, SRM', () => {
    const e = expected(s);
    for (const v of e.perVariant) {
      const got = first.variants.find((x) => x.name === v.name)!;
      expect(got.customers, v.name).toBe(v.customers.length);
      expect(got.tickets, v.name).toBe(v.customers.reduce((a, c) => a + c.tickets, 0));
    }
    expect(first.experiment.customers).toBe(120);
    expect(first.experiment.unknown_variant_customers).toBe(0);
    expect(first.srm.mismatch).toBe(false);
    expect(first.srm.p_value).toBeGreaterThan(0.001);
    expect(first.experiment.first_exposure).toBe(new Date(T0 + 1000).toISOString());
    expect(first.experiment.exposures_by_day.reduce((a, d) => a + d.customers, 0)).toBe(120);
  });

  it('ratio metrics: values and the delta method', () => {
    const e = expected(s);
    const c = e.perVariant[0]!;
    const t = e.perVariant[1]!;
    for (const [metric, pick] of [
      ['csat_avg', (x: (typeof c.customers)[number]) => x.csat],
      ['auto_resolution_rate', (x: (typeof c.customers)[number]) => x.auto],
      ['fcr_rate', (x: (typeof c.customers)[number]) => x.fcr],
    ] as const) {
      const want = deltaByHand(t!.customers.map(pick), c!.customers.map(pick));
      const got = first.comparisons.find((x) => x.metric === metric && x.variant === 'steps')!;
      expect(got.method).toBe('delta_ratio');
      expect(got.value, metric).toBeCloseTo(want.value, 10);
      expect(got.baseline_value, metric).toBeCloseTo(want.baseline, 10);
      expect(got.p_value, metric).toBeCloseTo(want.p, 8);
      expect(got.ci_low, metric).toBeCloseTo(want.lo, 8);
      expect(got.ci_high, metric).toBeCloseTo(want.hi, 8);
      expect(first.variants[1]!.metrics[metric]!.value).toBeCloseTo(want.value, 10);
      expect(got.sequential_p_value!).toBeGreaterThanOrEqual(got.p_value! * 0.999);
    }
  });

  it('repeat contacts as a share of customers (z-test), tickets per customer (Welch)', () => {
    const c = expected(s).perVariant[0]!;
    const t = expected(s).perVariant[1]!;
    const share = (xs: typeof c.customers) => xs.filter((x) => x.repeat).length / xs.length;
    const z = first.comparisons.find((x) => x.metric === 'repeat_contact_rate')!;
    expect(z.method).toBe('two_proportion_z');
    expect(z.value).toBeCloseTo(share(t!.customers), 12);
    expect(z.baseline_value).toBeCloseTo(share(c!.customers), 12);
    expect(share(c!.customers)).toBeGreaterThan(0);
    const pool = (c!.customers.filter((x) => x.repeat).length + t!.customers.filter((x) => x.repeat).length) / 120;
    const se = Math.sqrt(pool * (1 - pool) * (1 / c!.customers.length + 1 / t!.customers.length));
    expect(z.p_value).toBeCloseTo(normalTwoSided((share(t!.customers) - share(c!.customers)) / se), 10);

    const counts = (xs: typeof c.customers) => xs.map((x) => x.tickets);
    const stats = (xs: number[]) => ({ n: xs.length, sum: xs.reduce((a, b) => a + b, 0), sumSq: xs.reduce((a, b) => a + b * b, 0) });
    const w = welch(stats(counts(t!.customers)), stats(counts(c!.customers)));
    const got = first.comparisons.find((x) => x.metric === 'tickets_created')!;
    expect(got.method).toBe('welch_t');
    if (!w.ok) throw new Error(w.reason);
    expect(got.value).toBeCloseTo(w.estimate.value, 12);
    expect(got.p_value).toBeCloseTo(w.estimate.pValue, 10);
  });

  it('FRT percentiles: the metric definition’s value and the seeded cluster bootstrap', () => {
    const c = expected(s).perVariant[0]!;
    const t = expected(s).perVariant[1]!;
    const clusters = (xs: typeof c.customers) => xs.map((x) => x.frt);
    for (const [metric, q] of [
      ['frt_p50_seconds', 0.5],
      ['frt_p90_seconds', 0.9],
    ] as const) {
      const got = first.comparisons.find((x) => x.metric === metric)!;
      const want = bootstrapPercentileDiff(clusters(t!.customers), clusters(c!.customers), { q, seed: 5 });
      if (!want.ok) throw new Error(want.reason);
      expect(got.method).toBe('bootstrap_percentile');
      expect(got.value).toBeCloseTo(
        percentileInc(
          [...clusters(t!.customers).flat()].sort((a, b) => a - b),
          q,
        )!,
        9,
      );
      expect(got.baseline_value).toBeCloseTo(want.estimate.baseline, 9);
      expect(got.ci_low).toBeCloseTo(want.estimate.ciLow, 9);
      expect(got.ci_high).toBeCloseTo(want.estimate.ciHigh, 9);
      expect(got.ci_low!).toBeLessThanOrEqual(got.ci_high!);
    }
  });

  it('power of the primary metric, and only finite numbers or nulls', () => {
    expect(first.experiment.power.metric).toBe('csat_avg');
    expect(first.experiment.power.mde).toBeGreaterThan(0);
    expect(JSON.stringify(first)).not.toMatch(/NaN|Infinity/);
  });

  it('the list counts each customer once, by the first exposure', async () => {
    const counts = (await exposureCounts(clickHouseRunner(db.ch))).get(DEF.key)!;
    expect(counts.customers).toBe(122);
    const e = expected(s);
    expect(counts.variants.steps).toBe(e.perVariant[1]!.customers.length);
  });

  it('an experiment nobody met: zeros and reasons, no error', async () => {
    const r = await experimentResults(clickHouseRunner(db.ch), { ...DEF, key: 'nobody' }, RANGE, NOW);
    expect(r.variants.map((v) => v.customers)).toEqual([0, 0]);
    expect(r.comparisons.every((c) => c.p_value === null && c.reason !== null)).toBe(true);
    expect(r.srm).toEqual({ p_value: null, mismatch: false });
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it('every event twice, shuffled, in other batches: the same results', async () => {
    await resetAnalytics(db.ch);
    const r = prng(99);
    await ingest(db.ch, shuffled([...s.events, ...s.events], r), 7);
    const again = await experimentResults(clickHouseRunner(db.ch), DEF, RANGE, NOW, { seed: 5 });
    expect(again).toEqual(first);
  }, 60_000);

  it('exposures written before migration 085 are backfilled into experiment_exposures_first: the same results', async () => {
    // undo 085 (its table, its view, its record), write the history without the view, then migrate again
    for (const q of [
      'DROP VIEW IF EXISTS experiment_exposures_first_mv',
      'DROP TABLE IF EXISTS experiment_exposures_first',
      'DELETE FROM schema_migrations WHERE version = 85',
    ])
      await db.ch.client.command({ query: q });
    await resetAnalytics(db.ch);
    await ingest(db.ch, s.events, 3);
    const applied = await migrate(db.ch, { eventsTtlDays: 3650 });
    expect(applied.applied).toContain(85);
    const again = await experimentResults(clickHouseRunner(db.ch), DEF, RANGE, NOW, { seed: 5 });
    expect(again).toEqual(first);
    // the view is back: exposures arriving after the backfill, twice and shuffled, change nothing
    await ingest(db.ch, shuffled(s.events, prng(7)), 5);
    expect(await experimentResults(clickHouseRunner(db.ch), DEF, RANGE, NOW, { seed: 5 })).toEqual(first);
  }, 60_000);
});
