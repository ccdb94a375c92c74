/**
 * The one path by which a message comes into existence — from the bot, a
 * customer or an agent — so topic fields, replies, albums and entities are
 * shaped the same way everywhere.
 */
import type { MessageEntity } from 'grammy/types';
import type { ReplyMarkup } from './keyboard.js';
import { pickMedia, type MessageMedia } from './media.js';
import type { ChatState, StoredMessage, TgMessage, TgUser } from './state.js';
import type { World } from './world.js';

export interface MessageContent {
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  media?: MessageMedia;
  media_group_id?: string;
  link_preview_options?: Record<string, unknown>;
  /** Service or forward fields copied verbatim (forum_topic_created, forward_origin…). */
  extra?: Record<string, unknown>;
}

export interface MessageDraft {
  chat: ChatState;
  from: TgUser;
  fromBot: boolean;
  /** Unix seconds; defaults to now in the message's conversation (World#unixNowIn). */
  date?: number;
  /** Forum topic; undefined = General topic (or a private chat). */
  threadId?: number;
  replyTo?: StoredMessage;
  /** A reply that quotes part of the replied message (reply_parameters.quote). */
  quote?: { text: string; position: number };
  content: MessageContent;
  replyMarkup?: ReplyMarkup;
  /** A service message (topic edited/closed…): not counted as a topic message. */
  service?: boolean;
}

/** The copy of a message embedded as reply_to_message: Telegram nests only one level. */
export function asReplied(m: TgMessage): TgMessage {
  if (!('reply_to_message' in m)) return m;
  const { reply_to_message: _nested, ...rest } = m;
  return rest as TgMessage;
}

export function createMessage(world: World, d: MessageDraft): StoredMessage {
  const chat = d.chat;
  const message_id = chat.nextMessageId++;
  const m: TgMessage = { message_id, from: d.from, chat: chat.info, date: d.date ?? world.unixNowIn(chat.id, d.threadId) };
  if (d.threadId !== undefined) {
    m.message_thread_id = d.threadId;
    m.is_topic_message = true;
    const topic = chat.topics.get(d.threadId);
    if (topic && d.threadId !== message_id && !d.service) topic.messageCount++;
    let ids = chat.threadMessages.get(d.threadId);
    if (!ids) chat.threadMessages.set(d.threadId, (ids = []));
    ids.push(message_id);
  }
  // In a topic, a message that replies to nothing replies to the topic's creation message.
  const replied = d.replyTo ?? (d.threadId !== undefined && d.threadId !== message_id ? chat.messages.get(d.threadId) : undefined);
  if (replied) m.reply_to_message = asReplied(replied.message);
  if (d.quote) m.quote = { text: d.quote.text, position: d.quote.position, is_manual: true };
  const c = d.content;
  if (c.media_group_id) m.media_group_id = c.media_group_id;
  if (c.text !== undefined) {
    m.text = c.text;
    if (c.entities?.length) m.entities = c.entities;
    if (c.link_preview_options) m.link_preview_options = c.link_preview_options;
  }
  if (c.media) Object.assign(m, pickMedia(c.media));
  if (c.caption) {
    m.caption = c.caption;
    if (c.caption_entities?.length) m.caption_entities = c.caption_entities;
  }
  if (c.extra) Object.assign(m, c.extra);
  if (d.replyMarkup && 'inline_keyboard' in d.replyMarkup) m.reply_markup = d.replyMarkup;
  const stored: StoredMessage = { message: m, fromBot: d.fromBot, deleted: false, history: [], callbackAnswers: [] };
  if (d.replyMarkup && !('inline_keyboard' in d.replyMarkup)) {
    // Reply keyboards live under the input field until replaced or removed.
    stored.keyboardMarkup = d.replyMarkup;
    chat.replyKeyboard = 'keyboard' in d.replyMarkup ? d.replyMarkup : undefined;
  }
  chat.messages.set(message_id, stored);
  if (chat.messages.size > world.maxMessagesPerChat) {
    // Maps iterate in insertion order: the first key is the oldest message.
    const oldest = chat.messages.keys().next().value;
    if (oldest !== undefined) chat.messages.delete(oldest);
  }
  if (c.media) world.files.remember(c.media);
  return stored;
}

/** Replaces a stored message's object (messages are immutable), keeping the previous version in history. */
export function reviseMessage(world: World, stored: StoredMessage, patch: Partial<TgMessage>, opts: { markEdited: boolean; date?: number }): TgMessage {
  const prev = stored.message;
  const now = opts.date ?? world.unixNowIn(prev.chat.id, prev.message_thread_id);
  stored.history.push({
    ...(prev.text !== undefined ? { text: prev.text } : {}),
    ...(prev.caption !== undefined ? { caption: prev.caption } : {}),
    ...(prev.reply_markup ? { reply_markup: prev.reply_markup } : {}),
    replaced_at: now,
  });
  const next: TgMessage = { ...prev, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  if (opts.markEdited) next.edit_date = now;
  stored.message = next;
  return next;
}
