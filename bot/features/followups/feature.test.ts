/** Follow-ups and auto-close on the durable scheduler, end to end through the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuietHours } from '../../runtime/quiet-hours.js';
import { AGENT, SUPPORT, openTicket, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { ticketWhen } from '../../../test/bot/harness.js';
import { analyticsIdOf } from '../../store/pseudonyms.js';

let h: FeatureHarness;
beforeAll(async () => {
  h = await startFeatureHarness({ env: { FOLLOWUP_DELAY: '24h', AUTO_CLOSE_AFTER: '72h', CSAT_ENABLED: '0' } });
});
afterAll(async () => h?.close());

const HOUR = 3600_000;
const later = (ms: number) => new Date(Date.now() + ms);

async function resolvedByAgent(customerId: number, language = 'en') {
  const { ticketId, thread } = await openTicket(h, customerId, { language });
  await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: 'Fixed it for you' });
  await h.client.waitForCustomerMessage(customerId, 'Fixed it for you');
  await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve' });
  await h.client.waitFor(async () => ((await status(ticketId)) === 'resolved' ? true : undefined), { what: 'resolved' });
  // The follow-up is scheduled by the onResolved hook, which runs after the resolution committed.
  await h.client.waitFor(
    async () => ((await h.db.query(`SELECT 1 FROM feature_jobs WHERE kind = 'followup' AND ticket_id = $1`, [ticketId])).rows.length > 0 ? true : undefined),
    { what: 'follow-up scheduled' },
  );
  return { ticketId, thread };
}
const status = async (id: number) => (await h.db.query<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [id])).rows[0]?.status;
const followupsTo = async (customerId: number) =>
  (await h.client.getCustomerMessages(customerId)).filter((m) => /Did our solution help|Наше решение помогло/.test(m.text ?? ''));

describe('follow-up', () => {
  it('asks "Did it help?" FOLLOWUP_DELAY after the resolution, not before; "No" reopens the ticket with ❗️', async () => {
    const { ticketId, thread } = await resolvedByAgent(4001);
    await h.runJobs(later(23 * HOUR));
    expect(await followupsTo(4001)).toEqual([]);

    await h.runJobs(later(24 * HOUR + 60_000));
    const q = await h.client.waitForCustomerMessage(4001, `We recently resolved your request #${ticketId}. Did our solution help?`);
    expect(q.buttons?.flat()).toEqual(['👍 Yes, it helped', '👎 No']);
    await h.client.pressCustomerButton(4001, '👎 No');
    await h.client.waitForCustomerMessage(4001, `Ticket #${ticketId} is open again`);
    expect(await status(ticketId)).toBe('waiting_agent');
    await h.client.waitForChatMessage(SUPPORT, `did not help: ticket #${ticketId} reopened`, { threadId: thread });
    await h.client.waitForTopic((t) => t.thread_id === thread && t.name.startsWith('❗️'));

    const events = (await h.settle()).filter((e) => e.ticket_id === ticketId);
    expect(events.filter((e) => e.type === 'followup_sent')).toHaveLength(1);
    expect(events.find((e) => e.type === 'followup_answered')).toMatchObject({ helped: false, customer_id: await analyticsIdOf(h.db, 4001) });
    expect(events.find((e) => e.type === 'ticket_reopened')).toMatchObject({ reason: 'followup' });
  });

  it('"Yes" thanks the customer and leaves the ticket resolved', async () => {
    const { ticketId } = await resolvedByAgent(4002, 'ru');
    await h.runJobs(later(25 * HOUR));
    await h.client.waitForCustomerMessage(4002, `Недавно мы решили ваш вопрос #${ticketId}`);
    await h.client.pressCustomerButton(4002, '👍 Да, помогло');
    await h.client.waitForCustomerMessage(4002, 'спасибо, что сообщили');
    expect(await status(ticketId)).toBe('resolved');
    const answered = (await h.eventsOf('followup_answered')).filter((e) => e.ticket_id === ticketId);
    expect(answered).toEqual([expect.objectContaining({ helped: true, language: 'ru' })]);
  });

  it('survives a restart and is sent exactly once', async () => {
    const { ticketId } = await resolvedByAgent(4003);
    await h.restart();
    await h.runJobs(later(25 * HOUR));
    await h.client.waitForCustomerMessage(4003, `#${ticketId}. Did our solution help?`);
    await h.runJobs(later(26 * HOUR));
    await h.restart();
    await h.runJobs(later(27 * HOUR));
    await h.settle();
    expect(await followupsTo(4003)).toHaveLength(1);
    expect((await h.eventsOf('followup_sent')).filter((e) => e.ticket_id === ticketId)).toHaveLength(1);
  });

  it('waits for the end of quiet hours', async () => {
    const due = later(24 * HOUR);
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    // Quiet from an hour before the follow-up is due until two hours after.
    const config = h.features.runtime.config as { quietHours: unknown };
    config.quietHours = parseQuietHours(`${hhmm(new Date(due.getTime() - HOUR))}-${hhmm(new Date(due.getTime() + 2 * HOUR))}`, 'UTC');
    try {
      const { ticketId } = await resolvedByAgent(4004);
      await h.runJobs(later(24 * HOUR + 60_000));
      await h.runJobs(later(25 * HOUR));
      expect(await followupsTo(4004)).toEqual([]);
      await h.runJobs(later(26 * HOUR + 5 * 60_000));
      await h.client.waitForCustomerMessage(4004, `#${ticketId}. Did our solution help?`);
    } finally {
      config.quietHours = undefined;
    }
  });

  it('is dropped when the ticket was reopened before it was due', async () => {
    const { ticketId, thread } = await resolvedByAgent(4005);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/reopen' });
    await h.client.waitFor(async () => ((await status(ticketId)) === 'waiting_agent' ? true : undefined), { what: 'reopened' });
    await h.runJobs(later(25 * HOUR));
    await h.settle();
    expect(await followupsTo(4005)).toEqual([]);
  });
});

describe('forged follow-up callbacks', () => {
  async function forge(customerId: number, data: string, text: string) {
    await h.desk.bot.api.sendMessage(customerId, `forged ${data}`, { reply_markup: { inline_keyboard: [[{ text, callback_data: data }]] } });
    await h.client.waitForCustomerMessage(customerId, `forged ${data}`);
    const press = await h.client.pressCustomerButton(customerId, text);
    return h.client.waitForCallbackAnswer(customerId, press.message_id);
  }

  it('a "No" for a follow-up that was never sent (or does not exist) changes nothing and is answered politely', async () => {
    const { ticketId } = await resolvedByAgent(4006);
    const resolvedAt = (await h.db.query<{ resolved_at: Date }>('SELECT resolved_at FROM tickets WHERE id = $1', [ticketId])).rows[0]!.resolved_at;
    // The row a send writes first, left without sent_at: the message never went out.
    const id = (await h.db.query<{ id: number }>('INSERT INTO followups (ticket_id, resolved_at) VALUES ($1, $2) RETURNING id', [ticketId, resolvedAt]))
      .rows[0]!.id;
    const answer = await forge(4006, `fu:${id}:n`, 'no!');
    expect(answer.text).toMatch(/no longer available/i);
    const missing = await forge(4006, `fu:${Number(id) + 10_000}:n`, 'no!!');
    expect(missing.text).toMatch(/no longer available/i);
    expect(await status(ticketId)).toBe('resolved');
    expect((await h.db.query('SELECT answered_at FROM followups WHERE id = $1', [id])).rows[0]).toEqual({ answered_at: null });
    const events = (await h.settle()).filter((e) => e.ticket_id === ticketId);
    expect(events.filter((e) => e.type === 'followup_answered' || e.type === 'ticket_reopened')).toEqual([]);
  });
});

describe('auto-close', () => {
  it('counts the wait from the conversation, not from the row: a replayed conversation from last week closes as of its deadline', async () => {
    // History replay (the demo's simulator): the messages carry last week's dates, the rows are written now.
    const asked = Math.floor(Date.now() / 1000) - 5 * 24 * 3600;
    await h.client.sendCustomerMessage(4103, { text: 'where is my refund?', first_name: 'Customer 4103', language_code: 'en', date: asked - 600 });
    const thread = await h.thread(4103);
    // Counted (message_in) before the agent answers: a message_in recorded after the reply would put the ticket back to waiting_agent.
    const { id: ticketId } = await ticketWhen(h, { customer: 4103 }, (t) => t.status !== 'resolved' && t.customer_messages > 0);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: 'Which order was it?', date: asked });
    await h.client.waitForCustomerMessage(4103, 'Which order was it?');
    await h.client.waitFor(async () => ((await status(ticketId)) === 'waiting_customer' ? true : undefined), { what: 'waiting on the customer' });

    // The row was written a moment ago; the question was asked five days ago: 72 h have passed.
    await h.runJobs(later(60_000));
    await h.client.waitForCustomerMessage(4103, `we've closed ticket #${ticketId}`);
    const resolved = (await h.eventsOf('ticket_resolved')).filter((e) => e.ticket_id === ticketId);
    expect(resolved).toEqual([expect.objectContaining({ resolved_by: 'auto_close' })]);
    // closed as of the moment its wait ran out, not when the sweep happened to run
    expect(resolved[0]?.occurred_at).toBe(new Date((asked + 72 * 3600) * 1000).toISOString());
  });

  it('closes a ticket that waited on the customer for AUTO_CLOSE_AFTER, with a note to both sides and no survey', async () => {
    const { ticketId, thread } = await openTicket(h, 4101);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/m need_details' });
    await h.client.waitForCustomerMessage(4101, 'we need a bit more information');
    // The macro reaches the customer first, then the reply is recorded (its date is the reply's): wait for the state.
    expect(await ticketWhen(h, { id: ticketId }, (t) => t.status === 'waiting_customer')).toMatchObject({ status: 'waiting_customer' });

    // A customer who answered is not closed.
    const other = await openTicket(h, 4102);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: other.thread, text: 'Which order?' });
    await h.client.waitForCustomerMessage(4102, 'Which order?');
    await h.client.sendCustomerMessage(4102, { text: 'Order 123' });
    await h.client.waitFor(async () => ((await status(other.ticketId)) === 'waiting_agent' ? true : undefined), { what: 'customer answered' });

    await h.runJobs(later(71 * HOUR));
    expect(await status(ticketId)).toBe('waiting_customer');
    await h.runJobs(later(72 * HOUR + 60_000));
    await h.client.waitForCustomerMessage(4101, `we've closed ticket #${ticketId}`);
    await h.client.waitForChatMessage(SUPPORT, `Ticket #${ticketId} closed automatically`, { threadId: thread });
    expect(await status(ticketId)).toBe('resolved');
    expect(await status(other.ticketId)).toBe('waiting_agent');
    const resolved = (await h.eventsOf('ticket_resolved')).filter((e) => e.ticket_id === ticketId);
    expect(resolved).toEqual([expect.objectContaining({ resolved_by: 'auto_close', customer_id: await analyticsIdOf(h.db, 4101) })]);
    // Nobody answered, so nobody is asked to rate or follow up.
    await h.runJobs(later(100 * HOUR));
    await h.settle();
    const texts = (await h.client.getCustomerMessages(4101)).map((m) => m.text ?? '');
    expect(texts.some((t) => /How would you rate|Did our solution help/.test(t))).toBe(false);
  });
});
