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

/**
 * A check's state on /healthz: `ok`; `degraded` — something is out of reach and retried, but the process
 * serves; `down` — the process cannot serve (its database does not answer).
 */
export type HealthState = 'ok' | 'degraded' | 'down';
/**
 * What a check found. `reason` is shown on /healthz, so it is a short fixed phrase, never raw error
 * text (driver errors name hosts, users, URLs with passwords); `detail` goes to the log only.
 */
export interface HealthResult {
  state: HealthState;
  reason?: string;
  detail?: string;
}
/**
 * undefined: ok. A string: down — the string is the detail for the log, the body says "<name> unreachable".
 * A HealthResult for a degraded state or a reason of the check's own. A check that throws is down; one
 * that has not answered within HEALTH_CHECK_TIMEOUT_MS is down ("no answer").
 */
export type HealthCheck = () => Promise<string | undefined | HealthResult>;
export const HEALTH_CHECK_TIMEOUT_MS = 3000;
/** The reason /healthz gives for the start-up self-check's degraded state (bot/self-check.ts). */
export const SELF_CHECK_DEGRADED = 'a start-up check is out of reach; retried with back-off (npm run doctor says which)';

/** A check that is degraded (not down) while `problem` returns something: the process serves meanwhile. */
export function degradedWhile(problem: () => string | undefined, reason: string): HealthCheck {
  return async () => {
    const detail = problem();
    return detail ? { state: 'degraded', reason, detail } : undefined;
  };
}

async function runCheck(name: string, check: HealthCheck, timeoutMs: number): Promise<HealthResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthResult>((resolve) => {
    timer = setTimeout(() => resolve({ state: 'down', reason: `${name}: no answer within ${timeoutMs / 1000} s`, detail: 'timed out' }), timeoutMs);
  });
  try {
    const r = await Promise.race([
      Promise.resolve()
        .then(check)
        .then(
          (v): HealthResult => (v === undefined ? { state: 'ok' } : typeof v === 'string' ? { state: 'down', detail: v || 'failed' } : v),
          (e: unknown): HealthResult => ({ state: 'down', detail: (e instanceof Error ? e.message : String(e)) || 'failed' }),
        ),
      timeout,
    ]);
    if (r.state === 'ok') return { state: 'ok' };
    return { ...r, reason: r.reason ?? (r.state === 'down' ? `${name} unreachable` : `${name} degraded`) };
  } finally {
    clearTimeout(timer);
  }
}

export interface HttpServerOptions {
  /** Bodies above this are refused with 413 (webhooks stay small). */
  bodyLimit?: number;
  /** Health checks by name (see HealthCheck); /healthz lists each with its state. */
  healthChecks?: Record<string, HealthCheck>;
  /**
   * The interface the server listens on (default: HOST) and the bearer token (default: ANALYTICS_TOKEN).
   * Beyond loopback, /metrics, /healthz and /api/docs need `Authorization: Bearer <token>` — and answer
   * 401 to everyone while no token is set — so the network learns nothing about the desk without it.
   */
  host?: string;
  token?: string | undefined;
  /** A health check that has not answered by then is down (default HEALTH_CHECK_TIMEOUT_MS). */
  healthTimeoutMs?: number;
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
  // Every check with its state and a short reason; the raw reason goes to the log (credentials in URLs
  // masked), once per change rather than on every poll. 200 while the process serves (every check ok or
  // only degraded: something out of reach is retried meanwhile); 503 when a check is down.
  const lastLogged = new Map<string, string>();
  const timeoutMs = opts.healthTimeoutMs ?? HEALTH_CHECK_TIMEOUT_MS;
  app.get('/healthz', { logLevel: 'warn' }, async (_req, reply) => {
    const entries = Object.entries(opts.healthChecks ?? {});
    const results = await Promise.all(entries.map(([name, check]) => runCheck(name, check, timeoutMs)));
    const checks: Record<string, { state: HealthState; reason?: string }> = {};
    entries.forEach(([name], i) => {
      const r = results[i]!;
      checks[name] = r.reason ? { state: r.state, reason: r.reason } : { state: r.state };
      if (r.state !== 'ok') {
        const reason = maskUrlCredentials(r.detail ?? r.reason ?? '');
        if (lastLogged.get(name) !== `${r.state}: ${reason}`) app.log.warn({ check: name, state: r.state, reason }, 'health check failed');
        lastLogged.set(name, `${r.state}: ${reason}`);
      } else if (lastLogged.delete(name)) app.log.warn({ check: name }, 'health check recovered');
    });
    const states = results.map((r) => r.state);
    const status: HealthState = states.includes('down') ? 'down' : states.includes('degraded') ? 'degraded' : 'ok';
    return reply.code(status === 'down' ? 503 : 200).send({ ok: status !== 'down', status, checks });
  });
  return app;
}
