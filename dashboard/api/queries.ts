/**
 * Analytics queries: each function takes validated inputs, runs its SQL over
 * ticket_facts (never the raw events) and returns plain rows for the routes.
 * `now` is an argument (not ClickHouse's clock) so SLA outcomes and the live
 * panel are reproducible in tests and consistent with the caller's clock.
 */
import { cohortParams, type QueryRunner, type Range } from '../../analytics/query.js';
import { METRICS, type MetricField, type MetricValues, type Registry } from '../../analytics/registry.js';
import { chTime, TICKET, ticketsFrom, type TicketFilter } from '../../analytics/ticket-facts.js';
import { prioritize, type PriorityOptions } from '../../sla/priority.js';

// The cohort statements (summary, breakdown) are the metric definitions' own (analytics/query.ts).
export { breakdown, clickHouseRunner, summary, type BreakdownRow, type QueryRunner, type Range } from '../../analytics/query.js';
export { chTime } from '../../analytics/ticket-facts.js';

const baseParams = cohortParams;

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

export async function timeseries<V extends MetricValues>(
  run: QueryRunner,
  metric: MetricField | (keyof V & string),
  interval: Interval,
  tz: string,
  range: Range,
  filter: TicketFilter,
  now: Date,
  metrics: Registry<V> = METRICS as unknown as Registry<V>,
): Promise<TimeseriesPoint[]> {
  const bucket = interval === 'hour' ? 'toStartOfHour(ticket_created_at, {tz:String})' : 'toStartOfDay(ticket_created_at, {tz:String})';
  const sql = `SELECT toUnixTimestamp(${bucket}) * 1000 AS bucket_ms, ${metrics.selectList([metric])}
    ${ticketsFrom(filter)}
    GROUP BY bucket_ms`;
  const [rows, buckets] = await Promise.all([run(sql, { ...baseParams(range, filter, now), tz }), bucketStarts(run, range, interval, tz)]);
  const byBucket = new Map(rows.map((r) => [Number(r.bucket_ms), metrics.valuesFrom(r, [metric])[metric] as number | null]));
  const empty = metrics.get(metric).unit === 'count' ? 0 : null;
  return buckets.map((b) => ({ t: new Date(b).toISOString(), value: byBucket.get(b) ?? empty }));
}

export interface HeatmapCell {
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  weekday: number;
  hour: number;
  tickets: number;
}

export async function heatmap(run: QueryRunner, tz: string, range: Range, filter: TicketFilter, now: Date): Promise<HeatmapCell[]> {
  const sql = `SELECT toDayOfWeek(ticket_created_at, 0, {tz:String}) AS weekday, toHour(toTimeZone(ticket_created_at, {tz:String})) AS hour, count() AS tickets
    ${ticketsFrom(filter)}
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
    .map(([, , hi], i) => `${TICKET.frt} < ${hi}, ${i}`)
    .join(', ')}, ${FRT_BUCKETS.length - 1})`;
  const sql = `SELECT ${idx} AS idx, count() AS tickets
    ${ticketsFrom(filter, [TICKET.replied])}
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
  /** First-response deadline within AT_RISK_SECONDS, no first response yet. */
  at_risk: number;
  /** Past either deadline (each ticket once). */
  breached: number;
  /** No first response and the first-response deadline passed. */
  first_response_breached: number;
  /** The resolution deadline passed. */
  resolution_breached: number;
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
/** An open ticket in the order to work them (sla/priority.ts: urgent › VIP › running deadline › category). */
export interface NextUpTicket {
  ticket_id: number;
  queue: string;
  status: string;
  category: string;
  urgent: boolean;
  /** The deadline running now: the first response until there is one, then the resolution. */
  sla: 'first_response' | 'resolution';
  due_at: string;
  /** Seconds past that deadline (negative: still to go). */
  overdue_seconds: number;
}
export interface Live {
  as_of: string;
  open_tickets: number;
  waiting_first_response: number;
  at_risk: number;
  breached: number;
  /** The open ticket without a first response created first, waiting since its creation. */
  oldest_waiting: { ticket_id: number; queue: string; status: string; waiting_since: string; waiting_seconds: number } | null;
  by_queue: LiveQueueRow[];
  tickets: LiveTicket[];
  /** The first open tickets in priority order — the desk's `/sla` "Next up", over ticket_facts. */
  next_up: NextUpTicket[];
}

/** Seconds before a first-response deadline when a ticket counts as at risk (the desk's SLA_IMMINENT_WINDOW default). */
export const AT_RISK_SECONDS = 300;

/**
 * An open ticket's SLA state for the list, most urgent first: a missed first
 * response wins over a missed resolution, and only a ticket with neither is
 * listed as "at risk".
 */
const SLA_STATE = { ok: 0, first_response_breached: 1, resolution_breached: 2, at_risk: 3 } as const;

/**
 * Open tickets now. Looks at tickets created within `windowSeconds` (the
 * cohort key keeps that a range read); the SLA state of each open ticket
 * compares its deadlines with `now`.
 *
 * Open, at risk and breached mean what they mean in the desk's own store
 * (sla/exporter/snapshot.ts, behind /sla and the Prometheus gauges): open =
 * the latest status is not resolved; first response breached = no human reply
 * and its deadline ≤ now; resolution breached = its deadline ≤ now; at risk =
 * no reply and the first-response deadline in (now, now + AT_RISK_SECONDS];
 * oldest waiting = the earliest created ticket without a first response.
 */
export async function live(
  run: QueryRunner,
  now: Date,
  windowSeconds: number,
  filter: TicketFilter,
  listLimit = 50,
  /** The desk's priority options (the VIP queue, CATEGORIES' weights) for `next_up`. */
  priority: PriorityOptions = {},
): Promise<Live> {
  const range = { from: new Date(now.getTime() - windowSeconds * 1000), to: new Date(now.getTime() + 1) };
  const params = { ...baseParams(range, filter, now), risk_until: chTime(new Date(now.getTime() + AT_RISK_SECONDS * 1000)), limit: listLimit };
  // One statement: counts per queue × status, each group's longest-waiting ticket, and each group's
  // most urgent tickets (due time ascending); the groups' lists are merged and cut below. Every
  // expression stays flat (analysis time grows fast with nested aliases).
  const byQueue = await run(
    `WITH
      if(${TICKET.replied}, toDateTime64(0, 3, 'UTC'), ${TICKET.frDue}) AS fr_pending_due,
      ${TICKET.resDue} AS res_due,
      fr_pending_due != 0 AND fr_pending_due <= {now:DateTime64(3)} AS fr_over,
      res_due != 0 AND res_due <= {now:DateTime64(3)} AS res_over,
      multiIf(
        fr_over, ${SLA_STATE.first_response_breached},
        res_over, ${SLA_STATE.resolution_breached},
        fr_pending_due > {now:DateTime64(3)} AND fr_pending_due <= {risk_until:DateTime64(3)}, ${SLA_STATE.at_risk},
        ${SLA_STATE.ok}) AS sla_state
    SELECT ${TICKET.queue} AS queue, if(${TICKET.status} = '', 'unknown', ${TICKET.status}) AS status,
      count() AS open_n,
      countIf(fr_pending_due > {now:DateTime64(3)} AND fr_pending_due <= {risk_until:DateTime64(3)}) AS at_risk_n,
      countIf(sla_state IN (${SLA_STATE.first_response_breached}, ${SLA_STATE.resolution_breached})) AS breached_n,
      countIf(fr_over) AS fr_breached_n,
      countIf(res_over) AS res_breached_n,
      countIf(NOT ${TICKET.replied}) AS unanswered_n,
      minIf(tuple(toUnixTimestamp64Milli(ticket_created_at), ticket_id), NOT ${TICKET.replied}) AS oldest,
      groupArraySortedIf({limit:UInt32})(
        tuple(toUnixTimestamp64Milli(if(sla_state = ${SLA_STATE.resolution_breached}, res_due, fr_pending_due)), ticket_id, sla_state, ${TICKET.agent}, toUnixTimestamp64Milli(ticket_created_at)),
        sla_state != ${SLA_STATE.ok}) AS urgent
    ${ticketsFrom(filter, [`${TICKET.status} != 'resolved'`])}
    GROUP BY queue, status ORDER BY queue, status`,
    params,
  );
  const nextUp = await nextUpTickets(run, params, filter, now, priority);
  type Urgent = [number, number, number, number, number];
  const tickets = byQueue
    .flatMap((r) => (r.urgent as Urgent[]).map((u) => ({ queue: String(r.queue), status: String(r.status), u })))
    .sort((a, b) => a.u[0] - b.u[0] || a.u[1] - b.u[1])
    .slice(0, listLimit);
  const waiting = byQueue
    .filter((r) => Number(r.unanswered_n) > 0)
    .map((r) => ({
      queue: String(r.queue),
      status: String(r.status),
      since: Number((r.oldest as [number, number])[0]),
      ticket_id: Number((r.oldest as [number, number])[1]),
    }))
    .sort((a, b) => a.since - b.since || a.ticket_id - b.ticket_id);
  const o = waiting[0];
  const rows: LiveQueueRow[] = byQueue.map((r) => ({
    queue: String(r.queue),
    status: String(r.status),
    open: Number(r.open_n),
    at_risk: Number(r.at_risk_n),
    breached: Number(r.breached_n),
    first_response_breached: Number(r.fr_breached_n),
    resolution_breached: Number(r.res_breached_n),
  }));
  const sum = (k: 'open' | 'at_risk' | 'breached', pred: (r: LiveQueueRow) => boolean = () => true) => rows.filter(pred).reduce((a, r) => a + r[k], 0);
  return {
    as_of: now.toISOString(),
    open_tickets: sum('open'),
    waiting_first_response: sum('open', (r) => r.status === 'new' || r.status === 'waiting_agent'),
    at_risk: sum('at_risk'),
    breached: sum('breached'),
    oldest_waiting: o
      ? {
          ticket_id: o.ticket_id,
          queue: o.queue,
          status: o.status,
          waiting_since: new Date(o.since).toISOString(),
          waiting_seconds: Math.max(0, (now.getTime() - o.since) / 1000),
        }
      : null,
    by_queue: rows,
    tickets: tickets.map(({ queue, status, u: [dueMs, ticketId, state, agentId, createdMs] }) => ({
      ticket_id: Number(ticketId),
      queue,
      status,
      agent: agentId ? String(agentId) : '',
      created_at: new Date(Number(createdMs)).toISOString(),
      sla: Number(state) === SLA_STATE.resolution_breached ? 'resolution' : 'first_response',
      due_at: new Date(Number(dueMs)).toISOString(),
      overdue_seconds: (now.getTime() - Number(dueMs)) / 1000,
      state: Number(state) === SLA_STATE.at_risk ? 'at_risk' : 'breached',
    })),
    next_up: nextUp,
  };
}

/** How many tickets `next_up` lists, and the most open tickets it orders (the store's open set is small; this bounds a runaway). */
const NEXT_UP_SHOWN = 10;
const NEXT_UP_SCANNED = 10_000;

/**
 * The open tickets of the window in the desk's priority order. The order is sla/priority.ts's, applied to
 * the rows here — the SQL only reads them — so the live panel, `/sla` and the ticket card cannot disagree.
 */
async function nextUpTickets(
  run: QueryRunner,
  params: Record<string, unknown>,
  filter: TicketFilter,
  now: Date,
  priority: PriorityOptions,
): Promise<NextUpTicket[]> {
  const rows = await run(
    `SELECT ticket_id, ${TICKET.queue} AS queue, ${TICKET.status} AS status, ${TICKET.category} AS category, ${TICKET.urgent} AS urgent,
       ${TICKET.replied} AS replied, toUnixTimestamp64Milli(${TICKET.frDue}) AS fr_due, toUnixTimestamp64Milli(${TICKET.resDue}) AS res_due
    ${ticketsFrom(filter, [`${TICKET.status} != 'resolved'`])}
    LIMIT ${NEXT_UP_SCANNED}`,
    params,
  );
  const open = rows.map((r) => ({
    id: Number(r.ticket_id),
    queue: String(r.queue),
    status: String(r.status) || 'unknown',
    category: String(r.category) || null,
    urgent: Boolean(Number(r.urgent)),
    first_response_at: Number(r.replied) ? new Date(0) : null,
    first_response_due_at: new Date(Number(r.fr_due)),
    resolution_due_at: new Date(Number(r.res_due)),
  }));
  return prioritize(open, priority)
    .slice(0, NEXT_UP_SHOWN)
    .map((t) => {
      const due = t.first_response_at === null ? t.first_response_due_at : t.resolution_due_at;
      return {
        ticket_id: t.id,
        queue: t.queue,
        status: t.status,
        category: t.category ?? '',
        urgent: t.urgent,
        sla: t.first_response_at === null ? ('first_response' as const) : ('resolution' as const),
        due_at: due.toISOString(),
        overdue_seconds: (now.getTime() - due.getTime()) / 1000,
      };
    });
}

export { METRIC_FIELDS, type MetricField, type Metrics } from '../../analytics/registry.js';
export type { BreakdownDimension, TicketFilter } from '../../analytics/ticket-facts.js';
