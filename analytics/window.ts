/**
 * Metrics over a recent window instead of a creation cohort: the tickets whose
 * row has an instant (e.g. the latest rating's time) within the window before
 * now, per current queue — what the Prometheus exporter exports for a
 * definition with a `ticket_facts` window. Same aggregates, same values as the
 * API; only the set of tickets differs.
 */
import type { FactsWindow } from './metric.js';
import type { QueryRunner } from './query.js';
import { METRICS, type Metrics, type MetricValues, type Registry } from './registry.js';
import { chTime, TICKET } from './ticket-facts.js';

/** The metrics `keys` per queue over the window ending at `now`. */
export async function windowValues<V extends MetricValues = Metrics>(
  run: QueryRunner,
  window: FactsWindow,
  keys: readonly string[],
  now: Date,
  metrics: Registry<V> = METRICS as unknown as Registry<V>,
): Promise<Map<string, V>> {
  const sql = `SELECT ${TICKET.queue} AS queue, ${metrics.selectList(keys)}
    FROM ticket_facts FINAL
    WHERE ${window.since} >= {since:DateTime64(3)}
    GROUP BY queue`;
  const rows = await run(sql, { since: chTime(new Date(now.getTime() - window.seconds * 1000)), now: chTime(now) });
  return new Map(rows.map((r) => [String(r.queue), metrics.valuesFrom(r, keys)]));
}

/** One key per distinct window, for grouping the definitions that share it. */
export const windowKey = (w: FactsWindow): string => `${w.since}@${w.seconds}`;
