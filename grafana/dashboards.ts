/**
 * The Grafana dashboards (Overview, SLA, Agents, Pipeline, Health, Experiments), as code: one source
 * for grafana/dashboards/*.json (`npx tsx grafana/dashboards.ts` rewrites them;
 * a test fails when they are stale) and for the test that runs every SQL panel
 * on chDB.
 *
 * Metric panels are generated from the metric definitions (analytics/): a stat
 * and/or a timeseries per definition that asks for one, and tables of chosen
 * metrics per queue or agent, all computed by the definitions' own SQL over
 * `ticket_facts` for the tickets created in the dashboard's range — the cohort
 * the dashboard API uses, so Grafana and the API agree. Nothing here computes a
 * metric; the remaining event panels count activity (replies, macros, SLA
 * breach events, pipeline throughput), which no metric defines.
 *
 * Agents are shown by their display name ("Anna K.", the `staff` table synced
 * from the desk's store), else as "agent <id>".
 *
 * SQL panels use the ClickHouse plugin's macros ($__timeFilter, $__fromTime,
 * $__toTime, $__timeInterval) and the `queue` variable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVERY_FIRST_EXPOSURE } from '../analytics/experiments/analysis.js';
import type { MetricDefinition } from '../analytics/metric.js';
import { METRICS, type MetricField, type MetricValues, type Registry } from '../analytics/registry.js';
import { GROUP, valuesStatement } from '../analytics/sql.js';
import { TICKET } from '../analytics/ticket-facts.js';

const CH = { type: 'grafana-clickhouse-datasource', uid: 'clickhouse' } as const;
const PROM = { type: 'prometheus', uid: 'prometheus' } as const;
/** Queue filter on events: the variable expands to a quoted list ('L1','VIP') or every queue for All. */
const Q = `queue IN (\${queue:singlequote})`;

type Panel = Record<string, unknown>;
interface Grid {
  x: number;
  y: number;
  w: number;
  h: number;
}

function sqlPanel(id: number, title: string, type: string, grid: Grid, rawSql: string, format: 'time_series' | 'table', extra: Panel = {}): Panel {
  return {
    id,
    title,
    type,
    gridPos: grid,
    datasource: CH,
    targets: [
      {
        refId: 'A',
        datasource: CH,
        editorType: 'sql',
        queryType: format === 'table' ? 'table' : 'timeseries',
        format: format === 'table' ? 1 : 0,
        rawSql: rawSql.trim(),
      },
    ],
    ...extra,
  };
}

function promPanel(id: number, title: string, type: string, grid: Grid, exprs: { expr: string; legend: string }[], extra: Panel = {}): Panel {
  return {
    id,
    title,
    type,
    gridPos: grid,
    datasource: PROM,
    targets: exprs.map((e, i) => ({ refId: String.fromCharCode(65 + i), datasource: PROM, expr: e.expr, legendFormat: e.legend })),
    ...extra,
  };
}

const unit = (u: string, decimals?: number) => ({ fieldConfig: { defaults: { unit: u, ...(decimals !== undefined ? { decimals } : {}) }, overrides: [] } });
/** A panel's unit from a metric definition (Grafana's, or by the metric's unit when it has no panel of its own). */
function metricUnit(d: MetricDefinition) {
  if (d.grafana) return unit(d.grafana.unit, d.grafana.decimals);
  return unit({ count: 'none', seconds: 's', ratio: 'percentunit', score: 'none', nps: 'none' }[d.unit]);
}
/** Per-column units for a table of metrics. */
function tableUnits(defs: readonly MetricDefinition[]) {
  return {
    fieldConfig: {
      defaults: {},
      overrides: defs.map((d) => ({ matcher: { id: 'byName', options: d.key }, properties: [{ id: 'unit', value: metricUnit(d).fieldConfig.defaults.unit }] })),
    },
  };
}

const queueVariable = {
  name: 'queue',
  label: 'Queue',
  type: 'query',
  datasource: CH,
  query: "SELECT DISTINCT queue FROM events WHERE queue != '' AND occurred_at >= now() - INTERVAL 90 DAY ORDER BY queue",
  includeAll: true,
  multi: true,
  current: { text: 'All', value: '$__all' },
  refresh: 2,
};

function dashboard(uid: string, title: string, panels: Panel[], opts: { variables?: boolean; refresh?: string; from?: string } = {}) {
  return {
    uid,
    title,
    tags: ['support-desk'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: opts.refresh ?? '1m',
    time: { from: opts.from ?? 'now-7d', to: 'now' },
    templating: { list: opts.variables === false ? [] : [queueVariable] },
    panels,
  };
}

/** The cohort of every metric panel: tickets created in the dashboard's range, in the selected queues (their current queue, as the API filters). */
const COHORT = ['ticket_created_at >= $__fromTime', 'ticket_created_at < $__toTime', `${TICKET.queue} IN (\${queue:singlequote})`];

/** The per-queue table of the SLA dashboard and the per-agent table of the Agents dashboard: which metrics they show. */
const SLA_TABLE: readonly MetricField[] = [
  'tickets_created',
  'frt_p50_seconds',
  'frt_p90_seconds',
  'sla_first_response_met_rate',
  'resolution_p90_seconds',
  'sla_resolution_met_rate',
];
const AGENT_TABLE: readonly MetricField[] = ['tickets_created', 'tickets_resolved', 'frt_p50_seconds', 'fcr_rate', 'csat_avg', 'csat_responses'];

/** The agents' display names ("Anna K."), the latest per id: ClickHouse's `staff`, synced from the desk's store. */
const STAFF_NAMES = 'SELECT id, argMax(display_name, updated_at) AS name FROM staff GROUP BY id';

/**
 * Shows the agents of a statement by name: its `agent` column (a Telegram id as text) becomes the
 * display name, "agent <id>" for one never seen acting. Tables keep the id beside it (`id`: agent_id);
 * a time series keeps its columns first and the name, its series label, last (`nameLast`).
 */
function namingAgents(sql: string, orderBy: string, o: { id?: boolean; nameLast?: boolean } = {}): string {
  const name = `if(s.name != '', s.name, concat('agent ', a.agent)) AS agent${o.id ? ', a.agent AS agent_id' : ''}`;
  return `SELECT ${o.nameLast ? `a.* EXCEPT (agent), ${name}` : `${name}, a.* EXCEPT (agent)`}
FROM (${sql}) AS a
LEFT JOIN (${STAFF_NAMES}) AS s ON s.id = toInt64OrZero(a.agent)
ORDER BY ${orderBy}`;
}

/** PromQL of an exported metric for one queue selection: its gauge with its constant labels. */
function promSelector(d: MetricDefinition): string {
  const labels = Object.entries(d.prometheus?.labels ?? {}).map(([k, v]) => `${k}="${v}"`);
  return `${d.prometheus!.name}{${[...labels, 'queue=~"$queue"'].join(',')}}`;
}

/** Every dashboard, the metric panels generated from `metrics`. */
export function buildDashboards<V extends MetricValues>(metrics: Registry<V> = METRICS as unknown as Registry<V>) {
  const defs = metrics.metrics;
  const stats = defs.filter((d) => d.grafana?.panels.includes('stat'));
  const series = defs.filter((d) => d.grafana?.panels.includes('timeseries'));
  let id = 0;
  const STAT_W = 4;
  const statPanels = stats.map((d, i) =>
    sqlPanel(
      ++id,
      d.title,
      'stat',
      { x: (i * STAT_W) % 24, y: Math.floor((i * STAT_W) / 24) * 4, w: STAT_W, h: 4 },
      valuesStatement(metrics, [d.key], { where: COHORT }),
      'table',
      {
        description: d.meaning,
        ...metricUnit(d),
      },
    ),
  );
  let y = Math.ceil((stats.length * STAT_W) / 24) * 4;
  const seriesPanels = series.map((d, i) => {
    const groupBy = [['time', '$__timeInterval(ticket_created_at)'] as const, ...(d.grafana?.byQueue ? [GROUP.queue] : [])];
    const p = sqlPanel(
      ++id,
      `${d.title}${d.grafana?.byQueue ? ' per queue' : ''}, by ticket creation`,
      'timeseries',
      { x: (i % 2) * 12, y: y + Math.floor(i / 2) * 8, w: 12, h: 8 },
      valuesStatement(metrics, [d.key], { where: COHORT, groupBy, orderBy: 'time' }),
      'time_series',
      { description: d.meaning, ...metricUnit(d) },
    );
    return p;
  });
  y += Math.ceil(series.length / 2) * 8;
  const created = metrics.get('tickets_created');

  const overview = dashboard('support-overview', 'Support desk · Overview', [
    ...statPanels,
    ...seriesPanels,
    sqlPanel(
      ++id,
      'Peaks by hour of day',
      'barchart',
      { x: 0, y, w: 12, h: 8 },
      valuesStatement(metrics, [created.key], { where: COHORT, groupBy: [['hour', 'toHour(ticket_created_at)']], orderBy: 'hour' }),
      'table',
    ),
    sqlPanel(
      ++id,
      'Top contact reasons',
      'table',
      { x: 12, y, w: 12, h: 8 },
      `SELECT category, ${created.key}, round(100 * ${created.key} / sum(${created.key}) OVER (), 1) AS pct
FROM (${valuesStatement(metrics, [created.key], { where: COHORT, groupBy: [GROUP.category] })})
WHERE category != ''
ORDER BY ${created.key} DESC LIMIT 10`,
      'table',
    ),
    promPanel(++id, 'Open tickets now', 'timeseries', { x: 0, y: y + 8, w: 24, h: 8 }, [
      { expr: 'sum by (queue) (support_tickets_open{queue=~"$queue"})', legend: '{{queue}}' },
    ]),
  ]);

  const frtP90 = metrics.get('frt_p90_seconds');
  const slaTable = SLA_TABLE.filter((k) => metrics.has(k)).map((k) => metrics.get(k));
  const sla = dashboard('support-sla', 'Support desk · SLA', [
    promPanel(1, 'First-response SLA breached now', 'stat', { x: 0, y: 0, w: 6, h: 4 }, [
      { expr: 'sum(support_sla_first_response_breached_tickets{queue=~"$queue"})', legend: 'breached' },
    ]),
    promPanel(2, 'Breach within 5 min', 'stat', { x: 6, y: 0, w: 6, h: 4 }, [
      { expr: 'sum(support_sla_first_response_imminent_tickets{queue=~"$queue"})', legend: 'imminent' },
    ]),
    promPanel(
      3,
      'Oldest waiting',
      'stat',
      { x: 12, y: 0, w: 6, h: 4 },
      [{ expr: 'max(support_oldest_waiting_ticket_seconds{queue=~"$queue"})', legend: 'oldest' }],
      unit('s'),
    ),
    promPanel(
      4,
      `${frtP90.title} (last hour) vs target`,
      'timeseries',
      { x: 0, y: 4, w: 12, h: 8 },
      [
        { expr: `max by (queue) (${promSelector(frtP90)})`, legend: 'P90 {{queue}}' },
        { expr: `max by (queue) (${frtP90.prometheus!.target!.name}{queue=~"$queue"})`, legend: 'target {{queue}}' },
      ],
      unit('s'),
    ),
    sqlPanel(
      5,
      'Per queue, tickets created in the range',
      'table',
      { x: 12, y: 4, w: 12, h: 8 },
      valuesStatement(
        metrics,
        slaTable.map((d) => d.key),
        { where: COHORT, groupBy: [GROUP.queue], orderBy: 'queue' },
      ),
      'table',
      tableUnits(slaTable),
    ),
    sqlPanel(
      6,
      'SLA breaches',
      'timeseries',
      { x: 0, y: 12, w: 12, h: 8 },
      `
      SELECT $__timeInterval(occurred_at) AS time, sla_kind, uniqExact(ticket_id) AS breaches FROM events
      WHERE type = 'sla_breached' AND $__timeFilter(occurred_at) AND ${Q}
      GROUP BY time, sla_kind ORDER BY time`,
      'time_series',
    ),
    sqlPanel(
      7,
      'FRT P50 / P90 per day, by ticket creation',
      'timeseries',
      { x: 12, y: 12, w: 12, h: 8 },
      valuesStatement(metrics, ['frt_p50_seconds', 'frt_p90_seconds'], {
        where: COHORT,
        groupBy: [['time', 'toStartOfDay(ticket_created_at)']],
        orderBy: 'time',
      }),
      'time_series',
      unit('s'),
    ),
    sqlPanel(
      8,
      'Worst first responses',
      'table',
      { x: 0, y: 20, w: 24, h: 8 },
      `
      SELECT ticket_id, ${TICKET.queue} AS queue, ${TICKET.category} AS category, ticket_created_at AS created_at, ${TICKET.frDue} AS fr_due,
             if(${TICKET.replied}, ${TICKET.frt}, dateDiff('millisecond', ticket_created_at, now64(3)) / 1000) AS wait_seconds,
             ${TICKET.replied} AS replied
      FROM ticket_facts FINAL
      WHERE ${COHORT.join(' AND ')}
      ORDER BY wait_seconds DESC LIMIT 20`,
      'table',
      unit('s'),
    ),
  ]);

  const agentTable = AGENT_TABLE.filter((k) => metrics.has(k)).map((k) => metrics.get(k));
  const agentCohort = [...COHORT, `${TICKET.agent} != 0`];
  const agents = dashboard('support-agents', 'Support desk · Agents', [
    sqlPanel(
      1,
      'Per agent (tickets by their latest agent, as the API breaks them down)',
      'table',
      { x: 0, y: 0, w: 24, h: 10 },
      namingAgents(
        valuesStatement(
          metrics,
          agentTable.map((d) => d.key),
          { where: agentCohort, groupBy: [GROUP.agent] },
        ),
        'tickets_created DESC, agent_id',
        { id: true },
      ),
      'table',
      tableUnits(agentTable),
    ),
    sqlPanel(
      2,
      'Replies per agent',
      'timeseries',
      { x: 0, y: 10, w: 12, h: 8 },
      namingAgents(
        `
      SELECT $__timeInterval(occurred_at) AS time, toString(agent_id) AS agent, count() AS replies FROM events
      WHERE type = 'message_out' AND agent_id != 0 AND $__timeFilter(occurred_at) AND ${Q}
      GROUP BY time, agent`,
        'time',
        { nameLast: true },
      ),
      'time_series',
    ),
    sqlPanel(
      3,
      'Macros used',
      'table',
      { x: 12, y: 10, w: 12, h: 8 },
      `
      SELECT macro, count() AS uses, uniqExact(agent_id) AS agents FROM events
      WHERE type = 'macro_used' AND $__timeFilter(occurred_at) AND ${Q}
      GROUP BY macro ORDER BY uses DESC LIMIT 20`,
      'table',
    ),
    sqlPanel(
      4,
      'Activity per agent (what each agent did in the range)',
      'table',
      { x: 0, y: 18, w: 12, h: 8 },
      namingAgents(
        `
      SELECT toString(agent_id) AS agent,
             uniqExactIf(ticket_id, type = 'ticket_assigned') AS taken,
             countIf(type = 'message_out') AS replies
      FROM events
      WHERE type IN ('ticket_assigned', 'message_out') AND agent_id != 0
        AND $__timeFilter(occurred_at) AND ${Q}
      GROUP BY agent`,
        'replies DESC, agent_id',
        { id: true },
      ),
      'table',
    ),
    sqlPanel(
      5,
      'CSAT per agent (latest rating per ticket)',
      'barchart',
      { x: 12, y: 18, w: 12, h: 8 },
      namingAgents(valuesStatement(metrics, ['csat_avg', 'csat_responses'], { where: agentCohort, groupBy: [GROUP.agent] }), 'csat_avg, a.agent'),
      'table',
    ),
  ]);

  const pipeline = dashboard(
    'support-pipeline',
    'Support desk · Pipeline',
    [
      promPanel(1, 'Ingest lag', 'timeseries', { x: 0, y: 0, w: 8, h: 8 }, [{ expr: 'max(ingest_lag_seconds)', legend: 'lag' }], unit('s')),
      promPanel(2, 'Outbox backlog (unpublished events)', 'timeseries', { x: 8, y: 0, w: 8, h: 8 }, [{ expr: 'sum(desk_outbox_backlog)', legend: 'backlog' }]),
      promPanel(
        3,
        'Errors',
        'timeseries',
        { x: 16, y: 0, w: 8, h: 8 },
        [
          { expr: 'sum(rate(desk_telegram_errors_total[5m]))', legend: 'Telegram API' },
          { expr: 'sum(rate(desk_updates_total{outcome="error"}[5m]))', legend: 'bot updates' },
          { expr: 'sum(rate(ingest_dead_letters_total[5m]))', legend: 'dead letters' },
        ],
        unit('reqps'),
      ),
      sqlPanel(
        4,
        'Events ingested per minute',
        'timeseries',
        { x: 0, y: 8, w: 12, h: 8 },
        `
        SELECT $__timeInterval(ingested_at) AS time, type, count() AS events FROM events
        WHERE $__timeFilter(ingested_at)
        GROUP BY time, type ORDER BY time`,
        'time_series',
      ),
      sqlPanel(
        5,
        'Delivery delay (emitted → ingested) P50 / P99',
        'timeseries',
        { x: 12, y: 8, w: 12, h: 8 },
        `
        SELECT $__timeInterval(ingested_at) AS time,
               quantile(0.5)(dateDiff('millisecond', emitted_at, ingested_at) / 1000) AS p50,
               quantile(0.99)(dateDiff('millisecond', emitted_at, ingested_at) / 1000) AS p99
        FROM events WHERE $__timeFilter(ingested_at)
        GROUP BY time ORDER BY time`,
        'time_series',
        unit('s'),
      ),
      sqlPanel(
        6,
        'Dead letters',
        'table',
        { x: 0, y: 16, w: 24, h: 8 },
        `
        SELECT reason, source, count() AS messages, max(received_at) AS last_seen, any(detail) AS example
        FROM dead_letters WHERE $__timeFilter(received_at)
        GROUP BY reason, source ORDER BY messages DESC`,
        'table',
      ),
    ],
    { variables: false, refresh: '30s', from: 'now-6h' },
  );

  const health = dashboard('support-health', 'Support desk · Health', healthPanels(), { variables: false, refresh: '30s', from: 'now-6h' });

  // A/B tests (analytics/experiments): customers first exposed, per experiment and variant — each customer once.
  const experiments = dashboard(
    'support-experiments',
    'Support desk · Experiments',
    [
      sqlPanel(
        1,
        'Customers first exposed, per experiment and variant',
        'timeseries',
        { x: 0, y: 0, w: 16, h: 9 },
        `
        SELECT $__timeInterval(x_first_at) AS time, concat(x_experiment, ' · ', x_variant) AS variant, count() AS customers
        FROM (${EVERY_FIRST_EXPOSURE})
        WHERE $__timeFilter(x_first_at)
        GROUP BY time, variant ORDER BY time`,
        'time_series',
        {
          description: 'Each customer counted once, at the first experiment_exposure (the results on the dashboard and /experiments start there).',
          ...unit('none'),
        },
      ),
      sqlPanel(
        2,
        'Customers exposed, all time',
        'table',
        { x: 16, y: 0, w: 8, h: 9 },
        `
        SELECT x_experiment AS experiment, x_variant AS variant, count() AS customers, min(x_first_at) AS first_exposure, max(x_first_at) AS last_exposure
        FROM (${EVERY_FIRST_EXPOSURE})
        GROUP BY experiment, variant ORDER BY experiment, variant`,
        'table',
        { description: 'A split far from the weights is a sample-ratio mismatch: the API and /experiments test it.' },
      ),
    ],
    { variables: false, refresh: '5m', from: 'now-30d' },
  );

  return { overview, sla, agents, pipeline, health, experiments };
}

/**
 * The operator's view (issue 18, item 9): is the desk taking updates, are events leaving the outbox and reaching
 * ClickHouse, what is dead-lettered, what Telegram refuses, and what the start-up self-check finds out of reach.
 * Prometheus only, over metrics the processes register (bot/metrics.ts, bot/telegram/telegram-metrics.ts,
 * ingest/metrics.ts; grafana/dashboards.test.ts checks every name).
 */
function healthPanels(): Panel[] {
  const thresholds = (red: number) => ({
    thresholds: {
      mode: 'absolute',
      steps: [
        { color: 'green', value: null },
        { color: 'red', value: red },
      ],
    },
  });
  const stat = (u: string, red: number) => ({ fieldConfig: { defaults: { unit: u, ...thresholds(red) }, overrides: [] } });
  let id = 0;
  return [
    promPanel(
      ++id,
      'Self-check degraded',
      'stat',
      { x: 0, y: 0, w: 3, h: 4 },
      [{ expr: 'sum(desk_self_check_degraded) or vector(0)', legend: 'degraded checks' }],
      {
        description:
          'Start-up checks out of reach and retried with back-off (Telegram, a chat, a store, the bus, Prometheus, Alertmanager); /healthz says degraded meanwhile.',
        ...stat('none', 1),
      },
    ),
    promPanel(++id, 'Updates lag', 'stat', { x: 3, y: 0, w: 3, h: 4 }, [{ expr: 'max(desk_updates_lag_seconds) or vector(0)', legend: 'behind' }], {
      description:
        "How far the desk is behind Telegram's updates: the oldest update fetched and not yet handled, by its Telegram date; 0 when none is pending. Over 60 s /healthz says degraded (UPDATES_LAG_DEGRADED), for 2 min alert DeskUpdatesLagging.",
      ...stat('s', 60),
    }),
    promPanel(++id, 'Outbox backlog', 'stat', { x: 6, y: 0, w: 3, h: 4 }, [{ expr: 'sum(desk_outbox_backlog)', legend: 'unpublished' }], {
      description: 'Events written to the outbox and not yet published to the bus.',
      ...stat('none', 1000),
    }),
    promPanel(++id, 'Ingest lag', 'stat', { x: 9, y: 0, w: 3, h: 4 }, [{ expr: 'max(ingest_lag_seconds)', legend: 'lag' }], {
      description: 'How far ClickHouse is behind the bus: 0 when caught up.',
      ...stat('s', 60),
    }),
    promPanel(
      ++id,
      'Dead letters (1 h)',
      'stat',
      { x: 12, y: 0, w: 4, h: 4 },
      [{ expr: 'sum(increase(ingest_dead_letters_total[1h]))', legend: 'dead letters' }],
      {
        description: 'Messages the ingest rejected to the dead-letter topic and table in the last hour.',
        ...stat('none', 1),
      },
    ),
    promPanel(
      ++id,
      'Telegram errors (5 m)',
      'stat',
      { x: 16, y: 0, w: 4, h: 4 },
      [{ expr: 'sum(increase(desk_telegram_errors_total[5m]))', legend: 'errors' }],
      { description: 'Failed Bot API calls, every attempt (retried ones included).', ...stat('none', 10) },
    ),
    promPanel(
      ++id,
      'Update errors (5 m)',
      'stat',
      { x: 20, y: 0, w: 4, h: 4 },
      [{ expr: 'sum(increase(desk_updates_total{outcome="error"}[5m]))', legend: 'errors' }],
      { description: 'Telegram updates whose handling failed.', ...stat('none', 1) },
    ),
    promPanel(
      ++id,
      'Updates handled, by outcome',
      'timeseries',
      { x: 0, y: 4, w: 12, h: 8 },
      [{ expr: 'sum by (outcome) (rate(desk_updates_total[5m]))', legend: '{{outcome}}' }],
      unit('reqps'),
    ),
    promPanel(
      ++id,
      'Messages relayed, by direction',
      'timeseries',
      { x: 12, y: 4, w: 12, h: 8 },
      [{ expr: 'sum by (direction) (rate(desk_relayed_messages_total[5m]))', legend: '{{direction}}' }],
      unit('reqps'),
    ),
    promPanel(
      ++id,
      'Outbox backlog (unpublished events)',
      'timeseries',
      { x: 0, y: 12, w: 12, h: 8 },
      [{ expr: 'sum(desk_outbox_backlog)', legend: 'backlog' }],
      unit('none'),
    ),
    promPanel(
      ++id,
      'Ingest lag',
      'timeseries',
      { x: 12, y: 12, w: 12, h: 8 },
      [
        { expr: 'max(ingest_lag_seconds)', legend: 'seconds behind the bus' },
        { expr: 'sum(ingest_consumer_lag_messages)', legend: 'messages behind (right axis)' },
      ],
      {
        fieldConfig: {
          defaults: { unit: 's' },
          overrides: [
            {
              matcher: { id: 'byName', options: 'messages behind (right axis)' },
              properties: [
                { id: 'unit', value: 'none' },
                { id: 'custom.axisPlacement', value: 'right' },
              ],
            },
          ],
        },
      },
    ),
    promPanel(
      ++id,
      'Ingest throughput',
      'timeseries',
      { x: 0, y: 20, w: 12, h: 8 },
      [
        { expr: 'sum(rate(ingest_messages_consumed_total[5m]))', legend: 'consumed from the bus' },
        { expr: 'sum(rate(ingest_events_inserted_total[5m]))', legend: 'inserted into ClickHouse' },
      ],
      unit('reqps'),
    ),
    promPanel(++id, 'Ingest trouble', 'timeseries', { x: 12, y: 20, w: 12, h: 8 }, [
      { expr: 'sum(rate(ingest_clickhouse_insert_errors_total[5m]))', legend: 'ClickHouse insert errors/s' },
      { expr: 'max(ingest_consumer_paused)', legend: 'consumer paused' },
      { expr: 'sum(ingest_buffer_rows)', legend: 'rows buffered' },
    ]),
    promPanel(
      ++id,
      'Dead letters, by reason',
      'timeseries',
      { x: 0, y: 28, w: 12, h: 8 },
      [{ expr: 'sum by (reason, source) (increase(ingest_dead_letters_total[5m]))', legend: '{{reason}} ({{source}})' }],
      unit('none'),
    ),
    promPanel(
      ++id,
      'Telegram errors, by method',
      'timeseries',
      { x: 12, y: 28, w: 12, h: 8 },
      [{ expr: 'sum by (method, code) (rate(desk_telegram_errors_total[5m]))', legend: '{{method}} {{code}}' }],
      unit('reqps'),
    ),
    promPanel(
      ++id,
      'Self-check degraded, by check',
      'timeseries',
      { x: 0, y: 36, w: 24, h: 6 },
      [{ expr: 'max by (check) (desk_self_check_degraded)', legend: '{{check}}' }],
      { description: '1 while the start-up self-check finds the check out of reach (alert DeskDegraded).', ...unit('none') },
    ),
    promPanel(
      ++id,
      "Updates lag (behind Telegram's updates)",
      'timeseries',
      { x: 0, y: 42, w: 24, h: 8 },
      [{ expr: 'max by (instance) (desk_updates_lag_seconds)', legend: '{{instance}}' }],
      {
        description:
          'Age of the oldest update fetched and not yet handled, by its Telegram date (bot/telegram/updates-lag.ts); alert DeskUpdatesLagging over 60 s for 2 min.',
        ...unit('s'),
      },
    ),
  ];
}

export const DASHBOARDS = buildDashboards();

export const DASHBOARDS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'dashboards');

export function dashboardJson(name: keyof typeof DASHBOARDS, dashboards: ReturnType<typeof buildDashboards> = DASHBOARDS): string {
  return `${JSON.stringify(dashboards[name], null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(DASHBOARDS_DIR, { recursive: true });
  for (const name of Object.keys(DASHBOARDS) as (keyof typeof DASHBOARDS)[]) writeFileSync(join(DASHBOARDS_DIR, `${name}.json`), dashboardJson(name));
  console.log(`wrote ${Object.keys(DASHBOARDS).length} dashboards to ${DASHBOARDS_DIR}`);
}
