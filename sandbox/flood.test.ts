import { Bot } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxClient } from './client.js';
import { startSandbox, type RunningSandbox } from './server.js';
import { apiError } from './test-helpers.js';

let sandbox: RunningSandbox | undefined;
afterEach(async () => sandbox?.close());

/** A sandbox with flood limits and a clock the test moves by hand. */
async function limited(limits: Parameters<typeof startSandbox>[0] = {}) {
  let now = Date.UTC(2026, 0, 1);
  sandbox = await startSandbox({ floodLimits: true, clock: () => now, ...limits });
  const bot = new Bot(sandbox.token, { client: { apiRoot: sandbox.apiRoot } });
  const client = new SandboxClient(sandbox.url);
  return { bot, client, advance: (ms: number) => (now += ms) };
}

describe('flood limits', () => {
  it('allows a short burst per private chat, then answers 429 with retry_after', async () => {
    const { bot, client, advance } = await limited();
    await client.sendCustomerMessage(1001, 'hi');
    for (let i = 0; i < 3; i++) await bot.api.sendMessage(1001, `burst ${i}`);
    const err = await apiError(bot.api.sendMessage(1001, 'too fast'));
    expect(err.error_code).toBe(429);
    expect(err.description).toBe('Too Many Requests: retry after 1');
    expect(err.parameters.retry_after).toBe(1);
    advance(1000);
    await expect(bot.api.sendMessage(1001, 'after waiting')).resolves.toBeDefined();
    // Another chat is not affected.
    await client.sendCustomerMessage(1002, 'hi');
    await expect(bot.api.sendMessage(1002, 'other chat')).resolves.toBeDefined();
    expect((await client.getStats()).flood_limited).toBe(1);
  });

  it('limits a group to 20 messages per minute with a realistic retry_after', async () => {
    const { bot, advance } = await limited();
    const group = sandbox!.world.chatIds.support;
    for (let i = 0; i < 20; i++) await bot.api.sendMessage(group, `m${i}`);
    const err = await apiError(bot.api.sendMessage(group, 'one more'));
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBe(3);
    advance(3000);
    await expect(bot.api.sendMessage(group, 'ok again')).resolves.toBeDefined();
  });

  it('caps the bot overall at about 30 messages per second', async () => {
    const { bot, client } = await limited();
    for (let u = 1; u <= 31; u++) await client.sendCustomerMessage(u, 'hi');
    for (let u = 1; u <= 30; u++) await bot.api.sendMessage(u, 'broadcast');
    const err = await apiError(bot.api.sendMessage(31, 'broadcast'));
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBe(1);
  });

  it('counts copies as messages and ignores edits', async () => {
    const { bot, client } = await limited();
    await client.sendCustomerMessage(1001, 'hi');
    const m = await bot.api.sendMessage(1001, 'v0');
    for (let i = 1; i <= 5; i++) await bot.api.editMessageText(1001, m.message_id, `v${i}`);
    await bot.api.copyMessage(1001, 1001, 1);
    await bot.api.copyMessage(1001, 1001, 1);
    expect((await apiError(bot.api.copyMessage(1001, 1001, 1))).error_code).toBe(429);
  });

  it('is off by default', async () => {
    sandbox = await startSandbox();
    const bot = new Bot(sandbox.token, { client: { apiRoot: sandbox.apiRoot } });
    await new SandboxClient(sandbox.url).sendCustomerMessage(1001, 'hi');
    for (let i = 0; i < 50; i++) await bot.api.sendMessage(1001, `m${i}`);
  });
});
