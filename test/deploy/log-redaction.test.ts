/**
 * Issue 17, item 3: no log line — and nothing printed beside the logs — carries the bot token (alone,
 * inside a Bot API URL, inside a nested fetch error), a secret of the configuration (webhook secret,
 * analytics token, Alertmanager token), or what a customer wrote or is called. Every log of this file
 * goes to one buffer (core/log.ts's destination, swapped for the test) and console output is captured
 * too, while the desk goes down every error path it has: the Bot API unreachable (start-up, a call,
 * long polling), Bot API 400s and 5xx (the sandbox's faults), a handler that throws with the customer's
 * name and text in its message, a careless log of a grammY context, and webhook mode with bad updates.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { format } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { Api, Composer } from 'grammy';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const captured = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock('../../core/log.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../core/log.js')>();
  const root = real.createLogger({ write: (s: string) => void captured.lines.push(s) }, { level: 'debug' });
  return { ...real, rootLogger: root, logger: (component: string) => root.child({ component }) };
});

import { createDesk, type DeskApp } from '../../bot/app.js';
import { loadBotConfig } from '../../bot/config.js';
import type { BotContext } from '../../bot/context.js';
import { emptyHooks } from '../../bot/hooks.js';
import { webhookPlugin } from '../../bot/http/webhook.js';
import { createHttpServer } from '../../core/http.js';
import { logger } from '../../core/log.js';
import { openDatabase, type Db } from '../../core/postgres.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { MemoryBus, startHarness, topicOf, type Harness } from '../bot/harness.js';
import { tmpDataDir } from '../helpers/tmp.js';
// Declares ALERTMANAGER_WEBHOOK_TOKEN and ANALYTICS_TOKEN (secret: true) in the configuration registry.
import '../../bot/alerts/config.js';
import '../../dashboard/config.js';

const TOKEN = '1234567890:AAHrecognisableTOKENvalueXXXXXXXXXXXXXXX';
const WEBHOOK_SECRET = 'wh-SECRET-recognisable-7781';
const ALERTMANAGER_TOKEN = 'am-TOKEN-recognisable-5519';
const ANALYTICS_TOKEN = 'an-TOKEN-recognisable-6637';
const CUSTOMER_ID = 7001;
const CUSTOMER = { first_name: 'Zebedee', last_name: 'Quux', username: 'zebedee_quux' };
const TEXT = 'my secret order 4242';
const PHONE = '+15550104242';

/** What must never be in the output. */
const NEEDLES = [
  TOKEN,
  'AAHrecognisableTOKENvalue',
  WEBHOOK_SECRET,
  ALERTMANAGER_TOKEN,
  ANALYTICS_TOKEN,
  'Zebedee',
  'Quux',
  'zebedee_quux',
  'secret order',
  PHONE,
];

const consoleOut: string[] = [];
const output = () => [...captured.lines, ...consoleOut].join('\n');
const log = logger('log-redaction-test');

async function closedPort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

async function until(what: string, seen: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!seen()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const logged = (msg: string) => () => captured.lines.some((l) => l.includes(msg));

/**
 * A feature written carelessly: it logs the whole context, and fails with the customer's name, username,
 * text or phone number in its error message.
 */
function carelessFeature() {
  const composer = new Composer<BotContext>();
  composer.on('message', (ctx, next) => {
    ctx.desk.log.debug({ ctx, update: ctx.update, from: ctx.from }, 'careless feature saw a message');
    const m = ctx.msg;
    if (m.text?.includes('4242') || m.contact)
      throw new Error(`cannot file the order of ${ctx.from?.first_name} ${ctx.from?.last_name} (@${ctx.from?.username}): ${m.text ?? m.contact?.phone_number}`);
    return next();
  });
  return () => ({ composer, hooks: emptyHooks() });
}

beforeAll(() => {
  process.env.ALERTMANAGER_WEBHOOK_TOKEN = ALERTMANAGER_TOKEN;
  process.env.ANALYTICS_TOKEN = ANALYTICS_TOKEN;
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void consoleOut.push(format(...args)));
});

afterAll(() => {
  vi.restoreAllMocks();
  delete process.env.ALERTMANAGER_WEBHOOK_TOKEN;
  delete process.env.ANALYTICS_TOKEN;
});

describe('logs on every error path carry no secret and no personal data', () => {
  it('the Bot API unreachable (a fetch error naming the URL, token included)', async () => {
    const root = `http://127.0.0.1:${await closedPort()}`;
    const err = await new Api(TOKEN, { apiRoot: root }).sendMessage(CUSTOMER_ID, TEXT).catch((e: unknown) => e);
    log.error({ err }, 'Bot API unreachable');
    log.error(err as Error);
  });

  it('the desk refused at start (a Bot API that does not know the token)', async () => {
    const strict = await startSandbox({ port: 0, strictToken: true });
    const tmp = tmpDataDir('log-redaction-start-');
    const db = await openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
    try {
      const desk = await createDesk({
        db,
        bus: new MemoryBus(),
        config: loadBotConfig({ BOT_TOKEN: TOKEN, THROTTLE: '0' }),
        apiRoot: strict.apiRoot,
        features: { composer: new Composer<BotContext>(), hooks: emptyHooks() },
      });
      const failed = await desk.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failed).toBeInstanceOf(Error);
      log.fatal({ err: failed }, 'desk failed to start');
    } finally {
      await db.close();
      await strict.close();
      tmp.cleanup();
    }
  });

  it('the configured secrets, quoted in an error, a URL or a field', () => {
    loadBotConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: 'https://desk.example/telegram', WEBHOOK_SECRET });
    for (const secret of [WEBHOOK_SECRET, ALERTMANAGER_TOKEN, ANALYTICS_TOKEN]) {
      log.warn({ err: new Error(`refused: Bearer ${secret}`), url: `https://desk.example/hook?token=${secret}`, header: secret }, `auth with ${secret} failed`);
    }
    log.info({ payload: { chat_id: 1, text: TEXT, contact: { phone_number: PHONE, first_name: 'Zebedee' } } }, 'a Telegram payload');
  });

  describe('long polling through the sandbox', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ env: { BOT_TOKEN: TOKEN, LOG_LEVEL: 'debug' }, features: carelessFeature() });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('a handler that throws with the customer name and text', async () => {
      await h.client.sendCustomerMessage(CUSTOMER_ID, { ...CUSTOMER, text: 'hello, I need help' });
      await topicOf(h.client, CUSTOMER_ID, h.db);
      await h.client.sendCustomerMessage(CUSTOMER_ID, { ...CUSTOMER, text: TEXT });
      await until('the failed update in the logs', logged('update failed'));
      await h.client.sendCustomerMessage(CUSTOMER_ID, { ...CUSTOMER, contact: { phone_number: PHONE, first_name: 'Zebedee', last_name: 'Quux' } });
      await until('the second failed update', () => captured.lines.filter((l) => l.includes('update failed')).length >= 2);
    });

    it('Bot API 400s and 5xx', async () => {
      // A bare Api (the desk's retries 5xx): every answer reaches the log as the desk's callers see it when retries run out.
      const api = new Api(TOKEN, { apiRoot: h.sandbox.apiRoot });
      for (const error_code of [400, 403, 500, 502]) {
        await h.client.injectFault({ method: 'sendMessage', error_code, count: 1 });
        const err = await api.sendMessage(CUSTOMER_ID, TEXT).catch((e: unknown) => e);
        h.desk.services.log.warn({ err, customer: CUSTOMER }, 'sendMessage failed');
        await h.client.clearFaults();
      }
      // The desk's own paths: copying the customer's message into the topic, and the agent's reply back.
      await h.client.injectFault({ method: 'copyMessage', error_code: 400, description: 'Bad Request: message to copy not found', count: 2 });
      await h.client.injectFault({ method: 'sendMessage', error_code: 502, count: 2 });
      await h.client.sendCustomerMessage(CUSTOMER_ID, { ...CUSTOMER, text: 'Zebedee again, still waiting' });
      await h.client.waitForIdle({ timeoutMs: 15_000 });
      await new Promise((r) => setTimeout(r, 500));
      await h.client.clearFaults();
    });
  });

  describe('webhook mode', () => {
    let sandbox: RunningSandbox;
    let db: Db;
    let desk: DeskApp;
    let http: FastifyInstance;
    let url: string;
    const tmp = tmpDataDir('log-redaction-webhook-');

    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, allowInsecureWebhook: true });
      const port = await closedPort();
      url = `http://127.0.0.1:${port}/telegram/webhook`;
      const config = loadBotConfig({ BOT_TOKEN: TOKEN, THROTTLE: '0', WEBHOOK_URL: url, WEBHOOK_SECRET });
      db = await openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
      desk = await createDesk({ db, bus: new MemoryBus(), config, apiRoot: sandbox.apiRoot, features: carelessFeature()() });
      http = await createHttpServer();
      await http.register(webhookPlugin, { bot: desk.bot, url, secret: WEBHOOK_SECRET });
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

    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
        body: JSON.stringify(body),
      });
    const from = { id: CUSTOMER_ID, is_bot: false, ...CUSTOMER };
    const chat = { id: CUSTOMER_ID, type: 'private', first_name: CUSTOMER.first_name, last_name: CUSTOMER.last_name, username: CUSTOMER.username };

    it('answers an update its handler fails on with a bare 500', async () => {
      const res = await post({ update_id: 900_001, message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat, from, text: TEXT } });
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('');
    });

    it('answers a malformed update with a bare 500', async () => {
      const res = await post({ update_id: 900_002, message: { message_id: 2, from, text: TEXT } });
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('');
    });
  });
});

describe('the captured output', () => {
  it('has the failures in it, and none of the secrets or personal data', () => {
    const text = output();
    // The paths above did log (a silent logger would pass the rest trivially).
    for (const msg of ['update failed', 'desk failed to start', 'sendMessage failed', '[redacted]']) expect(text.includes(msg), msg).toBe(true);
    const found = NEEDLES.filter((n) => text.includes(n));
    const lines = text.split('\n').filter((l) => NEEDLES.some((n) => l.includes(n)));
    expect(found, `leaking lines:\n${lines.slice(0, 12).join('\n')}`).toEqual([]);
  });
});
