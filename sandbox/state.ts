/**
 * The sandbox's in-memory world: chats, their messages, forum topics and
 * members. Message objects are immutable once stored — an edit replaces the
 * object — so queued updates can share them without copying.
 */
import type { MessageEntity } from 'grammy/types';
import type { ReplyMarkup } from './keyboard.js';
import type { MessageMedia } from './media.js';

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: 'private' | 'supergroup';
  title?: string;
  first_name?: string;
  last_name?: string;
  username?: string;
  is_forum?: true;
}

/** A Telegram Message as the sandbox emits it (only the fields the sandbox produces are typed). */
export interface TgMessage extends MessageMedia {
  message_id: number;
  date: number;
  chat: TgChat;
  from?: TgUser;
  message_thread_id?: number;
  is_topic_message?: true;
  reply_to_message?: TgMessage;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  media_group_id?: string;
  reply_markup?: ReplyMarkup;
  edit_date?: number;
  link_preview_options?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface MessageRevision {
  text?: string;
  caption?: string;
  reply_markup?: ReplyMarkup;
  /** When this revision was replaced (unix seconds). */
  replaced_at: number;
}

export interface CallbackAnswerRecord {
  callback_query_id: string;
  text?: string;
  show_alert: boolean;
  url?: string;
  date: number;
}

export interface StoredMessage {
  message: TgMessage;
  fromBot: boolean;
  deleted: boolean;
  /** Earlier versions, oldest first; the current one is `message`. */
  history: MessageRevision[];
  /** Answers the bot gave to callback queries pressed on this message. */
  callbackAnswers: CallbackAnswerRecord[];
  reactions?: unknown[];
  /** Emoji reactions the other side (customer) put on the message. */
  userReactions?: string[];
  /** A reply keyboard (or remove_keyboard/force_reply) sent with this message: not part of the Message object, but the customer sees it. */
  keyboardMarkup?: ReplyMarkup;
  pinned?: boolean;
}

export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

export interface MemberRecord {
  user: TgUser;
  status: MemberStatus;
  /** Administrators only: may create/edit/close topics. */
  canManageTopics?: boolean;
  /** Restricted members only: what restrictChatMember left them (ChatPermissions), and until when (unix seconds, 0 = forever). */
  permissions?: Record<string, boolean>;
  untilDate?: number;
}

/** A pending chat_join_request (sandbox/groups.ts): who asked, and when — the bot may write to them for 5 minutes. */
export interface JoinRequestRecord {
  user_id: number;
  date: number;
}

export interface Topic {
  message_thread_id: number;
  name: string;
  icon_color: number;
  icon_custom_emoji_id?: string;
  closed: boolean;
  deleted: boolean;
  /** Messages posted in the topic, service messages (created/edited/closed…) excluded. */
  messageCount: number;
  /** Who created it: creators may manage their own topics without can_manage_topics. */
  createdBy: number;
}

export interface ChatState {
  id: number;
  type: 'private' | 'supergroup';
  /** The Chat object embedded in messages. */
  info: TgChat;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  /** Supergroups: forum topics by thread id. */
  topics: Map<number, Topic>;
  /** Message ids per thread, so thread views do not scan the whole group. */
  threadMessages: Map<number, number[]>;
  /** Supergroups: members by user id. */
  members: Map<number, MemberRecord>;
  /** Private chats: the user on the other side. */
  user?: TgUser;
  /** Private chats: the user blocked the bot. */
  blocked: boolean;
  /** Pinned message ids, latest last. */
  pinned: number[];
  /** The reply keyboard currently shown under the input field, if any. */
  replyKeyboard?: ReplyMarkup;
  /** The last chat action the bot showed ("typing"…), with its time (unix seconds). */
  lastChatAction?: { action: string; date: number };
  /** Private chats the bot may write in only because the user asked to join a group (never wrote to the bot). */
  joinRequestOnly?: boolean;
  /** Supergroups: join requests not yet approved or declined (sandbox/groups.ts). */
  joinRequests?: JoinRequestRecord[];
}

export function newPrivateChat(user: TgUser): ChatState {
  return {
    id: user.id,
    type: 'private',
    info: privateChatInfo(user),
    nextMessageId: 1,
    messages: new Map(),
    topics: new Map(),
    threadMessages: new Map(),
    members: new Map(),
    user,
    blocked: false,
    pinned: [],
  };
}

export function privateChatInfo(user: TgUser): TgChat {
  const info: TgChat = { id: user.id, first_name: user.first_name, type: 'private' };
  if (user.last_name) info.last_name = user.last_name;
  if (user.username) info.username = user.username;
  return info;
}

export function newForumChat(id: number, title: string): ChatState {
  return {
    id,
    type: 'supergroup',
    info: { id, title, type: 'supergroup', is_forum: true },
    // Message 1 is the group's creation; thread id 1 is the General topic, so topics start above it.
    nextMessageId: 2,
    messages: new Map(),
    topics: new Map(),
    threadMessages: new Map(),
    members: new Map(),
    blocked: false,
    pinned: [],
  };
}
