/**
 * `npm start`: the whole product in one process, on the embedded default.
 *
 * ClickHouse is chDB, the bot state PGlite, the bus an embedded durable log —
 * unless CLICKHOUSE_URL / DATABASE_URL / KAFKA_BROKERS point elsewhere; the
 * code paths are the ones the separate services run. In the demo — DEMO=1, or
 * no configuration at all (start-mode.ts decides; never an empty BOT_TOKEN) —
 * the Telegram sandbox stands in for Telegram and the simulator plays customers
 * and agents, so the dashboard shows living data from the first minute. With
 * Prometheus and Alertmanager on PATH, SLA alerts flow end to end.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createBus, loadBusConfig } from '../core/bus/index.js';
import { parseCli, runMain } from '../core/cli.js';
import { createClickHouse, loadClickHouseConfig } from '../core/clickhouse.js';
import { createHttpServer, loadHttpConfig } from '../core/http.js';
import { logger, prettyLogs } from '../core/log.js';
import { migrate } from '../core/migrate.js';
import { initPglite, loadPostgresConfig, openDatabase } from '../core/postgres.js';
import { loadAlertsConfig } from '../bot/alerts/index.js';
import { loadBotConfig } from '../bot/config.js';
import { busProbe, loadSelfCheckConfig, monitoringProbes, selfCheckApi, startupSelfCheck, storeProbes } from '../bot/self-check.js';
import { createDeskService } from '../bot/service.js';
import { demoEffect, startDemoTraffic } from '../simulator/index.js';
import { loadExperimentsDir } from '../analytics/experiments/definition.js';
import { analyticsPlugin } from '../dashboard/api/plugin.js';
import { assertSafeListen } from '../dashboard/server.js';
import { loadDashboardConfig } from '../dashboard/config.js';
import { startIngest } from '../ingest/service.js';
import { startSandbox } from '../sandbox/index.js';
import { loadSandboxConfig } from '../sandbox/config.js';
import { startAlertingStack } from './alerting-stack.js';
import { bannerFields, bannerLines, modeOf, type BannerFacts } from './banner.js';
import { loadStartConfig } from './start-config.js';
import { rememberTelegramRun, startMode } from './start-mode.js';

async function main(): Promise<void> {
  parseCli({
    usage: 'npm start',
    description:
      'Runs the whole support desk in one process: Telegram bot (or the demo — the local sandbox and a simulator — with DEMO=1 or no configuration at all), ingest into ClickHouse (chDB unless CLICKHOUSE_URL), the analytics dashboard and API, /metrics, and — when on PATH — Prometheus and Alertmanager.',
  });
  const log = logger('start');
  const start = loadStartConfig();
  const mode = startMode();
  const demo = mode.mode === 'demo' ? mode.why : undefined;
  const chConfig = loadClickHouseConfig();
  const botConfig = loadBotConfig();
  const busConfig = loadBusConfig();
  const dashboardConfig = loadDashboardConfig();
  const alertsConfig = loadAlertsConfig();
  const { HOST: host, PORT: port } = loadHttpConfig();
  assertSafeListen(host, dashboardConfig.ANALYTICS_TOKEN);
  mkdirSync(chConfig.DATA_DIR, { recursive: true });
  const pgConfig = loadPostgresConfig();
  // A first run's initdb (npm start's prestart did it already), in a child process and before chDB opens: its peak is neither kept nor added to chDB's.
  if (!pgConfig.DATABASE_URL) await initPglite(pgConfig);

  const stops: Array<[string, () => Promise<unknown>]> = [];
  const shutdown = async (why: string) => {
    log.info({ why }, 'stopping');
    for (const [name, stop] of stops.reverse()) await stop().catch((err: unknown) => log.error({ err, part: name }, 'stop failed'));
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const sandboxConfig = loadSandboxConfig();
  const sandbox = demo
    ? await startSandbox({
        port: sandboxConfig.SANDBOX_PORT,
        host: sandboxConfig.SANDBOX_HOST,
        floodLimits: sandboxConfig.SANDBOX_FLOOD_LIMITS,
        dataDir: chConfig.DATA_DIR,
      })
    : undefined;
  if (sandbox) {
    stops.push(['sandbox', () => sandbox.close()]);
    log.info({ url: sandbox.url, why: demo }, 'demo: Telegram sandbox running (control API documented in sandbox/README.md)');
  }

  // The sandbox enforces Telegram's flood limits only with SANDBOX_FLOOD_LIMITS=1; without them,
  // throttling to 20 messages/min per group would just slow the demo's history replay to a crawl.
  if (sandbox && !sandboxConfig.SANDBOX_FLOOD_LIMITS) botConfig.throttle.enabled = false;
  // The demo's Mini App is this server's /app/ (the sandbox opens http:// on a loopback host; Telegram needs WEBAPP_URL over https).
  if (sandbox && !botConfig.webAppUrl)
    botConfig.webAppUrl = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port}/app/`;

  const ch = await createClickHouse(chConfig);
  stops.push(['clickhouse', () => ch.close()]);
  await migrate(ch, { cluster: chConfig.CLICKHOUSE_CLUSTER, eventsTtlDays: chConfig.EVENTS_TTL_DAYS, log: (m) => log.info(m) });

  const db = await openDatabase(pgConfig);
  stops.push(['database', () => db.close()]);
  const bus = createBus(busConfig);
  stops.push(['bus', () => bus.close()]);

  // The world the configuration names (bot/self-check.ts; the demo's sandbox passes every check): a wrong one
  // exits here with one line per problem, one out of reach runs degraded and is retried.
  const selfCheck = await startupSelfCheck({
    api: selfCheckApi(botConfig.token, botConfig.apiRoot),
    apiRoot: botConfig.apiRoot,
    supportChatId: botConfig.supportChatId,
    escalationChatId: alertsConfig.ESCALATION_CHAT_ID,
    stores: [
      ...storeProbes({ db, ch, databaseUrl: pgConfig.DATABASE_URL, clickhouseUrl: chConfig.CLICKHOUSE_URL }),
      busProbe(busConfig),
      // An external Prometheus / Alertmanager when named; the ones npm start runs itself are checked as it starts them.
      ...monitoringProbes(loadSelfCheckConfig()),
    ],
    log,
  });
  stops.push(['self-check', async () => selfCheck.stop()]);

  const ingest = await startIngest({ bus, ch });
  stops.push(['ingest', () => ingest.stop()]);

  // Embedded alerting needs a webhook token; generate one when none is configured.
  const webhookToken = alertsConfig.ALERTMANAGER_WEBHOOK_TOKEN ?? randomBytes(24).toString('base64url');
  const desk = await createDeskService({
    db,
    bus,
    ch,
    config: botConfig,
    eventsPartitions: busConfig.KAFKA_PARTITIONS,
    alertmanagerToken: webhookToken,
    log: logger('bot'),
  });
  const http = await createHttpServer({
    bodyLimit: alertsConfig.ALERT_WEBHOOK_BODY_LIMIT,
    healthChecks: {
      database: async () => db.query('SELECT 1').then(() => undefined),
      // Out of reach and retried (Telegram, a store): degraded, the desk serves meanwhile (200).
      'self-check': selfCheck.health,
      // Behind Telegram's updates (desk_updates_lag_seconds over UPDATES_LAG_DEGRADED): degraded.
      ...desk.health,
    },
  });
  await http.register(analyticsPlugin, {
    ch,
    token: dashboardConfig.ANALYTICS_TOKEN,
    liveWindowSeconds: dashboardConfig.DASHBOARD_LIVE_WINDOW,
    categories: dashboardConfig.categories,
    defaultQueue: dashboardConfig.DEFAULT_QUEUE,
  });
  await http.register(desk.routes);
  await http.listen({ port, host });
  stops.push(['http', () => http.close()]);

  await desk.start();
  stops.push(['bot', () => desk.stop()]);
  rememberTelegramRun(mode);
  const startDigest = () => desk.startDigest();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const startAlerting = async (): Promise<BannerFacts['alerting']> => {
    const alerting = await startAlertingStack({
      port,
      host,
      webhookToken,
      // Beyond loopback /metrics needs the analytics token: Prometheus scrapes with it when it is set.
      metricsToken: dashboardConfig.ANALYTICS_TOKEN,
      dataDir: join(chConfig.DATA_DIR, 'alerting'),
      prometheusPort: start.PROMETHEUS_PORT,
      alertmanagerPort: start.ALERTMANAGER_PORT,
      log: logger('alerting'),
    });
    if (!alerting.enabled) {
      log.warn({ reason: alerting.reason }, 'SLA alerts are off');
      return { off: alerting.reason };
    }
    stops.push(['alerting', () => alerting.stop()]);
    return { prometheusUrl: alerting.prometheusUrl, alertmanagerUrl: alerting.alertmanagerUrl };
  };

  let alertingFacts: BannerFacts['alerting'] = { off: 'ALERTING=0' };
  if (sandbox && start.SIMULATE) {
    // The digest waits for the replayed history: started before, it would report an empty yesterday.
    const sim = startDemoTraffic({
      sandboxUrl: sandbox.url,
      historyDays: start.SIMULATE_HISTORY_DAYS,
      dataDir: chConfig.DATA_DIR,
      // The running demo experiment's surface (experiments/receipt-style.yaml: the receipt), whichever it is.
      experimentEffect: demoEffect((await loadExperimentsDir(botConfig.experimentsDir)).experiments, start.SIMULATE_EXPERIMENT_EFFECT / 100),
      log,
      startDigest,
    });
    stops.push(['simulator', () => sim.stop()]);
    if (start.ALERTING && sim.history) {
      // So do the SLA alerts: a replayed ticket is open past its (last week's) deadline until its replayed answer
      // a moment later, so alerts during the replay would page the escalation chat about history, on and off.
      alertingFacts = { pending: 'start once the demo history is replayed' };
      void sim.replayed
        .then((end) => (end === 'stopped' ? undefined : startAlerting()))
        .catch((err: unknown) => log.error({ err }, 'could not start the alerting stack'));
    }
  } else startDigest();
  if (start.ALERTING && !('pending' in alertingFacts)) alertingFacts = await startAlerting();

  const facts: BannerFacts = {
    dashboardUrl: url,
    sandboxUrl: sandbox?.url,
    simulator: Boolean(sandbox && start.SIMULATE),
    telegram: botConfig.webhookUrl ? 'webhook' : 'long polling',
    botUsername: desk.bot.botInfo.username,
    alerting: alertingFacts,
    storage: {
      clickhouse: chConfig.CLICKHOUSE_URL ? 'server' : `chDB in ${join(chConfig.DATA_DIR, 'clickhouse')}`,
      postgres: loadPostgresConfig().DATABASE_URL ? 'PostgreSQL' : `PGlite in ${join(chConfig.DATA_DIR, 'pglite')}`,
      bus: busConfig.KAFKA_BROKERS?.length ? 'Kafka' : `embedded log in ${join(chConfig.DATA_DIR, 'bus')}`,
    },
  };
  if (prettyLogs) console.log(`\n${bannerLines(facts).join('\n')}\n`);
  else log.info(bannerFields(facts), `support desk running (${modeOf(facts)}) — dashboard ${url}`);
}

runMain(main);
