/**
 * The Grafana dashboards (Overview, SLA, Agents, Pipeline), as code: one source
 * for grafana/dashboards/*.json (`npx tsx grafana/dashboards.ts` rewrites them;
 * a test fails when they are stale) and for the test that runs every SQL panel
 * on chDB.
 *
 * SQL panels use the ClickHouse plugin's macros ($__timeFilter, $__fromTime,
 * $__toTime, $__timeInterval) and the `queue` variable; tickets are counted with
 * uniqExact(ticket_id) because `events` may hold a not-yet-merged duplicate.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CH = { type: 'grafana-clickhouse-datasource', uid: 'clickhouse' } as const;
const PROM = { type: 'prometheus', uid: 'prometheus' } as const;
/** Queue filter: the variable expands to a quoted list ('L1','VIP') or every queue for All. */
const Q = `queue IN (\${queue:singlequote})`;

type Panel = Record<string, unknown>;
interface Grid { x: number; y: number; w: number; h: number }

function sqlPanel(id: number, title: string, type: string, grid: Grid, rawSql: string, format: 'time_series' | 'table', extra: Panel = {}): Panel {
  return {
    id,
    title,
    type,
    gridPos: grid,
    datasource: CH,
    targets: [{ refId: 'A', datasource: CH, editorType: 'sql', queryType: format === 'table' ? 'table' : 'timeseries', format: format === 'table' ? 1 : 0, rawSql: rawSql.trim() }],
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

// ---- SQL shared by several panels ----

/** One row per ticket opened in the range: queue, category, first-response deadline and first agent reply. */
const TICKETS_OPENED = `
  SELECT ticket_id,
         anyIf(queue, type = 'ticket_opened') AS queue,
         anyIf(category, type = 'category_selected') AS category,
         minIf(first_response_due_at, type = 'ticket_opened') AS fr_due,
         minIf(resolution_due_at, type = 'ticket_opened') AS res_due,
         countIf(type = 'message_out') > 0 AS replied,
         minIf(occurred_at, type = 'message_out') AS first_reply_at,
         countIf(type = 'ticket_resolved') > 0 AS resolved,
         minIf(occurred_at, type = 'ticket_resolved') AS resolved_at,
         min(ticket_created_at) AS created_at
  FROM events
  WHERE type IN ('ticket_opened', 'category_selected', 'message_out', 'ticket_resolved')
    AND ticket_created_at >= $__fromTime AND ticket_created_at <= $__toTime
  GROUP BY ticket_id
  HAVING countIf(type = 'ticket_opened') > 0`;

/** Latest CSAT/NPS per ticket rated in the range. */
const LATEST_SCORE = (kind: 'csat_rated' | 'nps_rated') => `
  SELECT ticket_id, any(queue) AS queue, argMax(agent_id, occurred_at) AS agent_id, argMax(score, occurred_at) AS rating
  FROM events
  WHERE type = '${kind}' AND $__timeFilter(occurred_at) AND score IS NOT NULL
  GROUP BY ticket_id`;

export const DASHBOARDS = {
  overview: dashboard('support-overview', 'Support desk · Overview', [
    sqlPanel(1, 'Tickets opened', 'stat', { x: 0, y: 0, w: 4, h: 4 }, `
      SELECT uniqExact(ticket_id) AS tickets FROM events
      WHERE type = 'ticket_opened' AND $__timeFilter(occurred_at) AND ${Q}`, 'table'),
    sqlPanel(2, 'FRT P50 / P90', 'stat', { x: 4, y: 0, w: 6, h: 4 }, `
      SELECT quantileExact(0.5)(s) AS p50, quantileExact(0.9)(s) AS p90 FROM (
        SELECT ticket_id, min(first_response_seconds) AS s FROM events
        WHERE type = 'message_out' AND is_first_response AND $__timeFilter(occurred_at) AND ${Q}
        GROUP BY ticket_id)`, 'table', unit('s')),
    sqlPanel(3, 'CSAT (latest per ticket)', 'stat', { x: 10, y: 0, w: 4, h: 4 }, `
      SELECT round(avg(rating), 2) AS csat, count() AS ratings FROM (${LATEST_SCORE('csat_rated')}) WHERE ${Q}`, 'table'),
    sqlPanel(4, 'NPS', 'stat', { x: 14, y: 0, w: 4, h: 4 }, `
      SELECT round(100 * (countIf(rating >= 9) - countIf(rating <= 6)) / nullIf(count(), 0)) AS nps, count() AS responses
      FROM (${LATEST_SCORE('nps_rated')}) WHERE ${Q}`, 'table'),
    sqlPanel(5, 'Auto-resolved share', 'stat', { x: 18, y: 0, w: 6, h: 4 }, `
      SELECT uniqExactIf(ticket_id, resolved_by IN ('kb', 'auto_close')) / nullIf(uniqExact(ticket_id), 0) AS auto_share
      FROM events WHERE type = 'ticket_resolved' AND $__timeFilter(occurred_at) AND ${Q}`, 'table', unit('percentunit')),
    sqlPanel(6, 'Tickets opened per queue', 'timeseries', { x: 0, y: 4, w: 12, h: 8 }, `
      SELECT $__timeInterval(occurred_at) AS time, queue, uniqExact(ticket_id) AS tickets FROM events
      WHERE type = 'ticket_opened' AND $__timeFilter(occurred_at) AND ${Q}
      GROUP BY time, queue ORDER BY time`, 'time_series'),
    sqlPanel(7, 'Peaks by hour of day', 'barchart', { x: 12, y: 4, w: 12, h: 8 }, `
      SELECT toHour(occurred_at) AS hour, uniqExact(ticket_id) AS tickets FROM events
      WHERE type = 'ticket_opened' AND $__timeFilter(occurred_at) AND ${Q}
      GROUP BY hour ORDER BY hour`, 'table'),
    sqlPanel(8, 'Top contact reasons', 'table', { x: 0, y: 12, w: 12, h: 8 }, `
      SELECT category, count() AS tickets, round(100 * count() / sum(count()) OVER (), 1) AS pct
      FROM (${TICKETS_OPENED}) WHERE category != '' AND ${Q}
      GROUP BY category ORDER BY tickets DESC LIMIT 10`, 'table'),
    promPanel(9, 'Open tickets now', 'timeseries', { x: 12, y: 12, w: 12, h: 8 }, [{ expr: 'sum by (queue) (support_tickets_open{queue=~"$queue"})', legend: '{{queue}}' }]),
  ]),

  sla: dashboard('support-sla', 'Support desk · SLA', [
    promPanel(1, 'First-response SLA breached now', 'stat', { x: 0, y: 0, w: 6, h: 4 }, [{ expr: 'sum(support_sla_first_response_breached_tickets{queue=~"$queue"})', legend: 'breached' }]),
    promPanel(2, 'Breach within 5 min', 'stat', { x: 6, y: 0, w: 6, h: 4 }, [{ expr: 'sum(support_sla_first_response_imminent_tickets{queue=~"$queue"})', legend: 'imminent' }]),
    promPanel(3, 'Oldest waiting', 'stat', { x: 12, y: 0, w: 6, h: 4 }, [{ expr: 'max(support_oldest_waiting_ticket_seconds{queue=~"$queue"})', legend: 'oldest' }], unit('s')),
    promPanel(4, 'FRT P90 (last hour) vs target', 'timeseries', { x: 0, y: 4, w: 12, h: 8 }, [
      { expr: 'max by (queue) (support_first_response_time_seconds{quantile="0.9",queue=~"$queue"})', legend: 'P90 {{queue}}' },
      { expr: 'max by (queue) (support_sla_first_response_target_seconds{queue=~"$queue"})', legend: 'target {{queue}}' },
    ], unit('s')),
    sqlPanel(5, 'SLA met per queue', 'table', { x: 12, y: 4, w: 12, h: 8 }, `
      SELECT queue,
             count() AS tickets,
             round(100 * countIf(replied AND first_reply_at <= fr_due) / nullIf(countIf(replied OR fr_due < now64(3)), 0), 1) AS first_response_met_pct,
             round(100 * countIf(resolved AND resolved_at <= res_due) / nullIf(countIf(resolved OR res_due < now64(3)), 0), 1) AS resolution_met_pct
      FROM (${TICKETS_OPENED}) WHERE ${Q}
      GROUP BY queue ORDER BY queue`, 'table'),
    sqlPanel(6, 'SLA breaches', 'timeseries', { x: 0, y: 12, w: 12, h: 8 }, `
      SELECT $__timeInterval(occurred_at) AS time, sla_kind, uniqExact(ticket_id) AS breaches FROM events
      WHERE type = 'sla_breached' AND $__timeFilter(occurred_at) AND ${Q}
      GROUP BY time, sla_kind ORDER BY time`, 'time_series'),
    sqlPanel(7, 'FRT P50 / P90 per day', 'timeseries', { x: 12, y: 12, w: 12, h: 8 }, `
      SELECT toStartOfDay(occurred_at) AS time, quantileExact(0.5)(first_response_seconds) AS p50, quantileExact(0.9)(first_response_seconds) AS p90
      FROM events WHERE type = 'message_out' AND is_first_response AND $__timeFilter(occurred_at) AND ${Q}
      GROUP BY time ORDER BY time`, 'time_series', unit('s')),
    sqlPanel(8, 'Worst first responses', 'table', { x: 0, y: 20, w: 24, h: 8 }, `
      SELECT ticket_id, queue, category, created_at, fr_due,
             if(replied, dateDiff('second', created_at, first_reply_at), dateDiff('second', created_at, now64(3))) AS wait_seconds,
             replied
      FROM (${TICKETS_OPENED}) WHERE ${Q}
      ORDER BY wait_seconds DESC LIMIT 20`, 'table'),
  ]),

  agents: dashboard('support-agents', 'Support desk · Agents', [
    sqlPanel(1, 'Per agent', 'table', { x: 0, y: 0, w: 24, h: 10 }, `
      SELECT agent_id,
             uniqExactIf(ticket_id, type = 'ticket_assigned') AS taken,
             uniqExactIf(ticket_id, type = 'message_out' AND is_first_response) AS first_responses,
             countIf(type = 'message_out') AS replies,
             uniqExactIf(ticket_id, type = 'ticket_resolved') AS resolved,
             quantileExactIf(0.5)(first_response_seconds, type = 'message_out' AND is_first_response) AS frt_p50_seconds,
             round(avgIf(score, type = 'csat_rated'), 2) AS csat
      FROM events
      WHERE type IN ('ticket_assigned', 'message_out', 'ticket_resolved', 'csat_rated') AND agent_id != 0
        AND $__timeFilter(occurred_at) AND ${Q}
      GROUP BY agent_id ORDER BY replies DESC`, 'table'),
    sqlPanel(2, 'Replies per agent', 'timeseries', { x: 0, y: 10, w: 12, h: 8 }, `
      SELECT $__timeInterval(occurred_at) AS time, toString(agent_id) AS agent, count() AS replies FROM events
      WHERE type = 'message_out' AND agent_id != 0 AND $__timeFilter(occurred_at) AND ${Q}
      GROUP BY time, agent ORDER BY time`, 'time_series'),
    sqlPanel(3, 'Macros used', 'table', { x: 12, y: 10, w: 12, h: 8 }, `
      SELECT macro, count() AS uses, uniqExact(agent_id) AS agents FROM events
      WHERE type = 'macro_used' AND $__timeFilter(occurred_at) AND ${Q}
      GROUP BY macro ORDER BY uses DESC LIMIT 20`, 'table'),
    sqlPanel(4, 'CSAT per agent (latest rating per ticket)', 'barchart', { x: 0, y: 18, w: 24, h: 8 }, `
      SELECT toString(agent_id) AS agent, round(avg(rating), 2) AS csat, count() AS ratings
      FROM (${LATEST_SCORE('csat_rated')}) WHERE agent_id != 0 AND ${Q}
      GROUP BY agent ORDER BY csat`, 'table'),
  ]),

  pipeline: dashboard(
    'support-pipeline',
    'Support desk · Pipeline',
    [
      promPanel(1, 'Ingest lag', 'timeseries', { x: 0, y: 0, w: 8, h: 8 }, [{ expr: 'max(ingest_lag_seconds)', legend: 'lag' }], unit('s')),
      promPanel(2, 'Outbox backlog (unpublished events)', 'timeseries', { x: 8, y: 0, w: 8, h: 8 }, [{ expr: 'sum(desk_outbox_backlog)', legend: 'backlog' }]),
      promPanel(3, 'Errors', 'timeseries', { x: 16, y: 0, w: 8, h: 8 }, [
        { expr: 'sum(rate(desk_telegram_errors_total[5m]))', legend: 'Telegram API' },
        { expr: 'sum(rate(desk_updates_total{outcome="error"}[5m]))', legend: 'bot updates' },
        { expr: 'sum(rate(ingest_dead_letters_total[5m]))', legend: 'dead letters' },
      ], unit('reqps')),
      sqlPanel(4, 'Events ingested per minute', 'timeseries', { x: 0, y: 8, w: 12, h: 8 }, `
        SELECT $__timeInterval(ingested_at) AS time, type, count() AS events FROM events
        WHERE $__timeFilter(ingested_at)
        GROUP BY time, type ORDER BY time`, 'time_series'),
      sqlPanel(5, 'Delivery delay (emitted → ingested) P50 / P99', 'timeseries', { x: 12, y: 8, w: 12, h: 8 }, `
        SELECT $__timeInterval(ingested_at) AS time,
               quantile(0.5)(dateDiff('millisecond', emitted_at, ingested_at) / 1000) AS p50,
               quantile(0.99)(dateDiff('millisecond', emitted_at, ingested_at) / 1000) AS p99
        FROM events WHERE $__timeFilter(ingested_at)
        GROUP BY time ORDER BY time`, 'time_series', unit('s')),
      sqlPanel(6, 'Dead letters', 'table', { x: 0, y: 16, w: 24, h: 8 }, `
        SELECT reason, source, count() AS messages, max(received_at) AS last_seen, any(detail) AS example
        FROM dead_letters WHERE $__timeFilter(received_at)
        GROUP BY reason, source ORDER BY messages DESC`, 'table'),
    ],
    { variables: false, refresh: '30s', from: 'now-6h' },
  ),
} as const;

export const DASHBOARDS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'dashboards');

export function dashboardJson(name: keyof typeof DASHBOARDS): string {
  return `${JSON.stringify(DASHBOARDS[name], null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(DASHBOARDS_DIR, { recursive: true });
  for (const name of Object.keys(DASHBOARDS) as (keyof typeof DASHBOARDS)[]) writeFileSync(join(DASHBOARDS_DIR, `${name}.json`), dashboardJson(name));
  console.log(`wrote ${Object.keys(DASHBOARDS).length} dashboards to ${DASHBOARDS_DIR}`);
}
