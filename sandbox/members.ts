/** ChatMember objects in Telegram's shapes, and membership changes with their chat_member updates. */
import type { ChatMember, ChatMemberAdministrator } from 'grammy/types';
import type { ChatState, MemberRecord, MemberStatus, TgUser } from './state.js';
import type { World } from './world.js';

const ADMIN_RIGHTS = {
  can_be_edited: false,
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: true,
  can_restrict_members: true,
  can_promote_members: false,
  can_change_info: true,
  can_invite_users: true,
  can_post_stories: true,
  can_edit_stories: true,
  can_delete_stories: true,
  can_pin_messages: true,
  can_manage_tags: false,
};

export function chatMemberObject(user: TgUser, record: MemberRecord | undefined): ChatMember {
  const status: MemberStatus = record?.status ?? 'left';
  switch (status) {
    case 'creator':
      return { status, user, is_anonymous: false };
    case 'administrator':
      // Bot API 10.1 (sandbox/spec) has no can_send_welcome_messages, which grammY's newer types already require.
      return { status, user, ...ADMIN_RIGHTS, can_manage_topics: record?.canManageTopics ?? false } as ChatMemberAdministrator;
    case 'kicked':
      return { status, user, until_date: 0 };
    case 'restricted':
      return {
        status,
        user,
        is_member: true,
        ...RESTRICTED_DEFAULTS,
        ...record?.permissions,
        until_date: record?.untilDate ?? 0,
      } as ChatMember;
    default:
      return { status, user };
  }
}

/** What a restricted member may do when restrictChatMember did not say (a member restricted by the control API: nothing). */
export const RESTRICTED_DEFAULTS = {
  can_send_messages: false,
  can_send_audios: false,
  can_send_documents: false,
  can_send_photos: false,
  can_send_videos: false,
  can_send_video_notes: false,
  can_send_voice_notes: false,
  can_send_polls: false,
  can_send_other_messages: false,
  can_add_web_page_previews: false,
  can_react_to_messages: true,
  can_change_info: false,
  can_invite_users: false,
  can_edit_tag: false,
  can_pin_messages: false,
  can_manage_topics: false,
};

/** Changes a member's status and queues the chat_member (or, for the bot, my_chat_member) update. */
export function setMembership(
  world: World,
  chat: ChatState,
  user: TgUser,
  status: MemberStatus,
  opts: {
    canManageTopics?: boolean;
    by?: TgUser;
    date?: number;
    /** restricted: the permissions left (restrictChatMember) and until when. */
    permissions?: Record<string, boolean>;
    untilDate?: number;
    /** Fields of the ChatMemberUpdated itself, e.g. `via_join_request: true`. */
    extra?: Record<string, unknown>;
  } = {},
): void {
  const before = chat.members.get(user.id);
  const oldObj = chatMemberObject(user, before);
  const record: MemberRecord = {
    user,
    status,
    ...(status === 'administrator' ? { canManageTopics: opts.canManageTopics ?? true } : {}),
    ...(status === 'restricted' && opts.permissions ? { permissions: opts.permissions } : {}),
    ...(status === 'restricted' && opts.untilDate ? { untilDate: opts.untilDate } : {}),
  };
  if (status === 'left') chat.members.delete(user.id);
  else chat.members.set(user.id, record);
  const change = {
    chat: chat.info,
    from: opts.by ?? user,
    date: opts.date ?? world.unixNow(),
    old_chat_member: oldObj,
    new_chat_member: chatMemberObject(user, status === 'left' ? undefined : record),
    ...opts.extra,
  };
  world.updates.push(user.id === world.bot.id ? 'my_chat_member' : 'chat_member', change);
}
