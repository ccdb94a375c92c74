/** Webhook mode: the sandbox POSTs updates to bot/http/webhook.ts (grammY's fastify adapter, secret token). */
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Composer } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../core/http.js';
import { openDatabase, type Db } from '../../core/postgres.js';
import { createDesk, type DeskApp } from '../../bot/app.js';
import { loadBotConfig } from '../../bot/config.js';
import type { BotContext } from '../../bot/context.js';
import { emptyHooks } from '../../bot/hooks.js';
import { webhookPlugin } from '../../bot/http/webhook.js';
import { startSandbox, SandboxClient, type RunningSandbox } from '../../sandbox/index.js';
import { tmpDataDir } from '../helpers/tmp.js';
import { MemoryBus, SUPPORT, topicOf } from './harness.js';

const tmp = tmpDataDir('desk-webhook-');
let sandbox: RunningSandbox;
let client: SandboxClient;
let db: Db;
let desk: DeskApp;
let http: FastifyInstance;
let url: string;

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

beforeAll(async () => {
  // The desk serves http://127.0.0.1:<port>, which api.telegram.org refuses: the sandbox runs like a local Bot API server.
  sandbox = await startSandbox({ port: 0, allowInsecureWebhook: true });
  client = new SandboxClient(sandbox.url);
  const port = await freePort();
  url = `http://127.0.0.1:${port}/telegram/webhook`;
  const config = loadBotConfig({ THROTTLE: '0', WEBHOOK_URL: url, WEBHOOK_SECRET: 'wh-secret-123' });
  db = await openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
  desk = await createDesk({
    db,
    bus: new MemoryBus(),
    config,
    apiRoot: sandbox.apiRoot,
    features: { composer: new Composer<BotContext>(), hooks: emptyHooks() },
  });
  // A relay key older than any redelivery (the schema is there once createDesk returns): the desk prunes it at start.
  await db.query(`INSERT INTO relay_event_keys (source_chat_id, source_message_id, ticket_id, recorded_at) VALUES (1, 1, 1, now() - interval '30 days')`);
  http = await createHttpServer();
  await http.register(webhookPlugin, { bot: desk.bot, url, secret: config.webhookSecret! });
  await http.listen({ port, host: '127.0.0.1' });
  await desk.start();
});

afterAll(async () => {
  await http?.close();
  await desk?.stop();
  await db?.close();
  await sandbox?.close();
  tmp.cleanup();
});

describe('webhook mode', () => {
  it('registers the webhook with the secret and serves the desk through it', async () => {
    const info = await client.getInfo();
    expect(JSON.stringify(info.webhook)).toContain('/telegram/webhook');
    await client.sendCustomerMessage(6001, { text: 'via webhook', first_name: 'Wendy' });
    await client.waitForCustomerMessage(6001, /Ticket #\d+ created/);
    const thread = await topicOf(client, 6001, db);
    await client.waitForChatMessage(SUPPORT, 'via webhook', { threadId: thread });
    await client.sendSupportMessage({ from_id: 500_006, thread_id: thread, text: 'answer via webhook' });
    await client.waitForCustomerMessage(6001, 'answer via webhook');
    expect((await client.getStats()).webhook.delivered).toBeGreaterThanOrEqual(2);
  });

  it('prunes relay keys no redelivery can need, as under long polling', async () => {
    await expect
      .poll(async () => (await db.query('SELECT 1 FROM relay_event_keys WHERE source_chat_id = 1 AND source_message_id = 1')).rowCount, { timeout: 10_000 })
      .toBe(0);
  });

  it('refuses updates without the secret token', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ update_id: 1 }) });
    expect(res.status).toBe(401);
    const wrong = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'nope' },
      body: JSON.stringify({ update_id: 2 }),
    });
    expect(wrong.status).toBe(401);
  });
});
