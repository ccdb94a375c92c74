/** The basic customer ↔ agent flow through the real sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SUPPORT, topicOf, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const AGENT = 500_001;

describe('customer side', () => {
  it('/start explains support and warns about passwords and codes, opening no ticket', async () => {
    await h.client.sendCustomerMessage(1001, { text: '/start', first_name: 'Anna', language_code: 'en' });
    const m = await h.client.waitForCustomerMessage(1001, /support/i);
    expect(m.text).toMatch(/password/);
    expect(m.text).toMatch(/codes/);
    const t = await h.db.query('SELECT * FROM tickets WHERE customer_id = 1001');
    expect(t.rows).toHaveLength(0);
  });

  it('the first message opens a ticket: topic, card, relay, receipt with ETA, category keyboard', async () => {
    const date = Math.floor(Date.now() / 1000) - 30;
    const sent = await h.client.sendCustomerMessage(1001, { text: 'My payment failed', first_name: 'Anna', date });
    const receipt = await h.client.waitForCustomerMessage(1001, /Ticket #\d+ created/);
    const number = Number(/#(\d+)/.exec(receipt.text!)![1]);
    expect(receipt.text).toMatch(/Queue: L1\. We usually answer within 15 min/);
    const ticket = (await h.db.query<{ id: number; created_at: Date; status: string }>('SELECT * FROM tickets WHERE customer_id = 1001')).rows[0]!;
    expect(ticket.id).toBe(number);
    expect(ticket.created_at.getTime()).toBe(date * 1000);

    const thread = await topicOf(h.client, 1001, h.db);
    const topic = await h.client.waitForTopic((t) => t.thread_id === thread);
    expect(topic.name).toBe(`❗️ Anna · #${number}`);
    const card = await h.client.waitForChatMessage(SUPPORT, `Ticket #${number}`, { threadId: thread });
    expect(card.text).toMatch(/First response due/);
    // L1 escalates to L2 (SLA_TARGETS ">L2"): the card offers an expert too (features/urgent/).
    expect(card.buttons?.flat()).toEqual(['📝 Take', '🏁 Resolve', '🧠 Needs expert']);
    const copy = await h.client.waitForChatMessage(SUPPORT, 'My payment failed', { threadId: thread });
    expect(copy.message_id).toBeGreaterThan(card.message_id);

    const keyboard = await h.client.waitForCustomerMessage(1001, /What is your question about/);
    expect(keyboard.buttons?.flat()).toEqual(['💳 Payment', '👤 Account', '✨ Features', '😞 Complaint', '💡 Ideas']);
    expect(sent.message_id).toBeGreaterThan(0);
  });

  it('picking a category routes the ticket (Payment → payments) and updates the topic title', async () => {
    await h.client.pressCustomerButton(1001, '💳 Payment');
    await h.client.waitForCustomerMessage(1001, /in the payments queue\. We usually answer within 10 min/);
    const t = (await h.db.query<{ id: number; queue: string; category: string; status: string }>('SELECT * FROM tickets WHERE customer_id = 1001')).rows[0]!;
    expect(t).toMatchObject({ queue: 'payments', category: 'payment', status: 'waiting_agent' });
    await h.client.waitForTopic(`❗️ Anna · #${t.id} · Payment`);
  });

  it("the card shows the customer's own language, and the locale the bot answers in when it has no texts in theirs", async () => {
    await h.client.sendCustomerMessage(1002, { text: 'Meine Zahlung ist fehlgeschlagen', first_name: 'Jonas', language_code: 'de' });
    const receipt = await h.client.waitForCustomerMessage(1002, /Ticket #\d+ created/);
    const number = Number(/#(\d+)/.exec(receipt.text!)![1]);
    const card = await h.client.waitForChatMessage(SUPPORT, `Ticket #${number}`, { threadId: await topicOf(h.client, 1002, h.db) });
    expect(card.text).toContain('🌐 Language: de (the bot answers in en: no de texts)');
    // A language the desk speaks: just the language (Anna's card above).
    const anna = await h.client.waitForChatMessage(SUPPORT, /Ticket #\d+/, { threadId: await topicOf(h.client, 1001, h.db) });
    expect(anna.text).toContain('🌐 Language: en\n');
  });

  it('later messages join the open ticket; /status shows number, status and ETA', async () => {
    await h.client.sendCustomerMessage(1001, { text: 'Any news?' });
    const thread = await topicOf(h.client, 1001, h.db);
    await h.client.waitForChatMessage(SUPPORT, 'Any news?', { threadId: thread, from: 'bot' });
    const n = await h.db.query('SELECT id FROM tickets WHERE customer_id = 1001');
    expect(n.rows).toHaveLength(1);
    await h.client.sendCustomerMessage(1001, { text: '/status' });
    const s = await h.client.waitForCustomerMessage(1001, /waiting for an agent/);
    expect(s.text).toMatch(/Queue: payments/);
    expect(s.text).toMatch(/Expected answer within/);
  });
});

describe('agent side', () => {
  it('an agent reply reaches the customer and is the first response', async () => {
    const thread = await topicOf(h.client, 1001, h.db);
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: 'Hello Anna, checking your payment' });
    await h.client.waitForCustomerMessage(1001, 'Hello Anna, checking your payment');
    const events = await h.settle();
    const out = events.filter((e) => e.type === 'message_out');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ is_first_response: true, agent_id: AGENT, message_kind: 'text', queue: 'payments', category: 'payment' });
    const fr = out[0] as Extract<(typeof out)[0], { type: 'message_out' }>;
    expect(fr.first_response_seconds).toBeGreaterThanOrEqual(30);
    expect(fr.first_response_bh_seconds).toBe(fr.first_response_seconds);
    const t = (await h.db.query<{ status: string; agent_id: number }>('SELECT status, agent_id FROM tickets WHERE customer_id = 1001')).rows[0]!;
    expect(t).toEqual({ status: 'waiting_customer', agent_id: AGENT });
  });

  it('/take, /note, /resolve; then a new message opens a new ticket in the same topic', async () => {
    const thread = await topicOf(h.client, 1001, h.db);
    const ticket = (await h.db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = 1001')).rows[0]!;
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/take' });
    await h.client.waitForTopic(`📝 Anna · #${ticket.id} · Payment`);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/note refund pending in the PSP' });
    await h.client.waitForChatMessage(SUPPORT, /Note saved/, { threadId: thread });
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve' });
    await h.client.waitForTopic(`🏁 Anna · #${ticket.id} · Payment`);
    await h.client.waitForCustomerMessage(1001, `Ticket #${ticket.id} is solved`);
    const customerMsgs = await h.client.getCustomerMessages(1001);
    expect(customerMsgs.some((m) => (m.text ?? '').includes('refund pending'))).toBe(false);
    expect(customerMsgs.some((m) => (m.text ?? '').includes('/take'))).toBe(false);

    await h.client.sendCustomerMessage(1001, { text: 'One more question' });
    const receipt = await h.client.waitForCustomerMessage(1001, /Ticket #\d+ created/, { after: customerMsgs.at(-1)!.message_id });
    const second = Number(/#(\d+)/.exec(receipt.text!)![1]);
    expect(second).not.toBe(ticket.id);
    expect(await topicOf(h.client, 1001, h.db)).toBe(thread);
    await h.client.waitForTopic(`❗️ Anna · #${second}`);
    await h.client.waitForChatMessage(SUPPORT, 'One more question', { threadId: thread });

    const events = await h.settle();
    const resolved = events.find((e) => e.type === 'ticket_resolved' && e.ticket_id === ticket.id)!;
    expect(resolved).toMatchObject({ resolved_by: 'agent', agent_replies: 1, agent_id: AGENT });
    const opened = events.find((e) => e.type === 'ticket_opened' && e.ticket_id === second)!;
    expect(opened).toMatchObject({ is_repeat_contact: true });
  });

  it('messages in the General topic, commands and messages from outsiders are never relayed', async () => {
    const before = (await h.client.getCustomerMessages(1001)).length;
    const thread = await topicOf(h.client, 1001, h.db);
    await h.client.sendSupportMessage({ from_id: AGENT, text: 'general chatter' });
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/unknowncommand hi' });
    await h.client.sendSupportMessage({ from_id: 999_999, thread_id: thread, text: 'I am not staff', not_member: true });
    await h.client.sendSupportMessage({ from_id: 999_998, chat_id: -1002000000002, text: 'elsewhere' });
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: 'real answer' });
    await h.client.waitForCustomerMessage(1001, 'real answer');
    const texts = (await h.client.getCustomerMessages(1001)).slice(before).map((m) => m.text);
    expect(texts).toEqual(['real answer']);
  });
});
