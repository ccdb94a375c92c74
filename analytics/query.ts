/**
 * The cohort statements: the metrics of the tickets created in a range, in
 * total and per dimension. Each is one flat statement over `ticket_facts`
 * (the registry's aggregates, a ticket's state read straight from its
 * columns), divided into the metrics in TypeScript. The API, the digest and
 * the weekly report call these; `now` is an argument (not ClickHouse's clock)
 * so SLA outcomes are reproducible and agree with the caller's clock.
 */
import { queryRows, type ClickHouse } from '../core/clickhouse.js';
import type { Aggregate, AggregateRow } from './metric.js';
import { METRICS, type Metrics, type MetricValues, type Registry } from './registry.js';
import { addRolled, readRollup, remainderRanges, rollupPlan, rollupUnavailable, servedDays, wholeDays, type RollupAccess, type RollupPlan } from './rollup.js';
import { chTime, DIMENSION_SQL, QUERY_SETTINGS, ticketsFrom, type BreakdownDimension, type TicketFilter } from './ticket-facts.js';

export interface Range {
  from: Date;
  to: Date;
}

export type QueryRunner = ((sql: string, params: Record<string, unknown>) => Promise<Record<string, unknown>[]>) & {
  /** Present where the runner may keep the per-day rollup (analytics/rollup.ts): long unfiltered ranges read it. */
  rollup?: RollupAccess;
};

/**
 * Runs statements with the analytics settings; the API adds timing metrics around it. It keeps the per-day
 * rollup (`rollupQuietMs`: how long after a day's last insert its rollup is trusted, default 30 s; false: never
 * use the rollup; `rollupMinDays`: shorter ranges do not, default 60). A read-only user cannot write it: the
 * days are then read from ticket_facts.
 */
export function clickHouseRunner(ch: ClickHouse, o: { rollupQuietMs?: number | false; rollupMinDays?: number } = {}): QueryRunner {
  // Identical statements in flight at once run once: the page asks for FRT P50 and P90 by day at the same
  // moment, and both are the same quantiles statement. Nothing is kept after it returns (no staleness).
  const inflight = new Map<string, Promise<Record<string, unknown>[]>>();
  const run: QueryRunner = (sql, params) => {
    const key = `${sql}\u0000${JSON.stringify(params)}`;
    const running = inflight.get(key);
    if (running) return running;
    const p = queryRows(ch, sql, params, QUERY_SETTINGS).finally(() => inflight.delete(key));
    inflight.set(key, p);
    return p;
  };
  if (o.rollupQuietMs === false) return run;
  run.rollup = {
    quietMs: o.rollupQuietMs ?? 30_000,
    minDays: o.rollupMinDays ?? 60,
    // the statement carries its own insert settings (chDB would keep clickhouse_settings session-wide)
    write: async (query, params) => {
      await ch.client.command({ query, query_params: params, clickhouse_settings: QUERY_SETTINGS });
    },
  };
  return run;
}

const plans = new WeakMap<Registry<MetricValues>, RollupPlan>();
const selectOf = (aggregates: readonly Aggregate[]) => aggregates.map((a) => `${a.sql} AS ${a.name}`).join(',\n      ');

/**
 * The aggregates of an unfiltered cohort with whole UTC days, per key of `dimension` ('' for the whole cohort):
 * the percentiles (and any aggregate not known to add up) from ticket_facts over the whole range, the counts
 * and sums from the per-day rollup for the days it serves plus ticket_facts for the rest of the range
 * (rollup.ts). Null: not such a cohort, read it with one statement from ticket_facts.
 */
async function splitAggregates(
  run: QueryRunner,
  range: Range,
  filter: TicketFilter,
  now: Date,
  metrics: Registry<MetricValues>,
  by: BreakdownDimension | '',
): Promise<Map<string, AggregateRow> | null> {
  if (!run.rollup || filter.queue !== undefined || filter.category !== undefined || filter.agent !== undefined) return null;
  const days = wholeDays(range.from, range.to);
  if (days.length === 0 || days.length < run.rollup.minDays || rollupUnavailable(run.rollup)) return null;
  let plan = plans.get(metrics);
  if (!plan) plans.set(metrics, (plan = rollupPlan([...metrics.aggregates.values()])));
  const key = by === '' ? "'' AS key" : `${DIMENSION_SQL[by].key} AS key`;
  const groupBy = by === '' ? '' : `\n    GROUP BY ${DIMENSION_SQL[by].group}`;
  const byKey = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [String(r.key), r]));
  // first, at once: which days the rollup serves, and what it cannot serve (with the cohort's size)
  const [{ served, rolled }, restRows] = await Promise.all([
    servedDays(run, run.rollup, plan, days),
    run(`SELECT ${key}, ${selectOf([plan.additive[0]!, ...plan.rest])}\n    ${ticketsFrom(filter)}${groupBy}`, cohortParams(range, filter, now)),
  ]);
  const rest = byKey(restRows);
  const out = new Map<string, AggregateRow>();
  if (!restRows.some((r) => Number(r[plan.additive[0]!.name]) > 0)) {
    // no tickets: nothing to add up
    for (const [k, r] of rest) out.set(k, { ...r, ...addRolled(plan, undefined, undefined) });
    return out;
  }
  const rem = remainderRanges(range.from, range.to, served);
  const [rollup, remRows] = await Promise.all([
    readRollup(run, plan, rolled, by, now),
    rem
      ? run(`SELECT ${key}, ${selectOf([...plan.additive, ...plan.due])}\n    FROM ticket_facts FINAL WHERE ${rem.where}${groupBy}`, {
          ...rem.params,
          now: chTime(now),
        })
      : Promise.resolve([]),
  ]);
  const remainder = byKey(remRows);
  for (const k of new Set([...rollup.keys(), ...remainder.keys(), ...rest.keys()]))
    out.set(k, { ...rest.get(k), ...addRolled(plan, rollup.get(k), remainder.get(k)) });
  return out;
}

/** Parameters of a cohort statement: the range, the clock for SLA outcomes, the filter's values. */
export function cohortParams(range: Range, filter: TicketFilter, now: Date): Record<string, unknown> {
  return {
    from: chTime(range.from),
    to: chTime(range.to),
    now: chTime(now),
    ...(filter.queue !== undefined ? { queue: filter.queue } : {}),
    ...(filter.category !== undefined ? { category: filter.category } : {}),
    ...(filter.agent !== undefined ? { agent: filter.agent } : {}),
  };
}

/** The metrics of the tickets created in the range. */
export async function summary<V extends MetricValues>(run: QueryRunner, range: Range, filter: TicketFilter, now: Date, metrics: Registry<V>): Promise<V>;
export async function summary(run: QueryRunner, range: Range, filter: TicketFilter, now: Date): Promise<Metrics>;
export async function summary(
  run: QueryRunner,
  range: Range,
  filter: TicketFilter,
  now: Date,
  metrics: Registry<MetricValues> = METRICS,
): Promise<MetricValues> {
  const split = await splitAggregates(run, range, filter, now, metrics, '');
  if (split) return metrics.valuesFrom(split.get('') ?? {});
  const sql = `SELECT ${metrics.selectList()} ${ticketsFrom(filter)}`;
  const rows = await run(sql, cohortParams(range, filter, now));
  return metrics.valuesFrom(rows[0] ?? {});
}

/** `label`: by agent, the agent's display name ("Anna K.") when the staff table knows it. */
export type BreakdownRow<V extends MetricValues = Metrics> = { key: string; label?: string } & V;

/** The metrics per value of a dimension (the ticket's current one), busiest first. */
export async function breakdown<V extends MetricValues>(
  run: QueryRunner,
  by: BreakdownDimension,
  range: Range,
  filter: TicketFilter,
  now: Date,
  metrics: Registry<V>,
): Promise<BreakdownRow<V>[]>;
export async function breakdown(run: QueryRunner, by: BreakdownDimension, range: Range, filter: TicketFilter, now: Date): Promise<BreakdownRow[]>;
export async function breakdown(
  run: QueryRunner,
  by: BreakdownDimension,
  range: Range,
  filter: TicketFilter,
  now: Date,
  metrics: Registry<MetricValues> = METRICS,
): Promise<{ key: string; label?: string }[]> {
  const split = await splitAggregates(run, range, filter, now, metrics, by);
  if (split) {
    const groups = [...split.entries()]
      .filter(([, r]) => Number(r.group_tickets) > 0)
      // busiest first, then the key in ClickHouse's (byte) order, as the statement below sorts
      .sort(([ka, a], [kb, b]) => Number(b.group_tickets) - Number(a.group_tickets) || Buffer.compare(Buffer.from(ka), Buffer.from(kb)));
    const out = groups.map(([key, r]) => ({ key, ...metrics.valuesFrom(r) }));
    return by === 'agent' ? withAgentNames(run, out) : out;
  }
  const dimension = DIMENSION_SQL[by];
  const sql = `SELECT ${dimension.key} AS key, count() AS group_tickets, ${metrics.selectList()}
    ${ticketsFrom(filter)}
    GROUP BY ${dimension.group}
    ORDER BY group_tickets DESC, key ASC`;
  const rows = await run(sql, cohortParams(range, filter, now));
  const out: { key: string; label?: string }[] = rows.map((r) => ({ key: String(r.key), ...metrics.valuesFrom(r) }));
  return by === 'agent' ? withAgentNames(run, out) : out;
}

/**
 * Labels agent rows (key = Telegram id) with the agent's display name from `staff`
 * (schemas/clickhouse/020_staff.sql, synced from the desk's store): the latest name
 * per id; an agent never named, and "no agent" (''), get no label.
 */
export async function withAgentNames<R extends { key: string; label?: string }>(run: QueryRunner, rows: R[]): Promise<R[]> {
  const ids = rows.filter((r) => r.key !== '').map((r) => Number(r.key));
  if (ids.length === 0) return rows;
  const named = await run('SELECT id, argMax(display_name, updated_at) AS name FROM staff WHERE id IN {ids:Array(Int64)} GROUP BY id', { ids });
  const names = new Map(named.map((n) => [String(n.id), String(n.name)]));
  return rows.map(({ key, ...rest }) => {
    const label = names.get(key);
    return (label ? { key, label, ...rest } : { key, ...rest }) as R;
  });
}
