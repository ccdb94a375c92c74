/**
 * The Mini App API as one encapsulated fastify plugin (the host mounts it under /app/api): TypeBox-typed
 * routes, its own OpenAPI document (/app/api/docs), the one authorisation (bot/miniapp/auth.ts) before every
 * route, a per-customer rate limit, a body limit, and refusals as `{error: <reason>}` with a 4xx status —
 * bad input is never a 5xx.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Desk } from '../../context.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import { DeskError } from '../../tickets/errors.js';
import { authenticate, callerOf } from '../auth.js';
import { consentRoutes } from './consent.js';
import { AppError, type AppApiContext } from './context.js';
import { kbRoutes } from './kb.js';
import { reportFakeRoutes } from './report-fake.js';
import { settingsRoutes } from './settings.js';
import { ticketRoutes } from './tickets.js';

export interface MiniAppApiOptions {
  desk: Desk;
  runtime: FeatureRuntime;
  /** WEBAPP_AUTH_MAX_AGE, seconds (0: no limit). */
  maxAgeSeconds: number;
  /** WEBAPP_RATE_LIMIT: requests per customer per minute. */
  ratePerMinute: number;
  /** The bot's username once it is known (getMe), for the app's links to the chat. */
  botUsername?: () => string | undefined;
  now?: () => Date;
}

/** JSON bodies are small: a message is at most 4000 characters. */
export const APP_BODY_LIMIT = 32 * 1024;

/** A fixed one-minute window per customer, in memory (one desk process serves the app). */
export class RateLimiter {
  private readonly windows = new Map<number, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait, or 0 when the request may go ahead. */
  take(customerId: number): number {
    const t = this.now();
    const w = this.windows.get(customerId);
    if (!w || t - w.start >= 60_000) {
      if (this.windows.size > 100_000) this.sweep(t);
      this.windows.set(customerId, { start: t, count: 1 });
      return 0;
    }
    if (w.count >= this.perMinute) return Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000));
    w.count++;
    return 0;
  }

  private sweep(t: number): void {
    for (const [id, w] of this.windows) if (t - w.start >= 60_000) this.windows.delete(id);
  }
}

const DESK_REFUSALS: Partial<Record<DeskError['code'], [404 | 409, string]>> = {
  'ticket-not-found': [404, 'no such request'],
  'ticket-resolved': [409, 'the request is closed'],
  'ticket-already-resolved': [409, 'the request is closed already'],
  'ticket-not-resolved': [409, 'the request is open'],
  'customer-has-open-ticket': [409, 'another request is open'],
  'unknown-category': [409, 'unknown category'],
  'category-already-set': [409, 'the request has its category already'],
};

export const miniAppApi: FastifyPluginAsync<MiniAppApiOptions> = async (app, o) => {
  const now = o.now ?? (() => new Date());
  const c: AppApiContext = { desk: o.desk, runtime: o.runtime, now };
  const limiter = new RateLimiter(o.ratePerMinute);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Support desk Mini App API',
        version: '1',
        description:
          "The customer's own API, behind Telegram's signed launch data: send `Authorization: tma <Telegram.WebApp.initData>`. Every answer is about the signed-in customer only.",
      },
      components: { securitySchemes: { tma: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'tma <initData>' } } },
      security: [{ tma: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(async (api: FastifyInstance) => {
    api.addHook('onRoute', (route) => {
      route.bodyLimit ??= APP_BODY_LIMIT;
    });
    api.decorateRequest('appCaller', null);
    api.addHook('preHandler', authenticate({ desk: o.desk, botToken: o.desk.config.token, maxAgeSeconds: o.maxAgeSeconds, now }));
    api.addHook('preHandler', async (req, reply) => {
      const wait = limiter.take(callerOf(req).customer.id);
      if (wait > 0)
        return reply
          .code(429)
          .header('retry-after', String(wait))
          .send({ error: `too many requests: try again in ${wait} s` });
    });
    api.setErrorHandler((err: FastifyError | AppError | DeskError, req, reply) => {
      if (err instanceof AppError) return reply.code(err.statusCode).send({ error: err.message });
      if (err instanceof DeskError) {
        const [status, reason] = DESK_REFUSALS[err.code] ?? [409, 'not possible now'];
        return reply.code(status).send({ error: reason });
      }
      const e = err as FastifyError;
      if (e.validation) return reply.code(400).send({ error: e.message });
      if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return reply.code(e.statusCode).send({ error: e.message });
      req.log.error({ err }, 'mini app request failed');
      return reply.code(500).send({ error: 'something went wrong on our side; please try again' });
    });
    consentRoutes(api, c); // first: its gate attaches to the new-request route as that is added
    ticketRoutes(api, c);
    kbRoutes(api, c);
    settingsRoutes(api, c, { botUsername: o.botUsername ?? (() => undefined) });
    reportFakeRoutes(api, c);
  });
};
