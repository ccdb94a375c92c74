/**
 * The analytics HTTP server: the API plugin plus /metrics on one fastify
 * instance. `dashboard/main.ts` runs it standalone; `scripts/start.ts` can
 * reuse it (or register `analyticsPlugin` on its own instance).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ClickHouse } from '../core/clickhouse.js';
import { registry } from '../core/metrics.js';
import { analyticsPlugin, type AnalyticsPluginOptions } from './api/plugin.js';

export interface DashboardServerOptions extends Omit<AnalyticsPluginOptions, 'ch'> {
  ch: ClickHouse;
  /** The interface the server will listen on: decides whether a token is mandatory. */
  host?: string;
  logger?: FastifyServerOptions['logger'];
}

export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Refuses an unauthenticated API on a non-loopback interface. */
export function assertSafeListen(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token)
    throw new Error(
      `refusing to serve the analytics API on ${host} without a token: set ANALYTICS_TOKEN (clients send "Authorization: Bearer <token>"), or listen on 127.0.0.1`,
    );
}

const METRICS_PLUGIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'core', 'metrics-plugin.ts');

/** /metrics: the monitoring part's shared plugin when present, else the registry in a tiny route. */
async function registerMetrics(app: FastifyInstance): Promise<void> {
  if (existsSync(METRICS_PLUGIN)) {
    const specifier = '../core/metrics-plugin.js'; // a variable: the module may not exist at type-check time
    const mod = (await import(specifier)) as { default?: unknown; metricsPlugin?: unknown };
    const plugin = mod.metricsPlugin ?? mod.default;
    if (typeof plugin === 'function') {
      await app.register(plugin as Parameters<FastifyInstance['register']>[0]);
      return;
    }
  }
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}

export async function buildDashboardServer(o: DashboardServerOptions): Promise<FastifyInstance> {
  assertSafeListen(o.host ?? '127.0.0.1', o.token);
  const app = Fastify({ logger: o.logger ?? false });
  const { host: _host, logger: _logger, ...pluginOpts } = o;
  await app.register(analyticsPlugin, pluginOpts);
  await registerMetrics(app);
  return app;
}
