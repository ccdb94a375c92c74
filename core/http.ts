/**
 * The HTTP server every process runs on PORT: `/healthz` and `/metrics` for
 * itself; the parts register their plugins (dashboard, webhooks) on top.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { defineConfig, env } from './env.js';
import { rootLogger } from './log.js';
import { metricsPlugin } from './metrics-plugin.js';

/** Every process serves HTTP on one interface and port (in compose each container has its own). */
export const loadHttpConfig = defineConfig('http', {
  PORT: env.int({
    default: 3000,
    min: 0,
    max: 65535,
    doc: 'HTTP port of the process: dashboard and API (npm start, npm run dashboard), /metrics, /healthz, Telegram and Alertmanager webhooks (bot), /metrics and /healthz (ingest).',
  }),
  HOST: env.string({
    default: '127.0.0.1',
    form: 'a host name or IP address to listen on (e.g. 127.0.0.1, or 0.0.0.0 for every interface)',
    doc: 'Interface the HTTP server listens on. Beyond loopback the analytics API requires ANALYTICS_TOKEN (compose sets 0.0.0.0).',
  }),
});
export type HttpConfig = ReturnType<typeof loadHttpConfig>;

export interface HttpServerOptions {
  /** Bodies above this are refused with 413 (webhooks stay small). */
  bodyLimit?: number;
  /** Extra health checks: each returns an error message or undefined. */
  healthChecks?: Record<string, () => Promise<string | undefined>>;
}

// Request logs are below 'warn': scrapes and dashboard polling would drown the log.
export async function createHttpServer(opts: HttpServerOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: rootLogger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit ?? 1_048_576,
  });
  await app.register(metricsPlugin);
  app.get('/healthz', { logLevel: 'warn' }, async (_req, reply) => {
    const failures: Record<string, string> = {};
    for (const [name, check] of Object.entries(opts.healthChecks ?? {})) {
      const err = await check().catch((e: unknown) => String(e));
      if (err) failures[name] = err;
    }
    const ok = Object.keys(failures).length === 0;
    return reply.code(ok ? 200 : 503).send({ ok, ...(ok ? {} : { failures }) });
  });
  return app;
}
