import { describe, expect, it } from 'vitest';
import { useSandbox } from './test-helpers.js';

const fx = useSandbox();

describe('many concurrent customers', () => {
  it('delivers every message once and in order to a polling grammY bot, and every reply back', async () => {
    const CUSTOMERS = 500;
    const PER_CUSTOMER = 2;
    const seen = new Map<number, string[]>();
    fx.bot.on('message:text', async (ctx) => {
      const list = seen.get(ctx.chat.id) ?? [];
      list.push(ctx.message.text);
      seen.set(ctx.chat.id, list);
      await ctx.reply(`re: ${ctx.message.text}`);
    });
    await new Promise<void>((resolve) => void fx.bot.start({ onStart: () => resolve(), timeout: 5 }));
    try {
      await Promise.all(
        Array.from({ length: CUSTOMERS }, async (_, i) => {
          for (let j = 0; j < PER_CUSTOMER; j++) await fx.client.sendCustomerMessage(100_000 + i, `c${i} m${j}`);
        }),
      );
      await fx.client.waitFor(async () => [...seen.values()].reduce((n, l) => n + l.length, 0) === CUSTOMERS * PER_CUSTOMER, { timeoutMs: 60_000 });
      await fx.client.waitForIdle({ timeoutMs: 30_000 });
    } finally {
      await fx.bot.stop();
    }
    for (let i = 0; i < CUSTOMERS; i++) expect(seen.get(100_000 + i)).toEqual([`c${i} m0`, `c${i} m1`]);
    const sample = await fx.client.getCustomerMessages(100_123);
    expect(sample.map((m) => `${m.from}:${m.text}`).sort()).toEqual(['bot:re: c123 m0', 'bot:re: c123 m1', 'customer:c123 m0', 'customer:c123 m1']);
    const stats = await fx.client.getStats();
    expect(stats.calls.sendMessage).toBe(CUSTOMERS * PER_CUSTOMER);
    expect(stats.messages).toBe(CUSTOMERS * PER_CUSTOMER * 2);
  });
});
