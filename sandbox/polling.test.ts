import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { apiError, rawCall, useSandbox } from './test-helpers.js';

const fx = useSandbox();

describe('getUpdates', () => {
  it('returns queued updates with increasing ids and forgets them once confirmed by offset', async () => {
    await fx.client.sendCustomerMessage(1001, 'one');
    await fx.client.sendCustomerMessage(1001, 'two');
    const first = await fx.bot.api.getUpdates();
    expect(first.map((u) => u.message?.text)).toEqual(['one', 'two']);
    expect(first[1]!.update_id).toBe(first[0]!.update_id + 1);
    // Without confirmation the same updates come again.
    expect((await fx.bot.api.getUpdates()).length).toBe(2);
    const after = await fx.bot.api.getUpdates({ offset: first[1]!.update_id + 1 });
    expect(after).toEqual([]);
    expect((await fx.client.getStats()).updates.pending).toBe(0);
  });

  it('honours limit and negative offsets', async () => {
    for (let i = 0; i < 5; i++) await fx.client.sendCustomerMessage(1001, `m${i}`);
    expect((await fx.bot.api.getUpdates({ limit: 2 })).map((u) => u.message?.text)).toEqual(['m0', 'm1']);
    expect((await fx.bot.api.getUpdates({ offset: -2 })).map((u) => u.message?.text)).toEqual(['m3', 'm4']);
  });

  it('long polls until an update arrives', async () => {
    const poll = fx.bot.api.getUpdates({ timeout: 10 });
    await fx.client.waitFor(async () => ((await fx.client.getStats()).calls.getUpdates ?? 0) >= 1);
    await fx.client.sendCustomerMessage(1002, { text: 'wake up', first_name: 'Ann' });
    const updates = await poll;
    expect(updates).toHaveLength(1);
    expect(updates[0]!.message).toMatchObject({
      text: 'wake up',
      chat: { id: 1002, type: 'private', first_name: 'Ann' },
      from: { id: 1002, is_bot: false, first_name: 'Ann' },
    });
  });

  it('terminates the waiting poll with 409 when a newer getUpdates arrives, as Telegram does', async () => {
    const older = fx.bot.api.getUpdates({ timeout: 20 });
    await fx.client.waitFor(async () => ((await fx.client.getStats()).calls.getUpdates ?? 0) >= 1);
    const newer = fx.bot.api.getUpdates({ timeout: 20 });
    const err = await apiError(older);
    expect(err.error_code).toBe(409);
    expect(err.description).toBe('Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    await fx.client.sendCustomerMessage(1001, 'for the newer poll');
    expect((await newer).map((u) => u.message?.text)).toEqual(['for the newer poll']);
  });

  it('applies allowed_updates to updates created afterwards', async () => {
    await fx.bot.api.getUpdates({ allowed_updates: ['callback_query'] });
    await fx.client.sendCustomerMessage(1001, 'ignored kind');
    expect(await fx.bot.api.getUpdates()).toEqual([]);
    await fx.bot.api.getUpdates({ allowed_updates: ['message', 'chat_member'] });
    await fx.client.sendSupportMessage({ from_id: 501, text: 'hello group' });
    const kinds = (await fx.bot.api.getUpdates()).map((u) => Object.keys(u).find((k) => k !== 'update_id'));
    expect(kinds).toEqual(['chat_member', 'message']);
  });

  it('does not deliver chat_member updates by default', async () => {
    await fx.client.sendSupportMessage({ from_id: 501, text: 'hi' });
    const updates = await fx.bot.api.getUpdates();
    expect(updates.map((u) => Object.keys(u)[1])).toEqual(['message']);
  });

  it('drives a real grammY bot with bot.start() and bot.stop()', async () => {
    const seen: string[] = [];
    fx.bot.on('message:text', async (ctx) => {
      seen.push(ctx.message.text);
      await ctx.reply(`echo: ${ctx.message.text}`);
    });
    const started = new Promise<void>((resolve) => void fx.bot.start({ onStart: () => resolve(), timeout: 5 }));
    await started;
    await fx.client.sendCustomerMessage(1001, 'ping');
    const reply = await fx.client.waitForCustomerMessage(1001, 'echo: ping');
    expect(reply.from).toBe('bot');
    await fx.bot.stop();
    expect(seen).toEqual(['ping']);
    // bot.stop() confirmed the handled update.
    expect((await fx.client.getStats()).updates.pending).toBe(0);
  });

  it('answers 409 to getUpdates while a webhook is set', async () => {
    await fx.bot.api.setWebhook('https://desk.example.com/hook');
    const err = await apiError(fx.bot.api.getUpdates());
    expect(err.error_code).toBe(409);
    expect(err.description).toBe("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    await fx.bot.api.deleteWebhook();
    expect(await fx.bot.api.getUpdates()).toEqual([]);
  });

  it('queues my_chat_member when a customer blocks and unblocks the bot', async () => {
    await fx.client.sendCustomerMessage(1001, 'hi');
    await fx.client.blockBot(1001);
    await fx.client.unblockBot(1001);
    const updates = (await fx.bot.api.getUpdates()) as Update[];
    expect(updates[1]!.my_chat_member).toMatchObject({
      chat: { id: 1001 },
      old_chat_member: { status: 'member' },
      new_chat_member: { status: 'kicked', user: { id: 7000000001 } },
    });
    expect(updates[2]!.my_chat_member).toMatchObject({ new_chat_member: { status: 'member' } });
  });
});

describe('paths and tokens', () => {
  it('accepts any well-formed token and GET with a query string', async () => {
    const { status, body } = await rawCall(fx.sandbox.url, '/bot123:other-secret/getMe');
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, result: { id: 7000000001, username: 'support_desk_bot', is_bot: true } });
    const q = await rawCall(fx.sandbox.url, `/bot${fx.sandbox.token}/getUpdates?limit=1&timeout=0`);
    expect(q.body).toEqual({ ok: true, result: [] });
  });

  it('answers 404 Not Found for a malformed token path and for unknown methods', async () => {
    expect(await rawCall(fx.sandbox.url, '/botnotatoken/getMe')).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
    expect(await rawCall(fx.sandbox.url, `/bot${fx.sandbox.token}/sendTelepathy`)).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found' },
    });
  });

  it('accepts urlencoded bodies with JSON-encoded objects', async () => {
    await fx.client.sendCustomerMessage(1001, 'hi');
    const body = new URLSearchParams({
      chat_id: '1001',
      text: 'form',
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }),
    });
    const { status, body: res } = await rawCall(fx.sandbox.url, `/bot${fx.sandbox.token}/sendMessage`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(status).toBe(200);
    expect(res).toMatchObject({ ok: true, result: { text: 'form', reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } } });
  });

  it('logOut, close and commands are harmless', async () => {
    expect(await fx.bot.api.setMyCommands([{ command: 'take', description: 'Take the ticket' }])).toBe(true);
    expect(await fx.bot.api.getMyCommands()).toEqual([{ command: 'take', description: 'Take the ticket' }]);
    expect(await fx.bot.api.logOut()).toBe(true);
    expect(await fx.bot.api.close()).toBe(true);
    const err = await apiError(fx.bot.api.setMyCommands([{ command: 'Bad Command', description: 'x' }]));
    expect(err.description).toBe('Bad Request: BOT_COMMAND_INVALID');
  });
});

describe('mounting the Bot API routes on another fastify instance', () => {
  it('brings its own body parsers and error shape', async () => {
    const Fastify = (await import('fastify')).default;
    const { botApiRoutes } = await import('./bot-api-plugin.js');
    const { World } = await import('./world.js');
    const { logger } = await import('../core/log.js');
    const world = new World();
    const app = Fastify();
    await app.register(botApiRoutes(world, logger('sandbox-test')));
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const form = await rawCall(base, '/bot1:x/getMe', {
        method: 'POST',
        body: new URLSearchParams({}),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.body).toMatchObject({ ok: true, result: { id: 7000000001 } });
      const bad = await rawCall(base, '/bot1:x/sendMessage', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ ok: false, error_code: 400, description: expect.stringMatching(/^Bad Request: /) });
    } finally {
      await app.close();
    }
  });
});
