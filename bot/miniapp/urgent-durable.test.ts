/**
 * A request or reply written in the Mini App is treated as a message to the bot in the two ways that matter
 * most (issues 14 and 15): a stop word makes it urgent through the same accept path (urgent ticket in its
 * queue, the customer told its number and ETA, the escalation chat's post with Take, no KB answer), and a
 * topic Telegram cannot take now (sandbox faults) does not fail the request: the message waits in
 * pending_deliveries and reaches the topic exactly once when the fault clears.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION_CHAT_ID } from '../../sandbox/identities.js';
import { AGENT, startFeatureHarness, SUPPORT, type FeatureHarness } from '../../test/bot/feature-harness.js';
import type { Ticket } from '../store/types.js';
import { APP_MARK } from './deliver.js';
import { miniAppPlugin } from './plugin.js';

let h: FeatureHarness;
let app: FastifyInstance;

beforeAll(async () => {
  // The KB answers as in production: a stop word must skip it.
  h = await startFeatureHarness({ env: { SPAM_NEWCOMER_MESSAGES: '0', SPAM_NEWCOMER_AGE: '0', SPAM_DUPLICATE_WINDOW: '0' } });
  for (const chat_id of [SUPPORT, DEFAULT_ESCALATION_CHAT_ID]) await h.client.setMember({ user_id: AGENT, status: 'member', chat_id, first_name: 'Maria' });
  app = Fastify();
  await app.register(miniAppPlugin, { desk: h.desk.services, runtime: h.features.runtime, maxAgeSeconds: 86_400, ratePerMinute: 1000, webRoot: false });
  await app.ready();
});
afterAll(async () => {
  await h?.client.clearFaults();
  await app?.close();
  await h?.close();
});

/** The customer's chat with the bot exists (they pressed Start), so the bot can tell them. */
const started = new Set<number>();
const call = async (userId: number, url: string, payload: Record<string, unknown>) => {
  if (!started.has(userId)) {
    started.add(userId);
    await h.client.sendCustomerMessage(userId, { text: '/start', first_name: `App${userId}`, language_code: 'en' });
    await h.client.waitForCustomerMessage(userId, /./);
  }
  const res = await app.inject({
    method: 'POST',
    url: `/app/api${url}`,
    headers: { authorization: `tma ${(await h.client.openWebApp(userId, {})).init_data}` },
    payload,
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
};
const ticket = async (id: number) => (await h.db.query<Ticket>('SELECT * FROM tickets WHERE id = $1', [id])).rows[0]!;
const waiting = async () => Number((await h.db.query<{ n: string }>('SELECT count(*) AS n FROM pending_deliveries')).rows[0]!.n);

describe('a stop word in the app', () => {
  it('a request "my account was hacked" → urgent security ticket, the customer told number and ETA, escalation post with Take, no KB answer', async () => {
    const C = 9301;
    const res = await call(C, '/tickets', { category: 'account', text: 'my account was hacked' });
    expect(res.status).toBe(201);
    const number = res.body.number as number;
    expect(await ticket(number)).toMatchObject({ queue: 'security', urgent: true });
    const told = await h.client.waitForCustomerMessage(C, /marked urgent: a person from our team is on it/);
    expect(told.text).toContain(`#${number}`);
    const post = await h.client.waitForChatMessage(DEFAULT_ESCALATION_CHAT_ID, new RegExp(`Urgent ticket.*#${number}`, 's'));
    expect(post.buttons?.flat()).toEqual([`Take #${number}`]);
    await h.client.waitForChatMessage(SUPPORT, `${APP_MARK} my account was hacked`, { threadId: await h.thread(C) });
    await h.client.waitForIdle();
    const msgs = await h.client.getCustomerMessages(C);
    // The urgent message is the receipt: no ordinary one, no KB article.
    expect(msgs.filter((m) => m.from !== 'customer' && /#/.test(m.text ?? ''))).toHaveLength(1);
    expect(msgs.some((m) => (m.buttons?.flat() ?? []).some((b) => /Solved/.test(b)))).toBe(false);
    const events = (await h.settle()).filter((e) => e.ticket_id === number);
    expect(events.filter((e) => e.type === 'ticket_escalated')).toEqual([expect.objectContaining({ reason: 'stop_word', to_queue: 'security', urgent: true })]);
    expect(events.some((e) => e.type === 'kb_suggested')).toBe(false);
  });

  it('a reply with a stop word makes an open ticket urgent, once', async () => {
    const C = 9302;
    const { body } = await call(C, '/tickets', { category: 'account', text: 'a question about my contract' });
    const number = body.number as number;
    expect(await ticket(number)).toMatchObject({ urgent: false });
    expect((await call(C, `/tickets/${number}/messages`, { text: 'payment failed and money not received' })).status).toBe(201);
    expect(await ticket(number)).toMatchObject({ urgent: true, queue: 'payments' });
    expect((await call(C, `/tickets/${number}/messages`, { text: 'payment failed again' })).status).toBe(201);
    await h.client.waitForIdle();
    const events = (await h.settle()).filter((e) => e.ticket_id === number && e.type === 'ticket_escalated');
    expect(events).toHaveLength(1);
  });
});

describe('Telegram cannot take the message now', () => {
  it('a reply while the topic send fails → 201, kept; after the fault clears it reaches the topic exactly once', async () => {
    const C = 9303;
    const { body } = await call(C, '/tickets', { category: 'account', text: 'hello from the app' });
    const number = body.number as number;
    const thread = await h.thread(C);
    await h.client.waitForChatMessage(SUPPORT, `${APP_MARK} hello from the app`, { threadId: thread });
    await h.client.injectFault({ method: 'sendMessage', error_code: 400, description: 'Bad Request: CHAT_WRITE_FORBIDDEN', probability: 1 });
    const text = 'are you there? second try';
    const res = await call(C, `/tickets/${number}/messages`, { text });
    expect(res.status).toBe(201);
    expect(await waiting()).toBe(1);
    // Kept in the history (the app's page shows it) though not yet in the topic.
    expect((await h.desk.services.history.list(number)).map((m) => m.text)).toContain(text);
    await h.client.clearFaults();
    await h.client.waitForChatMessage(SUPPORT, `${APP_MARK} ${text}`, { threadId: thread, timeoutMs: 30_000 });
    await h.client.waitFor(async () => ((await waiting()) === 0 ? true : undefined), { what: 'nothing waiting', timeoutMs: 10_000 });
    await h.client.waitForIdle();
    const inTopic = (await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter((m) => m.text === `${APP_MARK} ${text}`);
    expect(inTopic).toHaveLength(1);
    // A later reply goes straight in.
    expect((await call(C, `/tickets/${number}/messages`, { text: 'third' })).status).toBe(201);
    await h.client.waitForChatMessage(SUPPORT, `${APP_MARK} third`, { threadId: thread });
  }, 60_000);

  it('a new request while topics cannot be created → 201 with its number; later one topic, one card, the message once', async () => {
    const C = 9304;
    await h.client.injectFault({
      method: 'createForumTopic',
      error_code: 400,
      description: 'Bad Request: not enough rights to create a topic',
      probability: 1,
    });
    const res = await call(C, '/tickets', { category: 'account', text: 'new request while broken' });
    expect(res.status).toBe(201);
    const number = res.body.number as number;
    expect(number).toBeGreaterThan(0);
    await h.client.waitForCustomerMessage(C, new RegExp(`#${number}`));
    await h.client.clearFaults();
    const thread = await h.client.waitFor(
      async () => (await h.db.query<{ thread_id: number | null }>('SELECT thread_id FROM customers WHERE id = $1', [C])).rows[0]?.thread_id ?? undefined,
      { what: 'the topic', timeoutMs: 30_000 },
    );
    await h.client.waitForChatMessage(SUPPORT, `${APP_MARK} new request while broken`, { threadId: thread, timeoutMs: 30_000 });
    await h.client.waitFor(async () => ((await waiting()) === 0 ? true : undefined), { what: 'nothing waiting', timeoutMs: 10_000 });
    await h.client.waitForIdle();
    const inTopic = await h.client.getChatMessages(SUPPORT, { threadId: thread });
    expect(inTopic.filter((m) => m.text === `${APP_MARK} new request while broken`)).toHaveLength(1);
    expect(inTopic.filter((m) => m.from === 'bot' && (m.text ?? '').startsWith(`🎫 Ticket #${number}`))).toHaveLength(1);
  }, 60_000);
});
