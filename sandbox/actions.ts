/**
 * What people do on the other side of the bot, used by the control API:
 * customers write, edit, press buttons and block the bot; agents write in
 * topics, press buttons on ticket cards, join and leave; someone deletes or
 * closes a topic. Each action changes the world and queues the update
 * Telegram would send the bot.
 */
import { withDetectedEntities } from './entities.js';
import { newCallbackQueryId, chatInstanceOf } from './ids.js';
import { inlineButtons } from './keyboard.js';
import { setMembership } from './members.js';
import { createMessage, reviseMessage, type MessageContent } from './messages.js';
import { FILE_MEDIA_KINDS, makeFileMedia, makePlainMedia, MEDIA_KINDS, type FileMediaKind, type MessageMedia, type PlainMediaKind } from './media.js';
import type { ChatState, MemberStatus, StoredMessage, TgUser } from './state.js';
import { createTopic, deleteTopic, topicServiceMessage, validateTopicName } from './topics.js';
import { BotApiError } from './errors.js';
import type { World } from './world.js';

/** A control API failure: HTTP status plus a reason for the caller. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export interface Profile {
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type MediaSpec = Partial<Record<(typeof MEDIA_KINDS)[number], Record<string, unknown>>>;

export interface WriteBody extends Profile, MediaSpec {
  text?: string;
  caption?: string;
  date?: number;
  reply_to_message_id?: number;
  media_group_id?: string;
  /** The message is forwarded from this origin (Telegram's MessageOrigin, e.g. `{ type: 'user', sender_user: {…}, date }`): set as `forward_origin`. */
  forward_origin?: Record<string, unknown>;
}

// ---- content ------------------------------------------------------------------

function mediaFromSpec(body: MediaSpec): MessageMedia | undefined {
  const kinds = MEDIA_KINDS.filter((k) => body[k] !== undefined);
  if (kinds.length > 1) throw new ControlError(400, `a message carries one media kind, got ${kinds.join(', ')}`);
  const kind = kinds[0];
  if (!kind) return undefined;
  const spec = body[kind]!;
  try {
    if ((FILE_MEDIA_KINDS as readonly string[]).includes(kind)) return makeFileMedia(kind as FileMediaKind, spec);
    return makePlainMedia(kind as PlainMediaKind, spec);
  } catch (e) {
    throw new ControlError(400, `invalid ${kind}: ${(e as Error).message.replace(/^Bad Request: /, '')}`);
  }
}

/** A user's message content: text with detected entities (commands, URLs), or media with a caption. */
function userContent(body: WriteBody): MessageContent {
  const media = mediaFromSpec(body);
  const content: MessageContent = {};
  if (media) {
    content.media = media;
    if (body.caption) {
      content.caption = body.caption;
      const e = withDetectedEntities(body.caption, undefined);
      if (e) content.caption_entities = e;
    }
    if (body.text !== undefined) throw new ControlError(400, 'a media message has a caption, not text');
  } else {
    if (body.text === undefined || body.text.trim() === '') throw new ControlError(400, 'text or a media object is required');
    content.text = body.text;
    const e = withDetectedEntities(body.text, undefined);
    if (e) content.entities = e;
  }
  if (body.media_group_id) content.media_group_id = body.media_group_id;
  if (body.forward_origin) content.extra = { forward_origin: body.forward_origin };
  return content;
}

function replyTarget(world: World, chat: ChatState, id: number | undefined): StoredMessage | undefined {
  if (id === undefined) return undefined;
  const m = world.message(chat, id);
  if (!m) throw new ControlError(404, `message ${id} to reply to does not exist in chat ${chat.id}`);
  return m;
}

function profileOf(body: Profile): Profile {
  const p: Profile = {};
  if (body.first_name) p.first_name = body.first_name;
  if (body.last_name) p.last_name = body.last_name;
  if (body.username) p.username = body.username;
  if (body.language_code) p.language_code = body.language_code;
  return p;
}

// ---- customers ----------------------------------------------------------------

export function customerChat(world: World, userId: number): ChatState {
  const chat = world.chats.get(userId);
  if (chat?.type !== 'private') throw new ControlError(404, `customer ${userId} has never written to the bot`);
  return chat;
}

export function customerWrites(world: World, userId: number, body: WriteBody): StoredMessage {
  if (userId === world.bot.id) throw new ControlError(400, 'the bot cannot be a customer');
  const user = world.upsertUser(userId, profileOf(body), `Customer ${userId}`);
  const chat = world.privateChat(user);
  // Writing to the bot makes a chat opened for a join request (sandbox/groups.ts) an ordinary one.
  delete chat.joinRequestOnly;
  world.noteAction(chat.id, undefined, body.date);
  // Writing to a blocked bot unblocks it (the client restarts the bot), as in Telegram.
  if (chat.blocked) setBlocked(world, userId, false, body.date);
  const content = userContent(body);
  const replyTo = replyTarget(world, chat, body.reply_to_message_id);
  const stored = createMessage(world, {
    chat,
    from: user,
    fromBot: false,
    ...(body.date !== undefined ? { date: body.date } : {}),
    ...(replyTo ? { replyTo } : {}),
    content,
  });
  world.updates.push('message', stored.message);
  return stored;
}

/** Edits a message the customer (or an agent) sent and queues `edited_message`. */
export function userEdits(
  world: World,
  chat: ChatState,
  userId: number,
  messageId: number,
  body: { text?: string; caption?: string; date?: number },
): StoredMessage {
  const stored = world.message(chat, messageId);
  if (!stored) throw new ControlError(404, `message ${messageId} does not exist in chat ${chat.id}`);
  if (stored.message.from?.id !== userId) throw new ControlError(403, `message ${messageId} was not sent by user ${userId}`);
  const m = stored.message;
  let patch: Record<string, unknown>;
  if (body.text !== undefined) {
    if (m.text === undefined) throw new ControlError(400, 'the message has no text; edit its caption');
    if (body.text.trim() === '') throw new ControlError(400, 'text must not be empty');
    patch = { text: body.text, entities: withDetectedEntities(body.text, undefined) };
  } else if (body.caption !== undefined) {
    if (m.text !== undefined) throw new ControlError(400, 'the message is text; edit its text');
    patch = { caption: body.caption || undefined, caption_entities: body.caption ? withDetectedEntities(body.caption, undefined) : undefined };
  } else throw new ControlError(400, 'text or caption is required');
  world.noteAction(chat.id, m.message_thread_id, body.date);
  const date = body.date ?? world.unixNowIn(chat.id, m.message_thread_id);
  const next = reviseMessage(world, stored, patch, { markEdited: true, date });
  world.updates.push('edited_message', next);
  return stored;
}

/** The customer reacts to a message (e.g. 👍 on the bot's answer); queues `message_reaction` if the bot asked for it. */
export function customerReacts(world: World, userId: number, messageId: number, emojis: string[], date?: number): void {
  const chat = customerChat(world, userId);
  const stored = world.message(chat, messageId);
  if (!stored) throw new ControlError(404, `message ${messageId} does not exist in chat ${chat.id}`);
  const old_reaction = (stored.userReactions ?? []).map((emoji) => ({ type: 'emoji', emoji }));
  stored.userReactions = emojis;
  world.noteAction(chat.id, undefined, date);
  world.updates.push('message_reaction', {
    chat: chat.info,
    message_id: messageId,
    user: chat.user,
    date: date ?? world.unixNow(),
    old_reaction,
    new_reaction: emojis.map((emoji) => ({ type: 'emoji', emoji })),
  });
}

export function setBlocked(world: World, userId: number, blocked: boolean, date?: number): void {
  const user = world.users.get(userId) ?? world.upsertUser(userId, {}, `Customer ${userId}`);
  const chat = world.privateChat(user);
  if (chat.blocked === blocked) return;
  chat.blocked = blocked;
  world.updates.push('my_chat_member', {
    chat: chat.info,
    from: user,
    date: date ?? world.unixNow(),
    old_chat_member: blocked ? { status: 'member', user: world.bot } : { status: 'kicked', user: world.bot, until_date: 0 },
    new_chat_member: blocked ? { status: 'kicked', user: world.bot, until_date: 0 } : { status: 'member', user: world.bot },
  });
}

// ---- buttons ------------------------------------------------------------------

/** The button a label names on a message: exact label first, else the first whose label contains it. */
function findButton(stored: StoredMessage, label: string) {
  const buttons = inlineButtons(stored.message.reply_markup);
  return buttons.find((b) => b.text === label) ?? buttons.find((b) => b.text.includes(label));
}

function latestBotMessageWithButton(chat: ChatState, label: string, filter: (m: StoredMessage) => boolean = () => true): StoredMessage | undefined {
  const ids = [...chat.messages.keys()];
  for (let i = ids.length - 1; i >= 0; i--) {
    const m = chat.messages.get(ids[i]!)!;
    if (m.deleted || !m.fromBot || !filter(m)) continue;
    if (findButton(m, label)) return m;
  }
  return undefined;
}

/**
 * A callback query carries no date in Telegram: a press's `date` (replaying
 * history) only places its conversation in that past, so the bot's answers to
 * it are dated there. The answer window runs from the real press.
 */
function press(
  world: World,
  user: TgUser,
  chat: ChatState,
  stored: StoredMessage,
  label: string,
  date: number | undefined,
): { callback_query_id: string; message_id: number; data: string } {
  const button = findButton(stored, label);
  if (!button) throw new ControlError(404, `message ${stored.message.message_id} has no button labelled "${label}"`);
  if (!('callback_data' in button) || typeof button.callback_data !== 'string')
    throw new ControlError(400, `button "${button.text}" is not a callback button (it has no callback_data)`);
  world.noteAction(chat.id, stored.message.message_thread_id, date);
  const id = newCallbackQueryId(world.bot.id);
  world.registerCallback({ id, chatId: chat.id, messageId: stored.message.message_id, userId: user.id, pressedAt: world.clock(), answered: false });
  world.updates.push('callback_query', { id, from: user, message: stored.message, chat_instance: chatInstanceOf(chat.id), data: button.callback_data });
  return { callback_query_id: id, message_id: stored.message.message_id, data: button.callback_data };
}

export interface PressBody {
  text: string;
  /** Unix seconds: when the press happened, for a replay (see `press`). */
  date?: number;
}

export function customerPresses(world: World, userId: number, body: PressBody) {
  const chat = customerChat(world, userId);
  const stored = latestBotMessageWithButton(chat, body.text);
  if (!stored) throw new ControlError(404, `no bot message to customer ${userId} has a button labelled "${body.text}"`);
  return press(world, chat.user!, chat, stored, body.text, body.date);
}

/**
 * Presses a button of the reply keyboard currently shown to the customer: the
 * client sends its label as a text message (or the contact/location it requests).
 */
export function customerPressesKeyboard(world: World, userId: number, { text: label, date }: PressBody): StoredMessage {
  const chat = customerChat(world, userId);
  const rows = (chat.replyKeyboard?.keyboard ?? []) as Array<Array<string | { text: string; request_contact?: boolean; request_location?: boolean }>>;
  const buttons = rows.flat().map((b) => (typeof b === 'string' ? { text: b } : b));
  const button = buttons.find((b) => b.text === label) ?? buttons.find((b) => b.text.includes(label));
  if (!button) throw new ControlError(404, `customer ${userId} has no reply keyboard button labelled "${label}"`);
  const user = chat.user!;
  const body: WriteBody = button.request_contact
    ? { contact: { phone_number: `+1555${String(userId).padStart(7, '0').slice(-7)}`, first_name: user.first_name, user_id: userId } }
    : button.request_location
      ? { location: { latitude: 52.52, longitude: 13.405 } }
      : { text: button.text };
  if (chat.replyKeyboard?.one_time_keyboard === true) chat.replyKeyboard = undefined;
  return customerWrites(world, userId, date !== undefined ? { ...body, date } : body);
}

// ---- agents and the support group ----------------------------------------------

export function groupChat(world: World, chatId: number | undefined): ChatState {
  const id = chatId ?? world.chatIds.support;
  const chat = world.chats.get(id);
  if (chat?.type !== 'supergroup')
    throw new ControlError(404, `chat ${id} is not a sandbox group (known: ${world.chatIds.support}, ${world.chatIds.escalation})`);
  return chat;
}

export interface AgentWriteBody extends WriteBody {
  from_id: number;
  chat_id?: number;
  thread_id?: number;
  not_member?: boolean;
}

function agentUser(world: World, chat: ChatState, body: { from_id: number; not_member?: boolean } & Profile, date?: number): TgUser {
  if (body.from_id === world.bot.id) throw new ControlError(400, 'from_id is the bot; use the Bot API to send as the bot');
  const user = world.upsertUser(body.from_id, profileOf(body), `Agent ${body.from_id}`);
  if (!body.not_member && !chat.members.has(user.id)) setMembership(world, chat, user, 'member', date !== undefined ? { date } : {});
  return user;
}

export function agentWrites(world: World, body: AgentWriteBody): StoredMessage {
  const chat = groupChat(world, body.chat_id);
  const user = agentUser(world, chat, body, body.date);
  const status = world.memberStatus(chat, user.id);
  if (status === 'kicked') throw new ControlError(403, `user ${user.id} is banned from chat ${chat.id}`);
  // Restricted by the bot (restrictChatMember, sandbox/groups.ts) without the right to send: Telegram's client cannot send.
  if (status === 'restricted' && chat.members.get(user.id)?.permissions?.can_send_messages === false)
    throw new ControlError(403, `user ${user.id} is restricted in chat ${chat.id} and cannot send messages`);
  let threadId = body.thread_id;
  if (threadId === 1) threadId = undefined;
  if (threadId !== undefined) {
    const topic = chat.topics.get(threadId);
    if (!topic || topic.deleted) throw new ControlError(400, 'message thread not found');
    if (topic.closed && status !== 'administrator' && status !== 'creator')
      throw new ControlError(400, 'TOPIC_CLOSED: only administrators can write into a closed topic');
  }
  const content = userContent(body);
  const replyTo = replyTarget(world, chat, body.reply_to_message_id);
  if (threadId === undefined && replyTo?.message.message_thread_id !== undefined) threadId = replyTo.message.message_thread_id;
  world.noteAction(chat.id, threadId, body.date);
  const stored = createMessage(world, {
    chat,
    from: user,
    fromBot: false,
    ...(threadId !== undefined ? { threadId } : {}),
    ...(body.date !== undefined ? { date: body.date } : {}),
    ...(replyTo ? { replyTo } : {}),
    content,
  });
  world.updates.push('message', stored.message);
  return stored;
}

export function agentPresses(
  world: World,
  body: PressBody & { from_id: number; chat_id?: number; message_id?: number; thread_id?: number; not_member?: boolean },
) {
  const chat = groupChat(world, body.chat_id);
  const user = agentUser(world, chat, body, body.date);
  let stored: StoredMessage | undefined;
  if (body.message_id !== undefined) {
    stored = world.message(chat, body.message_id);
    if (!stored) throw new ControlError(404, `message ${body.message_id} does not exist in chat ${chat.id}`);
  } else {
    const thread = body.thread_id === 1 ? undefined : body.thread_id;
    stored = latestBotMessageWithButton(chat, body.text, (m) => body.thread_id === undefined || m.message.message_thread_id === thread);
    if (!stored)
      throw new ControlError(
        404,
        `no bot message in chat ${chat.id}${body.thread_id !== undefined ? ` thread ${body.thread_id}` : ''} has a button labelled "${body.text}"`,
      );
  }
  return press(world, user, chat, stored, body.text, body.date);
}

export function setMember(
  world: World,
  body: { user_id: number; status: MemberStatus; chat_id?: number; first_name?: string; can_manage_topics?: boolean },
): void {
  const chat = groupChat(world, body.chat_id);
  const user = body.user_id === world.bot.id ? world.bot : world.upsertUser(body.user_id, profileOf(body), `Agent ${body.user_id}`);
  setMembership(world, chat, user, body.status, body.can_manage_topics !== undefined ? { canManageTopics: body.can_manage_topics } : {});
}

// ---- topics -------------------------------------------------------------------

function liveTopic(chat: ChatState, threadId: number) {
  const topic = chat.topics.get(threadId);
  if (!topic || topic.deleted) throw new ControlError(404, `topic ${threadId} does not exist in chat ${chat.id}`);
  return topic;
}

export function userDeletesTopic(world: World, threadId: number, chatId?: number): void {
  const chat = groupChat(world, chatId);
  deleteTopic(chat, liveTopic(chat, threadId));
}

/** An agent closes, reopens or renames a topic; the service message reaches the bot as a `message` update. */
export function userChangesTopic(world: World, threadId: number, body: { from_id: number; chat_id?: number; name?: string; closed?: boolean }): void {
  const chat = groupChat(world, body.chat_id);
  const topic = liveTopic(chat, threadId);
  const user = agentUser(world, chat, body);
  const emit = (extra: Record<string, unknown>) => world.updates.push('message', topicServiceMessage(world, chat, topic, user, extra).message);
  if (body.name !== undefined) {
    const name = tryTopicName(body.name);
    if (name !== topic.name) {
      topic.name = name;
      emit({ forum_topic_edited: { name } });
    }
  }
  if (body.closed !== undefined && body.closed !== topic.closed) {
    topic.closed = body.closed;
    emit(body.closed ? { forum_topic_closed: {} } : { forum_topic_reopened: {} });
  }
}

/** An agent creates a topic by hand (rare for the desk, but the bot must not break on it). */
export function userCreatesTopic(world: World, body: { from_id: number; chat_id?: number; name: string; icon_color?: number }) {
  const chat = groupChat(world, body.chat_id);
  const user = agentUser(world, chat, body);
  const topic = createTopic(world, chat, user, { name: tryTopicName(body.name), ...(body.icon_color !== undefined ? { icon_color: body.icon_color } : {}) });
  world.updates.push('message', chat.messages.get(topic.message_thread_id)!.message);
  return topic;
}

function tryTopicName(name: string): string {
  try {
    return validateTopicName(name);
  } catch (e) {
    throw new ControlError(400, e instanceof BotApiError ? e.description.replace(/^Bad Request: /, '') : String(e));
  }
}
