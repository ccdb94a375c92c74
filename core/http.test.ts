/** The process server's own routes: open on loopback, behind the bearer token beyond it. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHttpServer, degradedWhile, isOpsRoute, SELF_CHECK_DEGRADED } from './http.js';

const apps: FastifyInstance[] = [];
async function server(o: Parameters<typeof createHttpServer>[0]) {
  const app = await createHttpServer(o);
  app.get('/api/docs', async () => 'docs');
  app.get('/api/docs/json', async () => ({ openapi: '3.0.0' }));
  app.get('/api/v1/ping', async () => 'pong');
  apps.push(app);
  return app;
}
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

const OPS = ['/metrics', '/healthz', '/api/docs', '/api/docs/json'];

describe('/metrics, /healthz and /api/docs', () => {
  it('are open on a loopback interface', async () => {
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      const app = await server({ host, token: 's3cret' });
      for (const url of OPS) expect((await app.inject({ url })).statusCode, `${host} ${url}`).toBe(200);
    }
  });

  it('need the bearer token beyond loopback', async () => {
    const app = await server({ host: '0.0.0.0', token: 's3cret' });
    for (const url of OPS) {
      const anon = await app.inject({ url });
      expect(anon.statusCode, url).toBe(401);
      expect(anon.body).not.toMatch(/process_|"ok"/);
      expect((await app.inject({ url, headers: { authorization: 'Bearer wrong' } })).statusCode, url).toBe(401);
      expect((await app.inject({ url, headers: { authorization: 'Basic czNjcmV0' } })).statusCode, url).toBe(401);
      expect((await app.inject({ url, headers: { authorization: 'Bearer s3cret' } })).statusCode, url).toBe(200);
    }
    // Spelled differently, the same route is still guarded (or does not exist).
    for (const url of ['/metrics?x=1', '/%6Detrics', '/healthz#']) expect([401, 404]).toContain((await app.inject({ url })).statusCode);
    expect((await app.inject({ url: '/metrics/' })).statusCode).not.toBe(200);
    // Other routes keep their own rules.
    expect((await app.inject({ url: '/api/v1/ping' })).statusCode).toBe(200);
  });

  it('answer 401 to everyone beyond loopback while no token is set', async () => {
    const app = await server({ host: '192.168.1.10', token: undefined });
    for (const url of OPS) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toEqual({ error: expect.stringMatching(/ANALYTICS_TOKEN/) });
    }
  });

  it('isOpsRoute names exactly those routes', () => {
    expect(['/metrics', '/healthz', '/api/docs', '/api/docs/static/index.html'].every(isOpsRoute)).toBe(true);
    expect(['/api/v1/summary', '/api/docsx', '/', '/hooks/alertmanager', undefined].some(isOpsRoute)).toBe(false);
  });
});

describe('/healthz failures', () => {
  it('name the failing check generically; the details go to the log, without credentials', async () => {
    const app = await server({
      host: '127.0.0.1',
      healthChecks: {
        database: async () => 'error: password authentication failed for user "desk" (postgres://desk:hunter2@db.internal:5432/desk)',
        clickhouse: async () => {
          throw new Error('connect ECONNREFUSED 10.0.0.5:8123 (http://desk:s3cr3t@clickhouse:8123)');
        },
        fine: async () => undefined,
      },
    });
    const logged: unknown[][] = [];
    const warn = vi.spyOn(app.log, 'warn').mockImplementation((...args: unknown[]) => void logged.push(args));
    try {
      const res = await app.inject({ url: '/healthz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        ok: false,
        status: 'down',
        checks: {
          database: { state: 'down', reason: 'database unreachable' },
          clickhouse: { state: 'down', reason: 'clickhouse unreachable' },
          fine: { state: 'ok' },
        },
      });
      for (const raw of ['hunter2', 's3cr3t', 'ECONNREFUSED', 'password authentication', 'db.internal', '10.0.0.5']) expect(res.body).not.toContain(raw);
      // The operator still learns why, from the log — with the URLs' passwords masked.
      const text = JSON.stringify(logged);
      expect(text).toContain('password authentication failed');
      expect(text).toContain('ECONNREFUSED');
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('s3cr3t');
      // A failure that repeats on every poll is logged once, not every 10 seconds.
      await app.inject({ url: '/healthz' });
      expect(logged).toHaveLength(2);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('/healthz states', () => {
  it('lists every check as ok with 200 when all pass, and with no checks at all', async () => {
    const app = await server({ host: '127.0.0.1', healthChecks: { database: async () => undefined, bus: async () => undefined } });
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, status: 'ok', checks: { database: { state: 'ok' }, bus: { state: 'ok' } } });
    const bare = await server({ host: '127.0.0.1' });
    expect((await bare.inject({ url: '/healthz' })).json()).toEqual({ ok: true, status: 'ok', checks: {} });
  });

  it('a degraded check keeps 200 (the process serves, retrying) and says why without the raw detail', async () => {
    let problem: string | undefined = 'ESCALATION_CHAT_ID=-100… does not answer (connect ETIMEDOUT 149.154.167.220:443): retrying';
    const app = await server({
      host: '127.0.0.1',
      healthChecks: { database: async () => undefined, 'self-check': degradedWhile(() => problem, SELF_CHECK_DEGRADED) },
    });
    const warn = vi.spyOn(app.log, 'warn').mockImplementation(() => undefined);
    try {
      const res = await app.inject({ url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        ok: true,
        status: 'degraded',
        checks: { database: { state: 'ok' }, 'self-check': { state: 'degraded', reason: SELF_CHECK_DEGRADED } },
      });
      for (const raw of ['ETIMEDOUT', '149.154', 'ESCALATION_CHAT_ID=']) expect(res.body).not.toContain(raw);
      expect(JSON.stringify(warn.mock.calls)).toContain('ETIMEDOUT');
      problem = undefined;
      expect((await app.inject({ url: '/healthz' })).json()).toMatchObject({ status: 'ok', checks: { 'self-check': { state: 'ok' } } });
      expect(JSON.stringify(warn.mock.calls.at(-1))).toContain('recovered');
    } finally {
      warn.mockRestore();
    }
  });

  it('down wins over degraded: 503, each check with its own state and reason', async () => {
    const app = await server({
      host: '127.0.0.1',
      healthChecks: {
        database: async () => 'connect ECONNREFUSED 127.0.0.1:5432',
        'self-check': degradedWhile(() => 'getMe: fetch failed', SELF_CHECK_DEGRADED),
        bus: async () => ({ state: 'degraded', reason: 'bus unreachable; events wait in the outbox' }),
        broken: (() => {
          throw new Error('thrown synchronously');
        }) as never,
      },
    });
    vi.spyOn(app.log, 'warn').mockImplementation(() => undefined);
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      ok: false,
      status: 'down',
      checks: {
        database: { state: 'down', reason: 'database unreachable' },
        'self-check': { state: 'degraded', reason: SELF_CHECK_DEGRADED },
        bus: { state: 'degraded', reason: 'bus unreachable; events wait in the outbox' },
        broken: { state: 'down', reason: 'broken unreachable' },
      },
    });
    expect(res.body).not.toMatch(/ECONNREFUSED|fetch failed|thrown synchronously/);
  });

  it('a check that does not answer in time is down, and /healthz still answers', async () => {
    const app = await server({
      host: '127.0.0.1',
      healthTimeoutMs: 50,
      healthChecks: { database: () => new Promise<undefined>(() => undefined), clickhouse: async () => undefined },
    });
    vi.spyOn(app.log, 'warn').mockImplementation(() => undefined);
    const started = Date.now();
    const res = await app.inject({ url: '/healthz' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      ok: false,
      status: 'down',
      checks: { database: { state: 'down', reason: 'database: no answer within 0.05 s' }, clickhouse: { state: 'ok' } },
    });
  });
});
