/**
 * The analytics HTTP server: the shared process server (core/http.ts: /metrics,
 * /healthz) with the analytics plugin on top. `dashboard/main.ts` runs it
 * standalone; `scripts/start.ts` registers `analyticsPlugin` on its own server.
 */
import type { FastifyInstance } from 'fastify';
import { queryRows, type ClickHouse } from '../core/clickhouse.js';
import { ConfigError } from '../core/env.js';
import { createHttpServer, isLoopback } from '../core/http.js';
import { analyticsPlugin, type AnalyticsPluginOptions } from './api/plugin.js';

/** Kept here for the importers that decide about the API's exposure (scripts/start-mode.ts). */
export { isLoopback };

export interface DashboardServerOptions extends Omit<AnalyticsPluginOptions, 'ch'> {
  ch: ClickHouse;
  /** The interface the server will listen on: decides whether a token is mandatory. */
  host?: string;
}

/** Refuses an unauthenticated API on a non-loopback interface (a configuration error: one line, naming the variable). */
export function assertSafeListen(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token)
    throw new ConfigError(
      'ANALYTICS_TOKEN',
      `must be set when HOST (${host}) is not a loopback address: the analytics API would be open to the network. Set ANALYTICS_TOKEN (clients send "Authorization: Bearer <token>"), or listen on HOST=127.0.0.1`,
    );
}

export async function buildDashboardServer(o: DashboardServerOptions): Promise<FastifyInstance> {
  assertSafeListen(o.host ?? '127.0.0.1', o.token);
  const { host: _host, ...pluginOpts } = o;
  const app = await createHttpServer({
    // Beyond loopback /metrics, /healthz and /api/docs need the token too.
    host: o.host ?? '127.0.0.1',
    token: o.token,
    healthChecks: {
      clickhouse: async () => {
        try {
          await queryRows(o.ch, 'SELECT 1');
          return undefined;
        } catch (e) {
          return `ClickHouse unreachable: ${(e as Error).message}`;
        }
      },
    },
  });
  await app.register(analyticsPlugin, pluginOpts);
  return app;
}
