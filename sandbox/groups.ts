/**
 * Public groups besides the desk's two forums (a company's community chat): created by the control API, joined
 * by people directly (a `chat_member` update and the `new_chat_members` service message) or through a join request
 * (`chat_join_request`), which the bot approves or declines; members restricted, banned and unbanned by the bot.
 * Semantics and errors per the Bot API 10.1 (sandbox/spec): a join request lets the bot write to the requester for
 * 5 minutes, until it is processed (`ChatJoinRequest.user_chat_id`); approving one makes the user a member
 * (`via_join_request`); restricting with every permission lifts the restriction.
 */
import type { FastifyInstance } from 'fastify';
import { ControlError, groupChat, type Profile } from './actions.js';
import { badRequest, TelegramErrors } from './errors.js';
import { RESTRICTED_DEFAULTS, setMembership } from './members.js';
import { createMessage } from './messages.js';
import type { ChatIdParam } from './params.js';
import type { MethodTable } from './methods/context.js';
import { newForumChat, type ChatState, type TgUser } from './state.js';
import type { World } from './world.js';

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', additionalProperties: false, properties, required });
const profile = {
  first_name: { type: 'string', minLength: 1, maxLength: 64 },
  last_name: { type: 'string', maxLength: 64 },
  username: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{3,31}$' },
  language_code: { type: 'string', minLength: 2, maxLength: 35 },
};
const schemas = {
  group: obj({ chat_id: { type: 'integer', maximum: -1 }, title: { type: 'string', minLength: 1, maxLength: 128 }, username: profile.username }, [
    'chat_id',
    'title',
  ]),
  chatParams: obj({ chat_id: { type: 'integer' } }, ['chat_id']),
  join: obj({ user_id: { type: 'integer', minimum: 1 }, ...profile, bio: { type: 'string', maxLength: 140 }, date: { type: 'integer', minimum: 0 } }, [
    'user_id',
  ]),
};

export interface JoinBody extends Profile {
  user_id: number;
  bio?: string;
  date?: number;
}

// ---- actions ------------------------------------------------------------------------------------------------

/** A supergroup (not a forum) with the bot as administrator; creating an existing one answers it unchanged. */
export function createGroup(world: World, body: { chat_id: number; title: string; username?: string }): ChatState {
  const existing = world.chats.get(body.chat_id);
  if (existing) {
    if (existing.type !== 'supergroup') throw new ControlError(409, `chat ${body.chat_id} exists and is not a group`);
    return existing;
  }
  const chat = newForumChat(body.chat_id, body.title);
  delete chat.info.is_forum;
  if (body.username) chat.info.username = body.username;
  chat.members.set(world.bot.id, { user: world.bot, status: 'administrator', canManageTopics: false });
  world.chats.set(chat.id, chat);
  return chat;
}

function joiner(world: World, chat: ChatState, body: JoinBody): TgUser {
  if (body.user_id === world.bot.id) throw new ControlError(400, 'the bot cannot join by itself; use setMember');
  const { user_id: _id, bio: _bio, date: _date, ...rest } = body;
  const user = world.upsertUser(body.user_id, rest, `User ${body.user_id}`);
  const status = world.memberStatus(chat, user.id);
  if (status === 'kicked') throw new ControlError(403, `user ${user.id} is banned from chat ${chat.id}`);
  if (status !== 'left') throw new ControlError(400, 'USER_ALREADY_PARTICIPANT');
  return user;
}

/** A user joins by a public link: the chat_member update (from the user) and the `new_chat_members` service message. */
export function userJoins(world: World, chatId: number, body: JoinBody): void {
  const chat = groupChat(world, chatId);
  const user = joiner(world, chat, body);
  world.noteAction(chat.id, undefined, body.date);
  addMember(world, chat, user, { ...(body.date !== undefined ? { date: body.date } : {}) });
}

function addMember(world: World, chat: ChatState, user: TgUser, o: { by?: TgUser; date?: number; viaJoinRequest?: boolean }): void {
  setMembership(world, chat, user, 'member', {
    ...(o.by ? { by: o.by } : {}),
    ...(o.date !== undefined ? { date: o.date } : {}),
    ...(o.viaJoinRequest ? { extra: { via_join_request: true } } : {}),
  });
  const service = createMessage(world, {
    chat,
    from: user,
    fromBot: false,
    service: true,
    ...(o.date !== undefined ? { date: o.date } : {}),
    content: { extra: { new_chat_members: [user] } },
  });
  world.updates.push('message', service.message);
}

/** A user asks to join (a link that needs approval): a `chat_join_request` update; the bot may write to them for 5 minutes. */
export function userRequestsToJoin(world: World, chatId: number, body: JoinBody): { user_chat_id: number; date: number } {
  const chat = groupChat(world, chatId);
  const user = joiner(world, chat, body);
  const date = body.date ?? world.unixNow();
  chat.joinRequests = [...(chat.joinRequests ?? []).filter((r) => r.user_id !== user.id), { user_id: user.id, date }];
  world.updates.push('chat_join_request', {
    chat: chat.info,
    from: user,
    user_chat_id: user.id,
    date,
    ...(body.bio ? { bio: body.bio } : {}),
  });
  return { user_chat_id: user.id, date };
}

export function groupView(world: World, chatId: number) {
  const chat = groupChat(world, chatId);
  return {
    chat_id: chat.id,
    title: chat.info.title,
    members: [...chat.members.values()].map((m) => ({
      user_id: m.user.id,
      status: m.status,
      ...(m.permissions ? { permissions: m.permissions } : {}),
    })),
    join_requests: (chat.joinRequests ?? []).map((r) => r.user_id),
    pinned: [...chat.pinned],
  };
}

// ---- Bot API methods ----------------------------------------------------------------------------------------

function groupForModeration(world: World, chatIdParam: ChatIdParam): ChatState {
  const chat = world.chatForBot(chatIdParam);
  if (chat.type === 'private') throw badRequest('method is available only for supergroups');
  return chat;
}

function takeJoinRequest(world: World, chat: ChatState, userId: number) {
  if (!world.botIsAdmin(chat)) throw badRequest('CHAT_ADMIN_REQUIRED');
  const user = world.users.get(userId);
  if (!user) throw TelegramErrors.userNotFound();
  const request = chat.joinRequests?.find((r) => r.user_id === userId);
  if (!request) {
    const status = world.memberStatus(chat, userId);
    throw badRequest(status !== 'left' && status !== 'kicked' ? 'USER_ALREADY_PARTICIPANT' : 'HIDE_REQUESTER_MISSING');
  }
  chat.joinRequests = chat.joinRequests!.filter((r) => r !== request);
  return user;
}

/** Every ChatPermissions field as a ChatMemberRestricted carries it, with the Bot API's defaults and implications. */
function permissionsOf(given: Record<string, unknown>, independent: boolean): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const key of Object.keys(RESTRICTED_DEFAULTS)) if (key !== 'can_react_to_messages' && key !== 'can_edit_tag') out[key] = given[key] === true;
  if (!independent) {
    // "can_send_other_messages and can_add_web_page_previews imply can_send_messages and the media ones; can_send_polls implies can_send_messages."
    if (out.can_send_other_messages || out.can_add_web_page_previews)
      for (const k of [
        'can_send_messages',
        'can_send_audios',
        'can_send_documents',
        'can_send_photos',
        'can_send_videos',
        'can_send_video_notes',
        'can_send_voice_notes',
      ])
        out[k] = true;
    if (out.can_send_polls) out.can_send_messages = true;
  }
  out.can_react_to_messages = typeof given.can_react_to_messages === 'boolean' ? given.can_react_to_messages : out.can_send_messages!;
  out.can_edit_tag = typeof given.can_edit_tag === 'boolean' ? given.can_edit_tag : out.can_pin_messages!;
  return out;
}

export const groupMethods: MethodTable = {
  approveChatJoinRequest({ world, params: p }) {
    const chat = groupForModeration(world, p.chatId());
    const user = takeJoinRequest(world, chat, p.requireInt('user_id', 'user not found'));
    addMember(world, chat, user, { by: world.bot, viaJoinRequest: true });
    return true;
  },

  declineChatJoinRequest({ world, params: p }) {
    const chat = groupForModeration(world, p.chatId());
    takeJoinRequest(world, chat, p.requireInt('user_id', 'user not found'));
    return true;
  },

  restrictChatMember({ world, params: p }) {
    const chat = groupForModeration(world, p.chatId());
    const userId = p.requireInt('user_id', 'user not found');
    const given = p.json<Record<string, unknown>>('permissions', 'permissions');
    if (!given || typeof given !== 'object' || Array.isArray(given)) throw badRequest('permissions is empty');
    if (!world.botIsAdmin(chat)) throw badRequest('not enough rights to restrict/unrestrict chat member');
    if (userId === world.bot.id) throw badRequest("can't restrict self");
    const user = world.users.get(userId);
    if (!user) throw TelegramErrors.userNotFound();
    const status = world.memberStatus(chat, userId);
    if (status === 'administrator' || status === 'creator') throw badRequest('user is an administrator of the chat');
    const permissions = permissionsOf(given, p.bool('use_independent_chat_permissions'));
    const untilDate = p.int('until_date') ?? 0;
    // "Pass True for all permissions to lift restrictions from a user."
    // The chat-settings rights (info, pins, topics, tags) are the group's defaults' business, not a restriction's.
    const lifted = Object.entries(permissions).every(([k, v]) => v || ['can_change_info', 'can_pin_messages', 'can_manage_topics', 'can_edit_tag'].includes(k));
    if (status === 'left' || status === 'kicked') {
      // Telegram keeps the restriction for when they join; the sandbox needs no such memory for the desk.
      return true;
    }
    if (lifted) {
      if (status === 'restricted') setMembership(world, chat, user, 'member', { by: world.bot });
    } else setMembership(world, chat, user, 'restricted', { by: world.bot, permissions, ...(untilDate ? { untilDate } : {}) });
    return true;
  },
};

// ---- control API --------------------------------------------------------------------------------------------

/** Routes under /sandbox (registered before the control API's catch-all). */
export function groupRoutes(app: FastifyInstance, world: World): void {
  app.post<{ Body: { chat_id: number; title: string; username?: string } }>('/groups', { schema: { body: schemas.group } }, async (req) => {
    const chat = createGroup(world, req.body);
    return { chat_id: chat.id, title: chat.info.title };
  });

  app.get<{ Params: { chat_id: number } }>('/groups/:chat_id', { schema: { params: schemas.chatParams } }, async (req) => groupView(world, req.params.chat_id));

  app.post<{ Params: { chat_id: number }; Body: JoinBody }>(
    '/groups/:chat_id/join_requests',
    { schema: { params: schemas.chatParams, body: schemas.join } },
    async (req) => userRequestsToJoin(world, req.params.chat_id, req.body),
  );

  app.post<{ Params: { chat_id: number }; Body: JoinBody }>(
    '/groups/:chat_id/join',
    { schema: { params: schemas.chatParams, body: schemas.join } },
    async (req) => {
      userJoins(world, req.params.chat_id, req.body);
      return { user_id: req.body.user_id, status: 'member' };
    },
  );
}
