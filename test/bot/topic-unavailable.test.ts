/**
 * No customer left without an answer (issue 18, item 2): while topics cannot be created in the support
 * group (here: Topics turned off), customers still get their receipts, nothing reaches the group, the
 * escalation chat is told once and the desk_messages_awaiting_delivery gauge counts what waits; once topics
 * work again the repair creates each topic with one card and delivers every held message exactly once, in
 * order — also when the desk restarts in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../core/metrics.js';
import { DEFAULT_ESCALATION_CHAT_ID, SANDBOX_BOT_ID } from '../../sandbox/identities.js';
import type { MessageView } from '../../sandbox/index.js';
import { startHarness, SUPPORT, topicOf, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const isCardOf = (ticketId: number) => (m: MessageView) => m.from === 'bot' && (m.text ?? '').startsWith(`🎫 Ticket #${ticketId}`);
const ticketOf = async (customer: number) =>
  (await h.db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = $1 ORDER BY id DESC LIMIT 1', [customer])).rows[0]!.id;
const waiting = async () => Number((await h.db.query<{ n: string }>('SELECT count(*) AS n FROM pending_deliveries')).rows[0]!.n);
const gauge = async () => (await registry.getSingleMetric('desk_messages_awaiting_delivery')!.get()).values[0]?.value;
const escalationNotes = async (re: RegExp) =>
  (await h.client.getChatMessages(DEFAULT_ESCALATION_CHAT_ID)).filter((m) => m.from === 'bot' && re.test(m.text ?? ''));
const groupTexts = async (texts: string[]) => (await h.client.getChatMessages(SUPPORT)).filter((m) => texts.includes(m.text ?? ''));

/** Two customers write while topics are off (the first twice); each gets a receipt, nothing reaches the group. */
async function writeWhileBroken(a: number, b: number, tag: string): Promise<string[]> {
  const texts = [`${tag} a1`, `${tag} b1`, `${tag} a2`];
  await h.client.sendCustomerMessage(a, { text: texts[0]!, first_name: `Held${a}` });
  await h.client.sendCustomerMessage(b, { text: texts[1]!, first_name: `Held${b}` });
  await h.client.waitForCustomerMessage(a, /Ticket #\d+ created/, { timeoutMs: 10_000 });
  await h.client.waitForCustomerMessage(b, /Ticket #\d+ created/, { timeoutMs: 10_000 });
  await h.client.sendCustomerMessage(a, { text: texts[2]! });
  await h.client.waitFor(async () => ((await waiting()) === 3 ? true : undefined), { what: 'three held messages', timeoutMs: 10_000 });
  await h.settle();
  expect(await groupTexts(texts)).toEqual([]);
  expect(await gauge()).toBe(3);
  return texts;
}

/** Each customer's topic has exactly one card and their messages exactly once, in the order sent. */
async function expectDelivered(customer: number, texts: string[]): Promise<void> {
  const thread = await topicOf(h.client, customer, h.db);
  for (const t of texts) await h.client.waitForChatMessage(SUPPORT, t, { threadId: thread, timeoutMs: 30_000 });
  await h.settle();
  const inTopic = await h.client.getChatMessages(SUPPORT, { threadId: thread });
  expect(inTopic.filter(isCardOf(await ticketOf(customer)))).toHaveLength(1);
  expect(inTopic.filter((m) => texts.includes(m.text ?? '')).map((m) => m.text)).toEqual(texts);
  const topics = (await h.client.getTopics()).filter((t) => !t.deleted && t.name.includes(`Held${customer}`));
  expect(topics).toHaveLength(1);
}

describe('topics cannot be created', () => {
  it('customers get receipts; once topics work again each gets one topic, one card and every message once, in order', async () => {
    const [a, b] = [18_201, 18_202];
    await h.client.setChat({ is_forum: false });
    const [a1, b1, a2] = await writeWhileBroken(a, b, 'first');
    const told = await escalationNotes(/Topics cannot be created in the support group: the chat is not a forum/);
    expect(told).toHaveLength(1);
    expect((await h.db.query('SELECT 1 FROM tickets WHERE topic_pending')).rows).toHaveLength(2);

    await h.client.setChat({ is_forum: true });
    await expectDelivered(a, [a1!, a2!]);
    await expectDelivered(b, [b1!]);
    expect(await waiting()).toBe(0);
    expect(await gauge()).toBe(0);
    expect((await h.db.query('SELECT 1 FROM tickets WHERE topic_pending')).rows).toHaveLength(0);
    await h.client.waitFor(async () => ((await escalationNotes(/^✅ The support group works again/)).length === 1 ? true : undefined), {
      what: 'the all-clear',
    });
    expect(await escalationNotes(/Topics cannot be created/)).toHaveLength(1);

    // A later message goes straight to the topic, after the held ones.
    await h.client.sendCustomerMessage(a, { text: 'first a3' });
    await expectDelivered(a, [a1!, a2!, 'first a3']);
  }, 90_000);

  it('across a desk restart in the middle', async () => {
    const [a, b] = [18_301, 18_302];
    await h.client.setChat({ is_forum: false });
    const [a1, b1, a2] = await writeWhileBroken(a, b, 'restart');
    await h.restart();
    expect(await waiting()).toBe(3);
    await h.client.setChat({ is_forum: true });
    await expectDelivered(a, [a1!, a2!]);
    await expectDelivered(b, [b1!]);
    expect(await waiting()).toBe(0);
    // Another restart delivers nothing twice.
    await h.restart();
    await h.settle();
    await expectDelivered(a, [a1!, a2!]);
    await expectDelivered(b, [b1!]);
  }, 90_000);

  it('the bot lost can_manage_topics: the same, and the escalation chat names the reason', async () => {
    const [a, b] = [18_501, 18_502];
    await h.client.setMember({ user_id: SANDBOX_BOT_ID, status: 'administrator', can_manage_topics: false });
    const before = (await h.client.getChatMessages(DEFAULT_ESCALATION_CHAT_ID)).length;
    const [a1, b1, a2] = await writeWhileBroken(a, b, 'rights');
    const told = (await h.client.getChatMessages(DEFAULT_ESCALATION_CHAT_ID)).slice(before).filter((m) => /Topics cannot be created/.test(m.text ?? ''));
    expect(told).toHaveLength(1);
    await h.client.setMember({ user_id: SANDBOX_BOT_ID, status: 'administrator', can_manage_topics: true });
    await expectDelivered(a, [a1!, a2!]);
    await expectDelivered(b, [b1!]);
    expect(await waiting()).toBe(0);
  }, 90_000);

  it('a held message the customer deleted meanwhile is the one permanent failure: the agents get a note, the rest is delivered', async () => {
    const c = 18_401;
    await h.client.setChat({ is_forum: false });
    await h.client.sendCustomerMessage(c, { text: 'gone soon', first_name: `Held${c}` });
    await h.client.waitForCustomerMessage(c, /Ticket #\d+ created/, { timeoutMs: 10_000 });
    await h.client.sendCustomerMessage(c, { text: 'stays' });
    await h.client.waitFor(async () => ((await waiting()) === 2 ? true : undefined), { what: 'two held messages', timeoutMs: 10_000 });
    await h.client.injectFault({ method: 'copyMessage', error_code: 400, description: 'Bad Request: message to copy not found', count: 1 });
    await h.client.setChat({ is_forum: true });
    const thread = await topicOf(h.client, c, h.db);
    await h.client.waitForChatMessage(SUPPORT, 'stays', { threadId: thread, timeoutMs: 30_000 });
    await h.client.waitForChatMessage(SUPPORT, /can't be shown here/, { threadId: thread });
    await h.settle();
    expect(await waiting()).toBe(0);
  }, 90_000);
});
