/** Macros from a topic, in the customer's language, end to end through the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, SUPPORT, openTicket, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { ticketWhen } from '../../../test/bot/harness.js';
import { analyticsIdOf } from '../../store/pseudonyms.js';

let h: FeatureHarness;
beforeAll(async () => {
  h = await startFeatureHarness();
});
afterAll(async () => h?.close());

describe('macros', () => {
  it('/m alone lists the macros in the topic', async () => {
    const { thread } = await openTicket(h, 5001, { name: 'Ann' });
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: '/m' });
    const list = await h.client.waitForChatMessage(SUPPORT, /^Macros — send one/, { threadId: thread });
    for (const name of ['receipt', 'need_details', 'solved', 'escalated', 'complaint']) expect(list.text).toContain(`/m ${name}`);
    expect(list.text).toMatch(/\/m need_details — .*⏳/);
  });

  it('sends a template with {name} {ticket} {eta} {agent} filled, in English, recorded as the agent reply', async () => {
    const thread = await h.thread(5001);
    const ticketId = (await h.db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = 5001')).rows[0]!.id;
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: '/m escalated' });
    const m = await h.client.waitForCustomerMessage(5001, /needs a specialist/);
    expect(m.text).toContain('Ann, your question needs a specialist');
    expect(m.text).toContain(`ticket #${ticketId}`);
    expect(m.text).toMatch(/in about \d+ minutes?\./);
    expect(m.text).toContain('— Maria');
    expect(m.text).not.toMatch(/[{}]/);
    // Bold survives as an entity (HTML parse mode).
    expect((m.entities as { type: string }[] | undefined)?.some((e) => e.type === 'bold')).toBe(true);
    await h.client.waitForChatMessage(SUPPORT, /Macro escalated \(en\) sent to the customer/, { threadId: thread });
    const events = (await h.settle()).filter((e) => e.ticket_id === ticketId);
    expect(events.find((e) => e.type === 'macro_used')).toMatchObject({ macro: 'escalated', agent_id: AGENT, customer_id: await analyticsIdOf(h.db, 5001) });
    expect(events.find((e) => e.type === 'message_out')).toMatchObject({ is_first_response: true, agent_id: AGENT });
  });

  it('sends the Russian template to a Russian-speaking customer; need_details leaves the ticket waiting on the customer', async () => {
    const { ticketId, thread } = await openTicket(h, 5002, { name: 'Иван', language: 'ru', text: 'здравствуйте, вопрос по договору' });
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Мария', thread_id: thread, text: '/m complaint' });
    const c = await h.client.waitForCustomerMessage(5002, /Иван, спасибо, что рассказали нам об этом/);
    expect(c.text).toContain(`обращению #${ticketId}`);
    expect(c.text).toMatch(/примерно через \d+ минут/);
    expect(c.text).toContain('— Мария');
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/m need_details' });
    await h.client.waitForCustomerMessage(5002, /нам нужно немного больше информации/);
    // The macro reaches the customer first, then the reply is recorded (its date is the reply's): wait for the state.
    const t = await ticketWhen(h, { id: ticketId }, (t) => t.status === 'waiting_customer');
    expect(t.status).toBe('waiting_customer');
    const used = (await h.eventsOf('macro_used')).filter((e) => e.ticket_id === ticketId).map((e) => e.macro);
    expect(used).toEqual(['complaint', 'need_details']);
  });

  it('sends the Persian template to a Persian-speaking customer, the ETA in Persian words', async () => {
    const { ticketId, thread } = await openTicket(h, 5003, { name: 'Sara', language: 'fa', text: 'سلام، سؤالی درباره قرارداد دارم' });
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: '/m escalated' });
    const m = await h.client.waitForCustomerMessage(5003, /Sara، سؤال شما به بررسی یک کارشناس متخصص نیاز دارد/);
    expect(m.text).toContain(`#${ticketId}`);
    expect(m.text).toMatch(/حدوداً ظرف [۰-۹]+ (دقیقه|ساعت)/);
    expect(m.text).not.toMatch(/[{}]/);
    await h.client.waitForChatMessage(SUPPORT, /Macro escalated \(fa\) sent to the customer/, { threadId: thread });
  });

  it('says when a macro does not exist or is used outside a topic', async () => {
    const thread = await h.thread(5001);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/m nope' });
    await h.client.waitForChatMessage(SUPPORT, 'There is no macro "nope"', { threadId: thread });
    await h.client.sendSupportMessage({ from_id: AGENT, text: '/m receipt' });
    await h.client.waitForChatMessage(SUPPORT, "Macros are sent from a customer's topic");
  });
});
