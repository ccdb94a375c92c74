import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { Bot } from 'grammy';
import { SandboxClient } from './client.js';
import { startSandbox, type RunningSandbox } from './server.js';

// The receivers here listen on http://127.0.0.1:<port>, which api.telegram.org refuses: these sandboxes
// run like a local Bot API server (allowInsecureWebhook); sandbox/strictness.test.ts covers the refusals.

interface Receiver {
  url: string;
  received: Array<{ secret: string | undefined; update: Record<string, unknown> }>;
  failNext: number;
  app: FastifyInstance;
}

async function receiver(): Promise<Receiver> {
  const app = Fastify();
  const r = { received: [], failNext: 0, app } as unknown as Receiver;
  app.post('/hook', async (req, reply) => {
    if (r.failNext > 0) {
      r.failNext--;
      return reply.code(500).send('boom');
    }
    r.received.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, update: req.body as Record<string, unknown> });
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  r.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
  return r;
}

let sandbox: RunningSandbox | undefined;
let hook: Receiver | undefined;
afterEach(async () => {
  await sandbox?.close();
  await hook?.app.close();
});

describe('webhooks', () => {
  it('POSTs updates in order with the secret token header and reports info', async () => {
    sandbox = await startSandbox({ webhookRetryMs: 10, allowInsecureWebhook: true });
    hook = await receiver();
    const bot = new Bot(sandbox.token, { client: { apiRoot: sandbox.apiRoot } });
    const client = new SandboxClient(sandbox.url);
    expect(await bot.api.setWebhook(hook.url, { secret_token: 'S3cret_token' })).toBe(true);
    await client.sendCustomerMessage(1001, 'one');
    await client.sendCustomerMessage(1001, 'two');
    await client.waitFor(async () => hook!.received.length === 2);
    expect(hook.received.map((r) => (r.update.message as { text: string }).text)).toEqual(['one', 'two']);
    expect(hook.received.every((r) => r.secret === 'S3cret_token')).toBe(true);
    const info = await bot.api.getWebhookInfo();
    expect(info).toMatchObject({ url: hook.url, has_custom_certificate: false, pending_update_count: 0, max_connections: 40 });
  });

  it('retries failed deliveries and reports the last error', async () => {
    sandbox = await startSandbox({ webhookRetryMs: 10, allowInsecureWebhook: true });
    hook = await receiver();
    hook.failNext = 2;
    const bot = new Bot(sandbox.token, { client: { apiRoot: sandbox.apiRoot } });
    const client = new SandboxClient(sandbox.url);
    await bot.api.setWebhook(hook.url);
    await client.sendCustomerMessage(1001, 'persistent');
    await client.waitFor(async () => hook!.received.length === 1);
    const info = await bot.api.getWebhookInfo();
    expect(info.last_error_message).toBe('Wrong response from the webhook: 500 Internal Server Error');
    expect(typeof info.last_error_date).toBe('number');
    expect((await client.getStats()).webhook).toEqual({ delivered: 1, failed: 2 });
  });

  it('keeps updates while the endpoint is down and delivers them after deleteWebhook via getUpdates', async () => {
    sandbox = await startSandbox({ webhookRetryMs: 10_000, allowInsecureWebhook: true });
    const bot = new Bot(sandbox.token, { client: { apiRoot: sandbox.apiRoot } });
    const client = new SandboxClient(sandbox.url);
    await bot.api.setWebhook('http://127.0.0.1:9/unreachable');
    await client.sendCustomerMessage(1001, 'queued');
    await client.waitFor(async () => (await bot.api.getWebhookInfo()).last_error_message !== undefined);
    expect((await bot.api.getWebhookInfo()).pending_update_count).toBe(1);
    await bot.api.deleteWebhook();
    expect((await bot.api.getUpdates()).map((u) => u.message?.text)).toEqual(['queued']);
  });

  it('drops pending updates when asked', async () => {
    sandbox = await startSandbox();
    const bot = new Bot(sandbox.token, { client: { apiRoot: sandbox.apiRoot } });
    const client = new SandboxClient(sandbox.url);
    await client.sendCustomerMessage(1001, 'old');
    await bot.api.deleteWebhook({ drop_pending_updates: true });
    expect(await bot.api.getUpdates()).toEqual([]);
  });
});

describe('webhook replies', () => {
  it("executes a method returned in the webhook response, as grammY's webhookCallback can do", async () => {
    sandbox = await startSandbox({ allowInsecureWebhook: true });
    const bot = new Bot(sandbox.token, { client: { apiRoot: sandbox.apiRoot, canUseWebhookReply: (m) => m === 'sendMessage' } });
    bot.on('message:text', (ctx) => ctx.reply(`got ${ctx.message.text}`));
    const { webhookCallback } = await import('grammy');
    const app = Fastify();
    app.post('/hook', webhookCallback(bot, 'fastify'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    hook = { app, url: '', received: [], failNext: 0 };
    const addr = app.server.address();
    await bot.init();
    await bot.api.setWebhook(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`);
    const client = new SandboxClient(sandbox.url);
    await client.sendCustomerMessage(1001, 'ping');
    await expect(client.waitForCustomerMessage(1001, 'got ping')).resolves.toMatchObject({ from: 'bot' });
  });
});
