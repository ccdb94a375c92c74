/** CSAT and NPS after an agent resolves a ticket, end to end through the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, SUPPORT, openTicket, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { analyticsIdOf } from '../../store/pseudonyms.js';

let h: FeatureHarness;
beforeAll(async () => {
  h = await startFeatureHarness();
});
afterAll(async () => h?.close());

async function resolvedByAgent(customerId: number, language = 'en') {
  const { ticketId, thread } = await openTicket(h, customerId, { language });
  await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: 'Here is what we did' });
  await h.client.waitForCustomerMessage(customerId, 'Here is what we did');
  await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve' });
  return { ticketId, thread };
}

const rating = async (ticketId: number, survey: string) =>
  (await h.db.query<{ score: number | null }>('SELECT score FROM ratings WHERE ticket_id = $1 AND survey = $2', [ticketId, survey])).rows[0]?.score;

describe('CSAT', () => {
  it('asks 1–5 after /resolve, thanks for a high score, and lets a low score change the answer and ask for a human', async () => {
    // One survey at a time in this test: the sandbox presses the latest message that has a button.
    const config = h.features.runtime.config as { npsEnabled: boolean };
    config.npsEnabled = false;
    try {
      const { ticketId, thread } = await resolvedByAgent(3001);
      const survey = await h.client.waitForCustomerMessage(3001, new RegExp(`How would you rate our help with ticket #${ticketId}`));
      expect(survey.buttons).toEqual([['1', '2', '3', '4', '5']]);

      await h.client.pressCustomerButton(3001, '5');
      await h.client.waitForCustomerMessage(3001, 'Thank you for the 5!');
      expect(await rating(ticketId, 'csat')).toBe(5);

      // Changed later: the latest counts, and a low score offers a human follow-up.
      await h.client.pressCustomerButton(3001, '2');
      const low = await h.client.waitForCustomerMessage(3001, /sorry it wasn't better/);
      expect(low.buttons?.flat()).toEqual(['🙋 Yes, please contact me']);
      expect(await rating(ticketId, 'csat')).toBe(2);
      const edited = (await h.client.getCustomerMessages(3001)).find((m) => m.message_id === survey.message_id)!;
      expect(edited.text).toContain('Your answer: 2');
      expect(edited.buttons).toEqual([['1', '2', '3', '4', '5']]);
      await h.client.waitForChatMessage(SUPPORT, `rated ticket #${ticketId}: 2/5`, { threadId: thread });

      await h.client.pressCustomerButton(3001, '🙋 Yes, please contact me');
      await h.client.waitForCustomerMessage(3001, 'an agent will get back to you');
      await h.client.waitForChatMessage(SUPPORT, new RegExp(`follow-up \\(rated 2/5\\): ticket #${ticketId} reopened`), { threadId: thread });
      const t = (await h.db.query<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [ticketId])).rows[0]!;
      expect(t.status).toBe('waiting_agent');

      const events = (await h.settle()).filter((e) => e.ticket_id === ticketId);
      expect(events.filter((e) => e.type === 'survey_sent').map((e) => (e as { survey: string }).survey)).toEqual(['csat']);
      expect(events.filter((e) => e.type === 'csat_rated').map((e) => (e as { score: number }).score)).toEqual([5, 2]);
      expect(events.find((e) => e.type === 'csat_rated')).toMatchObject({ customer_id: await analyticsIdOf(h.db, 3001), agent_id: AGENT, queue: 'L1' });
      expect(events.find((e) => e.type === 'ticket_reopened')).toMatchObject({ reason: 'customer' });
    } finally {
      config.npsEnabled = true;
    }
  });
});

describe('NPS', () => {
  it('follows the first CSAT answer with 0–10, in the customer language, and the latest answer counts', async () => {
    const { ticketId } = await resolvedByAgent(3002, 'ru');
    await h.client.waitForCustomerMessage(3002, /Как вы оцените нашу помощь/);
    await h.client.pressCustomerButton(3002, '4');
    await h.client.waitForCustomerMessage(3002, 'Спасибо за 4!');
    const nps = await h.client.waitForCustomerMessage(3002, /порекомендуете нас другу/);
    expect(nps.buttons).toEqual([
      ['0', '1', '2', '3', '4', '5'],
      ['6', '7', '8', '9', '10'],
    ]);

    await h.client.pressCustomerButton(3002, '9');
    await h.client.waitForCustomerMessage(3002, 'это очень важно для нас');
    await h.client.pressCustomerButton(3002, '6');
    await h.client.waitFor(async () => ((await rating(ticketId, 'nps')) === 6 ? true : undefined), { what: 'NPS changed to 6' });
    expect(await rating(ticketId, 'csat')).toBe(4);

    const events = (await h.settle()).filter((e) => e.ticket_id === ticketId);
    expect(events.filter((e) => e.type === 'survey_sent').map((e) => (e as { survey: string }).survey)).toEqual(['csat', 'nps']);
    expect(events.filter((e) => e.type === 'nps_rated').map((e) => (e as { score: number }).score)).toEqual([9, 6]);
    expect(events.find((e) => e.type === 'nps_rated')).toMatchObject({ language: 'ru', customer_id: await analyticsIdOf(h.db, 3002) });
  });
});

describe('forged rating callbacks', () => {
  /** A message from the bot carrying a button the desk never offered for this ticket (an old client, a crafted update). */
  async function forge(customerId: number, data: string, text: string) {
    await h.desk.bot.api.sendMessage(customerId, `forged ${data}`, { reply_markup: { inline_keyboard: [[{ text, callback_data: data }]] } });
    await h.client.waitForCustomerMessage(customerId, `forged ${data}`);
    const press = await h.client.pressCustomerButton(customerId, text);
    return h.client.waitForCallbackAnswer(customerId, press.message_id);
  }

  it('a CSAT/NPS press for a ticket that got no survey changes nothing and is answered politely', async () => {
    // An open ticket: no survey has been sent for it.
    const { ticketId, thread } = await openTicket(h, 3003);
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: 'Looking into it' });
    await h.client.waitForCustomerMessage(3003, 'Looking into it');
    const before = (await h.settle()).filter((e) => e.ticket_id === ticketId).length;
    const answer = await forge(3003, `rate:csat:${ticketId}:5`, 'five');
    expect(answer.text).toMatch(/no longer|not available/i);
    const answerNps = await forge(3003, `rate:nps:${ticketId}:10`, 'ten');
    expect(answerNps.text).toMatch(/no longer|not available/i);
    const help = await forge(3003, `rate:help:${ticketId}`, 'help me');
    expect(help.text).toMatch(/no longer|not available/i);
    expect((await h.db.query('SELECT * FROM ratings WHERE ticket_id = $1', [ticketId])).rows).toEqual([]);
    const after = (await h.settle()).filter((e) => e.ticket_id === ticketId);
    expect(after.length).toBe(before);
    expect(after.filter((e) => e.type === 'csat_rated' || e.type === 'nps_rated' || e.type === 'ticket_reopened')).toEqual([]);
    expect(after.filter((e) => e.type === 'survey_sent')).toEqual([]);
  });

  it('an NPS press before the NPS survey was sent, and a follow-up request after a high score, change nothing', async () => {
    const { ticketId } = await resolvedByAgent(3004);
    await h.client.waitForCustomerMessage(3004, new RegExp(`How would you rate our help with ticket #${ticketId}`));
    // The CSAT survey went out, the NPS one did not (it follows the first CSAT answer).
    const nps = await forge(3004, `rate:nps:${ticketId}:0`, 'zero');
    expect(nps.text).toMatch(/no longer|not available/i);
    expect(await rating(ticketId, 'nps')).toBeUndefined();
    await h.client.pressCustomerButton(3004, '5');
    await h.client.waitForCustomerMessage(3004, 'Thank you for the 5!');
    // A high score offers no follow-up: a crafted "contact me" does not reopen the ticket.
    const help = await forge(3004, `rate:help:${ticketId}`, 'help me');
    expect(help.text).toMatch(/no longer|not available/i);
    expect((await h.db.query<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [ticketId])).rows[0]!.status).toBe('resolved');
  });
});
