/**
 * The SQL behind every analytics number, in one place.
 *
 * `TICKET` reads a ticket's state from its `ticket_facts` row (the per-ticket
 * state the materialized view keeps), `ticketsFrom` selects a cohort of
 * tickets, `AGGREGATES` count and sum them per group in one flat statement and
 * `metricsFrom` divides the results into the metric fields.
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

/**
 * A ticket's state as expressions over its merged `ticket_facts` row (read
 * with FINAL, which applies the columns' min/max to rows background merges
 * have not combined yet). Each is a column, a tuple element or one function:
 * every dashboard statement is built from these, and ClickHouse's analysis
 * time grows with expression depth — a layer of derived columns in a
 * subquery cost more to plan than to run.
 *
 * The `*_last` columns are max(tuple(ticket_seq, occurred_at, event_id, value…))
 * (schemas/clickhouse/015): the latest by the ticket's own sequence, so element 2
 * is the event's time and values start at element 4.
 */
export const TICKET = {
  queue: 'tupleElement(queue_last, 4)',
  category: 'tupleElement(category_last, 4)',
  language: 'tupleElement(language_last, 4)',
  /** Telegram user id of the latest agent; 0 = none */
  agent: 'tupleElement(agent_last, 4)',
  /** '' until a status event was seen */
  status: 'tupleElement(status_last, 4)',
  /** 1–5, 0 until rated (scores start at 1, so the empty tuple reads as "not rated") */
  csat: 'tupleElement(csat_last, 4)',
  /** 0–10; only meaningful where npsRated */
  nps: 'tupleElement(nps_last, 4)',
  npsRated: 'tupleElement(nps_last, 2) != 0',
  resolved: 'first_resolved_at IS NOT NULL',
  /** agent replies: none (NULL ids), exactly one (smallest id = largest), more */
  noReply: 'reply_min_id IS NULL',
  oneReply: 'reply_min_id = reply_max_id',
  /** a human agent's reply reached the customer (bot and KB answers never count) */
  replied: 'first_reply_at IS NOT NULL',
  /** seconds from creation; 0 where there is no such event yet (greatest() skips NULLs), so pair with `replied`/`resolved` */
  frt: 'greatest(0, toUnixTimestamp64Milli(first_reply_at) - toUnixTimestamp64Milli(ticket_created_at)) / 1000',
  resolution: 'greatest(0, toUnixTimestamp64Milli(first_resolved_at) - toUnixTimestamp64Milli(ticket_created_at)) / 1000',
  /** SLA deadlines: the latest queue_changed's, else ticket_opened's; the epoch when unknown */
  frDue: "if(tupleElement(queue_change_last, 2) != 0, tupleElement(queue_change_last, 4), ifNull(opened_fr_due_at, toDateTime64(0, 3, 'UTC')))",
  resDue: "if(tupleElement(queue_change_last, 2) != 0, tupleElement(queue_change_last, 5), ifNull(opened_res_due_at, toDateTime64(0, 3, 'UTC')))",
} as const;

/**
 * The tickets created in [{from}, {to}) with the given current
 * queue/category/agent: a contiguous range of ticket_facts' key. Query
 * parameters: from, to (DateTime64(3)) and queue/category/agent when filtered.
 * Non-key conditions apply after FINAL (ClickHouse does not move them to
 * PREWHERE for FINAL reads), so they see each ticket's merged state.
 */
export function ticketsFrom(filter: TicketFilter, extra: readonly string[] = []): string {
  const where = ['ticket_created_at >= {from:DateTime64(3)}', 'ticket_created_at < {to:DateTime64(3)}', ...extra];
  if (filter.queue !== undefined) where.push(`${TICKET.queue} = {queue:String}`);
  if (filter.category !== undefined) where.push(`${TICKET.category} = {category:String}`);
  if (filter.agent !== undefined) where.push(`${TICKET.agent} = {agent:Int64}`);
  return `FROM ticket_facts FINAL WHERE ${where.join(' AND ')}`;
}

const T = TICKET;
/**
 * What SQL computes per group: counts, one sum and three exact quantile pairs
 * over the tickets' rows. Ratios are divided in TypeScript (`metricsFrom`),
 * which names every rate's numerator and denominator once. `{now:DateTime64(3)}`
 * decides which open tickets are past a deadline. Aliases differ from
 * ticket_facts' column names (an alias would shadow the column).
 */
export const AGGREGATES = {
  tickets: 'count()',
  resolved_n: 'count(first_resolved_at)',
  resolved_replied: `countIf(${T.resolved} AND NOT ${T.noReply})`,
  fcr: `countIf(${T.resolved} AND ${T.oneReply} AND reopened = 0)`,
  auto: `countIf(${T.resolved} AND ${T.noReply})`,
  reopened_n: 'sum(reopened)',
  csat_n: `countIf(${T.csat} > 0)`,
  csat_good: `countIf(${T.csat} >= 4)`,
  csat_sum: `sum(${T.csat})`,
  surveyed: 'sum(csat_surveyed)',
  surveyed_rated: `countIf(csat_surveyed = 1 AND ${T.csat} > 0)`,
  nps_n: `countIf(${T.npsRated})`,
  promoters: `countIf(${T.nps} >= 9)`,
  detractors: `countIf(${T.npsRated} AND ${T.nps} <= 6)`,
  // the desk's ticket_opened.is_repeat_contact: another ticket of the customer resolved in the 7 days before
  repeat_n: 'sum(repeat_contact)',
  // SLA: met = answered/resolved by the deadline; due = met, late, or still open past it (not yet due: neither)
  fr_met_n: `countIf(first_reply_at <= ${T.frDue})`,
  fr_due_n: `countIf(${T.frDue} != 0 AND (first_reply_at IS NOT NULL OR ${T.frDue} < {now:DateTime64(3)}))`,
  res_met_n: `countIf(first_resolved_at <= ${T.resDue})`,
  res_due_n: `countIf(${T.resDue} != 0 AND (first_resolved_at IS NOT NULL OR ${T.resDue} < {now:DateTime64(3)}))`,
  // exact quantiles (linear interpolation between closest ranks) over the tickets that have the value
  frt_q: `quantilesExactInclusiveIf(0.5, 0.9)(${T.frt}, ${T.replied})`,
  frt_bh_q: 'quantilesExactInclusive(0.5, 0.9)(first_reply_bh_seconds)',
  resolution_q: `quantilesExactInclusiveIf(0.5, 0.9)(${T.resolution}, ${T.resolved})`,
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
  tickets_resolved: { needs: ['resolved_n'], value: (r) => n(r, 'resolved_n') },
  frt_p50_seconds: { needs: ['frt_q'], value: (r) => quantile(r, 'frt_q', 0) },
  frt_p90_seconds: { needs: ['frt_q'], value: (r) => quantile(r, 'frt_q', 1) },
  frt_bh_p50_seconds: { needs: ['frt_bh_q'], value: (r) => quantile(r, 'frt_bh_q', 0) },
  frt_bh_p90_seconds: { needs: ['frt_bh_q'], value: (r) => quantile(r, 'frt_bh_q', 1) },
  resolution_p50_seconds: { needs: ['resolution_q'], value: (r) => quantile(r, 'resolution_q', 0) },
  resolution_p90_seconds: { needs: ['resolution_q'], value: (r) => quantile(r, 'resolution_q', 1) },
  fcr_rate: { needs: ['fcr', 'resolved_replied'], value: (r) => ratio(n(r, 'fcr'), n(r, 'resolved_replied')) },
  auto_resolution_rate: { needs: ['auto', 'resolved_n'], value: (r) => ratio(n(r, 'auto'), n(r, 'resolved_n')) },
  reopen_rate: { needs: ['reopened_n', 'resolved_n'], value: (r) => ratio(n(r, 'reopened_n'), n(r, 'resolved_n')) },
  csat_pct: { needs: ['csat_good', 'csat_n'], value: (r) => ratio(n(r, 'csat_good'), n(r, 'csat_n')) },
  csat_avg: { needs: ['csat_sum', 'csat_n'], value: (r) => ratio(n(r, 'csat_sum'), n(r, 'csat_n')) },
  csat_responses: { needs: ['csat_n'], value: (r) => n(r, 'csat_n') },
  csat_response_rate: { needs: ['surveyed_rated', 'surveyed'], value: (r) => ratio(n(r, 'surveyed_rated'), n(r, 'surveyed')) },
  nps: { needs: ['promoters', 'detractors', 'nps_n'], value: (r) => ratio(100 * (n(r, 'promoters') - n(r, 'detractors')), n(r, 'nps_n')) },
  nps_responses: { needs: ['nps_n'], value: (r) => n(r, 'nps_n') },
  repeat_contact_rate: { needs: ['repeat_n', 'tickets'], value: (r) => ratio(n(r, 'repeat_n'), n(r, 'tickets')) },
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

/**
 * Breakdown per dimension: what rows are grouped by (the ticket's current
 * value) and the key reported for a group ('' = none). Grouping by the agent's
 * integer id and naming the group afterwards hashes numbers, not strings.
 */
export const DIMENSION_SQL: Record<BreakdownDimension, { group: string; key: string }> = {
  queue: { group: TICKET.queue, key: TICKET.queue },
  category: { group: TICKET.category, key: TICKET.category },
  language: { group: TICKET.language, key: TICKET.language },
  agent: { group: TICKET.agent, key: `if(${TICKET.agent} = 0, '', toString(${TICKET.agent}))` },
};
