/** Knowledge base in the conversation, end to end through the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, SUPPORT, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { ticketWhen } from '../../../test/bot/harness.js';
import { analyticsIdOf } from '../../store/pseudonyms.js';

let h: FeatureHarness;
beforeAll(async () => {
  h = await startFeatureHarness();
});
afterAll(async () => h?.close());

const ticketOf = async (customerId: number) =>
  (
    await h.db.query<{ id: number; status: string; resolved_by: string | null; intake_state: string }>(
      'SELECT id, status, resolved_by, intake_state FROM tickets WHERE customer_id = $1 ORDER BY id DESC LIMIT 1',
      [customerId],
    )
  ).rows[0]!;
/** The customer is told first, then the ticket is resolved: wait for it (test/bot/harness.ts ticketWhen). */
const resolvedTicket = (customerId: number) => ticketWhen(h, { customer: customerId }, (t) => t.status === 'resolved');

describe('automatic answer from the knowledge base', () => {
  it('answers a matching first message with the article and resolves on "✅ Solved" without an agent', async () => {
    await h.client.sendCustomerMessage(2001, { text: 'I forgot my password and the reset email never arrives', first_name: 'Ann', language_code: 'en' });
    const suggestion = await h.client.waitForCustomerMessage(2001, /This article may answer your question/);
    expect(suggestion.text).toContain('Reset your password');
    expect(suggestion.text).toContain('Forgot password?');
    expect(suggestion.buttons?.flat()).toEqual(['✅ Solved', '👤 Talk to a human']);
    // Intake waits: no category keyboard while the suggestion is open.
    expect((await h.client.getCustomerMessages(2001)).some((m) => /What is your question about/.test(m.text ?? ''))).toBe(false);

    await h.client.pressCustomerButton(2001, '✅ Solved');
    await h.client.waitForCustomerMessage(2001, /Glad it helped! Ticket #\d+ is closed/);
    const t = await resolvedTicket(2001);
    expect(t).toMatchObject({ status: 'resolved', resolved_by: 'kb' });
    const thread = await h.thread(2001);
    await h.client.waitForChatMessage(SUPPORT, /article solved it/, { threadId: thread });
    // The keyboard is gone, and no rating survey follows a KB resolution.
    const msgs = await h.client.getCustomerMessages(2001);
    expect(msgs.find((m) => m.message_id === suggestion.message_id)?.buttons ?? []).toEqual([]);
    expect(msgs.some((m) => /How would you rate/.test(m.text ?? ''))).toBe(false);

    const events = await h.settle();
    const mine = events.filter((e) => e.ticket_id === t.id);
    expect(mine.find((e) => e.type === 'kb_suggested')).toMatchObject({
      kb_article_id: 'password-reset',
      customer_id: await analyticsIdOf(h.db, 2001),
      language: 'en',
    });
    expect((mine.find((e) => e.type === 'kb_suggested') as { kb_score: number }).kb_score).toBeGreaterThan(0);
    expect(mine.find((e) => e.type === 'bot_reply' && e.reply_kind === 'kb')).toMatchObject({ kb_article_id: 'password-reset' });
    expect(mine.find((e) => e.type === 'kb_outcome')).toMatchObject({ kb_article_id: 'password-reset', outcome: 'solved' });
    expect(mine.find((e) => e.type === 'ticket_resolved')).toMatchObject({ resolved_by: 'kb', agent_replies: 0, agent_id: null });
  });

  it('dates "✅ Solved" by Telegram\'s date of the answer to the press: a replayed conversation resolves in its own past', async () => {
    // History replay (the demo's simulator): the question and the press carry last week's dates; a press has no
    // date in Telegram, but the bot's answer to it does (the sandbox dates it in the replayed conversation).
    const asked = Math.floor(Date.now() / 1000) - 4 * 24 * 3600;
    await h.client.sendCustomerMessage(2005, {
      text: 'I forgot my password and the reset email never arrives',
      first_name: 'Rae',
      language_code: 'en',
      date: asked,
    });
    await h.client.waitForCustomerMessage(2005, /This article may answer your question/);
    await h.client.pressCustomerButton(2005, '✅ Solved', { date: asked + 90 });
    const reply = await h.client.waitForCustomerMessage(2005, /Glad it helped! Ticket #\d+ is closed/);
    const t = await resolvedTicket(2005);
    expect(t).toMatchObject({ status: 'resolved', resolved_by: 'kb' });
    const mine = (await h.settle()).filter((e) => e.ticket_id === t.id);
    const at = new Date(reply.date * 1000).toISOString();
    expect(reply.date).toBeLessThan(asked + 3600);
    expect(mine.find((e) => e.type === 'kb_outcome')?.occurred_at).toBe(at);
    // resolved minutes after the question (its first-response deadline untouched), not days later at replay time
    expect(mine.find((e) => e.type === 'ticket_resolved')?.occurred_at).toBe(at);
  });

  it('hands over to a human on "👤 Talk to a human": the category keyboard follows, the ticket stays open', async () => {
    await h.client.sendCustomerMessage(2002, { text: 'не могу зайти в аккаунт, пишет что заблокирован', first_name: 'Иван', language_code: 'ru' });
    const suggestion = await h.client.waitForCustomerMessage(2002, /Возможно, эта статья ответит/);
    expect(suggestion.text).toContain('Не получается войти в аккаунт');
    expect(suggestion.buttons?.flat()).toEqual(['✅ Решено', '👤 Позвать человека']);
    await h.client.pressCustomerButton(2002, '👤 Позвать человека');
    await h.client.waitForCustomerMessage(2002, /дальше вами займётся агент/);
    await h.client.waitForCustomerMessage(2002, (m) => (m.buttons?.flat().length ?? 0) >= 5);
    const t = await ticketWhen(h, { customer: 2002 }, (t) => t.intake_state === 'category');
    expect(t).toMatchObject({ status: 'new', resolved_by: null, intake_state: 'category' });
    // A second tap on the old buttons changes nothing (the keyboard was removed, the answer recorded once).
    const events = await h.settle();
    const outcomes = events.filter((e) => e.type === 'kb_outcome' && e.ticket_id === t.id);
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'human', kb_article_id: 'account-access', language: 'ru' })]);
    expect(events.some((e) => e.type === 'ticket_resolved' && e.ticket_id === t.id)).toBe(false);
  });

  it('answers Persian with the Persian article, its question and buttons in Persian, even when Telegram says "en"', async () => {
    await h.client.sendCustomerMessage(2004, { text: 'رمز عبورم رو فراموش کردم و ایمیل بازیابی نمیاد', first_name: 'Sara', language_code: 'en' });
    const suggestion = await h.client.waitForCustomerMessage(2004, /شاید این مقاله پاسخ سؤال شما باشد/);
    expect(suggestion.text).toContain('بازیابی رمز عبور');
    expect(suggestion.text).toContain('آیا مشکل‌تان حل شد؟');
    expect(suggestion.buttons?.flat()).toEqual(['✅ حل شد', '👤 گفتگو با کارشناس']);
    await h.client.pressCustomerButton(2004, '✅ حل شد');
    await h.client.waitForCustomerMessage(2004, /Ticket #\d+ is closed/);
    expect(await resolvedTicket(2004)).toMatchObject({ status: 'resolved', resolved_by: 'kb' });
    const events = await h.settle();
    const sara = await analyticsIdOf(h.db, 2004);
    expect(events.find((e) => e.type === 'kb_suggested' && e.customer_id === sara)).toMatchObject({ kb_article_id: 'password-reset' });
  });

  it('does not answer messages the knowledge base has nothing for', async () => {
    await h.client.sendCustomerMessage(2003, { text: 'hi there', first_name: 'Bo', language_code: 'en' });
    await h.client.waitForCustomerMessage(2003, /What is your question about/);
    expect((await h.client.getCustomerMessages(2003)).some((m) => /article/.test(m.text ?? ''))).toBe(false);
  });
});

describe('/find_kb for agents', () => {
  it('lists matching articles in a topic and sends the tapped one to the customer in their language', async () => {
    const thread = await h.thread(2002);
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: '/find_kb refund' });
    const list = await h.client.waitForChatMessage(SUPPORT, /Articles for "refund"/, { threadId: thread });
    const buttons = list.buttons!.flat();
    // Buttons name what the customer will get: the article in the customer's language; the list names its id.
    expect(buttons[0]).toBe('📄 Возврат денег: как оформить и сколько ждать');
    expect(list.text).toContain('(refunds,');
    await h.client.pressSupportButton({ from_id: AGENT, thread_id: thread, message_id: list.message_id, text: buttons[0]! });
    // The customer reads Russian: the Russian version goes out.
    await h.client.waitForCustomerMessage(2002, /Возврат денег: как оформить/);
    await h.client.waitForChatMessage(SUPPORT, /Sent to the customer/, { threadId: thread });
    const t = await ticketOf(2002);
    const events = (await h.settle()).filter((e) => e.ticket_id === t.id);
    expect(events.find((e) => e.type === 'macro_used')).toMatchObject({ macro: 'kb:refunds', agent_id: AGENT });
    expect(events.find((e) => e.type === 'message_out')).toMatchObject({ is_first_response: true, agent_id: AGENT });
  });

  it('explains usage and says when nothing matches', async () => {
    const thread = await h.thread(2002);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/find_kb' });
    await h.client.waitForChatMessage(SUPPORT, /Usage: \/find_kb/, { threadId: thread });
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/find_kb zxqv' });
    await h.client.waitForChatMessage(SUPPORT, /Nothing in the knowledge base matches "zxqv"/, { threadId: thread });
  });
});
