/**
 * SLA gauges computed at scrape time.
 *
 * Every gauge's `collect()` reads live state instead of being pushed from the
 * bot's code paths, so the numbers are right after a restart, for tickets
 * changed by another process, and for deadlines that pass while nothing
 * happens. One scrape runs the two indexed ticket queries once (the gauges
 * share a snapshot) and reuses a cached 24 h CSAT read from ClickHouse that is
 * refreshed in the background, so a slow ClickHouse never slows a scrape.
 *
 * Series are per queue (and status): never per ticket — the webhook looks the
 * breaching tickets up itself when an alert fires.
 */
import { Counter, Gauge, type Metric, type Registry } from 'prom-client';
import { queryRows, type ClickHouse } from '../core/clickhouse.js';
import { logger } from '../core/log.js';
import { registry as processRegistry } from '../core/metrics.js';
import type { Queryable } from '../core/postgres.js';
import { DEFAULT_FIRST_RESPONSE_TARGETS, loadMonitoringConfig, type MonitoringConfig } from './config.js';
import { readSlaSnapshot, TICKET_STATUSES, type QueueSla } from './sla-snapshot.js';

const log = logger('sla-collectors');

/** A scrape never waits longer than this for the ticket store. */
const QUERY_TIMEOUT_MS = 3_000;
/** Gauges collected within this window share one snapshot (one scrape). */
const SNAPSHOT_MAX_AGE_MS = 1_000;

export interface SlaCollectorOptions {
  db: Queryable;
  /** Omit to export no CSAT gauges (e.g. a process without ClickHouse). */
  ch?: ClickHouse | undefined;
  /** First-response target per queue in seconds (the desk's SLA_TARGETS); exported for the FRT P90 rule. */
  firstResponseTargets?: ReadonlyMap<string, number>;
  registry?: Registry;
  config?: MonitoringConfig;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface SlaCollectors {
  /** Reads (or reuses) the current per-queue snapshot, as the gauges see it. */
  snapshot(): Promise<QueueSla[]>;
  /** The last CSAT read (refreshing it when stale). */
  csat(): Promise<Map<string, { average: number; ratings: number }>>;
  /** Removes the metrics from the registry. */
  unregister(): void;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Latest CSAT per ticket rated in the last 24 h, averaged per queue; reads one day of one event type (the table's sort key prefix).
 * "Latest" is by the ticket's own order, as on the dashboard (schemas/events.ts, ticket_seq): a re-rating wins whatever its clock.
 */
export const CSAT_24H_SQL = `
SELECT queue, avg(rating) AS average, count() AS ratings
FROM (
  SELECT ticket_id, any(queue) AS queue, argMax(score, tuple(ticket_seq, occurred_at, event_id)) AS rating
  FROM events
  WHERE type = 'csat_rated' AND occurred_at >= now64(3) - INTERVAL 24 HOUR AND score IS NOT NULL
  GROUP BY ticket_id
)
GROUP BY queue`;

export function registerSlaCollectors(opts: SlaCollectorOptions): SlaCollectors {
  const reg = opts.registry ?? processRegistry;
  const cfg = opts.config ?? loadMonitoringConfig();
  const now = opts.now ?? (() => new Date());
  const targets = opts.firstResponseTargets ?? DEFAULT_FIRST_RESPONSE_TARGETS;
  const csatTarget = Number(cfg.SLA_CSAT_TARGET);
  if (!Number.isFinite(csatTarget)) throw new Error(`SLA_CSAT_TARGET must be a number, got "${cfg.SLA_CSAT_TARGET}"`);

  const errors = new Counter({
    name: 'support_sla_collector_errors_total',
    help: 'Scrape-time SLA reads that failed (the gauges keep their last values).',
    labelNames: ['source'],
    registers: [],
  });
  const lastSuccess = new Gauge({
    name: 'support_sla_collector_last_success_timestamp_seconds',
    help: 'Unix time of the last successful SLA read per source (tickets, clickhouse).',
    labelNames: ['source'],
    registers: [],
  });

  // ---- ticket store snapshot, shared by all gauges of one scrape ----
  let cached: { at: number; value: Promise<QueueSla[]> } | undefined;
  let lastGood: QueueSla[] = [];
  const snapshot = (): Promise<QueueSla[]> => {
    const t = Date.now();
    if (cached && t - cached.at < SNAPSHOT_MAX_AGE_MS) return cached.value;
    const value = withTimeout(
      readSlaSnapshot(opts.db, { now: now(), imminentWindowSeconds: cfg.SLA_IMMINENT_WINDOW, extraQueues: targets.keys() }),
      QUERY_TIMEOUT_MS,
      'SLA snapshot',
    ).then(
      (s) => {
        lastGood = s;
        lastSuccess.set({ source: 'tickets' }, Date.now() / 1000);
        return s;
      },
      (e: unknown) => {
        errors.inc({ source: 'tickets' });
        log.warn({ err: e }, 'SLA snapshot failed; exporting the last values');
        return lastGood;
      },
    );
    cached = { at: t, value };
    return value;
  };

  const perQueue = (name: string, help: string, pick: (q: QueueSla) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['queue'],
      registers: [],
      async collect() {
        this.reset();
        for (const q of await snapshot()) {
          const v = pick(q);
          if (v !== null) this.set({ queue: q.queue }, v);
        }
      },
    });

  const open = new Gauge({
    name: 'support_tickets_open',
    help: 'Open tickets by queue and status.',
    labelNames: ['queue', 'status'],
    registers: [],
    async collect() {
      this.reset();
      for (const q of await snapshot()) for (const s of TICKET_STATUSES) this.set({ queue: q.queue, status: s }, q.open[s] ?? 0);
    },
  });
  const frBreached = perQueue('support_sla_first_response_breached_tickets', 'Open tickets still without a first response past their first-response deadline.', (q) => q.firstResponseOverdue);
  const frImminent = perQueue(
    'support_sla_first_response_imminent_tickets',
    `Open tickets without a first response whose deadline is within SLA_IMMINENT_WINDOW (${cfg.SLA_IMMINENT_WINDOW} s).`,
    (q) => q.firstResponseDueSoon,
  );
  const resBreached = perQueue('support_sla_resolution_breached_tickets', 'Open tickets past their resolution deadline.', (q) => q.resolutionOverdue);
  const oldest = perQueue('support_oldest_waiting_ticket_seconds', 'Age of the oldest open ticket still waiting for a first response (0 when none waits).', (q) => q.oldestWaitingSeconds);
  const responses = perQueue('support_first_responses_last_hour', 'First responses given in the last hour (the sample behind the FRT quantiles).', (q) => q.firstResponsesLastHour);
  const frt = new Gauge({
    name: 'support_first_response_time_seconds',
    help: 'First-response time over tickets first answered in the last hour (quantile 0.5 and 0.9); absent when none were.',
    labelNames: ['queue', 'quantile'],
    registers: [],
    async collect() {
      this.reset();
      for (const q of await snapshot()) {
        if (q.frtP50Seconds !== null) this.set({ queue: q.queue, quantile: '0.5' }, q.frtP50Seconds);
        if (q.frtP90Seconds !== null) this.set({ queue: q.queue, quantile: '0.9' }, q.frtP90Seconds);
      }
    },
  });
  const frTarget = new Gauge({ name: 'support_sla_first_response_target_seconds', help: 'First-response target per queue in seconds (the desk\'s SLA_TARGETS).', labelNames: ['queue'], registers: [] });
  for (const [queue, seconds] of targets) frTarget.set({ queue }, seconds);
  const csatTargetGauge = new Gauge({ name: 'support_csat_target', help: 'CSAT target, 1–5 (SLA_CSAT_TARGET).', registers: [] });
  csatTargetGauge.set(csatTarget);

  // ---- CSAT from ClickHouse: cached, refreshed in the background ----
  let csatValue = new Map<string, { average: number; ratings: number }>();
  let csatAt = 0;
  let csatInFlight: Promise<void> | undefined;
  const refreshCsat = (): Promise<void> => {
    if (!opts.ch) return Promise.resolve();
    csatInFlight ??= withTimeout(queryRows<{ queue: string; average: number; ratings: number }>(opts.ch, CSAT_24H_SQL), 30_000, 'CSAT read')
      .then((rows) => {
        csatValue = new Map(rows.map((r) => [r.queue, { average: Number(r.average), ratings: Number(r.ratings) }]));
        csatAt = Date.now();
        lastSuccess.set({ source: 'clickhouse' }, csatAt / 1000);
      })
      .catch((e: unknown) => {
        errors.inc({ source: 'clickhouse' });
        log.warn({ err: e }, 'CSAT read failed; exporting the last values');
      })
      .finally(() => {
        csatInFlight = undefined;
      });
    return csatInFlight;
  };
  const csat = async () => {
    const stale = Date.now() - csatAt > cfg.SLA_CSAT_REFRESH * 1000;
    if (csatAt === 0) await refreshCsat(); // first scrape: wait once so the gauge is not empty
    else if (stale) void refreshCsat();
    return csatValue;
  };
  const csatAvg = new Gauge({
    name: 'support_csat_average_24h',
    help: 'Average CSAT (1–5, latest rating per ticket) over ratings in the last 24 h, per queue.',
    labelNames: ['queue'],
    registers: [],
    async collect() {
      this.reset();
      for (const [queue, v] of await csat()) this.set({ queue }, v.average);
    },
  });
  const csatCount = new Gauge({
    name: 'support_csat_ratings_24h',
    help: 'Tickets rated in the last 24 h, per queue (the sample behind support_csat_average_24h).',
    labelNames: ['queue'],
    registers: [],
    async collect() {
      this.reset();
      for (const [queue, v] of await csat()) this.set({ queue }, v.ratings);
    },
  });

  const metrics: Metric[] = [open, frBreached, frImminent, resBreached, oldest, responses, frt, frTarget, csatTargetGauge, errors, lastSuccess, ...(opts.ch ? [csatAvg, csatCount] : [])];
  for (const m of metrics) reg.registerMetric(m);
  return {
    snapshot,
    csat,
    unregister: () => {
      for (const m of metrics) reg.removeSingleMetric((m as unknown as { name: string }).name);
    },
  };
}
