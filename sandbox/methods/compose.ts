/**
 * Building blocks shared by the sending methods: where a message goes (chat,
 * topic, reply), what it says (text or caption with parse_mode/entities) and
 * its keyboard — each validated in the order Telegram validates, so the error
 * a bot sees for a doubly-wrong call is the one Telegram would give.
 */
import type { MessageEntity } from 'grammy/types';
import { GENERAL_TOPIC_ID } from '../../core/telegram-rules.js';
import { applyParseMode } from '../formatting.js';
import { withDetectedEntities } from '../entities.js';
import { badRequest, TelegramErrors } from '../errors.js';
import { validateReplyMarkup, type ReplyMarkup } from '../keyboard.js';
import { createMessage, type MessageContent } from '../messages.js';
import type { Params } from '../params.js';
import type { ChatState, StoredMessage, TgMessage } from '../state.js';
import type { World } from '../world.js';

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

export interface Target {
  chat: ChatState;
  threadId?: number;
  replyTo?: StoredMessage;
  quote?: { text: string; position: number };
}

/** Resolves chat_id, message_thread_id and reply parameters of a sending call. */
export function resolveTarget(world: World, p: Params): Target {
  const chat = world.chatForBot(p.chatId(), { forSending: true });
  let threadId = p.int('message_thread_id');
  // The Bot API server reads 0 and negative ids as "no thread".
  if (threadId !== undefined && threadId <= 0) threadId = undefined;
  if (threadId !== undefined) {
    // Private chats of the sandbox have no topics (getMe: has_topics_enabled false), so any thread there is unknown.
    if (chat.type === 'private') throw TelegramErrors.threadNotFound();
    if (chat.info.is_forum) {
      // The General topic is addressed by omitting the thread: Telegram refuses its id.
      if (threadId === GENERAL_TOPIC_ID) throw TelegramErrors.threadNotFound();
      const topic = world.topicForSending(chat, threadId);
      if (topic.closed && !world.botCanManageTopics(chat)) throw TelegramErrors.topicClosed();
    } else threadId = undefined;
  }
  const target: Target = { chat, ...(threadId !== undefined ? { threadId } : {}) };
  const rp = p.json<{ message_id?: number; chat_id?: number | string; allow_sending_without_reply?: boolean; quote?: string; quote_position?: number }>(
    'reply_parameters',
    'reply parameters',
  );
  const replyId = rp?.message_id ?? p.int('reply_to_message_id');
  if (replyId !== undefined) {
    const allowMissing = rp?.allow_sending_without_reply ?? p.bool('allow_sending_without_reply');
    const replyChat = rp?.chat_id !== undefined ? world.chatForBot(rp.chat_id) : chat;
    const replied = world.message(replyChat, Number(replyId));
    if (!replied && !allowMissing) throw TelegramErrors.replyNotFound();
    if (replied) {
      target.replyTo = replied;
      // Replying to a topic message without naming the thread posts into that thread.
      if (target.threadId === undefined && replied.message.message_thread_id !== undefined && replyChat === chat)
        target.threadId = replied.message.message_thread_id;
      if (rp?.quote !== undefined) {
        const source = replied.message.text ?? replied.message.caption ?? '';
        const position = rp.quote_position ?? source.indexOf(rp.quote);
        if (source.substr(position, rp.quote.length) !== rp.quote) throw badRequest('QUOTE_TEXT_INVALID');
        target.quote = { text: rp.quote, position };
      }
    }
  }
  return target;
}

/** Text and entities from `text`/`parse_mode`/`entities`, with detected URLs and commands and resolved user mentions. */
export function textContent(world: World, p: Params, field: 'text' | 'caption' = 'text'): { text: string; entities?: MessageEntity[] } | undefined {
  const raw = p.str(field);
  if (raw === undefined) return undefined;
  const entitiesField = field === 'text' ? 'entities' : 'caption_entities';
  const explicit = p.list<MessageEntity>(entitiesField);
  const parsed = explicit ? undefined : applyParseMode(raw, p.str('parse_mode'));
  const text = parsed?.text ?? raw;
  const trimmed = trimWithEntities(text, resolveMentions(world, parsed?.entities ?? explicit ?? []));
  const entities = withDetectedEntities(trimmed.text, trimmed.entities);
  return { text: trimmed.text, ...(entities ? { entities } : {}) };
}

/** The user id of a `tg://user?id=<id>` link (TDLib LinkManager::get_link_user_id), else undefined. */
export function mentionedUserId(url: string): number | undefined {
  const m = /^tg:(?:\/\/)?user\/?\?([^#]*)/i.exec(url);
  if (!m) return undefined;
  for (const pair of m[1]!.split('&')) {
    const [key, value] = pair.split('=');
    if (key?.toLowerCase() === 'id' && value !== undefined && /^\d+$/.test(value)) return Number(value);
  }
  return undefined;
}

/**
 * A link to a user (`<a href="tg://user?id=…">`, `[…](tg://user?id=…)`, a text_link to such a URL) or an explicit
 * text_mention becomes a `text_mention` carrying the User object, as Telegram returns it. A user the bot cannot see
 * (never met in any of its chats) cannot be mentioned.
 */
export function resolveMentions(world: World, entities: MessageEntity[]): MessageEntity[] {
  return entities.map((e) => {
    const userId = e.type === 'text_link' ? mentionedUserId(e.url) : e.type === 'text_mention' ? Number(e.user?.id) : undefined;
    if (userId === undefined) return e;
    const user = world.users.get(userId);
    if (!user) throw badRequest('ENTITY_MENTION_USER_INVALID');
    return { type: 'text_mention', offset: e.offset, length: e.length, user } as MessageEntity;
  });
}

/** Telegram strips surrounding whitespace; entities shift with the text. */
function trimWithEntities(text: string, entities: MessageEntity[]): { text: string; entities: MessageEntity[] } {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  if (lead === 0 && trimmed.length === text.length) return { text, entities };
  const shifted = entities
    .map((e) => {
      const start = Math.max(0, e.offset - lead);
      const end = Math.min(trimmed.length, e.offset + e.length - lead);
      return { ...e, offset: start, length: end - start };
    })
    .filter((e) => e.length > 0);
  return { text: trimmed, entities: shifted };
}

export function requireText(world: World, p: Params): { text: string; entities?: MessageEntity[] } {
  const t = textContent(world, p, 'text');
  if (!t || t.text === '') throw TelegramErrors.textEmpty();
  if (t.text.length > MAX_TEXT) throw TelegramErrors.textTooLong();
  return t;
}

export function captionContent(world: World, p: Params): Pick<MessageContent, 'caption' | 'caption_entities'> {
  const c = textContent(world, p, 'caption');
  if (!c || c.text === '') return {};
  if (c.text.length > MAX_CAPTION) throw TelegramErrors.captionTooLong();
  return { caption: c.text, ...(c.entities ? { caption_entities: c.entities } : {}) };
}

export function replyMarkup(p: Params): ReplyMarkup | undefined {
  return validateReplyMarkup(p.json('reply_markup', 'reply keyboard markup'));
}

/** Flood limits apply to every message the bot sends. */
export function checkFlood(world: World, chat: ChatState): void {
  const err = world.flood?.check(chat.id, chat.type !== 'private');
  if (err) {
    world.stats.floodLimited++;
    throw err;
  }
}

/** Creates a bot message at `target` and returns the Message object Telegram answers with. */
export function sendFromBot(world: World, target: Target, content: MessageContent, markup: ReplyMarkup | undefined): TgMessage {
  const stored = createMessage(world, {
    chat: target.chat,
    from: world.bot,
    fromBot: true,
    ...(target.threadId !== undefined ? { threadId: target.threadId } : {}),
    ...(target.replyTo ? { replyTo: target.replyTo } : {}),
    ...(target.quote ? { quote: target.quote } : {}),
    content,
    ...(markup ? { replyMarkup: markup } : {}),
  });
  return stored.message;
}
