/** createDeskService (bot/service.ts): the desk as both entry points run it — its routes on their HTTP server, the desk inside. */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouse } from '../../core/clickhouse.js';
import { openDatabase, type Db } from '../../core/postgres.js';
import { loadBotConfig } from '../../bot/config.js';
import { createDeskService, type DeskService } from '../../bot/service.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { tmpDataDir } from '../helpers/tmp.js';
import { MemoryBus } from './harness.js';

const tmp = tmpDataDir('desk-service-');
let sandbox: RunningSandbox;
let db: Db;
let desk: DeskService;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  db = await openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
  const config = loadBotConfig({ THROTTLE: '0', LOG_LEVEL: 'warn', TELEGRAM_API_ROOT: sandbox.apiRoot });
  // ClickHouse is read only when /metrics is scraped or the digest runs, neither of which happens here.
  desk = await createDeskService({ db, bus: new MemoryBus(), ch: {} as ClickHouse, config, alertmanagerToken: 'am-token' });
});

afterAll(async () => {
  await desk?.stop();
  await db?.close();
  await sandbox?.close();
  tmp.cleanup();
});

describe('createDeskService', () => {
  it("gives the entry points the desk and its HTTP routes: Alertmanager's hook behind its token", async () => {
    expect(desk.services.tickets).toBeDefined();
    expect(desk.bot).toBeDefined();
    const http = Fastify();
    await http.register(desk.routes);
    try {
      expect((await http.inject({ method: 'POST', url: '/hooks/alertmanager', payload: {} })).statusCode).toBe(401);
      const wrongBody = await http.inject({
        method: 'POST',
        url: '/hooks/alertmanager',
        headers: { authorization: 'Bearer am-token' },
        payload: { nope: true },
      });
      expect(wrongBody.statusCode).toBe(400);
      // No WEBHOOK_URL: no webhook route.
      expect(http.printRoutes()).not.toMatch(/webhook/);
    } finally {
      await http.close();
    }
  });
});
