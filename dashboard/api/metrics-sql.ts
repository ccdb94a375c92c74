/**
 * The SQL behind every analytics number, in one place.
 *
 * Two layers:
 *  1. `ticketStateSql` reads `ticket_facts` (the per-ticket state the
 *     materialized view keeps) for a creation-time range, merged with FINAL —
 *     one row per ticket with plain columns.
 *  2. `METRIC_SELECT` aggregates those rows into the metric fields.
 * Nothing here reads the raw `events` table: the API must stay cheap at any
 * event volume, and the MVs already made the data idempotent.
 */

/** Metric fields in the order the API returns them. */
export const METRIC_FIELDS = [
  'tickets_created',
  'tickets_resolved',
  'frt_p50_seconds',
  'frt_p90_seconds',
  'frt_bh_p50_seconds',
  'frt_bh_p90_seconds',
  'resolution_p50_seconds',
  'resolution_p90_seconds',
  'fcr_rate',
  'auto_resolution_rate',
  'reopen_rate',
  'csat_pct',
  'csat_avg',
  'csat_responses',
  'csat_response_rate',
  'nps',
  'nps_responses',
  'repeat_contact_rate',
  'sla_first_response_met_rate',
  'sla_resolution_met_rate',
] as const;
export type MetricField = (typeof METRIC_FIELDS)[number];
/** Fields that are counts: 0 (never null) for an empty cohort. */
const COUNTS = ['tickets_created', 'tickets_resolved', 'csat_responses', 'nps_responses'] as const;
export type CountField = (typeof COUNTS)[number];
export const COUNT_FIELDS: ReadonlySet<MetricField> = new Set<MetricField>(COUNTS);
export type Metrics = { [K in MetricField]: K extends CountField ? number : number | null };

export const BREAKDOWN_DIMENSIONS = ['queue', 'category', 'agent', 'language'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export interface TicketFilter {
  queue?: string | undefined;
  category?: string | undefined;
  /** Telegram user id of the ticket's (latest) agent. */
  agent?: number | undefined;
}

const NO_EVENT = "toUUID('00000000-0000-0000-0000-000000000000')";
/** Value of a latest-by-(occurred_at, event_id) tuple, NULL when no such event was seen. */
const latestOrNull = (col: string) => `if(tupleElement(${col}, 2) = ${NO_EVENT}, NULL, tupleElement(${col}, 3))`;
// greatest() skips NULL arguments in current ClickHouse, so the NULL (no such event yet) is kept explicitly.
const seconds = (a: string, b: string) => `if(${a} IS NULL, NULL, greatest(0, toUnixTimestamp64Milli(${a}) - toUnixTimestamp64Milli(${b})) / 1000)`;

/**
 * One row per ticket created in [{from}, {to}), filtered by the ticket's
 * current queue/category/agent. Query parameters: from, to (DateTime64(3)), now,
 * and queue/category/agent when filtered.
 *
 * FINAL finishes the merge of each ticket's rows at read time (the columns are
 * SimpleAggregateFunctions, so FINAL applies their min/max); it is cheaper than
 * GROUP BY because rows arrive sorted by the key and most are merged already.
 */
export function ticketStateSql(filter: TicketFilter): string {
  const where: string[] = [];
  if (filter.queue !== undefined) where.push('queue = {queue:String}');
  if (filter.category !== undefined) where.push('category = {category:String}');
  if (filter.agent !== undefined) where.push('agent_id = {agent:Int64}');
  return `
    SELECT
      ticket_id,
      ticket_created_at AS created_at,
      customer_id AS cust_id,
      tupleElement(queue_latest, 3) AS queue,
      tupleElement(category_latest, 3) AS category,
      tupleElement(language_latest, 3) AS language,
      tupleElement(agent_latest, 3) AS agent_id,
      tupleElement(status_latest, 3) AS status,
      tupleElement(status_latest, 1) AS status_since,
      first_reply_at AS first_reply,
      first_reply_bh_seconds AS frt_bh,
      multiIf(reply_min_id IS NULL, 0, reply_min_id = reply_max_id, 1, 2) AS replies_capped,
      first_resolved_at AS resolved_at,
      reopened AS was_reopened,
      csat_surveyed AS csat_was_surveyed,
      repeat_contact AS is_repeat,
      ${latestOrNull('csat_latest')} AS csat_score,
      ${latestOrNull('nps_latest')} AS nps_score,
      if(tupleElement(queue_change_latest, 2) = ${NO_EVENT}, opened_fr_due_at, tupleElement(queue_change_latest, 3)) AS fr_due,
      if(tupleElement(queue_change_latest, 2) = ${NO_EVENT}, opened_res_due_at, tupleElement(queue_change_latest, 4)) AS res_due,
      ${seconds('first_reply', 'created_at')} AS frt,
      ${seconds('resolved_at', 'created_at')} AS resolution,
      -- SLA outcome: 1 met, 0 missed (late, or still open past the deadline), NULL not due yet / no deadline
      multiIf(fr_due IS NULL, NULL, first_reply IS NOT NULL, toUInt8(first_reply <= fr_due), {now:DateTime64(3)} > fr_due, 0, NULL) AS fr_met,
      multiIf(res_due IS NULL, NULL, resolved_at IS NOT NULL, toUInt8(resolved_at <= res_due), {now:DateTime64(3)} > res_due, 0, NULL) AS res_met
    FROM ticket_facts FINAL
    WHERE ticket_created_at >= {from:DateTime64(3)} AND ticket_created_at < {to:DateTime64(3)}
    ${where.length ? `AND ${where.join(' AND ')}` : ''}`;
}

const q = (level: number, col: string) => `quantileExactInclusive(${level})(${col})`;
const ratio = (num: string, den: string) => `countIf(${num}) / nullIf(countIf(${den}), 0)`;

/** Aggregates of the cohort rows (columns of `ticketStateSql`) into the metric fields. */
export const METRIC_SELECT: Record<MetricField, string> = {
  tickets_created: 'count()',
  tickets_resolved: 'countIf(resolved_at IS NOT NULL)',
  // Nullable arguments: quantiles skip NULLs and return NULL when nothing is left.
  frt_p50_seconds: q(0.5, 'frt'),
  frt_p90_seconds: q(0.9, 'frt'),
  frt_bh_p50_seconds: q(0.5, 'frt_bh'),
  frt_bh_p90_seconds: q(0.9, 'frt_bh'),
  resolution_p50_seconds: q(0.5, 'resolution'),
  resolution_p90_seconds: q(0.9, 'resolution'),
  fcr_rate: ratio('resolved_at IS NOT NULL AND replies_capped = 1 AND was_reopened = 0', 'resolved_at IS NOT NULL AND replies_capped >= 1'),
  auto_resolution_rate: ratio('resolved_at IS NOT NULL AND replies_capped = 0', 'resolved_at IS NOT NULL'),
  reopen_rate: ratio('was_reopened = 1', 'resolved_at IS NOT NULL'),
  csat_pct: ratio('csat_score >= 4', 'csat_score IS NOT NULL'),
  csat_avg: 'avg(csat_score)',
  csat_responses: 'count(csat_score)',
  csat_response_rate: ratio('csat_was_surveyed = 1 AND csat_score IS NOT NULL', 'csat_was_surveyed = 1'),
  nps: '100 * (countIf(nps_score >= 9) - countIf(nps_score <= 6)) / nullIf(count(nps_score), 0)',
  nps_responses: 'count(nps_score)',
  // the desk's ticket_opened.is_repeat_contact: another ticket of the customer resolved in the 7 days before
  repeat_contact_rate: 'countIf(is_repeat = 1) / nullIf(count(), 0)',
  sla_first_response_met_rate: 'countIf(fr_met = 1) / nullIf(count(fr_met), 0)',
  sla_resolution_met_rate: 'countIf(res_met = 1) / nullIf(count(res_met), 0)',
};

export function metricSelectList(fields: readonly MetricField[] = METRIC_FIELDS): string {
  return fields.map((f) => `${METRIC_SELECT[f]} AS ${f}`).join(',\n      ');
}

/** The WITH clause every metric query starts from: the cohort's tickets. */
export function cohortWith(filter: TicketFilter): string {
  return `WITH cohort AS (${ticketStateSql(filter)})`;
}

/** Breakdown key per dimension: the ticket's current value ('' = none). */
export const DIMENSION_SQL: Record<BreakdownDimension, string> = {
  queue: 'queue',
  category: 'category',
  language: 'language',
  agent: "if(agent_id = 0, '', toString(agent_id))",
};
