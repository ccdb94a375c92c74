/** Simulated customers open the Mini App through the sandbox (signed launch data) and use its API: the demo shows app traffic. */
import { createServer } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miniAppPlugin } from '../bot/miniapp/plugin.js';
import { startFeatureHarness, type FeatureHarness } from '../test/bot/feature-harness.js';
import { visitApp } from './app-visits.js';
import { Rng } from './random.js';
import { startSimulator } from './simulator.js';
import { liveTimeline, simulatorAbort } from './timeline.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

let h: FeatureHarness;
let app: FastifyInstance;
beforeAll(async () => {
  const port = await freePort();
  h = await startFeatureHarness({ botEnv: { WEBAPP_URL: `http://127.0.0.1:${port}/app/` } });
  app = Fastify();
  await app.register(miniAppPlugin, { desk: h.desk.services, runtime: h.features.runtime, maxAgeSeconds: 86_400, ratePerMinute: 1000, webRoot: false });
  await app.listen({ port, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('Mini App visits', () => {
  it('live customers open the app, search the help centre, read and rate articles, and some are deflected', async () => {
    const sim = startSimulator({ sandboxUrl: h.sandbox.url, perDay: 720, speed: 60, seed: 7, waitMs: 20_000, appVisitShare: 1 });
    await h.client.waitFor(async () => (sim.stats.appVisits.browsed + sim.stats.appVisits.deflected >= 3 ? true : undefined), {
      timeoutMs: 60_000,
      what: 'Mini App visits',
    });
    await sim.stop();
    expect(sim.stats.appVisits['no-app']).toBe(0);
    const opened = await h.eventsOf('app_opened');
    expect(opened.length).toBeGreaterThanOrEqual(3);
    expect(opened.every((e) => e.entry === 'menu')).toBe(true);
    expect((await h.eventsOf('kb_article_viewed')).length).toBeGreaterThanOrEqual(3);
    expect((await h.eventsOf('kb_article_helpful')).length).toBeGreaterThanOrEqual(3);
  });

  it('a known customer sends a request from the app: topic, card and receipt as for a message; an agent answers and resolves it', async () => {
    await h.client.sendCustomerMessage(7_700_001, { text: '/start', first_name: 'Lina', language_code: 'en' });
    await h.client.waitForCustomerMessage(7_700_001, /./);
    const rng = Object.assign(new Rng(3), { chance: () => true });
    const abort = simulatorAbort(4);
    const outcome = await visitApp(
      { client: h.client, rng, tl: liveTimeline(abort.signal, 6000), waitMs: 20_000 },
      { id: 7_700_001, name: 'Lina', lang: 'en', seen: true },
    );
    expect(outcome).toBe('requested');
    const t = (await h.db.query<{ status: string }>('SELECT status FROM tickets WHERE customer_id = $1', [7_700_001])).rows;
    expect(t.map((r) => r.status)).toEqual(['resolved']);
    expect((await h.eventsOf('ticket_opened')).filter((e) => e.channel === 'app')).toHaveLength(1);
  });
});
