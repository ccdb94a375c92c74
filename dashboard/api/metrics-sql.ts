/**
 * The SQL behind every analytics number, in one place.
 *
 * Two layers:
 *  1. `ticketStateSql` reads `ticket_facts` (the per-ticket state the
 *     materialized view keeps) for a creation-time range, merged with FINAL —
 *     one row per ticket with plain columns.
 *  2. `AGGREGATES` count and sum those rows per group; `metricsFrom` divides
 *     them into the metric fields.
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

/** Epoch milliseconds of a Nullable DateTime64; 0 when NULL (no such event yet). */
const ms = (col: string) => `ifNull(toUnixTimestamp64Milli(${col}), 0)`;
/** A latest-by-(occurred_at, event_id) tuple is the all-default tuple until such an event was seen. */
const seen = (col: string) => `tupleElement(${col}, 1) != 0`;

/**
 * One row per ticket created in [{from}, {to}), filtered by the ticket's
 * current queue/category/agent. Query parameters: from, to (DateTime64(3)),
 * now_ms (Int64), and queue/category/agent when filtered.
 *
 * FINAL finishes the merge of each ticket's rows at read time (the columns are
 * SimpleAggregateFunctions, so FINAL applies their min/max); rows arrive sorted
 * by the key and most are merged already, so it costs about as much as a plain
 * read. Times are integer milliseconds with 0 for "none" and ratings use an
 * out-of-range value for "none": non-Nullable integers keep the per-row work
 * small — this statement is the cost of every dashboard request.
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
      toUnixTimestamp64Milli(ticket_created_at) AS created_ms,
      tupleElement(queue_latest, 3) AS queue,
      tupleElement(category_latest, 3) AS category,
      tupleElement(language_latest, 3) AS language,
      tupleElement(agent_latest, 3) AS agent_id,
      tupleElement(status_latest, 3) AS status,
      toUnixTimestamp64Milli(tupleElement(status_latest, 1)) AS status_ms,
      ${ms('first_reply_at')} AS reply_ms,
      ${ms('first_resolved_at')} AS resolved_ms,
      first_reply_bh_seconds AS frt_bh,
      -- agent replies, capped at 2: none, exactly one (smallest = largest event id), more
      multiIf(reply_min_id IS NULL, 0, reply_min_id = reply_max_id, 1, 2) AS replies_capped,
      reopened AS was_reopened,
      csat_surveyed AS csat_was_surveyed,
      repeat_contact AS is_repeat,
      if(${seen('csat_latest')}, tupleElement(csat_latest, 3), 0) AS csat_score, -- 1–5, 0 = not rated
      if(${seen('nps_latest')}, toInt16(tupleElement(nps_latest, 3)), -1) AS nps_score, -- 0–10, -1 = not rated
      -- deadlines: the latest queue_changed's, else ticket_opened's; 0 = unknown
      if(${seen('queue_change_latest')}, toUnixTimestamp64Milli(tupleElement(queue_change_latest, 3)), ${ms('opened_fr_due_at')}) AS fr_due_ms,
      if(${seen('queue_change_latest')}, toUnixTimestamp64Milli(tupleElement(queue_change_latest, 4)), ${ms('opened_res_due_at')}) AS res_due_ms,
      greatest(0, reply_ms - created_ms) / 1000 AS frt, -- meaningful where reply_ms > 0
      greatest(0, resolved_ms - created_ms) / 1000 AS resolution, -- meaningful where resolved_ms > 0
      -- SLA outcome: 1 met, 0 missed (late, or still open past the deadline), -1 not due yet / no deadline
      multiIf(fr_due_ms = 0, -1, reply_ms > 0, toInt8(reply_ms <= fr_due_ms), {now_ms:Int64} > fr_due_ms, 0, -1) AS fr_met,
      multiIf(res_due_ms = 0, -1, resolved_ms > 0, toInt8(resolved_ms <= res_due_ms), {now_ms:Int64} > res_due_ms, 0, -1) AS res_met
    FROM ticket_facts FINAL
    WHERE ticket_created_at >= {from:DateTime64(3)} AND ticket_created_at < {to:DateTime64(3)}
    ${where.length ? `AND ${where.join(' AND ')}` : ''}`;
}

/**
 * What SQL computes per group: counts, one sum and three exact quantile pairs.
 * Ratios are divided in TypeScript (`metricsFrom`): the statement stays small —
 * ClickHouse spends a good part of a dashboard query planning it — and every
 * rate's numerator and denominator are named once.
 */
export const AGGREGATES = {
  tickets: 'count()',
  resolved: 'countIf(resolved_ms > 0)',
  resolved_replied: 'countIf(resolved_ms > 0 AND replies_capped >= 1)',
  fcr: 'countIf(resolved_ms > 0 AND replies_capped = 1 AND was_reopened = 0)',
  auto: 'countIf(resolved_ms > 0 AND replies_capped = 0)',
  reopened: 'countIf(was_reopened = 1)',
  csat_n: 'countIf(csat_score > 0)',
  csat_good: 'countIf(csat_score >= 4)',
  csat_sum: 'sum(csat_score)',
  surveyed: 'countIf(csat_was_surveyed = 1)',
  surveyed_rated: 'countIf(csat_was_surveyed = 1 AND csat_score > 0)',
  nps_n: 'countIf(nps_score >= 0)',
  promoters: 'countIf(nps_score >= 9)',
  detractors: 'countIf(nps_score BETWEEN 0 AND 6)',
  // the desk's ticket_opened.is_repeat_contact: another ticket of the customer resolved in the 7 days before
  repeat: 'countIf(is_repeat = 1)',
  // (aliases must differ from the cohort's column names, or the alias would shadow the column)
  fr_met_n: 'countIf(fr_met = 1)',
  fr_due_n: 'countIf(fr_met >= 0)',
  res_met_n: 'countIf(res_met = 1)',
  res_due_n: 'countIf(res_met >= 0)',
  // exact quantiles (linear interpolation between closest ranks) over the tickets that have the value
  frt_q: 'quantilesExactInclusiveIf(0.5, 0.9)(frt, reply_ms > 0)',
  frt_bh_q: 'quantilesExactInclusive(0.5, 0.9)(frt_bh)',
  resolution_q: 'quantilesExactInclusiveIf(0.5, 0.9)(resolution, resolved_ms > 0)',
} as const;
type Aggregate = keyof typeof AGGREGATES;
type AggregateRow = Partial<Record<Aggregate, unknown>>;

const n = (row: AggregateRow, k: Aggregate) => Number(row[k] ?? 0);
const ratio = (num: number, den: number) => (den === 0 ? null : num / den);
const quantile = (row: AggregateRow, k: Aggregate, i: 0 | 1): number | null => {
  const v = (row[k] as (number | null)[] | null | undefined)?.[i];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/** Each metric: the aggregates it needs and how it is computed from them. */
export const METRICS: Record<MetricField, { needs: readonly Aggregate[]; value: (r: AggregateRow) => number | null }> = {
  tickets_created: { needs: ['tickets'], value: (r) => n(r, 'tickets') },
  tickets_resolved: { needs: ['resolved'], value: (r) => n(r, 'resolved') },
  frt_p50_seconds: { needs: ['frt_q'], value: (r) => quantile(r, 'frt_q', 0) },
  frt_p90_seconds: { needs: ['frt_q'], value: (r) => quantile(r, 'frt_q', 1) },
  frt_bh_p50_seconds: { needs: ['frt_bh_q'], value: (r) => quantile(r, 'frt_bh_q', 0) },
  frt_bh_p90_seconds: { needs: ['frt_bh_q'], value: (r) => quantile(r, 'frt_bh_q', 1) },
  resolution_p50_seconds: { needs: ['resolution_q'], value: (r) => quantile(r, 'resolution_q', 0) },
  resolution_p90_seconds: { needs: ['resolution_q'], value: (r) => quantile(r, 'resolution_q', 1) },
  fcr_rate: { needs: ['fcr', 'resolved_replied'], value: (r) => ratio(n(r, 'fcr'), n(r, 'resolved_replied')) },
  auto_resolution_rate: { needs: ['auto', 'resolved'], value: (r) => ratio(n(r, 'auto'), n(r, 'resolved')) },
  reopen_rate: { needs: ['reopened', 'resolved'], value: (r) => ratio(n(r, 'reopened'), n(r, 'resolved')) },
  csat_pct: { needs: ['csat_good', 'csat_n'], value: (r) => ratio(n(r, 'csat_good'), n(r, 'csat_n')) },
  csat_avg: { needs: ['csat_sum', 'csat_n'], value: (r) => ratio(n(r, 'csat_sum'), n(r, 'csat_n')) },
  csat_responses: { needs: ['csat_n'], value: (r) => n(r, 'csat_n') },
  csat_response_rate: { needs: ['surveyed_rated', 'surveyed'], value: (r) => ratio(n(r, 'surveyed_rated'), n(r, 'surveyed')) },
  nps: { needs: ['promoters', 'detractors', 'nps_n'], value: (r) => ratio(100 * (n(r, 'promoters') - n(r, 'detractors')), n(r, 'nps_n')) },
  nps_responses: { needs: ['nps_n'], value: (r) => n(r, 'nps_n') },
  repeat_contact_rate: { needs: ['repeat', 'tickets'], value: (r) => ratio(n(r, 'repeat'), n(r, 'tickets')) },
  sla_first_response_met_rate: { needs: ['fr_met_n', 'fr_due_n'], value: (r) => ratio(n(r, 'fr_met_n'), n(r, 'fr_due_n')) },
  sla_resolution_met_rate: { needs: ['res_met_n', 'res_due_n'], value: (r) => ratio(n(r, 'res_met_n'), n(r, 'res_due_n')) },
};

/** SELECT list of the aggregates the given metrics need. */
export function aggregateSelectList(fields: readonly MetricField[] = METRIC_FIELDS): string {
  const needed = new Set(fields.flatMap((f) => METRICS[f].needs));
  return [...needed].map((a) => `${AGGREGATES[a]} AS ${a}`).join(',\n      ');
}

/** The metric fields from one row of aggregates (missing aggregates → counts 0, the rest null). */
export function metricsFrom(row: AggregateRow, fields: readonly MetricField[] = METRIC_FIELDS): Metrics {
  const out: Record<string, number | null> = {};
  for (const f of fields) out[f] = METRICS[f].value(row);
  return out as Metrics;
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
