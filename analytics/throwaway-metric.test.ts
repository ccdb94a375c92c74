/**
 * Adding a metric is one definition: a throwaway one, added to a registry
 * instance (no file edited), shows up in the API's OpenAPI schema, validation
 * and responses (JSON and CSV), in the exporter's /metrics, and in the Grafana
 * JSON, where its panel runs on chDB — each with the same value.
 */
import Fastify from 'fastify';
import { Registry as PromRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../core/clickhouse.js';
import { metricsPlugin } from '../core/metrics-plugin.js';
import type { Db } from '../core/postgres.js';
import { analyticsPlugin } from '../dashboard/api/plugin.js';
import { buildDashboards, dashboardJson } from '../grafana/dashboards.js';
import { registerSlaCollectors } from '../sla/exporter/collectors.js';
import { openTestStore } from '../sla/exporter/test-support.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../test/analytics/chdb.js';
import { deskEvents, seededDesk } from '../test/analytics/history.js';
import { referenceSummary } from '../test/analytics/reference.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import type { SupportEvent } from '../schemas/events.js';
import { aggregate, metric, ratio } from './metric.js';
import { TICKETS } from './metrics/volume.js';
import { METRICS } from './registry.js';
import { TICKET } from './ticket-facts.js';

const DAY = 86_400_000;
/** Grafana's queue variable as the panels write it: `${queue:singlequote}`. */
const QUEUE_VARIABLE = ['$', '{queue:singlequote}'].join('');
const NOW = Date.parse('2026-03-10T12:00:00Z');
const FROM = new Date(NOW - 7 * DAY);
const TO = new Date(NOW + 1);

/** The share of tickets in the VIP queue: a new aggregate, and one it shares with tickets_created. */
const vipShare = metric({
  key: 'vip_share',
  title: 'VIP share',
  meaning: 'Tickets whose current queue is VIP ÷ tickets created.',
  unit: 'ratio',
  better: 'neither',
  sql: ratio(aggregate('vip_n', `countIf(${TICKET.queue} = 'VIP')`), TICKETS),
  prometheus: {
    name: 'support_vip_share_7d',
    help: 'Share of the tickets created in the last 7 days that are in VIP, per queue.',
    window: { source: 'ticket_facts', since: 'ticket_created_at', seconds: 7 * 86_400, describe: 'tickets created in the last 7 days' },
  },
  grafana: { panels: ['stat', 'timeseries'], unit: 'percentunit' },
});
const metrics = METRICS.with(vipShare);

const tmp = tmpDataDir('throwaway-metric-');
let db: AnalyticsDb;
let store: Db;
let events: SupportEvent[];
let expected: number;
beforeAll(async () => {
  [db, store] = await Promise.all([openAnalyticsDb(), openTestStore(tmp.dir)]);
  events = deskEvents(seededDesk({ tickets: 300, days: 6, end: NOW, seed: 5 }));
  await ingest(db.ch, events, 2);
  const ref = { from: FROM.getTime(), to: TO.getTime(), now: NOW };
  expected = referenceSummary(events, { ...ref, filter: { queue: 'VIP' } }).tickets_created / referenceSummary(events, ref).tickets_created;
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(1);
});
afterAll(async () => {
  await store?.close();
  await db?.close();
  tmp.cleanup();
});

describe('a throwaway metric definition', () => {
  it('is in the API: OpenAPI schema, summary, breakdown, timeseries, CSV', async () => {
    const app = Fastify();
    await app.register(analyticsPlugin, { ch: db.ch, now: () => new Date(NOW), webRoot: false, metrics });
    const plain = Fastify();
    await plain.register(analyticsPlugin, { ch: db.ch, now: () => new Date(NOW), webRoot: false });
    try {
      const range = `from=${FROM.toISOString()}&to=${TO.toISOString()}`;
      const doc = (await app.inject({ url: '/api/docs/json' })).json() as { paths: Record<string, { get: { responses: Record<string, unknown> } }> };
      const summarySchema = JSON.stringify(doc.paths['/api/v1/summary']!.get.responses['200']);
      expect(summarySchema).toContain('"vip_share"');
      expect(summarySchema).toContain(vipShare.meaning);
      expect(JSON.stringify((await plain.inject({ url: '/api/docs/json' })).json())).not.toContain('vip_share');

      const summary = (await app.inject({ url: `/api/v1/summary?${range}` })).json() as Record<string, number>;
      expect(Object.keys(summary)).toEqual([...METRICS.keys, 'vip_share']);
      expect(summary.vip_share).toBeCloseTo(expected, 12);
      const plainSummary = (await plain.inject({ url: `/api/v1/summary?${range}` })).json() as Record<string, number>;
      for (const k of METRICS.keys) expect(summary[k], k).toEqual(plainSummary[k]);

      const byQueue = (await app.inject({ url: `/api/v1/breakdown?by=queue&${range}` })).json() as { key: string; vip_share: number }[];
      expect(byQueue.find((r) => r.key === 'VIP')?.vip_share).toBe(1);
      expect(byQueue.find((r) => r.key === 'L1')?.vip_share).toBe(0);

      const series = await app.inject({ url: `/api/v1/timeseries?metric=vip_share&${range}` });
      expect(series.statusCode).toBe(200);
      expect((series.json() as { points: unknown[] }).points.length).toBeGreaterThan(5);
      expect((await plain.inject({ url: `/api/v1/timeseries?metric=vip_share&${range}` })).statusCode).toBe(400);

      const csv = (await app.inject({ url: `/api/v1/summary?format=csv&${range}` })).body.split('\n');
      expect(csv[0]!.split(',').at(-1)).toBe('vip_share');
    } finally {
      await app.close();
      await plain.close();
    }
  });

  it('is in the exporter’s /metrics, per queue over its window', async () => {
    const registry = new PromRegistry();
    registerSlaCollectors({
      db: store,
      ch: db.ch,
      registry,
      metrics,
      now: () => new Date(NOW),
      config: { SLA_CSAT_TARGET: '4.5', SLA_IMMINENT_WINDOW: 300, SLA_CSAT_REFRESH: 60 },
    });
    const app = Fastify();
    await app.register(metricsPlugin, { registry });
    try {
      const body = (await app.inject({ url: '/metrics' })).body;
      expect(body).toContain('# HELP support_vip_share_7d Share of the tickets created in the last 7 days that are in VIP, per queue.');
      expect(body).toContain('support_vip_share_7d{queue="VIP"} 1');
      expect(body).toContain('support_vip_share_7d{queue="L1"} 0');
      // the registry's own exports are all still there, unchanged
      expect(body).toContain('support_csat_average_24h{queue=');
      expect(body).toContain('support_csat_target 4.5');
    } finally {
      await app.close();
    }
  });

  it('is in the generated Grafana JSON, and its panel computes the same value on chDB', async () => {
    const dashboards = buildDashboards(metrics);
    const json = dashboardJson('overview', dashboards);
    expect(json).toContain('"title": "VIP share"');
    expect(dashboardJson('overview')).not.toContain('vip_share');
    const panels = dashboards.overview.panels as unknown as { title: string; type: string; targets: { rawSql?: string }[] }[];
    const stat = panels.find((p) => p.title === 'VIP share' && p.type === 'stat')!;
    expect(panels.some((p) => p.type === 'timeseries' && p.targets[0]?.rawSql?.includes('AS vip_share'))).toBe(true);
    // the Grafana ClickHouse plugin's macros for the range, every queue selected
    const sec = (d: Date) => Math.floor(d.getTime() / 1000);
    const sql = stat.targets[0]!.rawSql!.replaceAll('$__fromTime', `toDateTime(${sec(FROM)})`)
      .replaceAll('$__toTime', `toDateTime(${sec(TO) + 1})`)
      .replaceAll(QUEUE_VARIABLE, "'L1','L2','VIP','payments'");
    const [row] = await queryRows<{ vip_share: number }>(db.ch, sql);
    expect(Number(row!.vip_share)).toBeCloseTo(expected, 12);
  });
});
