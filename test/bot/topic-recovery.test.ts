/**
 * Topic recovery and the ticket card: a deleted topic is recreated with
 * exactly one card of the open ticket, however many paths hit the deleted
 * topic at once; a card that was replaced loses its buttons, and a press on a
 * stale card is refused without touching the ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../sandbox/index.js';
import { coreTestFeatures, startHarness, SUPPORT, topicOf, type Harness } from './harness.js';

let h: Harness;
const AGENT = 500_012;

beforeAll(async () => {
  h = await startHarness({ features: coreTestFeatures });
});
afterAll(async () => h?.close());

const hasButtons = (m: MessageView) => (m.buttons ?? []).some((row) => row.length > 0);
const isCardOf = (ticketId: number) => (m: MessageView) => m.from === 'bot' && (m.text ?? '').startsWith(`🎫 Ticket #${ticketId}`);
const ticketRow = async (customer: number) =>
  (
    await h.db.query<{ id: number; status: string; agent_id: number | null; card_message_id: number | null }>(
      'SELECT id, status, agent_id, card_message_id FROM tickets WHERE customer_id = $1 ORDER BY id DESC LIMIT 1',
      [customer],
    )
  ).rows[0]!;

async function openTicket(customer: number): Promise<{ thread: number; ticket: number }> {
  await h.client.sendCustomerMessage(customer, { text: 'first question', first_name: `Rec${customer}` });
  await h.client.waitForCustomerMessage(customer, /What is your question about/);
  const thread = await topicOf(h.client, customer, h.db);
  const ticket = (await ticketRow(customer)).id;
  await h.client.waitForChatMessage(SUPPORT, isCardOf(ticket), { threadId: thread });
  return { thread, ticket };
}

/** Deletes the topic, then the customer writes several messages at once; returns the new topic once they all arrived. */
async function burstIntoDeletedTopic(customer: number, thread: number): Promise<number> {
  await h.client.deleteTopic(thread);
  const texts = ['after 1', 'after 2', 'after 3', 'after 4'];
  await Promise.all(texts.map((text) => h.client.sendCustomerMessage(customer, { text })));
  const fresh = await h.client.waitFor(async () => {
    const t = await topicOf(h.client, customer, h.db);
    return t !== thread ? t : undefined;
  });
  for (const text of texts) await h.client.waitForChatMessage(SUPPORT, text, { threadId: fresh });
  await h.settle();
  return fresh;
}

/** Exactly one card of the ticket in the topic, the one the ticket points at, with buttons; every other visible card of it has none. */
async function expectOneLiveCard(ticket: number, thread: number): Promise<void> {
  const cards = (await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter(isCardOf(ticket));
  expect(cards).toHaveLength(1);
  expect(hasButtons(cards[0]!)).toBe(true);
  const row = (await h.db.query<{ card_message_id: number }>('SELECT card_message_id FROM tickets WHERE id = $1', [ticket])).rows[0]!;
  expect(row.card_message_id).toBe(cards[0]!.message_id);
  const others = (await h.client.getChatMessages(SUPPORT)).filter(isCardOf(ticket)).filter((m) => m.message_id !== cards[0]!.message_id);
  for (const m of others) expect(hasButtons(m), `card ${m.message_id} in topic ${m.thread_id}`).toBe(false);
}

describe('a deleted topic', () => {
  it('with an open ticket: several messages at once give one new topic with one card', async () => {
    const customer = 12_001;
    const { thread, ticket } = await openTicket(customer);
    const fresh = await burstIntoDeletedTopic(customer, thread);
    await expectOneLiveCard(ticket, fresh);
    expect((await h.client.getTopics()).filter((t) => !t.deleted && t.name.includes(`#${ticket}`))).toHaveLength(1);
  }, 60_000);

  it('after the ticket was resolved: the new ticket gets one card in the new topic', async () => {
    const customer = 12_002;
    const { thread, ticket } = await openTicket(customer);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve' });
    await h.client.waitForChatMessage(SUPPORT, /resolved by/, { threadId: thread });
    await h.settle();
    const fresh = await burstIntoDeletedTopic(customer, thread);
    const next = (await ticketRow(customer)).id;
    expect(next).not.toBe(ticket);
    await expectOneLiveCard(next, fresh);
    expect((await h.client.getTopics()).filter((t) => !t.deleted && t.name.includes(`Rec${customer}`))).toHaveLength(1);
  }, 60_000);
});

describe('a stale card', () => {
  it('a press on a card the ticket no longer points at is refused politely and changes nothing', async () => {
    const customer = 12_003;
    const { thread, ticket } = await openTicket(customer);
    const card = (await h.client.getChatMessages(SUPPORT, { threadId: thread })).find(isCardOf(ticket))!;
    // As if a newer card had replaced this one while its buttons could not be removed.
    await h.db.query('UPDATE tickets SET card_message_id = card_message_id + 100000 WHERE id = $1', [ticket]);
    const press = await h.client.pressSupportButton({ from_id: AGENT, text: 'Take', message_id: card.message_id });
    const answer = await h.client.waitFor(
      async () => (await h.client.getChatMessages(SUPPORT, { threadId: thread })).find((m) => m.message_id === press.message_id)?.callback_answers[0],
    );
    expect(answer.text).toMatch(/out of date/);
    await h.settle();
    expect((await ticketRow(customer)).agent_id).toBeNull();
    const after = (await h.client.getChatMessages(SUPPORT, { threadId: thread })).find((m) => m.message_id === card.message_id)!;
    expect(hasButtons(after)).toBe(false);
  }, 60_000);
});
