/** copyMessage(s) and forwardMessage(s): the desk relays customer messages into topics and back with these. */
import { badRequest, TelegramErrors } from '../errors.js';
import { pickMedia } from '../media.js';
import type { MessageContent } from '../messages.js';
import type { Params } from '../params.js';
import type { StoredMessage, TgMessage } from '../state.js';
import type { World } from '../world.js';
import { captionContent, checkFlood, replyMarkup, resolveTarget, sendFromBot, type Target } from './compose.js';
import type { MethodTable } from './context.js';

/** Service messages (topic created, member joined…) cannot be copied or forwarded. */
const SERVICE_FIELDS = [
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'new_chat_members',
  'left_chat_member',
  'pinned_message',
  'general_forum_topic_hidden',
];

function isService(m: TgMessage): boolean {
  return SERVICE_FIELDS.some((f) => m[f] !== undefined);
}

/** Service messages cannot be copied, nor a quiz whose correct answer the bot does not know. */
function isUncopyable(m: TgMessage): boolean {
  return isService(m) || (m.poll?.type === 'quiz' && m.poll.correct_option_ids === undefined);
}

function sourceMessages(world: World, p: Params, ids: number[], notFound: () => Error): StoredMessage[] {
  const from = world.chatForBot(p.chatId('from_chat_id'));
  const found = ids.map((id) => world.message(from, id)).filter((m): m is StoredMessage => m !== undefined);
  if (found.length === 0) throw notFound();
  return found;
}

function contentOf(m: TgMessage): MessageContent {
  const c: MessageContent = {};
  if (m.text !== undefined) {
    c.text = m.text;
    if (m.entities) c.entities = m.entities;
  }
  const media = pickMedia(m);
  if (Object.keys(media).length) c.media = media;
  if (m.caption !== undefined) {
    c.caption = m.caption;
    if (m.caption_entities) c.caption_entities = m.caption_entities;
  }
  return c;
}

/** A copy: same content, caption optionally replaced, no link to the original. */
function copyContent(world: World, m: TgMessage, p: Params | undefined): MessageContent {
  const c = contentOf(m);
  if (p?.has('caption') || (p && p.str('caption') === '')) {
    delete c.caption;
    delete c.caption_entities;
    if (c.media) Object.assign(c, captionContent(world, p));
  }
  return c;
}

function forwardContent(m: TgMessage): MessageContent {
  const c = contentOf(m);
  const origin = m.forward_origin ?? { type: 'user', sender_user: m.from, date: m.date };
  return { ...c, extra: { forward_origin: origin } };
}

function idList(p: Params): number[] {
  const ids = p.list<number>('message_ids');
  if (!ids || ids.length === 0 || ids.length > 100) throw badRequest('message_ids must contain 1-100 identifiers');
  for (let i = 1; i < ids.length; i++)
    if (!(Number(ids[i]) > Number(ids[i - 1]))) throw badRequest('message identifiers must be specified in a strictly increasing order');
  return ids.map(Number);
}

/** Sends several messages at once, giving each source album a fresh media_group_id. */
function relayMany(world: World, target: Target, sources: StoredMessage[], make: (m: TgMessage) => MessageContent): TgMessage[] {
  const groupIds = new Map<string, string>();
  const out: TgMessage[] = [];
  for (const s of sources) {
    const content = make(s.message);
    const g = s.message.media_group_id;
    if (g) {
      if (!groupIds.has(g)) groupIds.set(g, world.newMediaGroupId());
      content.media_group_id = groupIds.get(g)!;
    }
    checkFlood(world, target.chat);
    out.push(sendFromBot(world, target, content, undefined));
  }
  return out;
}

export const copyMethods: MethodTable = {
  copyMessage({ world, params: p }) {
    const messageId = p.requireInt('message_id', 'message to copy not found');
    const target = resolveTarget(world, p);
    const [source] = sourceMessages(world, p, [messageId], TelegramErrors.copyNotFound);
    if (isUncopyable(source!.message)) throw TelegramErrors.cantCopy();
    const markup = replyMarkup(p);
    const content = copyContent(world, source!.message, p);
    checkFlood(world, target.chat);
    const sent = sendFromBot(world, target, content, markup);
    return { message_id: sent.message_id };
  },

  copyMessages({ world, params: p }) {
    const ids = idList(p);
    const target = resolveTarget(world, p);
    const sources = sourceMessages(world, p, ids, TelegramErrors.copyNotFound).filter((s) => !isUncopyable(s.message));
    if (sources.length === 0) throw TelegramErrors.cantCopy();
    const removeCaption = p.bool('remove_caption');
    return relayMany(world, target, sources, (m) => {
      const c = copyContent(world, m, undefined);
      if (removeCaption) {
        delete c.caption;
        delete c.caption_entities;
      }
      return c;
    }).map((m) => ({ message_id: m.message_id }));
  },

  forwardMessage({ world, params: p }) {
    const messageId = p.requireInt('message_id', 'message to forward not found');
    const target = resolveTarget(world, p);
    const [source] = sourceMessages(world, p, [messageId], TelegramErrors.forwardNotFound);
    if (isService(source!.message)) throw badRequest("message can't be forwarded");
    checkFlood(world, target.chat);
    return sendFromBot(world, target, forwardContent(source!.message), undefined);
  },

  forwardMessages({ world, params: p }) {
    const ids = idList(p);
    const target = resolveTarget(world, p);
    const sources = sourceMessages(world, p, ids, TelegramErrors.forwardNotFound).filter((s) => !isService(s.message));
    if (sources.length === 0) throw badRequest("message can't be forwarded");
    return relayMany(world, target, sources, forwardContent).map((m) => ({ message_id: m.message_id }));
  },
};
