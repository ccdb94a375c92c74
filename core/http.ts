/**
 * The HTTP server every process runs on PORT: `/healthz` and `/metrics` for
 * itself; the parts register their plugins (dashboard, webhooks) on top.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
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

// The same declaration as dashboard/config.ts (the registry accepts a variable twice only when identical):
// every process needs it beyond loopback, for /metrics, /healthz and /api/docs.
const loadOpsAuthConfig = defineConfig('dashboard', {
  ANALYTICS_TOKEN: env.optionalString({
    doc: 'Bearer token for /api/v1/*. Required when HOST is not a loopback address; the web app asks for it.',
    secret: true,
  }),
});

export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** The operational routes: what a process tells about itself (metrics, health, the API's schema). */
export function isOpsRoute(routeUrl: string | undefined): boolean {
  return routeUrl === '/metrics' || routeUrl === '/healthz' || routeUrl === '/api/docs' || routeUrl?.startsWith('/api/docs/') === true;
}

/** `scheme://user:password@host` → `scheme://***@host`, anywhere in `text`. */
export function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `Authorization: Bearer <token>`, compared in constant time. */
export function hasBearer(req: FastifyRequest, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return !!m && timingSafeEqual(digest(m[1]!), digest(token));
}
export type HttpConfig = ReturnType<typeof loadHttpConfig>;

export interface HttpServerOptions {
  /** Bodies above this are refused with 413 (webhooks stay small). */
  bodyLimit?: number;
  /** Extra health checks: each returns an error message or undefined. */
  healthChecks?: Record<string, () => Promise<string | undefined>>;
  /**
   * The interface the server listens on (default: HOST) and the bearer token (default: ANALYTICS_TOKEN).
   * Beyond loopback, /metrics, /healthz and /api/docs need `Authorization: Bearer <token>` — and answer
   * 401 to everyone while no token is set — so the network learns nothing about the desk without it.
   */
  host?: string;
  token?: string | undefined;
}

// Request logs are below 'warn': scrapes and dashboard polling would drown the log.
export async function createHttpServer(opts: HttpServerOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: rootLogger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit ?? 1_048_576,
  });
  const host = opts.host ?? loadHttpConfig().HOST;
  const token = 'token' in opts ? opts.token : loadOpsAuthConfig().ANALYTICS_TOKEN;
  if (!isLoopback(host)) {
    // A root hook: it also covers the routes plugins register later (the analytics plugin's /api/docs).
    // Matched on the route, not the raw URL, so /metrics/ or /%6Detrics cannot slip past.
    app.addHook('onRequest', async (req, reply) => {
      if (!isOpsRoute(req.routeOptions.url)) return;
      if (token && hasBearer(req, token)) return;
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({
          error: token
            ? 'missing or invalid bearer token (Authorization: Bearer $ANALYTICS_TOKEN)'
            : 'set ANALYTICS_TOKEN: this endpoint needs it beyond loopback',
        });
    });
  }
  await app.register(metricsPlugin);
  // What failed, by name only: raw driver errors name hosts, users and sometimes URLs with passwords.
  // The reason goes to the log (credentials in URLs masked), once per change rather than on every poll.
  const lastLogged = new Map<string, string>();
  app.get('/healthz', { logLevel: 'warn' }, async (_req, reply) => {
    const failures: Record<string, string> = {};
    for (const [name, check] of Object.entries(opts.healthChecks ?? {})) {
      const err = await check().catch((e: unknown) => (e instanceof Error ? e.message : String(e)) || 'failed');
      if (err) {
        failures[name] = `${name} unreachable`;
        const reason = maskUrlCredentials(err);
        if (lastLogged.get(name) !== reason) app.log.warn({ check: name, reason }, 'health check failed');
        lastLogged.set(name, reason);
      } else if (lastLogged.delete(name)) app.log.warn({ check: name }, 'health check recovered');
    }
    const ok = Object.keys(failures).length === 0;
    return reply.code(ok ? 200 : 503).send({ ok, ...(ok ? {} : { failures }) });
  });
  return app;
}
