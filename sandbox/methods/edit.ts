/** Editing, deleting, reacting to and pinning messages. */
import { badRequest, TelegramErrors } from '../errors.js';
import { reviseMessage } from '../messages.js';
import { pickMedia, MEDIA_KINDS } from '../media.js';
import type { Params } from '../params.js';
import type { ChatState, StoredMessage, TgMessage } from '../state.js';
import type { World } from '../world.js';
import { captionContent, replyMarkup, requireText } from './compose.js';
import type { MethodTable } from './context.js';
import { inputMediaContent } from './send.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The bot's own message named by chat_id + message_id, or Telegram's edit errors. */
function editable(world: World, p: Params): { chat: ChatState; stored: StoredMessage } {
  if (p.has('inline_message_id') && !p.has('chat_id')) throw TelegramErrors.editNotFound();
  // Like sending, editing in the chat of a customer who blocked the bot answers 403.
  const chat = world.chatForBot(p.chatId(), { forSending: true });
  const id = p.int('message_id');
  if (id === undefined) throw badRequest('message identifier is not specified');
  const stored = world.message(chat, id);
  if (!stored) throw TelegramErrors.editNotFound();
  if (!stored.fromBot) throw TelegramErrors.cantEdit();
  return { chat, stored };
}

/** An edit that omits reply_markup removes the inline keyboard, exactly as Telegram does. */
function inlineMarkupOf(p: Params) {
  const m = replyMarkup(p);
  if (m && !('inline_keyboard' in m)) throw badRequest('inline keyboard expected');
  return m && Array.isArray(m.inline_keyboard) && m.inline_keyboard.length ? m : undefined;
}

const REACTIONS = new Set(
  '👍 👎 ❤ 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤‍🔥 🌚 🌭 💯 🤣 ⚡ 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨‍💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 🎄 ☃ 💅 🤪 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷‍♂ 🤷 🤷‍♀ 😡'.split(
    ' ',
  ),
);

export const editMethods: MethodTable = {
  editMessageText({ world, params: p }) {
    const { stored } = editable(world, p);
    const text = requireText(world, p);
    const markup = inlineMarkupOf(p);
    const m = stored.message;
    if (m.text === undefined) throw TelegramErrors.noTextToEdit();
    if (m.text === text.text && same(m.entities, text.entities) && same(m.reply_markup, markup)) throw TelegramErrors.notModified();
    const preview = p.json<Record<string, unknown>>('link_preview_options', 'link preview options');
    return reviseMessage(
      world,
      stored,
      { text: text.text, entities: text.entities, reply_markup: markup, link_preview_options: preview },
      { markEdited: true },
    );
  },

  editMessageCaption({ world, params: p }) {
    const { stored } = editable(world, p);
    const m = stored.message;
    if (Object.keys(pickMedia(m)).length === 0) throw TelegramErrors.noCaptionToEdit();
    const caption = captionContent(world, p);
    const markup = inlineMarkupOf(p);
    if (same(m.caption, caption.caption) && same(m.caption_entities, caption.caption_entities) && same(m.reply_markup, markup))
      throw TelegramErrors.notModified();
    return reviseMessage(world, stored, { caption: caption.caption, caption_entities: caption.caption_entities, reply_markup: markup }, { markEdited: true });
  },

  editMessageReplyMarkup({ world, params: p }) {
    const { stored } = editable(world, p);
    const markup = inlineMarkupOf(p);
    if (same(stored.message.reply_markup, markup)) throw TelegramErrors.notModified();
    // Telegram does not set edit_date for keyboard-only edits.
    return reviseMessage(world, stored, { reply_markup: markup }, { markEdited: false });
  },

  editMessageMedia({ world, params: p }) {
    const { stored } = editable(world, p);
    const item = p.json<{ type: string; media: string }>('media', 'input media');
    if (!item) throw badRequest('media is empty');
    const m = stored.message;
    if (Object.keys(pickMedia(m)).length === 0) throw badRequest('there is no media in the message to edit');
    const content = inputMediaContent(world, item, p);
    const markup = inlineMarkupOf(p);
    const patch: Partial<TgMessage> = { caption: content.caption, caption_entities: content.caption_entities, reply_markup: markup };
    for (const k of MEDIA_KINDS) patch[k] = undefined;
    Object.assign(patch, content.media);
    world.files.remember(content.media);
    return reviseMessage(world, stored, patch, { markEdited: true });
  },

  deleteMessage({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    const stored = world.message(chat, p.requireInt('message_id', 'message identifier is not specified'));
    if (!stored) throw TelegramErrors.deleteNotFound();
    if (chat.type === 'supergroup' && !stored.fromBot && !world.botIsAdmin(chat)) throw TelegramErrors.cantDelete();
    if (stored.message.forum_topic_created) throw TelegramErrors.cantDelete();
    stored.deleted = true;
    return true;
  },

  deleteMessages({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    const ids = p.list<number>('message_ids') ?? [];
    if (ids.length === 0 || ids.length > 100) throw badRequest('message_ids must contain 1-100 identifiers');
    for (const id of ids) {
      const stored = world.message(chat, Number(id));
      if (stored && !stored.message.forum_topic_created && (stored.fromBot || chat.type === 'private' || world.botIsAdmin(chat))) stored.deleted = true;
    }
    return true;
  },

  setMessageReaction({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    const stored = world.message(chat, p.requireInt('message_id', 'message identifier is not specified'));
    if (!stored) throw TelegramErrors.reactNotFound();
    const reaction = p.list<{ type: string; emoji?: string }>('reaction') ?? [];
    for (const r of reaction) if (r.type === 'emoji' && !REACTIONS.has(r.emoji ?? '')) throw badRequest('REACTION_INVALID');
    stored.reactions = reaction;
    return true;
  },

  pinChatMessage({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    const id = p.requireInt('message_id', 'message identifier is not specified');
    const stored = world.message(chat, id);
    if (!stored) throw TelegramErrors.pinNotFound();
    if (chat.type === 'supergroup' && !world.botIsAdmin(chat)) throw badRequest('not enough rights to manage pinned messages in the chat');
    stored.pinned = true;
    chat.pinned = [...chat.pinned.filter((x) => x !== id), id];
    return true;
  },

  unpinChatMessage({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    const id = p.int('message_id') ?? chat.pinned[chat.pinned.length - 1];
    if (id === undefined || !chat.pinned.includes(id)) throw badRequest('message to unpin not found');
    chat.pinned = chat.pinned.filter((x) => x !== id);
    const stored = chat.messages.get(id);
    if (stored) stored.pinned = false;
    return true;
  },

  unpinAllChatMessages({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    for (const id of chat.pinned) {
      const stored = chat.messages.get(id);
      if (stored) stored.pinned = false;
    }
    chat.pinned = [];
    return true;
  },
};
