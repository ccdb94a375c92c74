/**
 * Metric values computed entirely in SQL, for consumers that cannot run
 * TypeScript on the rows (Grafana panels): the definitions' aggregates in an
 * inner statement, their values (`ValueExpr.sql`, the same expressions the API
 * evaluates in TypeScript) in an outer one. The API does not use this — it
 * divides in TypeScript to keep its statements flat.
 */
import type { MetricValues, Registry } from './registry.js';
import { TICKET } from './ticket-facts.js';

export interface ValuesStatement {
  /** Conditions on ticket_facts rows (the cohort). */
  where: readonly string[];
  /** Columns to group by, in output order: alias → SQL over a ticket_facts row. */
  groupBy?: readonly (readonly [alias: string, sql: string])[];
  /** SQL of "now" for SLA outcomes (the API passes `{now:DateTime64(3)}`; Grafana has no parameters). Default now64(3). */
  now?: string;
  /** ORDER BY of the outer statement. */
  orderBy?: string;
}

/** `SELECT <groups>, <metric> AS <key>, … FROM (SELECT <groups>, <aggregates> FROM ticket_facts FINAL WHERE … GROUP BY …)`. */
export function valuesStatement<V extends MetricValues>(metrics: Registry<V>, keys: readonly string[], o: ValuesStatement): string {
  const groups = o.groupBy ?? [];
  const now = o.now ?? 'now64(3)';
  const aggregates = metrics.selectList(keys).replaceAll('{now:DateTime64(3)}', now);
  const inner = [...groups.map(([alias, sql]) => `${sql} AS ${alias}`), aggregates].join(',\n      ');
  const outer = [...groups.map(([alias]) => alias), ...keys.map((k) => `${metrics.get(k).sql.sql} AS ${k}`)].join(',\n       ');
  return `SELECT ${outer}
FROM (
  SELECT ${inner}
  FROM ticket_facts FINAL
  WHERE ${o.where.join(' AND ') || '1'}${groups.length ? `\n  GROUP BY ${groups.map(([alias]) => alias).join(', ')}` : ''}
)${o.orderBy ? `\nORDER BY ${o.orderBy}` : ''}`;
}

/** The grouping columns a metric statement commonly uses: the ticket's current queue, category and agent. */
export const GROUP = {
  queue: ['queue', TICKET.queue],
  category: ['category', TICKET.category],
  agent: ['agent', `toString(${TICKET.agent})`],
} as const;
