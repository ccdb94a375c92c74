/** Faults: 429/5xx from Telegram, the bus down, restarts — nothing lost, nothing doubled, order kept. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SUPPORT, topicOf, type Harness } from './harness.js';
import { analyticsIdOf } from '../../bot/store/pseudonyms.js';

let h: Harness;
const AGENT = 500_004;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const ticketKey = (ticketId: number | null) => (ticketId === null ? null : String(ticketId));
const pairsOf = async (chat: number) =>
  (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_pairs WHERE source_chat_id = $1', [chat])).rows[0]!.n;

describe('Telegram faults', () => {
  it('with 429s and 5xx on 30 % of calls every message arrives exactly once and in order, both ways', async () => {
    const customers = [5001, 5002, 5003];
    // Topics exist first, so agents can answer while faults are on.
    for (const c of customers) {
      await h.client.sendCustomerMessage(c, { text: `open ${c}`, first_name: `F${c}` });
      await h.client.waitForCustomerMessage(c, /What is your question about/);
    }
    await h.client.injectFault({ method: '*', error_code: 429, retry_after: 1, probability: 0.15 });
    await h.client.injectFault({ method: '*', error_code: 502, probability: 0.15 });
    const N = 8;
    for (let i = 1; i <= N; i++) {
      await Promise.all(customers.map((c) => h.client.sendCustomerMessage(c, { text: `m${i} from ${c}` })));
    }
    const threads = await Promise.all(customers.map((c) => topicOf(h.client, c, h.db)));
    for (let i = 1; i <= 4; i++) {
      await Promise.all(threads.map((t) => h.client.sendSupportMessage({ from_id: AGENT, thread_id: t, text: `a${i} in ${t}` })));
    }
    await h.client.waitFor(
      async () => {
        for (const c of customers) if ((await pairsOf(c)) < N + 1) return undefined;
        return (await pairsOf(SUPPORT)) >= 4 * customers.length || undefined;
      },
      { timeoutMs: 170_000, intervalMs: 200, what: 'all messages relayed under faults' },
    );
    await h.client.clearFaults();
    const stats = await h.client.getStats();
    expect(Object.values(stats.faults_served).reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
    for (const [k, c] of customers.entries()) {
      const inTopic = (await h.client.getChatMessages(SUPPORT, { threadId: threads[k]! })).filter((m) => /^m\d+ from/.test(m.text ?? '')).map((m) => m.text);
      expect(inTopic).toEqual(Array.from({ length: N }, (_, i) => `m${i + 1} from ${c}`));
      const atCustomer = (await h.client.getCustomerMessages(c)).filter((m) => /^a\d+ in/.test(m.text ?? '')).map((m) => m.text);
      expect(atCustomer).toEqual([1, 2, 3, 4].map((i) => `a${i} in ${threads[k]}`));
    }
    expect((await h.client.getTopics()).filter((t) => /F500\d/.test(t.name))).toHaveLength(3);
  }, 200_000);
});

describe('bus outage', () => {
  it('no event is lost while the bus is down; the outbox drains afterwards, in order per ticket', async () => {
    await h.settle();
    const before = h.bus.sent.length;
    h.bus.down = true;
    await h.client.sendCustomerMessage(5101, { text: 'during the outage', first_name: 'Outage' });
    await h.client.waitForCustomerMessage(5101, /What is your question about/);
    const thread = await topicOf(h.client, 5101, h.db);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: 'we hear you' });
    await h.client.waitForCustomerMessage(5101, 'we hear you');
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve' });
    await h.client.waitForCustomerMessage(5101, /is solved/);
    const backlog = await h.desk.outboxRelay.backlog();
    expect(backlog).toBeGreaterThanOrEqual(7);
    expect(h.bus.sent.length).toBe(before);
    const attempts = h.bus.sendAttempts;
    await h.client.waitFor(async () => h.bus.sendAttempts > attempts + 1 || undefined, { timeoutMs: 10_000, what: 'the relay to retry' });
    h.bus.down = false;
    // The running relay (not a manual drain) publishes the backlog once the bus is back.
    await h.client.waitFor(async () => (await h.desk.outboxRelay.backlog()) === 0 || undefined, { timeoutMs: 30_000, what: 'the outbox to drain' });
    const events = h.bus.events();
    const pseudonym = await analyticsIdOf(h.db, 5101);
    const ticketEvents = events.filter((e) => e.customer_id === pseudonym);
    expect(ticketEvents.map((e) => e.type)).toEqual([
      'ticket_opened',
      'status_changed',
      'message_in',
      'bot_reply',
      'ticket_assigned',
      'message_out',
      'status_changed',
      // the agent's reply and resolve, as audited staff actions (bot/audit.ts)
      'staff_action',
      'ticket_resolved',
      'status_changed',
      'staff_action',
    ]);
    const total = (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n;
    expect(new Set(events.map((e) => e.event_id)).size).toBe(total);
    // keyed by ticket; desk-wide events (the agent's staff_updated) have no ticket and no key
    expect(h.bus.sent.every((m) => m.key === ticketKey(JSON.parse(String(m.value)).ticket_id))).toBe(true);
    expect(events.filter((e) => e.ticket_id === null).map((e) => e.type)).toEqual(['staff_updated']);
  }, 60_000);
});

describe('restart', () => {
  it('keeps customer ↔ topic ↔ ticket and message pairs across a restart', async () => {
    const C = 5201;
    await h.client.sendCustomerMessage(C, { text: 'before restart', first_name: 'Rita' });
    await h.client.waitForCustomerMessage(C, /What is your question about/);
    const thread = await topicOf(h.client, C, h.db);
    const original = (await h.client.getCustomerMessages(C)).find((m) => m.text === 'before restart')!;
    const copy = await h.client.waitForChatMessage(SUPPORT, 'before restart', { threadId: thread });
    const ticket = (await h.db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = $1', [C])).rows[0]!.id;

    await h.restart();

    await h.client.sendCustomerMessage(C, { text: 'after restart' });
    await h.client.waitForChatMessage(SUPPORT, 'after restart', { threadId: thread });
    expect((await h.db.query('SELECT id FROM tickets WHERE customer_id = $1', [C])).rows).toEqual([{ id: ticket }]);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: 'replying to the old one', reply_to_message_id: copy.message_id });
    const reply = await h.client.waitForCustomerMessage(C, 'replying to the old one');
    expect(reply.reply_to).toBe(original.message_id);
    await h.client.editCustomerMessage(C, original.message_id, { text: 'before restart (edited)' });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === copy.message_id && m.text === 'before restart (edited)', { threadId: thread });
  }, 120_000);

  it('a restart in the middle of a burst loses and doubles nothing', async () => {
    const C = 5202;
    await h.client.sendCustomerMessage(C, { text: 'start', first_name: 'Mid' });
    await h.client.waitForCustomerMessage(C, /What is your question about/);
    const thread = await topicOf(h.client, C, h.db);
    const texts = Array.from({ length: 30 }, (_, i) => `burst-${i + 1}`);
    const sending = (async () => {
      for (const text of texts) await h.client.sendCustomerMessage(C, { text });
    })();
    await h.client.waitFor(async () => (await pairsOf(C)) >= 5 || undefined, { timeoutMs: 20_000 });
    await h.restart();
    await sending;
    await h.client.waitFor(async () => (await pairsOf(C)) === 31 || undefined, { timeoutMs: 60_000, what: 'all 31 relayed' });
    await h.client.waitForIdle();
    await h.desk.services.relay.idle();
    const relayed = (await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter((m) => m.text?.startsWith('burst-')).map((m) => m.text);
    expect(relayed).toEqual(texts);
    const pseudonym = await analyticsIdOf(h.db, C);
    const ins = (await h.settle()).filter((e) => e.type === 'message_in' && e.customer_id === pseudonym);
    expect(ins).toHaveLength(31);
  }, 120_000);
});
