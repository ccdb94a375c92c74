import { describe, expect, it } from 'vitest';
import { startSandbox } from './server.js';
import { SandboxClient } from './client.js';
import { Bot } from 'grammy';
import { apiError, useSandbox } from './test-helpers.js';

const fx = useSandbox();
const CUSTOMER = 1001;

describe('callback queries', () => {
  it('presses a customer button, delivers callback_query with the message and records the answer', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, { text: '/start', first_name: 'Ann' });
    const menu = await fx.bot.api.sendMessage(CUSTOMER, 'What is it about?', {
      reply_markup: {
        inline_keyboard: [
          [
            { text: '💳 Payment', callback_data: 'cat:payment' },
            { text: 'Account', callback_data: 'cat:account' },
          ],
          [{ text: 'Docs', url: 'https://example.com/docs' }],
        ],
      },
    });
    const pressed = await fx.client.pressCustomerButton(CUSTOMER, 'Payment');
    expect(pressed).toEqual({ callback_query_id: expect.stringMatching(/^\d+$/), message_id: menu.message_id, data: 'cat:payment' });
    const updates = await fx.bot.api.getUpdates();
    const cq = updates.at(-1)!.callback_query!;
    expect(cq).toMatchObject({
      id: pressed.callback_query_id,
      data: 'cat:payment',
      from: { id: CUSTOMER, first_name: 'Ann' },
      chat_instance: expect.any(String),
      message: { message_id: menu.message_id, text: 'What is it about?' },
    });
    expect(await fx.bot.api.answerCallbackQuery(cq.id, { text: 'Payment it is', show_alert: true })).toBe(true);
    const answer = await fx.client.waitForCallbackAnswer(CUSTOMER, menu.message_id);
    expect(answer).toMatchObject({ callback_query_id: cq.id, text: 'Payment it is', show_alert: true });
    // A query can be answered once.
    expect((await apiError(fx.bot.api.answerCallbackQuery(cq.id))).description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
  });

  it('prefers an exact label, then the first label containing the text, on the latest message that has it', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const older = await fx.bot.api.sendMessage(CUSTOMER, 'old', { reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'old-yes' }]] } });
    const newer = await fx.bot.api.sendMessage(CUSTOMER, 'new', {
      reply_markup: {
        inline_keyboard: [
          [
            { text: 'Yes, please', callback_data: 'contains' },
            { text: 'Yes', callback_data: 'exact' },
          ],
        ],
      },
    });
    await fx.bot.api.sendMessage(CUSTOMER, 'no buttons');
    expect(await fx.client.pressCustomerButton(CUSTOMER, 'Yes')).toMatchObject({ message_id: newer.message_id, data: 'exact' });
    await fx.bot.api.editMessageReplyMarkup(CUSTOMER, newer.message_id);
    expect(await fx.client.pressCustomerButton(CUSTOMER, 'Yes')).toMatchObject({ message_id: older.message_id, data: 'old-yes' });
  });

  it('answers 404 with a reason when no such button exists and 400 for URL buttons', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    await fx.bot.api.sendMessage(CUSTOMER, 'links', { reply_markup: { inline_keyboard: [[{ text: 'Docs', url: 'https://example.com' }]] } });
    await expect(fx.client.pressCustomerButton(CUSTOMER, 'Refund')).rejects.toMatchObject({ status: 404, reason: expect.stringContaining('Refund') });
    await expect(fx.client.pressCustomerButton(CUSTOMER, 'Docs')).rejects.toMatchObject({ status: 400 });
    await expect(fx.client.pressCustomerButton(4242, 'x')).rejects.toMatchObject({ status: 404 });
  });

  it('rejects unknown query ids', async () => {
    expect((await apiError(fx.bot.api.answerCallbackQuery('12345'))).error_code).toBe(400);
  });

  it('lets agents press ticket-card buttons by message id or latest in a thread', async () => {
    const { message_thread_id: t } = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    const card = await fx.bot.api.sendMessage(fx.support, 'Ticket #1', {
      message_thread_id: t,
      reply_markup: {
        inline_keyboard: [
          [
            { text: 'Take', callback_data: 'take:1' },
            { text: 'Resolve', callback_data: 'resolve:1' },
          ],
        ],
      },
    });
    const byThread = await fx.client.pressSupportButton({ from_id: 501, thread_id: t, text: 'Take' });
    const byId = await fx.client.pressSupportButton({ from_id: 501, message_id: card.message_id, text: 'Resolve' });
    expect([byThread.data, byId.data]).toEqual(['take:1', 'resolve:1']);
    const updates = await fx.bot.api.getUpdates();
    expect(updates.map((u) => u.callback_query?.data)).toEqual(['take:1', 'resolve:1']);
    expect(updates[0]!.callback_query!.message).toMatchObject({ message_thread_id: t, chat: { id: fx.support } });
    await expect(fx.client.pressSupportButton({ from_id: 501, thread_id: t + 100, text: 'Take' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('callback expiry', () => {
  it('refuses answers after 15 minutes', async () => {
    let now = Date.UTC(2026, 0, 1);
    const sandbox = await startSandbox({ clock: () => now });
    try {
      const client = new SandboxClient(sandbox.url);
      const bot = new Bot(sandbox.token, { client: { apiRoot: sandbox.apiRoot } });
      await client.sendCustomerMessage(CUSTOMER, 'hi');
      await bot.api.sendMessage(CUSTOMER, 'menu', { reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } });
      const { callback_query_id } = await client.pressCustomerButton(CUSTOMER, 'A');
      now += 15 * 60 * 1000 + 1;
      expect((await apiError(bot.api.answerCallbackQuery(callback_query_id))).description).toBe(
        'Bad Request: query is too old and response timeout expired or query ID is invalid',
      );
    } finally {
      await sandbox.close();
    }
  });
});

describe('reply keyboards', () => {
  it('shows the reply keyboard to the customer and sends the pressed label as a message', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, '/start');
    await fx.bot.api.sendMessage(CUSTOMER, 'Menu', {
      reply_markup: { keyboard: [[{ text: '🆘 Need help' }, { text: 'Share phone', request_contact: true }]], resize_keyboard: true, one_time_keyboard: true },
    });
    const view = (await fx.client.getCustomerMessages(CUSTOMER)).at(-1)!;
    expect(view.keyboard).toMatchObject({ keyboard: [[{ text: '🆘 Need help' }, { text: 'Share phone' }]] });
    expect((await fx.client.getCustomer(CUSTOMER)).reply_keyboard).toBeDefined();
    const { message_id } = await fx.client.pressKeyboardButton(CUSTOMER, 'Need help');
    const updates = await fx.bot.api.getUpdates();
    expect(updates.at(-1)!.message).toMatchObject({ message_id, text: '🆘 Need help' });
    // one_time_keyboard hides it after use.
    await expect(fx.client.pressKeyboardButton(CUSTOMER, 'Share phone')).rejects.toMatchObject({ status: 404 });
  });

  it('sends a contact for request_contact buttons and hides the keyboard on remove_keyboard', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, { text: '/start', first_name: 'Ann' });
    await fx.bot.api.sendMessage(CUSTOMER, 'Verify', { reply_markup: { keyboard: [[{ text: 'Share phone', request_contact: true }]] } });
    await fx.client.pressKeyboardButton(CUSTOMER, 'Share phone');
    const last = (await fx.bot.api.getUpdates()).at(-1)!.message!;
    expect(last.contact).toMatchObject({ first_name: 'Ann', user_id: CUSTOMER, phone_number: expect.stringMatching(/^\+\d+$/) });
    await fx.bot.api.sendMessage(CUSTOMER, 'Thanks', { reply_markup: { remove_keyboard: true } });
    expect((await fx.client.getCustomer(CUSTOMER)).reply_keyboard).toBeUndefined();
    await expect(fx.client.pressKeyboardButton(CUSTOMER, 'Share phone')).rejects.toMatchObject({ status: 404 });
  });

  it('records the last chat action', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    await fx.bot.api.sendChatAction(CUSTOMER, 'typing');
    expect((await fx.client.getCustomer(CUSTOMER)).last_chat_action).toMatchObject({ action: 'typing' });
  });
});

describe('customer reactions', () => {
  it('queues message_reaction only when the bot asked for it', async () => {
    await fx.client.sendCustomerMessage(CUSTOMER, 'hi');
    const answer = await fx.bot.api.sendMessage(CUSTOMER, 'Here is how to reset your password');
    await fx.client.reactToMessage(CUSTOMER, answer.message_id, ['👍']);
    const before = await fx.bot.api.getUpdates();
    expect(before.map((u) => Object.keys(u)[1])).toEqual(['message']);
    await fx.bot.api.getUpdates({ offset: before.at(-1)!.update_id + 1, allowed_updates: ['message', 'message_reaction'] });
    await fx.client.reactToMessage(CUSTOMER, answer.message_id, ['👎']);
    const [u] = await fx.client.getPendingUpdates();
    expect(u!.message_reaction).toMatchObject({
      message_id: answer.message_id,
      user: { id: CUSTOMER },
      old_reaction: [{ type: 'emoji', emoji: '👍' }],
      new_reaction: [{ type: 'emoji', emoji: '👎' }],
    });
    expect((await fx.client.getCustomerMessages(CUSTOMER)).at(-1)!.user_reactions).toEqual(['👎']);
  });
});
