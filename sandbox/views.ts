/**
 * Control API views of chats: what a customer or an agent would see, flattened
 * for assertions — who sent it, the latest text, the media kind, the buttons,
 * the edit history and the callback answers (toasts/alerts) shown on it.
 */
import { mediaKindOf, type MediaKind } from './media.js';
import type { ReplyMarkup } from './keyboard.js';
import type { ChatState, CallbackAnswerRecord, MessageRevision, StoredMessage, Topic } from './state.js';
import type { World } from './world.js';

export interface MessageView {
  message_id: number;
  /** 'bot', or 'customer' in private chats / 'agent' in groups. */
  from: 'bot' | 'customer' | 'agent';
  from_id: number;
  from_name: string;
  date: number;
  thread_id?: number;
  text?: string;
  caption?: string;
  entities?: unknown[];
  media?: MediaKind;
  media_group_id?: string;
  /** The file-backed media object (e.g. the largest PhotoSize, the Document) or location/venue/contact. */
  media_object?: unknown;
  reply_to?: number;
  reply_markup?: ReplyMarkup;
  /** Labels of the inline buttons, row by row — handy for assertions. */
  buttons?: string[][];
  /** A reply keyboard (`keyboard`, `remove_keyboard`, `force_reply`) sent with the message. */
  keyboard?: Record<string, unknown>;
  edited: boolean;
  edit_history: MessageRevision[];
  callback_answers: CallbackAnswerRecord[];
  /** Service message kind (forum_topic_created, forum_topic_closed…). */
  service?: string;
  forwarded?: boolean;
  pinned?: boolean;
  /** Reactions the bot set on the message. */
  reactions?: unknown[];
  /** Reactions the customer set on the message. */
  user_reactions?: string[];
  deleted?: boolean;
}

const SERVICE_KINDS = [
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'pinned_message',
  'new_chat_members',
  'left_chat_member',
];

export function messageView(chat: ChatState, s: StoredMessage): MessageView {
  const m = s.message;
  const kind = mediaKindOf(m);
  const v: MessageView = {
    message_id: m.message_id,
    from: s.fromBot ? 'bot' : chat.type === 'private' ? 'customer' : 'agent',
    from_id: m.from?.id ?? 0,
    from_name: [m.from?.first_name, m.from?.last_name].filter(Boolean).join(' '),
    date: m.date,
    edited: m.edit_date !== undefined || s.history.length > 0,
    edit_history: s.history,
    callback_answers: s.callbackAnswers,
  };
  if (m.message_thread_id !== undefined) v.thread_id = m.message_thread_id;
  if (m.text !== undefined) v.text = m.text;
  if (m.caption !== undefined) v.caption = m.caption;
  if (m.entities ?? m.caption_entities) v.entities = (m.entities ?? m.caption_entities) as unknown[];
  if (kind) {
    v.media = kind;
    v.media_object = kind === 'photo' ? m.photo![m.photo!.length - 1] : m[kind];
  }
  if (m.media_group_id) v.media_group_id = m.media_group_id;
  // In topics every message "replies" to the creation message; only real replies are reported.
  const replyId = m.reply_to_message?.message_id;
  if (replyId !== undefined && replyId !== m.message_thread_id) v.reply_to = replyId;
  if (m.reply_markup) {
    v.reply_markup = m.reply_markup;
    const rows = m.reply_markup.inline_keyboard;
    if (Array.isArray(rows)) v.buttons = (rows as { text: string }[][]).map((r) => r.map((b) => b.text));
  }
  if (s.keyboardMarkup) v.keyboard = s.keyboardMarkup;
  const service = SERVICE_KINDS.find((k) => m[k] !== undefined);
  if (service) v.service = service;
  if (m.forward_origin) v.forwarded = true;
  if (s.pinned) v.pinned = true;
  if (s.reactions?.length) v.reactions = s.reactions;
  if (s.userReactions?.length) v.user_reactions = s.userReactions;
  if (s.deleted) v.deleted = true;
  return v;
}

/** A chat's messages as views, oldest first; `world` is kept for API stability (other parts call this). */
export function chatMessages(_world: World, chat: ChatState, opts: { threadId?: number; includeDeleted?: boolean; since?: number } = {}): MessageView[] {
  const out: MessageView[] = [];
  const since = opts.since ?? 0;
  const visit = (s: StoredMessage | undefined) => {
    if (!s || (s.deleted && !opts.includeDeleted) || s.message.message_id <= since) return;
    out.push(messageView(chat, s));
  };
  if (opts.threadId !== undefined && opts.threadId !== 1) {
    // A topic: its own index, no scan of the whole group.
    for (const id of chat.threadMessages.get(opts.threadId) ?? []) if (id > since) visit(chat.messages.get(id));
    return out;
  }
  if (since > 0) {
    // Ids are dense per chat: start right after `since`.
    for (let id = since + 1; id < chat.nextMessageId; id++) {
      const s = chat.messages.get(id);
      if (opts.threadId === 1 && s?.message.message_thread_id !== undefined) continue;
      visit(s);
    }
    return out;
  }
  for (const s of chat.messages.values()) {
    // Thread 1 means the General topic: messages without a thread.
    if (opts.threadId === 1 && s.message.message_thread_id !== undefined) continue;
    visit(s);
  }
  return out;
}

export interface TopicView {
  thread_id: number;
  name: string;
  icon_color: number;
  icon_custom_emoji_id?: string;
  closed: boolean;
  deleted?: true;
  messages: number;
}

export function topicView(t: Topic): TopicView {
  return {
    thread_id: t.message_thread_id,
    name: t.name,
    icon_color: t.icon_color,
    ...(t.icon_custom_emoji_id ? { icon_custom_emoji_id: t.icon_custom_emoji_id } : {}),
    closed: t.closed,
    ...(t.deleted ? { deleted: true as const } : {}),
    messages: t.messageCount,
  };
}
