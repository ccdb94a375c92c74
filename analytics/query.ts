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

export async function summary<V extends MetricValues = Metrics>(
  run: QueryRunner,
  range: Range,
  filter: TicketFilter,
  now: Date,
  metrics: Registry<V> = METRICS as unknown as Registry<V>,
): Promise<V> {
  const sql = `SELECT ${metrics.selectList()} ${ticketsFrom(filter)}`;
  const rows = await run(sql, cohortParams(range, filter, now));
  return metrics.valuesFrom(rows[0] ?? {});
}

export type BreakdownRow<V extends MetricValues = Metrics> = { key: string } & V;

/** The metrics per value of a dimension (the ticket's current one), busiest first. */
export async function breakdown<V extends MetricValues = Metrics>(
  run: QueryRunner,
  by: BreakdownDimension,
  range: Range,
  filter: TicketFilter,
  now: Date,
  metrics: Registry<V> = METRICS as unknown as Registry<V>,
): Promise<BreakdownRow<V>[]> {
  const dimension = DIMENSION_SQL[by];
  const sql = `SELECT ${dimension.key} AS key, count() AS group_tickets, ${metrics.selectList()}
    ${ticketsFrom(filter)}
    GROUP BY ${dimension.group}
    ORDER BY group_tickets DESC, key ASC`;
  const rows = await run(sql, cohortParams(range, filter, now));
  return rows.map((r) => ({ key: String(r.key), ...metrics.valuesFrom(r) }));
}
