/**
 * The desk as a process runs it — the one wiring both entry points call
 * (bot/main.ts, scripts/start.ts): the desk (createDesk) with the alerts'
 * composer, the SLA gauges on /metrics, the HTTP routes (Alertmanager's hook;
 * Telegram's webhook when WEBHOOK_URL is set) as one fastify plugin, and the
 * daily digest. The entry points open the stores, the bus and the HTTP server
 * and decide when to start; everything the desk adds to them is here.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Bus } from '../core/bus/types.js';
import type { ClickHouse } from '../core/clickhouse.js';
import type { HealthCheck } from '../core/http.js';
import { logger, type Logger } from '../core/log.js';
import type { Db } from '../core/postgres.js';
import { alertmanagerPlugin, alertsComposer, registerSlaCollectors, startDailyDigest, type DigestScheduler } from './alerts/index.js';
import { createDesk, type DeskApp } from './app.js';
import type { BotConfig } from './config.js';
import { webhookPlugin } from './http/webhook.js';
import { featureRuntime } from './features/index.js';
import { loadMiniAppConfig } from './miniapp/config.js';
import { miniAppPlugin } from './miniapp/plugin.js';
import { loadUpdatesLagConfig, updatesLagHealth } from './telegram/updates-lag.js';

export interface DeskServiceOptions {
  db: Db;
  bus: Bus;
  /** The analytics (CSAT gauge, daily digest). */
  ch: ClickHouse;
  config: BotConfig;
  /** Partitions of the events topic if the outbox relay creates it (KAFKA_PARTITIONS). */
  eventsPartitions?: number;
  /** Bearer token of POST /hooks/alertmanager; ALERTMANAGER_WEBHOOK_TOKEN when not given. */
  alertmanagerToken?: string;
  log?: Logger;
}

export interface DeskService extends DeskApp {
  /** The desk's HTTP routes, for the process's server: `await http.register(desk.routes)`. */
  routes: FastifyPluginAsync;
  /** The desk's /healthz checks: `updates`, degraded while it is behind Telegram's updates (UPDATES_LAG_DEGRADED). */
  health: Record<string, HealthCheck>;
  /** Starts the daily digest (once). npm start waits until the demo's history is in, so yesterday is complete. */
  startDigest(): void;
  /** Stops the digest, then the desk (polling, relays, outbox). */
  stop(): Promise<void>;
}

export async function createDeskService(o: DeskServiceOptions): Promise<DeskService> {
  const { db, ch, config } = o;
  const desk = await createDesk({ db, bus: o.bus, config, composers: [alertsComposer], eventsPartitions: o.eventsPartitions, log: o.log ?? logger('bot') });
  registerSlaCollectors({ db, ch, firstResponseTargets: new Map([...config.sla].map(([queue, t]) => [queue, t.firstResponseSeconds])) });
  let digest: DigestScheduler | undefined;
  return {
    ...desk,
    health: { updates: updatesLagHealth(desk.updatesLag, loadUpdatesLagConfig().UPDATES_LAG_DEGRADED) },
    routes: async (app) => {
      await app.register(alertmanagerPlugin, { desk: desk.services, ...(o.alertmanagerToken !== undefined ? { token: o.alertmanagerToken } : {}) });
      if (config.webhookUrl) await app.register(webhookPlugin, { bot: desk.bot, url: config.webhookUrl, secret: config.webhookSecret! });
      // The customer Mini App: GET /app/ and /app/api (bot/miniapp/).
      const miniapp = loadMiniAppConfig();
      await app.register(miniAppPlugin, {
        desk: desk.services,
        runtime: featureRuntime,
        maxAgeSeconds: miniapp.WEBAPP_AUTH_MAX_AGE,
        ratePerMinute: miniapp.WEBAPP_RATE_LIMIT,
        botUsername: () => (desk.bot.isInited() ? desk.bot.botInfo.username : undefined),
      });
    },
    startDigest() {
      digest ??= startDailyDigest(desk.services, ch);
    },
    async stop() {
      digest?.stop();
      await desk.stop();
    },
  };
}
