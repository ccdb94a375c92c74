/** Many messages at once: one topic per customer, one ticket, order kept. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SUPPORT, topicOf, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('concurrency', () => {
  it('20 simultaneous first messages from one customer: one topic, one ticket, all relayed in order', async () => {
    const C = 4001;
    const texts = Array.from({ length: 20 }, (_, i) => `burst ${i + 1}`);
    await Promise.all(texts.map((text) => h.client.sendCustomerMessage(C, { text, first_name: 'Burst' })));
    await h.client.waitFor(async () => (await h.db.query('SELECT 1 FROM message_pairs WHERE source_chat_id = $1', [C])).rows.length === 20 || undefined, {
      timeoutMs: 30_000,
    });
    const topics = (await h.client.getTopics()).filter((t) => t.name.includes('Burst'));
    expect(topics).toHaveLength(1);
    const tickets = await h.db.query('SELECT id FROM tickets WHERE customer_id = $1', [C]);
    expect(tickets.rows).toHaveLength(1);
    const thread = await topicOf(h.client, C, h.db);
    const sentOrder = (await h.client.getCustomerMessages(C)).filter((m) => m.from === 'customer').map((m) => m.text);
    const relayed = (await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter((m) => m.text?.startsWith('burst ')).map((m) => m.text);
    expect(relayed).toEqual(sentOrder);
    expect(new Set(relayed).size).toBe(20);
  });

  it('500 new customers at once each get their own topic and ticket', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => 10_000 + i);
    for (let i = 0; i < ids.length; i += 100)
      await Promise.all(ids.slice(i, i + 100).map((id) => h.client.sendCustomerMessage(id, { text: `hello from ${id}`, first_name: `N${id}` })));
    await h.client.waitFor(
      async () =>
        (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_pairs WHERE source_chat_id >= 10000 AND source_chat_id < 10500')).rows[0]!
          .n === 500 || undefined,
      { timeoutMs: 240_000, intervalMs: 250, what: '500 relayed first messages' },
    );
    const rows = (await h.db.query<{ id: number; thread_id: number }>('SELECT id, thread_id FROM customers WHERE id >= 10000 AND id < 10500')).rows;
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((r) => r.thread_id)).size).toBe(500);
    const topics = (await h.client.getTopics()).filter((t) => /^❗️ N1\d{4} · #\d+$/.test(t.name));
    expect(topics).toHaveLength(500);
    const tickets = (
      await h.db.query<{ n: number }>(
        'SELECT count(DISTINCT customer_id)::int AS n, count(*)::int AS m FROM tickets WHERE customer_id >= 10000 AND customer_id < 10500',
      )
    ).rows[0]!;
    expect(tickets.n).toBe(500);
    // Each first message is in its own customer's topic.
    const byThread = new Map(rows.map((r) => [r.thread_id, r.id]));
    for (const t of topics.slice(0, 50)) {
      const msgs = await h.client.getChatMessages(SUPPORT, { threadId: t.thread_id });
      expect(msgs.find((m) => m.text?.startsWith('hello from'))?.text).toBe(`hello from ${byThread.get(t.thread_id)}`);
    }
  }, 300_000);
});
