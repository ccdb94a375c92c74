/**
 * The live SLA state per queue, read from the bot's ticket store.
 *
 * Two aggregate queries, both served by indexes from
 * bot/store/migrations/040_sla_monitoring.sql, so the exporter can run them on
 * every scrape (5 s) and `/sla` can show the same numbers a human asks for:
 *   1. open tickets: counts by status, first-response deadlines passed and near,
 *      oldest first-response wait, resolution deadlines passed;
 *   2. first responses given in the last hour: FRT P50/P90 — the FRT metric's live
 *      window, defined with the metric (analytics/metrics/frt.ts `FRT_LAST_HOUR`),
 *      and any other live window of an exported metric.
 * Queries take `now` as a parameter so tests and the digest can ask about any instant.
 *
 * Open, breached, due soon and oldest waiting are the store's current state, not
 * metrics (analytics/README.md says what counts as one).
 *
 * These definitions (open, first response / resolution breached, due soon,
 * oldest waiting) are also the dashboard's live panel's, computed over
 * ClickHouse (dashboard/api/queries.ts `live`): change them together.
 */
import type { StoreWindow } from '../../analytics/metric.js';
import { FRT_LAST_HOUR } from '../../analytics/metrics/frt.js';
import type { Queryable } from '../../core/postgres.js';
import { QUEUES } from '../../schemas/events.js';

export const TICKET_STATUSES = ['new', 'waiting_agent', 'in_progress', 'waiting_customer'] as const;

/** SLA_RESOLUTION_IMMINENT_WINDOW's default, seconds: the resolution's pre-breach warning (as SLA_IMMINENT_WINDOW is the first response's). */
export const RESOLUTION_IMMINENT_DEFAULT = 1800;

export interface QueueSla {
  queue: string;
  /** Open tickets by status (every open status present, zero when none). */
  open: Record<string, number>;
  firstResponseOverdue: number;
  firstResponseDueSoon: number;
  /** Seconds the oldest ticket without a first response has waited; 0 when none waits. */
  oldestWaitingSeconds: number;
  resolutionOverdue: number;
  /** Open tickets whose resolution deadline is within the resolution's imminent window (SLA_RESOLUTION_IMMINENT_WINDOW); readSlaSnapshot always sets it. */
  resolutionDueSoon?: number;
  /** Over first responses given in the last hour; null when none. */
  frtP50Seconds: number | null;
  frtP90Seconds: number | null;
  firstResponsesLastHour: number;
  /** Each live window read (by name): its sample size and per-metric columns, for the exporter. */
  windows?: Record<string, { n: number; values: Record<string, number | null> }>;
}

export const OPEN_TICKETS_SQL = `
SELECT queue, status,
       count(*)::int AS n,
       count(*) FILTER (WHERE first_response_at IS NULL AND first_response_due_at <= $1::timestamptz)::int AS fr_overdue,
       count(*) FILTER (WHERE first_response_at IS NULL AND first_response_due_at > $1::timestamptz
                          AND first_response_due_at <= $1::timestamptz + make_interval(secs => $2::float8))::int AS fr_due_soon,
       coalesce(max(extract(epoch FROM $1::timestamptz - created_at)) FILTER (WHERE first_response_at IS NULL), 0)::float8 AS oldest_wait,
       count(*) FILTER (WHERE resolution_due_at <= $1::timestamptz)::int AS res_overdue,
       count(*) FILTER (WHERE resolution_due_at > $1::timestamptz
                          AND resolution_due_at <= $1::timestamptz + make_interval(secs => $3::float8))::int AS res_due_soon
FROM tickets
WHERE status <> 'resolved'
GROUP BY queue, status`;

interface OpenRow {
  queue: string;
  status: string;
  n: number;
  fr_overdue: number;
  fr_due_soon: number;
  oldest_wait: number;
  res_overdue: number;
  res_due_soon: number;
}
type WindowRow = { queue: string; n: number } & Record<string, unknown>;

function emptyQueue(queue: string): QueueSla {
  return {
    queue,
    open: Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])),
    firstResponseOverdue: 0,
    firstResponseDueSoon: 0,
    oldestWaitingSeconds: 0,
    resolutionOverdue: 0,
    resolutionDueSoon: 0,
    frtP50Seconds: null,
    frtP90Seconds: null,
    firstResponsesLastHour: 0,
    windows: {},
  };
}

/**
 * Reads every queue's SLA state. Known queues (schemas/events.ts QUEUES plus
 * `extraQueues`) are always present with zeros, so a breach clearing shows up
 * as a 0 rather than a vanished series.
 */
export async function readSlaSnapshot(
  db: Queryable,
  opts: {
    now?: Date;
    imminentWindowSeconds?: number;
    /** Seconds before a resolution deadline a ticket counts as due soon (SLA_RESOLUTION_IMMINENT_WINDOW); 30 min when not given. */
    resolutionImminentWindowSeconds?: number;
    extraQueues?: Iterable<string>;
    windows?: readonly StoreWindow[];
  } = {},
): Promise<QueueSla[]> {
  const now = opts.now ?? new Date();
  const windows = [...new Map([FRT_LAST_HOUR, ...(opts.windows ?? [])].map((w) => [w.name, w])).values()];
  const [open, ...read] = await Promise.all([
    db.query<OpenRow>(OPEN_TICKETS_SQL, [now, opts.imminentWindowSeconds ?? 300, opts.resolutionImminentWindowSeconds ?? RESOLUTION_IMMINENT_DEFAULT]),
    ...windows.map((w) => db.query<WindowRow>(w.sql, [now])),
  ]);
  const byQueue = new Map<string, QueueSla>();
  const get = (q: string) => {
    let s = byQueue.get(q);
    if (!s) byQueue.set(q, (s = emptyQueue(q)));
    return s;
  };
  for (const q of [...QUEUES, ...(opts.extraQueues ?? [])]) get(q);
  for (const r of open.rows) {
    const s = get(r.queue);
    s.open[r.status] = (s.open[r.status] ?? 0) + Number(r.n);
    s.firstResponseOverdue += Number(r.fr_overdue);
    s.firstResponseDueSoon += Number(r.fr_due_soon);
    s.oldestWaitingSeconds = Math.max(s.oldestWaitingSeconds, Number(r.oldest_wait));
    s.resolutionOverdue += Number(r.res_overdue);
    s.resolutionDueSoon = (s.resolutionDueSoon ?? 0) + Number(r.res_due_soon);
  }
  windows.forEach((w, i) => {
    for (const { queue, n, ...columns } of read[i]!.rows) {
      const values = Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v === null ? null : Number(v)]));
      (get(queue).windows ??= {})[w.name] = { n: Number(n), values };
    }
  });
  for (const s of byQueue.values()) {
    const frt = s.windows?.[FRT_LAST_HOUR.name];
    if (!frt) continue;
    s.firstResponsesLastHour = frt.n;
    s.frtP50Seconds = frt.values.p50 ?? null;
    s.frtP90Seconds = frt.values.p90 ?? null;
  }
  return [...byQueue.values()].sort((a, b) => a.queue.localeCompare(b.queue));
}

export type BreachKind = 'first_response_breached' | 'first_response_imminent' | 'resolution_breached' | 'resolution_imminent' | 'frt_p90' | 'waiting';

export interface BreachingTicket {
  id: number;
  customer_id: number;
  status: string;
  queue: string;
  agent_id: number | null;
  /** The agent's display name ("Anna K.", bot/store/staff.ts), when the desk has recorded one. */
  agent_name?: string | null;
  thread_id: number | null;
  customer_name: string | null;
  created_at: Date;
  first_response_due_at: Date;
  resolution_due_at: Date;
  /** How many tickets match in all; the list stops at `limit`, so an alert can say how many it does not show. */
  matching: number;
}

/**
 * The tickets behind a queue-level alert, most overdue first. The exporter
 * never labels series by ticket (cardinality); the webhook asks here instead.
 */
export async function findBreachingTickets(
  db: Queryable,
  queue: string,
  kind: BreachKind,
  opts: { now?: Date; imminentWindowSeconds?: number; resolutionImminentWindowSeconds?: number; limit?: number } = {},
): Promise<BreachingTicket[]> {
  const now = opts.now ?? new Date();
  const limit = opts.limit ?? 10;
  const params: unknown[] = [queue, limit, now];
  const where: Record<BreachKind, string> = {
    first_response_breached: `t.first_response_at IS NULL AND t.first_response_due_at <= $3::timestamptz`,
    first_response_imminent: `t.first_response_at IS NULL AND t.first_response_due_at > $3::timestamptz AND t.first_response_due_at <= $3::timestamptz + make_interval(secs => $4::float8)`,
    resolution_breached: `t.resolution_due_at <= $3::timestamptz`,
    resolution_imminent: `t.resolution_due_at > $3::timestamptz AND t.resolution_due_at <= $3::timestamptz + make_interval(secs => $4::float8)`,
    // FRT P90 / generic queue alerts: whoever waits longest for a first response.
    frt_p90: `t.first_response_at IS NULL`,
    waiting: `t.first_response_at IS NULL`,
  };
  if (kind === 'first_response_imminent') params.push(opts.imminentWindowSeconds ?? 300);
  else if (kind === 'resolution_imminent') params.push(opts.resolutionImminentWindowSeconds ?? RESOLUTION_IMMINENT_DEFAULT);
  else if (kind !== 'resolution_breached' && kind !== 'first_response_breached') params.pop();
  const order = kind === 'resolution_breached' || kind === 'resolution_imminent' ? 't.resolution_due_at' : 't.first_response_due_at';
  const r = await db.query<BreachingTicket>(
    `SELECT t.id, t.customer_id, t.status, t.queue, t.agent_id, s.display_name AS agent_name, c.thread_id, c.first_name AS customer_name,
            t.created_at, t.first_response_due_at, t.resolution_due_at, count(*) OVER ()::int AS matching
     FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN staff s ON s.id = t.agent_id
     WHERE t.status <> 'resolved' AND t.queue = $1 AND ${where[kind]}
     ORDER BY ${order}, t.id
     LIMIT $2`,
    params,
  );
  return r.rows.map((t) => ({
    ...t,
    matching: Number(t.matching),
    created_at: new Date(t.created_at),
    first_response_due_at: new Date(t.first_response_due_at),
    resolution_due_at: new Date(t.resolution_due_at),
  }));
}
