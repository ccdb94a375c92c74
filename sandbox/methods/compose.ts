/**
 * Building blocks shared by the sending methods: where a message goes (chat,
 * topic, reply), what it says (text or caption with parse_mode/entities) and
 * its keyboard — each validated in the order Telegram validates, so the error
 * a bot sees for a doubly-wrong call is the one Telegram would give.
 */
import type { MessageEntity } from 'grammy/types';
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
  if (threadId !== undefined && chat.type === 'supergroup') {
    // Thread 1 is the General topic, addressed by omitting the thread.
    if (threadId === 1 && !chat.topics.has(1)) threadId = undefined;
    else {
      const topic = world.topicForSending(chat, threadId);
      if (topic.closed && !world.botCanManageTopics(chat)) throw TelegramErrors.topicClosed();
    }
  } else if (chat.type === 'private') threadId = undefined;
  const target: Target = { chat, ...(threadId !== undefined ? { threadId } : {}) };
  const rp = p.json<{ message_id?: number; chat_id?: number | string; allow_sending_without_reply?: boolean; quote?: string; quote_position?: number }>('reply_parameters', 'reply parameters');
  const replyId = rp?.message_id ?? p.int('reply_to_message_id');
  if (replyId !== undefined) {
    const allowMissing = rp?.allow_sending_without_reply ?? p.bool('allow_sending_without_reply');
    const replyChat = rp?.chat_id !== undefined ? world.chatForBot(rp.chat_id) : chat;
    const replied = world.message(replyChat, Number(replyId));
    if (!replied && !allowMissing) throw TelegramErrors.replyNotFound();
    if (replied) {
      target.replyTo = replied;
      // Replying to a topic message without naming the thread posts into that thread.
      if (target.threadId === undefined && replied.message.message_thread_id !== undefined && replyChat === chat) target.threadId = replied.message.message_thread_id;
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

/** Text and entities from `text`/`parse_mode`/`entities`, with detected URLs and commands. */
export function textContent(p: Params, field: 'text' | 'caption' = 'text'): { text: string; entities?: MessageEntity[] } | undefined {
  const raw = p.str(field);
  if (raw === undefined) return undefined;
  const entitiesField = field === 'text' ? 'entities' : 'caption_entities';
  const explicit = p.list<MessageEntity>(entitiesField);
  const parsed = explicit ? undefined : applyParseMode(raw, p.str('parse_mode'));
  const text = parsed?.text ?? raw;
  const trimmed = trimWithEntities(text, parsed?.entities ?? explicit ?? []);
  const entities = withDetectedEntities(trimmed.text, trimmed.entities);
  return { text: trimmed.text, ...(entities ? { entities } : {}) };
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

export function requireText(p: Params): { text: string; entities?: MessageEntity[] } {
  const t = textContent(p, 'text');
  if (!t || t.text === '') throw TelegramErrors.textEmpty();
  if (t.text.length > MAX_TEXT) throw TelegramErrors.textTooLong();
  return t;
}

export function captionContent(p: Params): Pick<MessageContent, 'caption' | 'caption_entities'> {
  const c = textContent(p, 'caption');
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
