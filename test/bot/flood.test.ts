/** With Telegram's flood limits enforced by the sandbox, the throttler keeps the desk under them: no 429, order kept. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SUPPORT, topicOf, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { THROTTLE: '1' }, sandbox: { floodLimits: true } });
});
afterAll(async () => h?.close());

describe('flood control', () => {
  it('sends a burst of agent replies to one customer at ~1/s without a single 429, in order', async () => {
    await h.client.sendCustomerMessage(7001, { text: 'hello', first_name: 'Flo' });
    await h.client.waitForCustomerMessage(7001, /What is your question about/, { timeoutMs: 20_000 });
    const thread = await topicOf(h.client, 7001, h.db);
    const texts = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
    for (const text of texts) await h.client.sendSupportMessage({ from_id: 500_007, thread_id: thread, text });
    await h.client.waitForCustomerMessage(7001, 'r6', { timeoutMs: 30_000 });
    const got = (await h.client.getCustomerMessages(7001)).filter((m) => /^r\d$/.test(m.text ?? ''));
    expect(got.map((m) => m.text)).toEqual(texts);
    const stats = await h.client.getStats();
    expect(stats.too_many_requests).toBe(0);
    expect((await h.client.getChatMessages(SUPPORT, { threadId: thread })).some((m) => m.text === 'hello')).toBe(true);
  }, 60_000);
});
