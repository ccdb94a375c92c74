/**
 * Replaying history without moving the clock: actions dated in the past place
 * their conversation in that past (the bot's answers there are dated then),
 * while everyone else — a person writing during the replay — stays in the present.
 */
import { describe, expect, it } from 'vitest';
import { HISTORY_IDLE_MS, World } from './world.js';
import { useSandbox } from './test-helpers.js';

const fx = useSandbox();
const REPLAYED = 1001;
const LIVE = 1002;
const AGENT = 501;
const now = () => Math.floor(Date.now() / 1000);
const keyboard = (label: string) => ({ inline_keyboard: [[{ text: label, callback_data: label.toLowerCase() }]] });

describe('replayed history', () => {
  it('dates the bot in a replayed chat in its past, and a live customer writing meanwhile in the present', async () => {
    const past = now() - 36 * 3600;
    await fx.client.sendCustomerMessage(REPLAYED, { text: 'from the past', date: past });
    const live = await fx.client.sendCustomerMessage(LIVE, 'hello');
    const toReplayed = await fx.bot.api.sendMessage(REPLAYED, 'receipt');
    const toLive = await fx.bot.api.sendMessage(LIVE, 'receipt');

    expect(toReplayed.date - past).toBeGreaterThanOrEqual(0);
    expect(toReplayed.date - past).toBeLessThanOrEqual(2);
    const liveMessages = await fx.client.getCustomerMessages(LIVE);
    expect(liveMessages.find((m) => m.message_id === live.message_id)!.date).toBeGreaterThanOrEqual(now() - 2);
    expect(toLive.date).toBeGreaterThanOrEqual(now() - 2);
    expect(await fx.client.getClock()).toMatchObject({ offset_seconds: 0 });
  });

  it('dates the answers to a dated press (callback_query itself has no date, as in Telegram) and keeps the answer window live', async () => {
    const past = now() - 7200;
    await fx.client.sendCustomerMessage(REPLAYED, { text: 'hi', date: past });
    const menu = await fx.bot.api.sendMessage(REPLAYED, 'Which?', { reply_markup: keyboard('Payment') });
    const pressed = await fx.client.pressCustomerButton(REPLAYED, 'Payment', { date: past + 600 });
    const cq = (await fx.bot.api.getUpdates()).at(-1)!.callback_query!;
    expect(cq).not.toHaveProperty('date');
    expect(await fx.bot.api.answerCallbackQuery(pressed.callback_query_id)).toBe(true);
    const edited = await fx.bot.api.editMessageText(REPLAYED, menu.message_id, 'Payment chosen');
    const thanks = await fx.bot.api.sendMessage(REPLAYED, 'Routed');
    expect(typeof edited === 'object' && edited.edit_date! - (past + 600)).toBeLessThanOrEqual(2);
    expect(typeof edited === 'object' && edited.edit_date! - (past + 600)).toBeGreaterThanOrEqual(0);
    expect(thanks.date - (past + 600)).toBeGreaterThanOrEqual(0);
    expect(thanks.date - (past + 600)).toBeLessThanOrEqual(2);
  });

  it('follows the latest dated action across a replayed conversation: an agent in the topic, then the bot to the customer', async () => {
    const past = now() - 3 * 86_400;
    await fx.client.sendCustomerMessage(REPLAYED, { text: 'hi', date: past });
    const { message_thread_id: topic } = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    await fx.client.sendSupportMessage({ from_id: AGENT, thread_id: topic, text: '/find_kb refund', date: past + 900 });
    const list = await fx.bot.api.sendMessage(fx.support, 'Articles', { message_thread_id: topic, reply_markup: keyboard('Refunds') });
    expect(list.date - (past + 900)).toBeLessThanOrEqual(2);
    await fx.client.pressSupportButton({ from_id: AGENT, message_id: list.message_id, text: 'Refunds', date: past + 1200 });
    // The article the agent picked reaches the customer at the pick's time: the desk dates the first response by it.
    const article = await fx.bot.api.sendMessage(REPLAYED, 'How refunds work');
    expect(article.date - (past + 1200)).toBeGreaterThanOrEqual(0);
    expect(article.date - (past + 1200)).toBeLessThanOrEqual(2);
    // General and other topics are not part of that conversation.
    expect((await fx.bot.api.sendMessage(fx.support, 'General note')).date).toBeGreaterThanOrEqual(now() - 2);
  });

  it('dates a reply-keyboard press and an edit, and a live action brings the conversation back to the present', async () => {
    const past = now() - 5000;
    await fx.client.sendCustomerMessage(REPLAYED, { text: 'hi', date: past });
    await fx.bot.api.sendMessage(REPLAYED, 'Choose', { reply_markup: { keyboard: [[{ text: 'Need help' }]], resize_keyboard: true } });
    const pressed = await fx.client.pressKeyboardButton(REPLAYED, 'Need help', { date: past + 60 });
    const edited = await fx.client.editCustomerMessage(REPLAYED, pressed.message_id, { text: 'Need help!', date: past + 120 });
    expect(edited.edit_date).toBe(past + 120);
    expect((await fx.client.getCustomerMessages(REPLAYED)).find((m) => m.message_id === pressed.message_id)!.date).toBe(past + 60);

    await fx.client.sendCustomerMessage(REPLAYED, 'back in the present');
    expect((await fx.bot.api.sendMessage(REPLAYED, 'welcome back')).date).toBeGreaterThanOrEqual(now() - 2);
  });

  it('rejects a press date that is not unix seconds', async () => {
    await fx.client.sendCustomerMessage(REPLAYED, 'hi');
    await fx.bot.api.sendMessage(REPLAYED, 'Which?', { reply_markup: keyboard('Payment') });
    await expect(fx.client.pressCustomerButton(REPLAYED, 'Payment', { date: -5 })).rejects.toMatchObject({ status: 400 });
    await expect(fx.client.pressSupportButton({ from_id: AGENT, text: 'x', date: 1.5 })).rejects.toMatchObject({ status: 400 });
  });
});

describe('the history clock', () => {
  it('runs on from the latest dated action, never ahead of the present, and ends when the replay goes quiet', () => {
    let t = Date.parse('2026-03-10T12:00:00Z');
    const world = new World({ clock: () => t });
    const chat = 1001;
    world.noteAction(chat, undefined, t / 1000 - 3600);
    t += 5000;
    expect(world.unixNowIn(chat)).toBe(t / 1000 - 3600);
    expect(world.unixNowIn(chat + 1)).toBe(t / 1000);
    // A date in the future is not history.
    world.noteAction(chat + 2, undefined, t / 1000 + 60);
    expect(world.unixNowIn(chat + 2)).toBe(t / 1000);
    t += HISTORY_IDLE_MS + 1000;
    expect(world.unixNowIn(chat)).toBe(t / 1000);
    expect(world.clockOffsetSeconds).toBe(0);
  });
});
