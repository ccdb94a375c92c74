/**
 * SLA gauges computed at scrape time.
 *
 * Every gauge's `collect()` reads live state instead of being pushed from the
 * bot's code paths, so the numbers are right after a restart, for tickets
 * changed by another process, and for deadlines that pass while nothing
 * happens. One scrape runs the indexed ticket queries once (the gauges share a
 * snapshot) and reuses cached ClickHouse reads that are refreshed in the
 * background, so a slow ClickHouse never slows a scrape.
 *
 * Metric gauges come from the metric definitions (analytics/): every definition
 * with a `prometheus` export is a gauge per queue, computed over its window —
 * a live window of the desk's store (FRT over the last hour) or a ticket_facts
 * window in ClickHouse with the definition's own SQL (CSAT over 24 h) — with
 * its sample size and its target beside it. The live state (open, breached, due
 * soon, oldest waiting) is the store's, not a metric.
 *
 * Series are per queue (and status): never per ticket — the webhook looks the
 * breaching tickets up itself when an alert fires.
 */
import { Counter, Gauge, type Metric, type Registry } from 'prom-client';
import type { FactsWindow, MetricDefinition, PrometheusExport, StoreWindow } from '../../analytics/metric.js';
import { clickHouseRunner } from '../../analytics/query.js';
import { METRICS, type MetricValues, type Registry as MetricRegistry } from '../../analytics/registry.js';
import { windowKey, windowValues } from '../../analytics/window.js';
import type { ClickHouse } from '../../core/clickhouse.js';
import { logger } from '../../core/log.js';
import { registry as processRegistry } from '../../core/metrics.js';
import type { Queryable } from '../../core/postgres.js';
import { DEFAULT_FIRST_RESPONSE_TARGETS, loadMonitoringConfig, type MonitoringConfig } from './config.js';
import { RESOLUTION_IMMINENT_DEFAULT, readSlaSnapshot, TICKET_STATUSES, type QueueSla } from './snapshot.js';
import { trustGauges } from './trust.js';

const log = logger('sla-collectors');

/** A scrape never waits longer than this for the ticket store. */
const QUERY_TIMEOUT_MS = 3_000;
/** Gauges collected within this window share one snapshot (one scrape). */
const SNAPSHOT_MAX_AGE_MS = 1_000;

export interface SlaCollectorOptions {
  db: Queryable;
  /** Omit to export no ClickHouse-computed gauges (CSAT; e.g. a process without ClickHouse). */
  ch?: ClickHouse | undefined;
  /** First-response target per queue in seconds (the desk's SLA_TARGETS); exported for the FRT P90 rule. */
  firstResponseTargets?: ReadonlyMap<string, number>;
  /** Resolution target per queue in seconds (the desk's SLA_TARGETS), for a metric that exports a resolution target. */
  resolutionTargets?: ReadonlyMap<string, number>;
  /** The metric definitions whose exports become gauges (tests add their own). */
  metrics?: MetricRegistry<MetricValues>;
  registry?: Registry;
  /** The monitoring variables; SLA_RESOLUTION_IMMINENT_WINDOW defaults to its declared default when left out. */
  config?: Omit<MonitoringConfig, 'SLA_RESOLUTION_IMMINENT_WINDOW'> & Partial<Pick<MonitoringConfig, 'SLA_RESOLUTION_IMMINENT_WINDOW'>>;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface SlaCollectors {
  /** Reads (or reuses) the current per-queue snapshot, as the gauges see it. */
  snapshot(): Promise<QueueSla[]>;
  /** The last ClickHouse read of each ticket_facts window (refreshing it when stale): metric values per queue. */
  facts(): Promise<Map<string, Map<string, MetricValues>>>;
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

export function registerSlaCollectors(opts: SlaCollectorOptions): SlaCollectors {
  const reg = opts.registry ?? processRegistry;
  const cfg = opts.config ?? loadMonitoringConfig();
  const resolutionImminentWindow = cfg.SLA_RESOLUTION_IMMINENT_WINDOW ?? RESOLUTION_IMMINENT_DEFAULT;
  const now = opts.now ?? (() => new Date());
  const targets = opts.firstResponseTargets ?? DEFAULT_FIRST_RESPONSE_TARGETS;
  const metrics: MetricRegistry<MetricValues> = opts.metrics ?? (METRICS as unknown as MetricRegistry<MetricValues>);
  const exported = metrics.metrics.filter((d): d is MetricDefinition & { prometheus: PrometheusExport } => d.prometheus !== undefined);
  const storeWindows: StoreWindow[] = [
    ...new Map(
      exported.flatMap((d): [string, StoreWindow][] =>
        d.prometheus.window.source === 'store' ? [[d.prometheus.window.window.name, d.prometheus.window.window]] : [],
      ),
    ).values(),
  ];
  const factsWindows = new Map<string, { window: FactsWindow; keys: string[] }>();
  for (const d of exported) {
    const w = d.prometheus.window;
    if (w.source !== 'ticket_facts') continue;
    const k = windowKey(w);
    const entry = factsWindows.get(k) ?? { window: w, keys: [] };
    entry.keys.push(d.key);
    factsWindows.set(k, entry);
  }
  /** A target's number: a variable of the monitoring configuration overrides the definition's (SLA_CSAT_TARGET). */
  const targetValue = (d: MetricDefinition): number | undefined => {
    const t = d.target;
    if (!t || t.kind === 'sla') return undefined;
    const configured = t.variable !== undefined ? (cfg as Record<string, unknown>)[t.variable] : undefined;
    const v = configured === undefined ? t.value : Number(configured);
    if (!Number.isFinite(v)) throw new Error(`${t.variable} must be a number, got "${String(configured)}"`);
    return v;
  };
  for (const d of exported) targetValue(d); // a bad variable fails at startup, not at the first scrape

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
      readSlaSnapshot(opts.db, {
        now: now(),
        imminentWindowSeconds: cfg.SLA_IMMINENT_WINDOW,
        resolutionImminentWindowSeconds: resolutionImminentWindow,
        extraQueues: targets.keys(),
        windows: storeWindows,
      }),
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
  const frBreached = perQueue(
    'support_sla_first_response_breached_tickets',
    'Open tickets still without a first response past their first-response deadline.',
    (q) => q.firstResponseOverdue,
  );
  const frImminent = perQueue(
    'support_sla_first_response_imminent_tickets',
    `Open tickets without a first response whose deadline is within SLA_IMMINENT_WINDOW (${cfg.SLA_IMMINENT_WINDOW} s).`,
    (q) => q.firstResponseDueSoon,
  );
  const resBreached = perQueue('support_sla_resolution_breached_tickets', 'Open tickets past their resolution deadline.', (q) => q.resolutionOverdue);
  const resImminent = perQueue(
    'support_sla_resolution_imminent_tickets',
    `Open tickets whose resolution deadline is within SLA_RESOLUTION_IMMINENT_WINDOW (${resolutionImminentWindow} s).`,
    (q) => q.resolutionDueSoon ?? 0,
  );
  const oldest = perQueue(
    'support_oldest_waiting_ticket_seconds',
    'Age of the oldest open ticket still waiting for a first response (0 when none waits).',
    (q) => q.oldestWaitingSeconds,
  );

  // ---- metric gauges from the definitions ----
  // The sample behind each live window (e.g. first responses in the last hour, behind the FRT quantiles).
  const samples = storeWindows.map((w) => perQueue(w.sample.name, w.sample.help, (q) => q.windows?.[w.name]?.n ?? 0));

  // ClickHouse windows: cached, refreshed in the background.
  let factsValue = new Map<string, Map<string, MetricValues>>();
  let factsAt = 0;
  let factsInFlight: Promise<void> | undefined;
  const refreshFacts = (): Promise<void> => {
    if (!opts.ch || factsWindows.size === 0) return Promise.resolve();
    const run = clickHouseRunner(opts.ch);
    const at = now();
    factsInFlight ??= withTimeout(
      Promise.all([...factsWindows].map(async ([k, { window, keys }]) => [k, await windowValues(run, window, keys, at, metrics)] as const)),
      30_000,
      'ClickHouse metrics read',
    )
      .then((read) => {
        factsValue = new Map(read);
        factsAt = Date.now();
        lastSuccess.set({ source: 'clickhouse' }, factsAt / 1000);
      })
      .catch((e: unknown) => {
        errors.inc({ source: 'clickhouse' });
        log.warn({ err: e }, 'ClickHouse metrics read failed; exporting the last values');
      })
      .finally(() => {
        factsInFlight = undefined;
      });
    return factsInFlight;
  };
  const facts = async () => {
    const stale = Date.now() - factsAt > cfg.SLA_CSAT_REFRESH * 1000;
    if (factsAt === 0)
      await refreshFacts(); // first scrape: wait once so the gauges are not empty
    else if (stale) void refreshFacts();
    return factsValue;
  };

  // One gauge per exported name: definitions sharing a name differ by constant labels (quantile="0.5" / "0.9").
  const byName = new Map<string, (MetricDefinition & { prometheus: PrometheusExport })[]>();
  for (const d of exported) byName.set(d.prometheus.name, [...(byName.get(d.prometheus.name) ?? []), d]);
  const metricGauges = [...byName].flatMap(([name, defs]) => {
    const first = defs[0]!.prometheus;
    const fromStore = defs.every((d) => d.prometheus.window.source === 'store');
    if (!fromStore && !opts.ch) return []; // no ClickHouse in this process: no such gauge
    return [
      new Gauge({
        name,
        help: first.help,
        labelNames: ['queue', ...Object.keys(first.labels ?? {})],
        registers: [],
        async collect() {
          this.reset();
          const [snap, read] = await Promise.all([fromStore ? snapshot() : [], fromStore ? undefined : facts()]);
          for (const d of defs) {
            const w = d.prometheus.window;
            const labels = d.prometheus.labels ?? {};
            if (w.source === 'store') {
              for (const q of snap) {
                const v = q.windows?.[w.window.name]?.values[w.column];
                if (v !== null && v !== undefined && Number.isFinite(v)) this.set({ queue: q.queue, ...labels }, v);
              }
            } else {
              for (const [queue, values] of read?.get(windowKey(w)) ?? []) {
                const v = values[d.key];
                if (v !== null && v !== undefined) this.set({ queue, ...labels }, v);
              }
            }
          }
        },
      }),
    ];
  });

  // Targets beside the metrics, so the rules hold no numbers a deployment would change.
  const targetGauges = exported.flatMap((d) => {
    const spec = d.prometheus.target;
    const t = d.target;
    if (!spec || !t) return [];
    if (t.kind === 'sla') {
      const perQueue = t.deadline === 'first_response' ? targets : opts.resolutionTargets;
      if (!perQueue) return [];
      const g = new Gauge({ name: spec.name, help: spec.help, labelNames: ['queue'], registers: [] });
      for (const [queue, seconds] of perQueue) g.set({ queue }, seconds);
      return [g];
    }
    const g = new Gauge({ name: spec.name, help: spec.help, registers: [] });
    g.set(targetValue(d)!);
    return [g];
  });

  // Suspected incidents nobody confirmed or dismissed yet (bot/incidents: incident_spikes), read at scrape time.
  const suspected = async (): Promise<{ n: number; oldest: number }> => {
    const r = await withTimeout(
      opts.db.query<{ n: number; oldest: Date | null }>(
        `SELECT count(*)::int AS n, min(detected_at) AS oldest FROM incident_spikes WHERE status = 'suspected'`,
      ),
      QUERY_TIMEOUT_MS,
      'suspected incidents read',
    );
    const row = r.rows[0];
    return { n: row?.n ?? 0, oldest: row?.oldest ? Math.max(0, (now().getTime() - new Date(row.oldest).getTime()) / 1000) : 0 };
  };
  const unacknowledged = new Gauge({
    name: 'support_incidents_suspected_unacknowledged',
    help: 'Suspected incidents posted to the escalation chat that no team lead confirmed or dismissed yet.',
    registers: [],
    async collect() {
      try {
        this.set((await suspected()).n);
      } catch (e) {
        errors.inc({ source: 'tickets' });
        log.warn({ err: e }, 'suspected incidents read failed');
      }
    },
  });
  const unacknowledgedAge = new Gauge({
    name: 'support_incident_suspected_unacknowledged_seconds',
    help: 'How long the oldest unacknowledged suspected incident has waited for a team lead (0 when none waits).',
    registers: [],
    async collect() {
      try {
        this.set((await suspected()).oldest);
      } catch (e) {
        errors.inc({ source: 'tickets' });
        log.warn({ err: e }, 'suspected incidents read failed');
      }
    },
  });

  // The spam/phishing share over 24 h (sla/exporter/trust.ts), where this process reads ClickHouse.
  const trust = opts.ch
    ? trustGauges({
        ch: opts.ch,
        refreshSeconds: cfg.SLA_CSAT_REFRESH,
        now,
        onError: () => errors.inc({ source: 'clickhouse' }),
        onSuccess: (at) => lastSuccess.set({ source: 'clickhouse' }, at),
      })
    : [];

  const all: Metric[] = [
    open,
    frBreached,
    frImminent,
    resBreached,
    resImminent,
    oldest,
    ...samples,
    ...metricGauges,
    ...targetGauges,
    unacknowledged,
    unacknowledgedAge,
    ...trust,
    errors,
    lastSuccess,
  ];
  for (const m of all) reg.registerMetric(m);
  return {
    snapshot,
    facts,
    unregister: () => {
      for (const m of all) reg.removeSingleMetric((m as unknown as { name: string }).name);
    },
  };
}
