import { describe, expect, it } from 'vitest';
import { apiError, useSandbox } from './test-helpers.js';

const fx = useSandbox();

describe('forum topics', () => {
  it('creates a topic whose thread id is the creation service message id', async () => {
    const topic = await fx.bot.api.createForumTopic(fx.support, '❗️ Ann #1', { icon_color: 0xffd67e });
    expect(topic).toEqual({ message_thread_id: topic.message_thread_id, name: '❗️ Ann #1', icon_color: 0xffd67e });
    expect(topic.message_thread_id).toBeGreaterThan(1);
    const [created] = await fx.client.getChatMessages(fx.support, { threadId: topic.message_thread_id });
    expect(created).toMatchObject({ message_id: topic.message_thread_id, service: 'forum_topic_created', from: 'bot' });
    expect(await fx.client.getTopics()).toEqual([{ thread_id: topic.message_thread_id, name: '❗️ Ann #1', icon_color: 0xffd67e, closed: false, messages: 0 }]);
  });

  it('marks topic messages with message_thread_id and is_topic_message, General ones without', async () => {
    const topic = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    const inTopic = await fx.bot.api.sendMessage(fx.support, 'card', { message_thread_id: topic.message_thread_id });
    expect(inTopic).toMatchObject({ message_thread_id: topic.message_thread_id, is_topic_message: true });
    // Telegram makes a topic message without an explicit reply "reply" to the topic's creation message.
    expect(inTopic.reply_to_message).toMatchObject({ message_id: topic.message_thread_id, forum_topic_created: { name: 'Ann' } });
    const general = await fx.bot.api.sendMessage(fx.support, 'digest');
    expect(general.message_thread_id).toBeUndefined();
    expect(general.is_topic_message).toBeUndefined();
    await fx.client.sendSupportMessage({ from_id: 501, thread_id: topic.message_thread_id, text: '/take' });
    await fx.client.sendSupportMessage({ from_id: 501, text: 'in general' });
    const updates = await fx.bot.api.getUpdates();
    expect(updates[0]!.message).toMatchObject({
      text: '/take',
      message_thread_id: topic.message_thread_id,
      is_topic_message: true,
      entities: [{ type: 'bot_command', offset: 0, length: 5 }],
    });
    expect(updates[1]!.message!.message_thread_id).toBeUndefined();
    expect((await fx.client.getTopics())[0]!.messages).toBe(2);
  });

  it('validates topic names: empty refused, longer than 128 characters cut (as Telegram does)', async () => {
    expect((await apiError(fx.bot.api.createForumTopic(fx.support, ' '))).description).toBe('Bad Request: name must be non-empty');
    await expect(fx.bot.api.createForumTopic(fx.support, 'x'.repeat(129))).resolves.toMatchObject({ name: 'x'.repeat(128) });
    await expect(fx.bot.api.createForumTopic(fx.support, 'x'.repeat(128))).resolves.toMatchObject({ name: 'x'.repeat(128) });
  });

  it('edits, closes and reopens, refusing no-op changes', async () => {
    const { message_thread_id: t } = await fx.bot.api.createForumTopic(fx.support, '❗️ Ann');
    expect(await fx.bot.api.editForumTopic(fx.support, t, { name: '📝 Ann' })).toBe(true);
    expect((await apiError(fx.bot.api.editForumTopic(fx.support, t, { name: '📝 Ann' }))).description).toBe('Bad Request: TOPIC_NOT_MODIFIED');
    expect(await fx.bot.api.closeForumTopic(fx.support, t)).toBe(true);
    expect((await apiError(fx.bot.api.closeForumTopic(fx.support, t))).description).toBe('Bad Request: TOPIC_NOT_MODIFIED');
    expect(await fx.client.getTopics()).toMatchObject([{ name: '📝 Ann', closed: true }]);
    expect(await fx.bot.api.reopenForumTopic(fx.support, t)).toBe(true);
    const services = (await fx.client.getChatMessages(fx.support, { threadId: t })).map((m) => m.service);
    expect(services).toEqual(['forum_topic_created', 'forum_topic_edited', 'forum_topic_closed', 'forum_topic_reopened']);
  });

  it('lets the admin bot write into a closed topic but not a regular member', async () => {
    const { message_thread_id: t } = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    await fx.bot.api.closeForumTopic(fx.support, t);
    await expect(fx.bot.api.sendMessage(fx.support, 'resolved', { message_thread_id: t })).resolves.toMatchObject({ message_thread_id: t });
    await expect(fx.client.sendSupportMessage({ from_id: 501, thread_id: t, text: 'late' })).rejects.toMatchObject({
      status: 400,
      reason: expect.stringContaining('TOPIC_CLOSED'),
    });
    await fx.client.setMember({ user_id: 502, status: 'administrator' });
    await expect(fx.client.sendSupportMessage({ from_id: 502, thread_id: t, text: 'admin note' })).resolves.toMatchObject({ thread_id: t });
  });

  it('answers TOPIC_CLOSED to the bot once it lost its admin rights', async () => {
    const { message_thread_id: t } = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    await fx.bot.api.closeForumTopic(fx.support, t);
    await fx.client.setMember({ user_id: 7000000001, status: 'member' });
    expect((await apiError(fx.bot.api.sendMessage(fx.support, 'x', { message_thread_id: t }))).description).toBe('Bad Request: TOPIC_CLOSED');
    expect((await apiError(fx.bot.api.createForumTopic(fx.support, 'new'))).description).toBe('Bad Request: not enough rights to create a topic');
  });

  it('fails sends into a deleted topic with "message thread not found"', async () => {
    const { message_thread_id: t } = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    await fx.bot.api.sendMessage(fx.support, 'card', { message_thread_id: t });
    await fx.client.deleteTopic(t);
    const err = await apiError(fx.bot.api.sendMessage(fx.support, 'reply', { message_thread_id: t }));
    expect(err.error_code).toBe(400);
    expect(err.description).toBe('Bad Request: message thread not found');
    expect((await apiError(fx.bot.api.copyMessage(fx.support, fx.support, t + 1, { message_thread_id: t }))).description).toBe(
      'Bad Request: message thread not found',
    );
    expect((await apiError(fx.bot.api.editForumTopic(fx.support, t, { name: 'x' }))).description).toBe('Bad Request: TOPIC_ID_INVALID');
    expect(await fx.client.getTopics()).toMatchObject([{ thread_id: t, deleted: true }]);
    expect(await fx.client.getChatMessages(fx.support, { threadId: t })).toEqual([]);
  });

  it('deletes topics through the Bot API', async () => {
    const { message_thread_id: t } = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    expect(await fx.bot.api.deleteForumTopic(fx.support, t)).toBe(true);
    expect((await apiError(fx.bot.api.deleteForumTopic(fx.support, t))).description).toBe('Bad Request: TOPIC_ID_INVALID');
  });

  it('delivers topic changes made by agents as service messages', async () => {
    const { message_thread_id: t } = await fx.bot.api.createForumTopic(fx.support, 'Ann');
    await fx.client.updateTopic(t, { from_id: 501, closed: true });
    await fx.client.updateTopic(t, { from_id: 501, name: 'Ann (renamed)' });
    const updates = await fx.bot.api.getUpdates();
    expect(updates.map((u) => Object.keys(u.message ?? {}).find((k) => k.startsWith('forum_topic')))).toEqual(['forum_topic_closed', 'forum_topic_edited']);
    expect(updates[0]!.message).toMatchObject({ message_thread_id: t, from: { id: 501 } });
  });

  it('lists the icon stickers and refuses topics outside forums', async () => {
    const stickers = await fx.bot.api.getForumTopicIconStickers();
    expect(stickers.length).toBeGreaterThan(10);
    expect(stickers[0]).toMatchObject({ type: 'custom_emoji', custom_emoji_id: expect.any(String) });
    await fx.client.sendCustomerMessage(1001, 'hi');
    expect((await apiError(fx.bot.api.createForumTopic(1001, 'x'))).description).toBe('Bad Request: the chat is not a forum');
  });

  it('supports threads in the escalation forum too', async () => {
    const { message_thread_id: t } = await fx.bot.api.createForumTopic(fx.escalation, 'Alerts');
    await fx.bot.api.sendMessage(fx.escalation, '🔥 FRT breach', {
      message_thread_id: t,
      reply_markup: { inline_keyboard: [[{ text: 'Ack', callback_data: 'ack' }]] },
    });
    const pressed = await fx.client.pressSupportButton({ from_id: 700, chat_id: fx.escalation, thread_id: t, text: 'Ack' });
    const [u] = await fx.bot.api.getUpdates();
    expect(u!.callback_query).toMatchObject({
      id: pressed.callback_query_id,
      data: 'ack',
      from: { id: 700 },
      message: { chat: { id: fx.escalation }, message_thread_id: t },
    });
    expect(await fx.client.getTopics(fx.escalation)).toMatchObject([{ name: 'Alerts' }]);
  });
});
