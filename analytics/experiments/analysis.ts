/**
 * An experiment's results, computed in ClickHouse from the same metric
 * definitions the dashboard uses (analytics/registry.ts), per customer — the
 * unit of randomisation:
 *
 *  1. the exposed customers: each customer's FIRST exposure to the experiment
 *     (the min over its `experiment_exposure` events by (occurred_at,
 *     event_id), kept per (experiment, customer) in experiment_exposures_first
 *     by migration 085's view), so duplicates and out-of-order arrival change
 *     nothing; a customer counts in the range [from, to) by that first exposure;
 *  2. their tickets: created after the first exposure (or the very ticket that
 *     exposed them: a receipt is sent as the ticket is created, a survey at its
 *     resolution) and before `to`, read from ticket_facts like every metric;
 *  3. per customer, the registry's aggregates of the metrics (countIf, sum …
 *     exactly as the definitions write them); per variant, the sufficient
 *     statistics of those per-customer values; a quantile metric's per-ticket
 *     values per customer (its aggregate's declared `sample`) for the bootstrap.
 *
 * Each metric's method follows from its definition's form (metric.ts
 * ValueForm): a ratio → the delta method over per-customer sums; a count → the
 * per-customer mean (Welch's t-test); `perCustomer.share` → the share of
 * customers (two-proportion z-test); a quantile → the seeded cluster bootstrap.
 * Every comparison also carries the mSPRT always-valid p-value; the primary
 * metric its MDE and the days still needed; the split its SRM check.
 */
import type { Aggregate, MetricDefinition } from '../metric.js';
import type { QueryRunner, Range } from '../query.js';
import { METRICS, type Registry } from '../registry.js';
import { chTime } from '../ticket-facts.js';
import type { ExperimentDefinition } from './definition.js';
import { bootstrapPercentileDiffs, type PreparedSide, prepareSide, sidePercentile } from './stats/bootstrap.js';
import { orNull, type Method, type Outcome } from './stats/estimate.js';
import { deltaRatio, twoProportions, welch } from './stats/fixed.js';
import { power } from './stats/power.js';
import { msprtPValue, SEQUENTIAL_TUNING } from './stats/sequential.js';
import { srm } from './stats/srm.js';

export interface AnalysisOptions {
  metrics?: Registry;
  /** The bootstrap's seed (the same seed, the same interval). */
  seed?: number;
  /** mSPRT tuning N* (stats/sequential.ts). */
  tuning?: number;
  /** Relative effect on the primary metric the days-needed estimate aims to detect (default 5 %). */
  targetEffect?: number;
  replicates?: number;
}

export interface MetricCell {
  value: number | null;
  /** Customers the value is computed over (for a ratio or a percentile: those with a ticket counted). */
  n: number;
}

export interface VariantResult {
  name: string;
  weight: number;
  customers: number;
  tickets: number;
  metrics: Record<string, MetricCell>;
}

export interface Comparison {
  metric: string;
  variant: string;
  baseline: string;
  value: number | null;
  baseline_value: number | null;
  diff: number | null;
  rel_diff: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
  method: Method;
  sequential_p_value: number | null;
  /** Why the numbers are null (too few customers, zero variance, no data); null when computed. */
  reason: string | null;
}

export interface ExperimentResults {
  experiment: {
    key: string;
    surface: string;
    status: string;
    file: string;
    metrics: string[];
    primary_metric: string;
    holdout: number;
    from: string;
    to: string;
    customers: number;
    first_exposure: string | null;
    last_exposure: string | null;
    /** Days from the first exposure to the end of the range (or now). */
    days: number;
    exposures_by_day: { day: string; variant: string; customers: number }[];
    power: {
      metric: string;
      mde: number | null;
      mde_relative: number | null;
      target_effect: number;
      customers_needed: number | null;
      days_needed: number | null;
      reason: string | null;
    };
    sequential_tuning: number;
    /** Exposures to variants the file does not name (edited after the start): left out. */
    unknown_variant_customers: number;
  };
  variants: VariantResult[];
  comparisons: Comparison[];
  srm: { p_value: number | null; mismatch: boolean };
}

/** How each metric is analysed per customer. */
export type Analysis =
  | { method: 'delta_ratio'; def: MetricDefinition; num: string; den: string }
  | { method: 'welch_t'; def: MetricDefinition; of: Aggregate }
  | { method: 'two_proportion_z'; def: MetricDefinition; of: Aggregate }
  | { method: 'bootstrap_percentile'; def: MetricDefinition; of: Aggregate; q: number };

export function analysisOf(def: MetricDefinition): Analysis {
  if (def.perCustomer) return { method: 'two_proportion_z', def, of: def.perCustomer.share };
  const f = def.sql.form;
  if (!f) throw new Error(`${def.key}: its value has no per-customer form (metric.ts ValueForm)`);
  switch (f.kind) {
    case 'ratio':
      return { method: 'delta_ratio', def, num: f.num.sql, den: `toFloat64(${f.den.name})` };
    case 'count':
      return { method: 'welch_t', def, of: f.of };
    case 'quantile': {
      const level = f.of.sample?.levels[f.index];
      if (level === undefined) throw new Error(`${def.key}: its quantiles aggregate declares no per-ticket sample (metric.ts quantilesOf)`);
      return { method: 'bootstrap_percentile', def, of: f.of, q: level };
    }
  }
}

/** The metrics an experiment can analyse (every registry metric with a per-customer form). */
export function analysable(metrics: Registry = METRICS): string[] {
  return metrics.metrics.filter((d) => d.perCustomer || (d.sql.form && (d.sql.form.kind !== 'quantile' || d.sql.form.of.sample))).map((d) => d.key);
}

/** The experiment's earliest exposure (no grouping: the min of every row's min). Parameter: experiment. */
const EARLIEST_EXPOSURE = `SELECT min(first.1) FROM experiment_exposures_first WHERE experiment = {experiment:String}`;

/** Every customer ever exposed to the experiment (a superset of those first exposed in the range: the join narrows). */
const EXPOSED_CUSTOMERS = `SELECT customer_id FROM experiment_exposures_first WHERE experiment = {experiment:String}`;

/**
 * Each exposed customer's first exposure in [from, to): variant, time, the ticket that exposed them. Parameters:
 * experiment, from, to. From experiment_exposures_first (migration 085: a materialized view keeps
 * min((occurred_at, event_id, variant, ticket_id)) per (experiment, customer)); FINAL merges the rows not merged
 * yet (duplicates, late exposures) in key order — a customer's rows all live on one shard (the view writes
 * through the table sharded by customer) — which is ~10× cheaper than a GROUP BY of 1 M customers.
 */
export const FIRST_EXPOSURES = `SELECT customer_id AS x_customer, first.3 AS x_variant, first.1 AS x_first_at, first.4 AS x_first_ticket
  FROM experiment_exposures_first FINAL
  WHERE experiment = {experiment:String} AND x_first_at >= {from:DateTime64(3)} AND x_first_at < {to:DateTime64(3)}`;

/** Every customer's first exposure to every experiment (x_experiment, customer_id, x_variant, x_first_at): the list's counts and Grafana's exposures panel. */
export const EVERY_FIRST_EXPOSURE = `SELECT experiment AS x_experiment, customer_id, first.3 AS x_variant, first.1 AS x_first_at
       FROM experiment_exposures_first FINAL`;

/** How far before `from` a ticket that exposed its customer may have been created (a survey's ticket, resolved days later). */
const EXPOSING_TICKET_MARGIN_DAYS = 31;

/**
 * The exposed customers' tickets after their first exposure, one row per customer with `columns` (SQL over
 * ticket_facts rows). ticket_facts (ordered by ticket_created_at) is read only from the experiment's first
 * exposure in the range (less the margin) and only for its customers (IN: a set built once), and
 * the first exposures are the join's right side (the hash table).
 */
function perCustomer(columns: readonly string[]): string {
  return `SELECT x_variant, x_customer, count() AS x_tickets${columns.length ? `,\n      ${columns.join(',\n      ')}` : ''}
    FROM (
      SELECT * FROM ticket_facts FINAL
      WHERE ticket_created_at >= greatest({from:DateTime64(3)}, (${EARLIEST_EXPOSURE})) - INTERVAL ${EXPOSING_TICKET_MARGIN_DAYS} DAY
        AND ticket_created_at < {to:DateTime64(3)}
        AND customer_id IN (${EXPOSED_CUSTOMERS})
    ) AS t
    INNER JOIN (${FIRST_EXPOSURES}) AS x ON t.customer_id = x.x_customer
    WHERE ticket_created_at >= x_first_at OR ticket_id = x_first_ticket
    GROUP BY x_variant, x_customer`;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const stat = (key: string, part: string) => `m_${key}_${part}`;
/** A quantile aggregate's per-customer samples, packed: the values, and each customer's count of them. */
const sampleValues = (aggregate: string) => `v_${aggregate}`;
const sampleSizes = (aggregate: string) => `n_${aggregate}`;
/** A variant's total of an aggregate (named apart: an alias equal to the inner column would shadow it). */
const total = (aggregate: string) => `t_${aggregate}`;

/** The statements (exported for the benchmark and EXPLAIN). */
export function resultStatements(keys: readonly string[], metrics: Registry = METRICS) {
  const analyses = keys.map((k) => analysisOf(metrics.get(k)));
  const numberAggs = new Map<string, Aggregate>();
  const sampleAggs = new Map<string, Aggregate>();
  for (const a of analyses) {
    if (a.method === 'bootstrap_percentile') sampleAggs.set(a.of.name, a.of);
    else for (const g of a.def.sql.needs) numberAggs.set(g.name, g);
    if (a.method === 'two_proportion_z' || a.method === 'welch_t') numberAggs.set(a.of.name, a.of);
  }
  const outer: string[] = ['sum(x_tickets) AS x_tickets', ...[...numberAggs.keys()].map((n) => `sum(${n}) AS ${total(n)}`)];
  for (const a of analyses) {
    const k = a.def.key;
    if (a.method === 'delta_ratio') {
      const x = a.num;
      const y = a.den;
      outer.push(
        `sum(${x}) AS ${stat(k, 'sx')}`,
        `sum(${y}) AS ${stat(k, 'sy')}`,
        `sum(${x} * ${x}) AS ${stat(k, 'sxx')}`,
        `sum(${y} * ${y}) AS ${stat(k, 'syy')}`,
        `sum(${x} * ${y}) AS ${stat(k, 'sxy')}`,
        `countIf(${y} > 0) AS ${stat(k, 'n')}`,
      );
    } else if (a.method === 'welch_t') {
      outer.push(`sum(toFloat64(${a.of.name}) * toFloat64(${a.of.name})) AS ${stat(k, 'ss')}`);
    } else if (a.method === 'two_proportion_z') {
      outer.push(`countIf(${a.of.name} > 0) AS ${stat(k, 'yes')}`);
    }
  }
  const sampleList = [...sampleAggs.values()];
  // one pass over the exposed customers' tickets: the aggregates' sums and the quantiles' per-customer samples,
  // the samples ordered by customer (the bootstrap draws by position, so its interval must not depend on merge order)
  const inner = [
    ...[...numberAggs.values()].map((g) => `${g.sql} AS ${g.name}`),
    ...sampleList.map((g) => {
      const smp = g.sample!;
      return smp.where ? `groupArrayIf(${smp.value}, ${smp.where}) AS s_${g.name}` : `groupArray(${smp.value}) AS s_${g.name}`;
    }),
  ];
  // packed: the values of the customers that have any, customer after customer, and how many each has (no array per
  // customer to parse: a million of them cost more than the bootstrap)
  outer.push(
    ...sampleList.flatMap((g) => [
      `arrayFlatten(arrayMap(c -> c.2, arraySort(c -> c.1, groupArrayIf((x_customer, s_${g.name}), notEmpty(s_${g.name}))) AS o_${g.name})) AS ${sampleValues(g.name)}`,
      `arrayMap(c -> toUInt32(length(c.2)), o_${g.name}) AS ${sampleSizes(g.name)}`,
    ]),
  );
  const sums = `SELECT x_variant AS variant, ${outer.join(',\n       ')}
FROM (${perCustomer(inner)})
GROUP BY variant`;
  const exposures = `SELECT x_variant AS variant, toString(toDate(x_first_at)) AS day, count() AS customers,
       toString(min(x_first_at)) AS first_at, toString(max(x_first_at)) AS last_at
FROM (${FIRST_EXPOSURES})
GROUP BY variant, day
ORDER BY day, variant`;
  return { analyses, exposures, sums };
}

/** The experiment's results over customers first exposed in [from, to); `now` bounds the days elapsed. */
export async function experimentResults(
  run: QueryRunner,
  def: ExperimentDefinition,
  range: Range,
  now: Date,
  o: AnalysisOptions = {},
): Promise<ExperimentResults> {
  const metrics = o.metrics ?? METRICS;
  // a metric without a per-customer form (none in the registry today) is left out rather than failing the rest
  const can = new Set(analysable(metrics));
  const keys = def.metrics.filter((k) => metrics.has(k) && can.has(k));
  const { analyses, exposures, sums } = resultStatements(keys, metrics);
  const params = { experiment: def.key, from: chTime(range.from), to: chTime(range.to) };
  const [exposureRows, sumRows] = await Promise.all([run(exposures, params), run(sums, params)]);

  const names = def.variants.map((v) => v.name);
  const customers = new Map<string, number>(names.map((n) => [n, 0]));
  let unknown = 0;
  let first: string | null = null;
  let last: string | null = null;
  for (const r of exposureRows) {
    const v = String(r.variant);
    if (!customers.has(v)) {
      unknown += num(r.customers);
      continue;
    }
    customers.set(v, customers.get(v)! + num(r.customers));
    if (first === null || String(r.first_at) < first) first = String(r.first_at);
    if (last === null || String(r.last_at) > last) last = String(r.last_at);
  }
  const sumsOf = new Map(sumRows.map((r) => [String(r.variant), r]));
  const prepared = new Map<string, PreparedSide>();
  /** A side's per-customer samples of an aggregate, sorted once for its percentiles and the bootstrap. */
  const sideOf = (variant: string, agg: string): PreparedSide => {
    const id = `${variant}/${agg}`;
    let p = prepared.get(id);
    if (!p) {
      const row = sumsOf.get(variant);
      const arr = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : []);
      p = prepareSide({ customers: customers.get(variant) ?? 0, sizes: arr(row?.[sampleSizes(agg)]), values: arr(row?.[sampleValues(agg)]) });
      prepared.set(id, p);
    }
    return p;
  };

  const variants: VariantResult[] = def.variants.map((v) => {
    const row = sumsOf.get(v.name) ?? {};
    const n = customers.get(v.name) ?? 0;
    const cells: Record<string, MetricCell> = {};
    for (const a of analyses) {
      const k = a.def.key;
      if (a.method === 'bootstrap_percentile') {
        const side = sideOf(v.name, a.of.name);
        cells[k] = { value: orNull(sidePercentile(side, a.q)), n: side.withValues };
      } else if (a.method === 'two_proportion_z') {
        cells[k] = { value: n > 0 ? num(row[stat(k, 'yes')]) / n : null, n };
      } else if (a.method === 'welch_t') {
        cells[k] = { value: n > 0 ? num(row[total(a.of.name)]) / n : null, n };
      } else {
        // the definition's own value of the variant's tickets (the same Σ numerator ÷ Σ denominator)
        const totals = Object.fromEntries(metrics.get(k).sql.needs.map((g) => [g.name, row[total(g.name)]]));
        cells[k] = { value: orNull(metrics.get(k).sql.eval(totals)), n: num(row[stat(k, 'n')]) };
      }
    }
    return { name: v.name, weight: v.weight, customers: n, tickets: num(row.x_tickets), metrics: cells };
  });

  const boots = new Map<string, Map<number, Outcome>>();
  const control = def.variants[0]!.name;
  const comparisons: Comparison[] = [];
  const outcomes = new Map<string, Outcome>();
  for (const a of analyses) {
    for (const v of def.variants.slice(1)) {
      const o2 = compare(a, v.name, control);
      outcomes.set(`${a.def.key}/${v.name}`, o2);
      comparisons.push(toComparison(a.def.key, v.name, control, o2, o.tuning));
    }
  }

  function compare(a: Analysis, variant: string, baseline: string): Outcome {
    const rv = sumsOf.get(variant) ?? {};
    const rb = sumsOf.get(baseline) ?? {};
    const nv = customers.get(variant) ?? 0;
    const nb = customers.get(baseline) ?? 0;
    const k = a.def.key;
    switch (a.method) {
      case 'delta_ratio': {
        const side = (r: Record<string, unknown>, n: number) => ({
          n,
          sumX: num(r[stat(k, 'sx')]),
          sumY: num(r[stat(k, 'sy')]),
          sumXX: num(r[stat(k, 'sxx')]),
          sumYY: num(r[stat(k, 'syy')]),
          sumXY: num(r[stat(k, 'sxy')]),
        });
        return deltaRatio(side(rv, nv), side(rb, nb));
      }
      case 'welch_t':
        return welch(
          { n: nv, sum: num(rv[total(a.of.name)]), sumSq: num(rv[stat(k, 'ss')]) },
          { n: nb, sum: num(rb[total(a.of.name)]), sumSq: num(rb[stat(k, 'ss')]) },
        );
      case 'two_proportion_z':
        return twoProportions({ n: nv, successes: num(rv[stat(k, 'yes')]) }, { n: nb, successes: num(rb[stat(k, 'yes')]) });
      case 'bootstrap_percentile': {
        // every percentile of one value (FRT P50 and P90) from the same replicates
        const id = `${a.of.name}/${variant}`;
        let byLevel = boots.get(id);
        if (!byLevel) {
          const levels = [...new Set(analyses.flatMap((x) => (x.method === 'bootstrap_percentile' && x.of.name === a.of.name ? [x.q] : [])))];
          const outs = bootstrapPercentileDiffs(sideOf(variant, a.of.name), sideOf(baseline, a.of.name), {
            qs: levels,
            ...(o.seed !== undefined ? { seed: o.seed } : {}),
            ...(o.replicates !== undefined ? { replicates: o.replicates } : {}),
          });
          byLevel = new Map(levels.map((q, i) => [q, outs[i]!]));
          boots.set(id, byLevel);
        }
        return byLevel.get(a.q)!;
      }
    }
  }

  const exposed = [...customers.values()].reduce((s, n) => s + n, 0);
  const end = Math.min(range.to.getTime(), now.getTime());
  const firstMs = first ? Date.parse(`${first.replace(' ', 'T')}Z`) : null;
  const days = firstMs === null ? 0 : Math.max(0, (end - firstMs) / 86_400_000);
  const primary = keys[0] ?? def.metrics[0] ?? '';
  const target = o.targetEffect ?? 0.05;
  let worst: ReturnType<typeof power> | null = null;
  for (const v of def.variants.slice(1)) {
    const oc = outcomes.get(`${primary}/${v.name}`);
    const p = power({
      se: oc?.ok ? oc.estimate.se : null,
      baseline: oc?.ok ? oc.estimate.baseline : null,
      customers: exposed,
      days,
      target,
    });
    if (!worst || (p.daysNeeded ?? Number.POSITIVE_INFINITY) > (worst.daysNeeded ?? Number.POSITIVE_INFINITY) || worst.mde === null) worst = p;
  }
  const pw = worst ?? power({ se: null, baseline: null, customers: exposed, days, target });
  const split = srm(
    def.variants.map((v) => customers.get(v.name) ?? 0),
    def.variants.map((v) => v.weight),
  );

  return {
    experiment: {
      key: def.key,
      surface: def.surface,
      status: def.status,
      file: def.file,
      metrics: keys,
      primary_metric: primary,
      holdout: def.holdout ?? 0,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      customers: exposed,
      first_exposure: firstMs === null ? null : new Date(firstMs).toISOString(),
      last_exposure: last ? new Date(`${last.replace(' ', 'T')}Z`).toISOString() : null,
      days: Math.round(days * 100) / 100,
      exposures_by_day: exposureRows.map((r) => ({ day: String(r.day), variant: String(r.variant), customers: num(r.customers) })),
      power: {
        metric: primary,
        mde: orNull(pw.mde),
        mde_relative: orNull(pw.mdeRelative),
        target_effect: target,
        customers_needed: pw.mdeRelative !== null && pw.mde !== null ? Math.ceil(Math.max(exposed, exposed * (pw.mdeRelative / target) ** 2)) : null,
        days_needed: orNull(pw.daysNeeded),
        reason: pw.reason ?? null,
      },
      sequential_tuning: o.tuning ?? SEQUENTIAL_TUNING,
      unknown_variant_customers: unknown,
    },
    variants,
    comparisons,
    srm: { p_value: split.pValue, mismatch: split.mismatch },
  };
}

function toComparison(metric: string, variant: string, baseline: string, o: Outcome, tuning: number | undefined): Comparison {
  if (!o.ok)
    return {
      metric,
      variant,
      baseline,
      value: o.value,
      baseline_value: o.baseline,
      diff: o.value !== null && o.baseline !== null ? orNull(o.value - o.baseline) : null,
      rel_diff: null,
      ci_low: null,
      ci_high: null,
      p_value: null,
      method: o.method,
      sequential_p_value: null,
      reason: o.reason,
    };
  const e = o.estimate;
  return {
    metric,
    variant,
    baseline,
    value: e.value,
    baseline_value: e.baseline,
    diff: e.diff,
    rel_diff: orNull(e.relDiff),
    ci_low: e.ciLow,
    ci_high: e.ciHigh,
    p_value: e.pValue,
    method: e.method,
    sequential_p_value: orNull(msprtPValue(e.diff, e.se, e.n + e.nBaseline, tuning !== undefined ? { tuning } : {})),
    reason: null,
  };
}

/** Exposed customers per experiment and variant (each customer once, by their first exposure), for the list. */
export async function exposureCounts(
  run: QueryRunner,
): Promise<Map<string, { customers: number; variants: Record<string, number>; first: string | null; last: string | null }>> {
  const rows = await run(
    `SELECT x_experiment AS experiment, x_variant AS variant, count() AS customers, toString(min(x_first_at)) AS first_at, toString(max(x_first_at)) AS last_at
     FROM (${EVERY_FIRST_EXPOSURE})
     GROUP BY x_experiment, x_variant`,
    {},
  );
  const out = new Map<string, { customers: number; variants: Record<string, number>; first: string | null; last: string | null }>();
  const iso = (s: string) => new Date(`${s.replace(' ', 'T')}Z`).toISOString();
  for (const r of rows) {
    const k = String(r.experiment);
    const e = out.get(k) ?? { customers: 0, variants: {}, first: null, last: null };
    const n = num(r.customers);
    e.customers += n;
    e.variants[String(r.variant)] = n;
    const f = iso(String(r.first_at));
    const l = iso(String(r.last_at));
    if (e.first === null || f < e.first) e.first = f;
    if (e.last === null || l > e.last) e.last = l;
    out.set(k, e);
  }
  return out;
}
