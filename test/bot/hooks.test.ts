/** The extension contract (bot/EXTENSION.md): intake steps that wait and resume, resolve from a step, hook order. */
import { Composer, InlineKeyboard } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../../bot/context.js';
import { emptyHooks } from '../../bot/hooks.js';
import { startHarness, topicOf, type Harness } from './harness.js';
import { analyticsIdOf } from '../../bot/store/pseudonyms.js';

let h: Harness;
const opened: number[] = [];

function testFeatures() {
  const composer = new Composer<BotContext>();
  const hooks = emptyHooks();
  // A KB-like step: suggests an answer for messages mentioning "password" and waits for the customer.
  hooks.intakeSteps.push({
    name: 'suggest',
    async run(ctx, { ticket, message }) {
      if (!/password/i.test(message.text ?? '')) return 'continue';
      await ctx.reply('Try the reset link.', {
        reply_markup: new InlineKeyboard().text('Solved', `t:ok:${ticket.id}`).text('Need a human', `t:human:${ticket.id}`),
      });
      await ctx.desk.tickets.recordBotReply(ticket.id, { replyKind: 'kb', kbArticleId: 'reset', at: new Date() });
      return 'wait';
    },
  });
  composer.callbackQuery(/^t:(ok|human):(\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const id = Number(ctx.match[2]);
    if (ctx.match[1] === 'ok') await ctx.desk.tickets.resolve(id, { by: 'kb', at: new Date() });
    else await ctx.desk.intake.continue(id);
  });
  hooks.onOpened.push(async ({ ticket }) => void opened.push(ticket.id));
  hooks.onResolved.push(async ({ ticket, by }, desk) => {
    await desk.relay.sendToCustomer(ticket.customer_id, `rate ticket #${ticket.id} (${by})`);
  });
  return { composer, hooks };
}

beforeAll(async () => {
  h = await startHarness({ features: testFeatures });
});
afterAll(async () => h?.close());

describe('feature hooks', () => {
  it('an intake step that waits holds the category keyboard until the customer asks for a human', async () => {
    await h.client.sendCustomerMessage(8001, { text: 'I forgot my password', first_name: 'Pat' });
    await h.client.waitForCustomerMessage(8001, 'Try the reset link.');
    await h.client.waitForIdle();
    expect((await h.client.getCustomerMessages(8001)).some((m) => /What is your question about/.test(m.text ?? ''))).toBe(false);
    await h.client.pressCustomerButton(8001, 'Need a human');
    await h.client.waitForCustomerMessage(8001, /What is your question about/);
    expect(opened).toHaveLength(1);
  });

  it('a step may resolve the ticket; the hook runs after commit', async () => {
    await h.client.sendCustomerMessage(8002, { text: 'password again', first_name: 'Sam' });
    await h.client.waitForCustomerMessage(8002, 'Try the reset link.');
    await h.client.pressCustomerButton(8002, 'Solved');
    await h.client.waitForCustomerMessage(8002, /rate ticket #\d+ \(kb\)/);
    const events = await h.settle();
    const sam = await analyticsIdOf(h.db, 8002);
    const resolved = events.find((e) => e.type === 'ticket_resolved' && e.customer_id === sam);
    expect(resolved).toMatchObject({ resolved_by: 'kb', agent_replies: 0 });
    expect(events.find((e) => e.type === 'bot_reply' && e.customer_id === sam && e.reply_kind === 'kb')).toMatchObject({ kb_article_id: 'reset' });
  });

  it('the customer reads "solved" before what onResolved sends', async () => {
    await h.client.sendCustomerMessage(8003, { text: 'a normal question', first_name: 'Ola' });
    await h.client.waitForCustomerMessage(8003, /What is your question about/);
    const thread = await topicOf(h.client, 8003, h.db);
    await h.client.sendSupportMessage({ from_id: 500_008, thread_id: thread, text: '/resolve' });
    await h.client.waitForCustomerMessage(8003, /rate ticket/);
    const texts = (await h.client.getCustomerMessages(8003)).map((m) => m.text ?? '');
    const solved = texts.findIndex((t) => /is solved/.test(t));
    const rate = texts.findIndex((t) => /rate ticket/.test(t));
    expect(solved).toBeGreaterThan(-1);
    expect(solved).toBeLessThan(rate);
  });
});
