/**
 * `npm run bot`: the desk as its own service — opens the bot state (PostgreSQL
 * or PGlite), runs its migrations, connects the bus, and serves Telegram by
 * long polling or, with WEBHOOK_URL, by webhook on PORT (with /healthz and
 * /metrics, and the Alertmanager hook of bot/alerts). The desk itself is
 * wired by createDeskService (bot/service.ts), as under npm start.
 */
import { createBus, loadBusConfig } from '../core/bus/index.js';
import { parseCli, runMain } from '../core/cli.js';
import { createClickHouse, loadClickHouseConfig } from '../core/clickhouse.js';
import { createHttpServer, loadHttpConfig } from '../core/http.js';
import { logger } from '../core/log.js';
import { loadPostgresConfig, openDatabase } from '../core/postgres.js';
import { loadAlertsConfig } from './alerts/index.js';
import { loadBotServiceConfig } from './config.js';
import { busProbe, loadSelfCheckConfig, monitoringProbes, selfCheckApi, startupSelfCheck, storeProbes } from './self-check.js';
import { createDeskService } from './service.js';

runMain(async () => {
  parseCli({
    usage: 'npm run bot',
    description: 'Runs the Telegram support desk bot (customers ↔ per-customer forum topics), its outbox relay and HTTP endpoints.',
  });
  const log = logger('bot');
  // Never the sandbox by itself: BOT_TOKEN, or a Bot API named by TELEGRAM_API_ROOT.
  const config = loadBotServiceConfig();
  const httpConfig = loadHttpConfig();
  const busConfig = loadBusConfig();
  const pgConfig = loadPostgresConfig();
  const chConfig = loadClickHouseConfig();
  const db = await openDatabase(pgConfig);
  const bus = createBus(busConfig);
  // ClickHouse for the CSAT gauge and the daily digest (the analytics' numbers).
  const ch = await createClickHouse(chConfig);
  // The world the configuration names (bot/self-check.ts): a wrong one exits here, one out of reach runs degraded.
  const selfCheck = await startupSelfCheck({
    api: selfCheckApi(config.token, config.apiRoot),
    apiRoot: config.apiRoot,
    supportChatId: config.supportChatId,
    escalationChatId: loadAlertsConfig().ESCALATION_CHAT_ID,
    stores: [
      ...storeProbes({ db, ch, databaseUrl: pgConfig.DATABASE_URL, clickhouseUrl: chConfig.CLICKHOUSE_URL }),
      busProbe(busConfig),
      ...monitoringProbes(loadSelfCheckConfig()),
    ],
    log,
  });
  const desk = await createDeskService({ db, bus, ch, config, eventsPartitions: busConfig.KAFKA_PARTITIONS, log });

  const http = await createHttpServer({
    healthChecks: {
      database: async () =>
        await db.query('SELECT 1').then(
          () => undefined,
          (e: unknown) => String(e),
        ),
      // Out of reach and retried (Telegram, a store): degraded, the desk serves meanwhile (200).
      'self-check': selfCheck.health,
      // Behind Telegram's updates (desk_updates_lag_seconds over UPDATES_LAG_DEGRADED): degraded.
      ...desk.health,
    },
  });
  await http.register(desk.routes);
  await http.listen({ port: httpConfig.PORT, host: httpConfig.HOST });
  await desk.start();
  desk.startDigest();
  log.info({ port: httpConfig.PORT, mode: config.webhookUrl ? 'webhook' : 'polling', sandbox: config.sandbox }, 'support desk bot running');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    selfCheck.stop();
    await http.close();
    await desk.stop();
    await bus.close();
    await db.close();
    await ch.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
});
