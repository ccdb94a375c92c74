/**
 * The shipped rules and routing, end to end on real processes: Prometheus
 * scrapes a real /metrics (SLA gauges over PGlite), Alertmanager posts to the
 * real webhook plugin, and the message lands in the sandbox's escalation chat.
 * Timers are shortened through startAlertingStack's options only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../core/postgres.js';
import { metricsPlugin } from '../core/metrics-plugin.js';
import { registerSlaCollectors } from '../sla/exporter/collectors.js';
import { openTestStore, seedTicket } from '../sla/exporter/test-support.js';
import { alertmanagerPlugin } from '../bot/alerts/alertmanager-plugin.js';
import { loadAlertsConfig, type AlertsConfig } from '../bot/alerts/config.js';
import { startSandboxHarness, type SandboxHarness } from '../bot/alerts/test-support.js';
import { DEFAULT_ESCALATION_CHAT_ID, DEFAULT_SUPPORT_CHAT_ID } from '../sandbox/identities.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { createServer, type Server } from 'node:net';
import { findOnPath, freePort, renderAlertmanagerConfig, renderPrometheusConfig, startAlertingStack, type AlertingStack } from './alerting-stack.js';
import { alertsText } from '../bot/alerts/text.js';

const TOKEN = 'stack-test-token';
const tmp = tmpDataDir('alerting-stack-');
let db: Db;
let sandbox: SandboxHarness;
let app: FastifyInstance;
let stack: AlertingStack;
/** PROMETHEUS_PORT as configured (free), and ALERTMANAGER_PORT held by another process. */
let prometheusPort: number;
let busy: Server;

// The shipped defaults (escalation chat, flap window, mutes, digest), with this test's token and limits.
const config: AlertsConfig = loadAlertsConfig({ ALERTMANAGER_WEBHOOK_TOKEN: TOKEN, ALERT_WEBHOOK_BODY_LIMIT: '1048576', ALERT_REFRESH_INTERVAL: '1s' });

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const botMessages = () => sandbox.messages(DEFAULT_ESCALATION_CHAT_ID).filter((m) => m.from === 'bot');

describe('rendered configs', () => {
  it('point at the product on loopback and keep the shipped rules', () => {
    const prom = parse(renderPrometheusConfig({ target: '127.0.0.1:9999', alertmanager: '127.0.0.1:9998', scrapeInterval: '1s', evaluationInterval: '1s' }));
    expect(prom.scrape_configs[0].job_name).toBe('support-desk');
    expect(prom.scrape_configs[0].static_configs[0].targets).toEqual(['127.0.0.1:9999']);
    expect(prom.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:9998']);
    expect(prom.rule_files[0]).toMatch(/\/prometheus\/rules\/\*\.yml$/);
    // No analytics token: the scrape sends none (the product on loopback serves /metrics openly).
    expect(prom.scrape_configs[0].authorization).toBeUndefined();
    const withToken = parse(renderPrometheusConfig({ target: '0.0.0.0:9999', alertmanager: '127.0.0.1:9998', metricsTokenFile: '/x/metrics-token' }));
    expect(withToken.scrape_configs[0].authorization).toEqual({ type: 'Bearer', credentials_file: '/x/metrics-token' });
    const am = parse(renderAlertmanagerConfig({ webhookUrl: 'http://127.0.0.1:9999/hooks/alertmanager', tokenFile: '/x/token', groupWait: '1s' }));
    expect(am.route.group_wait).toBe('1s');
    expect(am.route.routes.every((r: { group_wait: string }) => r.group_wait === '1s')).toBe(true);
    for (const r of am.receivers)
      expect(r.webhook_configs[0]).toMatchObject({
        url: 'http://127.0.0.1:9999/hooks/alertmanager',
        http_config: { authorization: { credentials_file: '/x/token' } },
      });
    expect(am.inhibit_rules).toHaveLength(3);
  });

  it('finds binaries on PATH and reports missing ones', async () => {
    expect(await findOnPath(['prometheus'])).toBe('prometheus');
    expect(await findOnPath(['no-such-binary-here'])).toBeUndefined();
  });
});

describe('real Prometheus + Alertmanager → webhook → escalation chat', () => {
  beforeAll(async () => {
    db = await openTestStore(tmp.dir);
    sandbox = await startSandboxHarness();
    const registry = new Registry();
    registerSlaCollectors({ db, registry });
    app = Fastify();
    await app.register(metricsPlugin, { registry });
    await app.register(alertmanagerPlugin, {
      desk: { db, api: sandbox.api, config: { supportChatId: DEFAULT_SUPPORT_CHAT_ID }, agentText: alertsText() },
      config,
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const port = Number(new URL(address).port);
    prometheusPort = await freePort();
    busy = createServer();
    await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok));
    stack = await startAlertingStack({
      port,
      prometheusPort,
      alertmanagerPort: (busy.address() as { port: number }).port,
      webhookToken: TOKEN,
      dataDir: join(tmp.dir, 'alerting'),
      scrapeInterval: '1s',
      evaluationInterval: '1s',
      groupWait: '1s',
      groupInterval: '2s',
    });
  });
  afterAll(async () => {
    if (stack?.enabled) await stack.stop();
    busy?.close();
    await app?.close();
    await sandbox?.close();
    await db?.close();
    tmp.cleanup();
  });

  it('starts both processes with the rendered configs', () => {
    expect(stack).toMatchObject({ enabled: true });
    if (!stack.enabled) return;
    const rendered = readFileSync(join(stack.configDir, 'webhook-token'), 'utf8');
    expect(rendered).toBe(TOKEN);
  });

  it('listens on the configured port, and on another one only when it is busy', () => {
    if (!stack.enabled) throw new Error(stack.reason);
    expect(stack.prometheusUrl).toBe(`http://127.0.0.1:${prometheusPort}`);
    const busyPort = (busy.address() as { port: number }).port;
    expect(stack.alertmanagerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.alertmanagerUrl).not.toBe(`http://127.0.0.1:${busyPort}`);
  });

  it('a breached VIP ticket is posted, an answer resolves it, a silenced queue stays quiet', async () => {
    if (!stack.enabled) throw new Error(stack.reason);
    // Silence L2 in Alertmanager before anything breaches there.
    const silence = await fetch(`${stack.alertmanagerUrl}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'queue', value: 'L2', isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        createdBy: 'test',
        comment: 'maintenance',
      }),
    });
    expect(silence.status).toBe(200);
    const now = Date.now();
    await seedTicket(db, { queue: 'L2', createdAt: new Date(now - 40 * 60_000), firstResponseDueAt: new Date(now - 10 * 60_000) });
    const vip = await seedTicket(db, {
      queue: 'VIP',
      createdAt: new Date(now - 6 * 60_000),
      firstResponseDueAt: new Date(now - 60_000),
      firstName: 'Vera',
      threadId: 301,
    });

    const posted = await until('the breach message', () =>
      botMessages().find((m) => m.text?.includes('First-response SLA breached') && m.text.includes(`#${vip}`)),
    );
    expect(posted.text).toContain('queue VIP');
    expect(posted.buttons?.flat()).toContain(`Take #${vip}`);

    // The agent answers: the gauge drops to 0, Prometheus resolves, the message is edited and a follow-up posted.
    await db.query('UPDATE tickets SET first_response_at = now(), status = $2 WHERE id = $1', [vip, 'waiting_customer']);
    const followup = await until('the resolved follow-up', () =>
      botMessages().find((m) => m.text?.startsWith('✅ Resolved: First-response SLA breached in VIP')),
    );
    expect(followup.reply_to).toBe(posted.message_id);
    const edited = botMessages().find((m) => m.message_id === posted.message_id)!;
    expect(edited.text).toMatch(/^✅ Resolved · First-response SLA breached · queue VIP/);

    // L2 was breached the whole time but silenced: nothing about it reached the chat.
    const alerts = (await (await fetch(`${stack.alertmanagerUrl}/api/v2/alerts?filter=queue%3D%22L2%22`)).json()) as { status: { state: string } }[];
    expect(alerts.some((a) => a.status.state === 'suppressed')).toBe(true);
    expect(botMessages().some((m) => m.text?.includes('queue L2'))).toBe(false);
  });
});
