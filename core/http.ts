/**
 * The HTTP server every process runs on PORT: `/healthz` and `/metrics` for
 * itself; the parts register their plugins (dashboard, webhooks) on top.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { rootLogger } from './log.js';
import { metricsPlugin } from './metrics-plugin.js';

export interface HttpServerOptions {
  /** Bodies above this are refused with 413 (webhooks stay small). */
  bodyLimit?: number;
  /** Extra health checks: each returns an error message or undefined. */
  healthChecks?: Record<string, () => Promise<string | undefined>>;
}

// Request logs are below 'warn': scrapes and dashboard polling would drown the log.
export async function createHttpServer(opts: HttpServerOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({ loggerInstance: rootLogger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger, bodyLimit: opts.bodyLimit ?? 1_048_576 });
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
