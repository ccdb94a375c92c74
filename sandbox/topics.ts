/**
 * Forum topic lifecycle shared by the Bot API (the bot creates and renames
 * topics) and the control API (an agent deletes or closes one): the topic's
 * thread id is the id of its creation service message, as in Telegram.
 */
import type { ForumTopic } from 'grammy/types';
import { MAX_TOPIC_NAME_LENGTH } from '../core/telegram-rules.js';
import { TelegramErrors } from './errors.js';
import { createMessage } from './messages.js';
import type { ChatState, Topic, TgUser } from './state.js';
import type { World } from './world.js';

/** The six colours Telegram allows for topic icons. */
export const TOPIC_ICON_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f] as const;
export const MAX_TOPIC_NAME = MAX_TOPIC_NAME_LENGTH;

/** Unicode spaces TDLib turns into a plain space before anything else (strip_empty_characters). */
const SPACE_LIKE = /[\u1680\u180e\u2000-\u200a\u202f\u205f\u2800\u3000\ufffc\u{e0000}-\u{e007f}]/gu;

/**
 * A topic name as Telegram stores it (TDLib clean_name): odd spaces become spaces, the name is trimmed and cut to
 * 128 characters — a longer name is truncated, not refused — then runs of spaces and newlines become one space.
 */
export function cleanTopicName(name: string): string {
  const cut = [...name.replace(SPACE_LIKE, ' ').trim()].slice(0, MAX_TOPIC_NAME_LENGTH).join('').trim();
  return cut.replace(/(?:[ \n]|\u00a0)+/g, ' ').trim();
}

/** The cleaned name, or Telegram's error for a name that is empty once cleaned. */
export function validateTopicName(name: string | undefined): string {
  const cleaned = cleanTopicName(name ?? '');
  if (cleaned === '') throw TelegramErrors.topicNameEmpty();
  return cleaned;
}

export function createTopic(
  world: World,
  chat: ChatState,
  by: TgUser,
  spec: { name: string; icon_color?: number; icon_custom_emoji_id?: string; date?: number },
): Topic {
  if (chat.type !== 'supergroup' || !chat.info.is_forum) throw TelegramErrors.notAForum();
  const threadId = chat.nextMessageId;
  const topic: Topic = {
    message_thread_id: threadId,
    name: spec.name,
    icon_color: spec.icon_color ?? TOPIC_ICON_COLORS[0],
    ...(spec.icon_custom_emoji_id ? { icon_custom_emoji_id: spec.icon_custom_emoji_id } : {}),
    closed: false,
    deleted: false,
    messageCount: 0,
    createdBy: by.id,
  };
  chat.topics.set(threadId, topic);
  const created: Record<string, unknown> = { name: topic.name, icon_color: topic.icon_color };
  if (topic.icon_custom_emoji_id) created.icon_custom_emoji_id = topic.icon_custom_emoji_id;
  createMessage(world, {
    chat,
    from: by,
    fromBot: by.id === world.bot.id,
    threadId,
    content: { extra: { forum_topic_created: created } },
    ...(spec.date ? { date: spec.date } : {}),
  });
  return topic;
}

/** Posts a topic service message (edited/closed/reopened) into the topic. */
export function topicServiceMessage(world: World, chat: ChatState, topic: Topic, by: TgUser, extra: Record<string, unknown>) {
  return createMessage(world, { chat, from: by, fromBot: by.id === world.bot.id, threadId: topic.message_thread_id, content: { extra }, service: true });
}

/** Marks a topic and every message in it deleted; later sends fail with "message thread not found". */
export function deleteTopic(chat: ChatState, topic: Topic): void {
  topic.deleted = true;
  for (const stored of chat.messages.values()) if (stored.message.message_thread_id === topic.message_thread_id) stored.deleted = true;
}

export function forumTopicObject(t: Topic): ForumTopic {
  return {
    message_thread_id: t.message_thread_id,
    name: t.name,
    icon_color: t.icon_color,
    ...(t.icon_custom_emoji_id ? { icon_custom_emoji_id: t.icon_custom_emoji_id } : {}),
  };
}
