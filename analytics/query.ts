/**
 * The cohort statements: the metrics of the tickets created in a range, in
 * total and per dimension. Each is one flat statement over `ticket_facts`
 * (the registry's aggregates, a ticket's state read straight from its
 * columns), divided into the metrics in TypeScript. The API, the digest and
 * the weekly report call these; `now` is an argument (not ClickHouse's clock)
 * so SLA outcomes are reproducible and agree with the caller's clock.
 */
import { queryRows, type ClickHouse } from '../core/clickhouse.js';
import { METRICS, type Metrics, type MetricValues, type Registry } from './registry.js';
import { chTime, DIMENSION_SQL, QUERY_SETTINGS, ticketsFrom, type BreakdownDimension, type TicketFilter } from './ticket-facts.js';

export interface Range {
  from: Date;
  to: Date;
}

export type QueryRunner = (sql: string, params: Record<string, unknown>) => Promise<Record<string, unknown>[]>;

/** Runs statements with the analytics settings; the API adds timing metrics around it. */
export function clickHouseRunner(ch: ClickHouse): QueryRunner {
  return (sql, params) => queryRows(ch, sql, params, QUERY_SETTINGS);
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
