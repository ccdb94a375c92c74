/**
 * Analytics queries: each function takes validated inputs, runs its SQL over
 * ticket_facts (never the raw events) and returns plain rows for the routes.
 * `now` is an argument (not ClickHouse's clock) so SLA outcomes and the live
 * panel are reproducible in tests and consistent with the caller's clock.
 */
import { queryRows, type ClickHouse } from '../../core/clickhouse.js';
import {
  COUNT_FIELDS,
  DIMENSION_SQL,
  METRIC_FIELDS,
  aggregateSelectList,
  cohortWith,
  metricsFrom,
  type BreakdownDimension,
  type MetricField,
  type Metrics,
  type TicketFilter,
} from './metrics-sql.js';

export interface Range {
  from: Date;
  to: Date;
}

/** Settings every analytics query runs with (chDB applies them session-wide, so always pass them). */
const QUERY_SETTINGS = {
  // a ticket's rows all live in its creation month's partition, so FINAL need not merge across partitions
  do_not_merge_across_partitions_select_final: 1,
} as const;

function baseParams(range: Range, filter: TicketFilter, now: Date): Record<string, unknown> {
  return {
    from: chTime(range.from),
    to: chTime(range.to),
    now_ms: now.getTime(),
    ...(filter.queue !== undefined ? { queue: filter.queue } : {}),
    ...(filter.category !== undefined ? { category: filter.category } : {}),
    ...(filter.agent !== undefined ? { agent: filter.agent } : {}),
  };
}

/** DateTime64(3) parameter text: ClickHouse parses 'YYYY-MM-DD hh:mm:ss.sss' in UTC. */
export function chTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

export type QueryRunner = (sql: string, params: Record<string, unknown>) => Promise<Record<string, unknown>[]>;

/** Wraps queryRows with the analytics settings; the plugin adds timing metrics around it. */
export function clickHouseRunner(ch: ClickHouse): QueryRunner {
  return (sql, params) => queryRows(ch, sql, params, QUERY_SETTINGS);
}

export async function summary(run: QueryRunner, range: Range, filter: TicketFilter, now: Date): Promise<Metrics> {
  const sql = `${cohortWith(filter)}
    SELECT ${aggregateSelectList()}
    FROM cohort`;
  const rows = await run(sql, baseParams(range, filter, now));
  return metricsFrom(rows[0] ?? {});
}

export type BreakdownRow = { key: string } & Metrics;

export async function breakdown(run: QueryRunner, by: BreakdownDimension, range: Range, filter: TicketFilter, now: Date): Promise<BreakdownRow[]> {
  const sql = `${cohortWith(filter)}
    SELECT ${DIMENSION_SQL[by]} AS key, ${aggregateSelectList()}
    FROM cohort
    GROUP BY key
    ORDER BY tickets DESC, key ASC`;
  const rows = await run(sql, baseParams(range, filter, now));
  return rows.map((r) => ({ key: String(r.key), ...metricsFrom(r) }));
}

export type Interval = 'hour' | 'day';

/**
 * Start of every bucket that overlaps [from, to), in the given IANA time zone.
 * Stepping hour by hour and flooring in ClickHouse keeps DST days (23 h, 25 h)
 * and half-hour zones right without date arithmetic here.
 */
async function bucketStarts(run: QueryRunner, range: Range, interval: Interval, tz: string): Promise<number[]> {
  const floor = interval === 'hour' ? 'toStartOfHour' : 'toStartOfDay';
  const rows = await run(
    `SELECT DISTINCT toUnixTimestamp(${floor}(toDateTime64({from:DateTime64(3)}, 3) + toIntervalHour(number), {tz:String})) * 1000 AS b
     FROM numbers(toUInt64(ceil((toUnixTimestamp64Milli({to:DateTime64(3)}) - toUnixTimestamp64Milli({from:DateTime64(3)})) / 3600000)))
     ORDER BY b`,
    { from: chTime(range.from), to: chTime(range.to), tz },
  );
  return rows.map((r) => Number(r.b));
}

/** Buckets per interval above which a timeseries request is refused (an hourly year is 8 784). */
export const MAX_BUCKETS = 10_000;

export interface TimeseriesPoint {
  t: string;
  value: number | null;
}

export async function timeseries(
  run: QueryRunner,
  metric: MetricField,
  interval: Interval,
  tz: string,
  range: Range,
  filter: TicketFilter,
  now: Date,
): Promise<TimeseriesPoint[]> {
  const bucket = interval === 'hour' ? 'toStartOfHour(created_at, {tz:String})' : 'toStartOfDay(created_at, {tz:String})';
  const sql = `${cohortWith(filter)}
    SELECT toUnixTimestamp(${bucket}) * 1000 AS bucket_ms, ${aggregateSelectList([metric])}
    FROM cohort
    GROUP BY bucket_ms`;
  const [rows, buckets] = await Promise.all([run(sql, { ...baseParams(range, filter, now), tz }), bucketStarts(run, range, interval, tz)]);
  const byBucket = new Map(rows.map((r) => [Number(r.bucket_ms), metricsFrom(r, [metric])[metric]]));
  const empty = COUNT_FIELDS.has(metric) ? 0 : null;
  return buckets.map((b) => ({ t: new Date(b).toISOString(), value: byBucket.get(b) ?? empty }));
}

export interface HeatmapCell {
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  weekday: number;
  hour: number;
  tickets: number;
}

export async function heatmap(run: QueryRunner, tz: string, range: Range, filter: TicketFilter, now: Date): Promise<HeatmapCell[]> {
  const sql = `${cohortWith(filter)}
    SELECT toDayOfWeek(created_at, 0, {tz:String}) AS weekday, toHour(toTimeZone(created_at, {tz:String})) AS hour, count() AS tickets
    FROM cohort
    GROUP BY weekday, hour`;
  const rows = await run(sql, { ...baseParams(range, filter, now), tz });
  const counts = new Map(rows.map((r) => [`${r.weekday}:${r.hour}`, Number(r.tickets)]));
  const cells: HeatmapCell[] = [];
  for (let weekday = 1; weekday <= 7; weekday++)
    for (let hour = 0; hour < 24; hour++) cells.push({ weekday, hour, tickets: counts.get(`${weekday}:${hour}`) ?? 0 });
  return cells;
}

/** First-response-time buckets: [label, lower bound s, upper bound s (exclusive)]. */
export const FRT_BUCKETS = [
  ['0–5 m', 0, 300],
  ['5–15 m', 300, 900],
  ['15–60 m', 900, 3600],
  ['1–4 h', 3600, 14_400],
  ['4–24 h', 14_400, 86_400],
  ['24 h+', 86_400, null],
] as const;

export interface FrtBucket {
  bucket: string;
  min_seconds: number;
  max_seconds: number | null;
  tickets: number;
  share: number | null;
}

export async function frtDistribution(run: QueryRunner, range: Range, filter: TicketFilter, now: Date): Promise<FrtBucket[]> {
  const idx = `multiIf(${FRT_BUCKETS.slice(0, -1)
    .map(([, , hi], i) => `frt < ${hi}, ${i}`)
    .join(', ')}, ${FRT_BUCKETS.length - 1})`;
  const sql = `${cohortWith(filter)}
    SELECT ${idx} AS idx, count() AS tickets
    FROM cohort WHERE reply_ms > 0
    GROUP BY idx`;
  const rows = await run(sql, baseParams(range, filter, now));
  const counts = new Map(rows.map((r) => [Number(r.idx), Number(r.tickets)]));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return FRT_BUCKETS.map(([bucket, lo, hi], i) => {
    const tickets = counts.get(i) ?? 0;
    return { bucket, min_seconds: lo, max_seconds: hi, tickets, share: total ? tickets / total : null };
  });
}

export interface LiveQueueRow {
  queue: string;
  status: string;
  open: number;
  at_risk: number;
  breached: number;
}
export interface LiveTicket {
  ticket_id: number;
  queue: string;
  status: string;
  agent: string;
  created_at: string;
  /** 'first_response' or 'resolution': the deadline that is at risk or passed */
  sla: 'first_response' | 'resolution';
  due_at: string;
  /** Seconds past the deadline (negative: still to go). */
  overdue_seconds: number;
  state: 'breached' | 'at_risk';
}
export interface Live {
  as_of: string;
  open_tickets: number;
  waiting_first_response: number;
  at_risk: number;
  breached: number;
  oldest_waiting: { ticket_id: number; queue: string; status: string; waiting_since: string; waiting_seconds: number } | null;
  by_queue: LiveQueueRow[];
  tickets: LiveTicket[];
}

/** Minutes before a first-response deadline when a ticket counts as at risk. */
export const AT_RISK_SECONDS = 300;

/**
 * Open tickets now. Looks at tickets created within `windowSeconds` (the
 * cohort key keeps that a range read); the SLA state of each open ticket
 * compares its deadlines with `now`.
 */
export async function live(run: QueryRunner, now: Date, windowSeconds: number, filter: TicketFilter, listLimit = 50): Promise<Live> {
  const range = { from: new Date(now.getTime() - windowSeconds * 1000), to: new Date(now.getTime() + 1) };
  const params = { ...baseParams(range, filter, now), risk_ms: AT_RISK_SECONDS * 1000 };
  const openWith = `${cohortWith(filter)},
    open AS (
      SELECT ticket_id, created_ms, queue, if(status = '', 'unknown', status) AS status, if(status = 'unknown', created_ms, status_ms) AS waiting_ms, agent_id,
        fr_due_ms, res_due_ms,
        reply_ms = 0 AND fr_due_ms > 0 AND fr_due_ms <= {now_ms:Int64} AS fr_breached,
        res_due_ms > 0 AND res_due_ms <= {now_ms:Int64} AS res_breached,
        fr_breached OR res_breached AS breached,
        NOT breached AND reply_ms = 0 AND fr_due_ms > 0 AND fr_due_ms <= {now_ms:Int64} + {risk_ms:Int64} AS at_risk
      FROM cohort WHERE status != 'resolved')`;
  // One statement: counts per queue × status, each group's longest-waiting ticket, and each group's
  // most overdue tickets (due time ascending); the groups' lists are merged and cut below.
  const byQueue = await run(
    `${openWith}
    SELECT queue, status, count() AS open_n, countIf(at_risk) AS at_risk_n, countIf(breached) AS breached_n,
      argMinIf(tuple(ticket_id, waiting_ms), tuple(waiting_ms, ticket_id), status IN ('new', 'waiting_agent', 'unknown')) AS oldest,
      groupArraySortedIf({limit:UInt32})(
        tuple(if(fr_breached OR (at_risk AND NOT res_breached), fr_due_ms, res_due_ms), ticket_id, fr_breached OR (at_risk AND NOT res_breached), breached, agent_id, created_ms),
        breached OR at_risk) AS urgent
    FROM open GROUP BY queue, status ORDER BY queue, status`,
    { ...params, limit: listLimit },
  );
  type Urgent = [number, number, number | boolean, number | boolean, number, number];
  const tickets = byQueue
    .flatMap((r) => (r.urgent as Urgent[]).map((u) => ({ queue: String(r.queue), status: String(r.status), u })))
    .sort((a, b) => a.u[0] - b.u[0] || a.u[1] - b.u[1])
    .slice(0, listLimit);
  const waiting = byQueue
    .filter((r) => ['new', 'waiting_agent', 'unknown'].includes(String(r.status)))
    .map((r) => ({ queue: String(r.queue), status: String(r.status), ticket_id: Number((r.oldest as [number, number])[0]), since: Number((r.oldest as [number, number])[1]) }))
    .sort((a, b) => a.since - b.since || a.ticket_id - b.ticket_id);
  const o = waiting[0];
  const rows: LiveQueueRow[] = byQueue.map((r) => ({ queue: String(r.queue), status: String(r.status), open: Number(r.open_n), at_risk: Number(r.at_risk_n), breached: Number(r.breached_n) }));
  const sum = (k: 'open' | 'at_risk' | 'breached', pred: (r: LiveQueueRow) => boolean = () => true) => rows.filter(pred).reduce((a, r) => a + r[k], 0);
  return {
    as_of: now.toISOString(),
    open_tickets: sum('open'),
    waiting_first_response: sum('open', (r) => r.status === 'new' || r.status === 'waiting_agent'),
    at_risk: sum('at_risk'),
    breached: sum('breached'),
    oldest_waiting: o
      ? { ticket_id: o.ticket_id, queue: o.queue, status: o.status, waiting_since: new Date(o.since).toISOString(), waiting_seconds: Math.max(0, (now.getTime() - o.since) / 1000) }
      : null,
    by_queue: rows,
    tickets: tickets.map(({ queue, status, u: [dueMs, ticketId, firstResponse, breached, agentId, createdMs] }) => ({
      ticket_id: Number(ticketId),
      queue,
      status,
      agent: agentId ? String(agentId) : '',
      created_at: new Date(Number(createdMs)).toISOString(),
      sla: firstResponse ? 'first_response' : 'resolution',
      due_at: new Date(Number(dueMs)).toISOString(),
      overdue_seconds: (now.getTime() - Number(dueMs)) / 1000,
      state: breached ? 'breached' : 'at_risk',
    })),
  };
}

export { METRIC_FIELDS, type MetricField, type Metrics, type TicketFilter, type BreakdownDimension };
