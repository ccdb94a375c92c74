/**
 * Every SQL panel of every dashboard runs on chDB with the project's
 * migrations, after substituting Grafana's ClickHouse-plugin macros and the
 * dashboard variables the way the plugin does; the shipped JSON is what
 * grafana/dashboards.ts generates; provisioning names the datasources the
 * panels use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { insertRows, queryRows, type ClickHouse } from '../core/clickhouse.js';
import { openTestClickHouse } from '../ingest/test-support.js';
import type { SupportEvent } from '../schemas/events.js';
import { makeEvent } from '../schemas/validate.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { clickHouseRunner, summary } from '../analytics/query.js';
import { METRICS } from '../analytics/registry.js';
import { DASHBOARDS, DASHBOARDS_DIR, dashboardJson } from './dashboards.js';
import { Registry } from 'prom-client';
import { registry as processRegistry } from '../core/metrics.js';
import { registerSlaCollectors } from '../sla/exporter/collectors.js';
import '../bot/metrics.js';
import '../ingest/metrics.js';
import '../dashboard/api/plugin.js';
import { countTelegramErrors } from '../bot/telegram/telegram-metrics.js';

const tmp = tmpDataDir('grafana-sql-');
let ch: ClickHouse;
// Yesterday (UTC): inside every table's TTL (dead_letters keeps 90 days).
const TODAY = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
const FROM = new Date(TODAY.getTime() - 86_400_000);
const TO = TODAY;

/** The plugin's macro expansion (grafana-clickhouse-datasource v4), for a fixed range. */
function expandMacros(sql: string, o: { from: Date; to: Date; intervalSeconds: number; vars: Record<string, string[]> }): string {
  const s = (d: Date) => Math.floor(d.getTime() / 1000);
  return sql
    .replace(/\$__timeFilter\(([^)]+)\)/g, (_, col: string) => `${col.trim()} >= toDateTime(${s(o.from)}) AND ${col.trim()} <= toDateTime(${s(o.to)})`)
    .replace(/\$__timeInterval\(([^)]+)\)/g, (_, col: string) => `toStartOfInterval(toDateTime(${col.trim()}), INTERVAL ${o.intervalSeconds} second)`)
    .replaceAll('$__fromTime', `toDateTime(${s(o.from)})`)
    .replaceAll('$__toTime', `toDateTime(${s(o.to)})`)
    .replaceAll('$__interval_s', String(o.intervalSeconds))
    .replace(/\$\{(\w+):singlequote\}/g, (_, name: string) => (o.vars[name] ?? []).map((v) => `'${v.replaceAll("'", "\\'")}'`).join(','));
}

interface Target {
  rawSql?: string;
  expr?: string;
  datasource: { type: string; uid: string };
}
interface PanelJson {
  id: number;
  title: string;
  targets: Target[];
}

const sqlPanels = Object.entries(DASHBOARDS).flatMap(([name, d]) =>
  (d.panels as unknown as PanelJson[]).flatMap((p) => p.targets.filter((t) => t.rawSql).map((t) => ({ name: `${name} › ${p.title}`, sql: t.rawSql! }))),
);

function seedEvents(): SupportEvent[] {
  const out: SupportEvent[] = [];
  const at = (h: number, m = 0) => new Date(FROM.getTime() + (h * 60 + m) * 60_000).toISOString();
  for (let i = 1; i <= 6; i++) {
    const queue = i % 3 === 0 ? 'VIP' : 'L1';
    const env = { ticket_id: i, ticket_created_at: at(i), customer_id: 100 + i, queue, category: i % 2 ? 'payment' : 'account', language: 'en' };
    out.push(
      makeEvent<'ticket_opened'>({
        ...env,
        type: 'ticket_opened',
        occurred_at: at(i),
        first_response_due_at: at(i, 15),
        resolution_due_at: at(i + 4),
        is_repeat_contact: false,
      }),
    );
    out.push(makeEvent<'category_selected'>({ ...env, type: 'category_selected', occurred_at: at(i, 1) }));
    out.push(makeEvent<'ticket_assigned'>({ ...env, agent_id: 77 + (i % 2), type: 'ticket_assigned', occurred_at: at(i, 2), previous_agent_id: null }));
    out.push(
      makeEvent<'message_out'>({
        ...env,
        agent_id: 77 + (i % 2),
        type: 'message_out',
        occurred_at: at(i, 5 * i),
        message_kind: 'text',
        is_first_response: true,
        first_response_seconds: 300 * i,
        first_response_bh_seconds: 300 * i,
      }),
    );
    out.push(makeEvent<'macro_used'>({ ...env, agent_id: 77, type: 'macro_used', occurred_at: at(i, 6), macro: 'receipt' }));
    if (i % 2)
      out.push(
        makeEvent<'ticket_resolved'>({
          ...env,
          agent_id: 77,
          type: 'ticket_resolved',
          occurred_at: at(i + 1),
          resolved_by: 'agent',
          resolution_seconds: 3600,
          resolution_bh_seconds: 3600,
          agent_replies: 1,
        }),
      );
    out.push(makeEvent<'csat_rated'>({ ...env, agent_id: 77 + (i % 2), type: 'csat_rated', occurred_at: at(i + 2), score: 1 + (i % 5) }));
    out.push(makeEvent<'nps_rated'>({ ...env, type: 'nps_rated', occurred_at: at(i + 2), score: i + 4 }));
    if (i > 4) out.push(makeEvent<'sla_breached'>({ ...env, type: 'sla_breached', occurred_at: at(i, 15), sla_kind: 'first_response', due_at: at(i, 15) }));
    // the experiments dashboard: each customer exposed once (the second, later one does not count)
    out.push(
      makeEvent<'experiment_exposure'>({
        ...env,
        type: 'experiment_exposure',
        occurred_at: at(i, 1),
        experiment: 'receipt-style',
        variant: i % 2 ? 'control' : 'steps',
      }),
    );
    if (i === 1)
      out.push(
        makeEvent<'experiment_exposure'>({ ...env, type: 'experiment_exposure', occurred_at: at(i + 1), experiment: 'receipt-style', variant: 'steps' }),
      );
  }
  return out;
}

beforeAll(async () => {
  ch = await openTestClickHouse(tmp.dir);
  // Events as ingested: ingested_at inside the dashboard range too.
  await insertRows(
    ch,
    'events',
    seedEvents().map((e) => ({ ...e, ingested_at: e.occurred_at })),
  );
  // agent 77 has acted at the desk (named in `staff`); agent 78 is known by id only
  await insertRows(ch, 'staff', [{ id: 77, display_name: 'Anna K.', updated_at: FROM.toISOString() }]);
  await insertRows(ch, 'dead_letters', [
    {
      received_at: new Date(FROM.getTime() + 10 * 3600_000).toISOString(),
      source: 'bus',
      topic: 'support.events',
      partition: 0,
      offset: 1,
      reason: 'invalid',
      detail: '/score: too big',
      payload: '{}',
    },
  ]);
});
afterAll(async () => {
  await ch?.close();
  tmp.cleanup();
});

describe('Grafana dashboards', () => {
  it('ship as generated (npx tsx grafana/dashboards.ts)', () => {
    for (const name of Object.keys(DASHBOARDS) as (keyof typeof DASHBOARDS)[]) {
      expect(readFileSync(join(DASHBOARDS_DIR, `${name}.json`), 'utf8'), `${name}.json is stale`).toBe(dashboardJson(name));
    }
  });

  it('have unique uids and panel ids, and use provisioned datasources only', () => {
    const ds = parse(readFileSync(join(DASHBOARDS_DIR, '..', 'provisioning', 'datasources', 'datasources.yml'), 'utf8')) as {
      datasources: { uid: string; type: string }[];
    };
    const known = new Set(ds.datasources.map((d) => `${d.type}/${d.uid}`));
    expect(new Set(Object.values(DASHBOARDS).map((d) => d.uid)).size).toBe(Object.keys(DASHBOARDS).length);
    for (const d of Object.values(DASHBOARDS)) {
      const panels = d.panels as unknown as PanelJson[];
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const p of panels) for (const t of p.targets) expect(known.has(`${t.datasource.type}/${t.datasource.uid}`), `${d.title} › ${p.title}`).toBe(true);
    }
    expect(sqlPanels.length).toBeGreaterThanOrEqual(15);
  });

  it.each(sqlPanels.map((p) => [p.name, p.sql] as const))('SQL panel runs on chDB: %s', async (_name, sql) => {
    const expanded = expandMacros(sql, { from: FROM, to: TO, intervalSeconds: 3600, vars: { queue: ['L1', 'VIP'] } });
    expect(expanded).not.toMatch(/\$__|\$\{/);
    const rows = await queryRows(ch, expanded);
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.length, 'the seeded day should show up').toBeGreaterThan(0);
  });

  it('Prometheus panels use only metrics some process registers', () => {
    // What the processes register: the desk (bot/metrics.ts, the Telegram error counter), the ingest, the
    // dashboard API, and the SLA exporter's gauges (in a registry of their own, as a test may).
    countTelegramErrors();
    const sla = new Registry();
    registerSlaCollectors({ db: {} as never, ch: {} as never, registry: sla });
    const registered = new Map<string, string>();
    for (const m of [...processRegistry.getMetricsAsArray(), ...sla.getMetricsAsArray()]) registered.set(m.name, String(m.type));
    const known = (name: string) => {
      if (registered.has(name)) return true;
      const base = name.replace(/_(bucket|sum|count)$/, '');
      return base !== name && ['histogram', 'summary'].includes(registered.get(base) ?? '');
    };
    const used = new Set<string>();
    for (const d of Object.values(DASHBOARDS))
      for (const p of d.panels as unknown as PanelJson[])
        for (const t of p.targets.filter((t) => t.expr)) {
          const names = promMetricNames(t.expr!);
          expect(names.length, `${d.title} › ${p.title}: ${t.expr}`).toBeGreaterThan(0);
          for (const n of names) {
            used.add(n);
            expect(known(n), `${d.title} › ${p.title}: ${n} is registered by no process`).toBe(true);
          }
        }
    // The health dashboard shows what the operator needs (issue 18, item 9).
    const health = (DASHBOARDS.health.panels as unknown as PanelJson[]).flatMap((p) => p.targets.flatMap((t) => promMetricNames(t.expr ?? '')));
    for (const n of [
      'desk_updates_total',
      'desk_updates_lag_seconds',
      'desk_outbox_backlog',
      'ingest_lag_seconds',
      'ingest_events_inserted_total',
      'ingest_dead_letters_total',
      'desk_telegram_errors_total',
      'desk_self_check_degraded',
    ])
      expect(health, n).toContain(n);
    expect((DASHBOARDS.health.panels as unknown as PanelJson[]).every((p) => p.targets.every((t) => t.datasource.type === 'prometheus'))).toBe(true);
    expect(used.size).toBeGreaterThanOrEqual(15);
  });

  it('promMetricNames finds the metric names of an expression, not its functions or labels', () => {
    expect(promMetricNames('sum by (method, code) (rate(desk_telegram_errors_total{code!="429"}[5m]))')).toEqual(['desk_telegram_errors_total']);
    expect(promMetricNames('sum(desk_self_check_degraded) or vector(0)')).toEqual(['desk_self_check_degraded']);
    expect(promMetricNames('max by (queue) (a_b{quantile="0.9",queue=~"$queue"}) / on (queue) c_d')).toEqual(['a_b', 'c_d']);
    expect(promMetricNames('histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[5m])))')).toEqual(['x_seconds_bucket']);
  });

  it('metric stats equal the API summary of the same tickets (both from the metric definitions)', async () => {
    const api = await summary(clickHouseRunner(ch), { from: FROM, to: TO }, {}, new Date());
    const stats = (DASHBOARDS.overview.panels as unknown as (PanelJson & { type: string })[]).filter((p) => p.type === 'stat');
    expect(stats.length).toBeGreaterThanOrEqual(5);
    for (const p of stats) {
      const [row] = await queryRows<Record<string, unknown>>(
        ch,
        expandMacros(p.targets[0]!.rawSql!, { from: FROM, to: TO, intervalSeconds: 3600, vars: { queue: ['L1', 'VIP'] } }),
      );
      const [key, value] = Object.entries(row!)[0]!;
      const expected = (api as Record<string, number | null>)[key];
      expect(expected, `${p.title}: ${key} is an API field`).not.toBeUndefined();
      if (expected === null) expect(value, p.title).toBeNull();
      else expect(Number(value), p.title).toBeCloseTo(expected!, 9);
    }
  });

  it('the Agents dashboard names the agents it can, and shows the others by id', async () => {
    const panels = (DASHBOARDS.agents.panels as unknown as PanelJson[]).filter((p) => /agent/i.test(p.title) && p.targets[0]?.rawSql);
    expect(panels.map((p) => p.title)).toEqual([
      'Per agent (tickets by their latest agent, as the API breaks them down)',
      'Replies per agent',
      'Activity per agent (what each agent did in the range)',
      'CSAT per agent (latest rating per ticket)',
    ]);
    for (const p of panels) {
      const rows = await queryRows<{ agent: string; agent_id?: string }>(
        ch,
        expandMacros(p.targets[0]!.rawSql!, { from: FROM, to: TO, intervalSeconds: 3600, vars: { queue: ['L1', 'VIP'] } }),
      );
      expect(new Set(rows.map((r) => r.agent)), p.title).toEqual(new Set(['Anna K.', 'agent 78']));
      if ('agent_id' in rows[0]!) expect(rows.find((r) => r.agent === 'Anna K.')?.agent_id, p.title).toBe('77');
    }
  });

  it('counts what was seeded', async () => {
    const opened = (DASHBOARDS.overview.panels as unknown as PanelJson[]).find((p) => p.title === METRICS.get('tickets_created').title)!.targets[0]!.rawSql!;
    const rows = await queryRows<{ tickets_created: number }>(
      ch,
      expandMacros(opened, { from: FROM, to: TO, intervalSeconds: 3600, vars: { queue: ['L1', 'VIP'] } }),
    );
    expect(Number(rows[0]!.tickets_created)).toBe(6);
    const onlyVip = await queryRows<{ tickets_created: number }>(
      ch,
      expandMacros(opened, { from: FROM, to: TO, intervalSeconds: 3600, vars: { queue: ['VIP'] } }),
    );
    expect(Number(onlyVip[0]!.tickets_created)).toBe(2);
  });
});

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);
/** The metric names a PromQL expression reads: identifiers that are not functions, keywords, labels or strings. */
function promMetricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\()/g)]
    .filter((m) => !/[0-9.]$/.test(bare.slice(0, m.index)) && !/[a-zA-Z0-9_:]/.test(bare[m.index + m[0].length] ?? ''))
    .map((m) => m[0])
    .filter((w) => !PROMQL_WORDS.has(w.toLowerCase()));
  return [...new Set(names)];
}
