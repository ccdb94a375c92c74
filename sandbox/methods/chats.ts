/** Chat information and membership methods. */
import type { ChatFullInfo } from 'grammy/types';
import { badRequest, TelegramErrors } from '../errors.js';
import { chatMemberObject, setMembership } from '../members.js';
import type { MethodTable } from './context.js';

export const chatMethods: MethodTable = {
  getChat({ world, params: p }): ChatFullInfo {
    const chat = world.chatForBot(p.chatId());
    const common = {
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false, gifts_from_channels: false },
    };
    const info = chat.info;
    if (chat.type === 'private') {
      return {
        id: info.id,
        type: 'private',
        first_name: info.first_name ?? '',
        ...(info.last_name ? { last_name: info.last_name } : {}),
        ...(info.username ? { username: info.username } : {}),
        ...common,
      };
    }
    const pinned = chat.pinned.at(-1);
    const pinnedMessage = pinned !== undefined ? world.message(chat, pinned)?.message : undefined;
    return {
      id: info.id,
      type: 'supergroup',
      title: info.title ?? '',
      ...(info.is_forum ? { is_forum: true as const } : {}),
      ...common,
      permissions: {
        can_send_messages: true,
        can_send_audios: true,
        can_send_documents: true,
        can_send_photos: true,
        can_send_videos: true,
        can_send_video_notes: true,
        can_send_voice_notes: true,
        can_send_polls: true,
        can_send_other_messages: true,
        can_add_web_page_previews: true,
        can_change_info: false,
        can_invite_users: true,
        can_pin_messages: false,
        can_manage_topics: false,
      },
      ...(pinnedMessage ? { pinned_message: pinnedMessage as unknown as NonNullable<ChatFullInfo['pinned_message']> } : {}),
    } as ChatFullInfo;
  },

  getChatMember({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    const userId = p.requireInt('user_id', 'user not found');
    const user = world.users.get(userId);
    if (!user) throw TelegramErrors.userNotFound();
    if (chat.type === 'private') {
      if (userId !== chat.id && userId !== world.bot.id) throw TelegramErrors.userNotFound();
      return { status: 'member', user };
    }
    return chatMemberObject(user, chat.members.get(userId));
  },

  getChatAdministrators({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    if (chat.type === 'private') throw badRequest('there are no administrators in the private chat');
    return [...chat.members.values()].filter((m) => m.status === 'administrator' || m.status === 'creator').map((m) => chatMemberObject(m.user, m));
  },

  getChatMemberCount({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    if (chat.type === 'private') return 2;
    return [...chat.members.values()].filter((m) => m.status !== 'left' && m.status !== 'kicked').length;
  },

  leaveChat({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    if (chat.type === 'private') throw badRequest('chat member status is not supported for private chats');
    setMembership(world, chat, world.bot, 'left');
    return true;
  },

  banChatMember({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    if (!world.botIsAdmin(chat)) throw badRequest('not enough rights to restrict/unrestrict chat member');
    const user = world.users.get(p.requireInt('user_id', 'user not found'));
    if (!user) throw TelegramErrors.userNotFound();
    setMembership(world, chat, user, 'kicked', { by: world.bot });
    return true;
  },

  unbanChatMember({ world, params: p }) {
    const chat = world.chatForBot(p.chatId());
    const user = world.users.get(p.requireInt('user_id', 'user not found'));
    if (!user) throw TelegramErrors.userNotFound();
    const status = chat.members.get(user.id)?.status;
    if (status === 'kicked') setMembership(world, chat, user, 'left', { by: world.bot });
    // "By default, this method guarantees that after the call the user is not a member of the chat … use only_if_banned" (Bot API).
    else if ((status === 'member' || status === 'restricted') && !p.bool('only_if_banned')) setMembership(world, chat, user, 'left', { by: world.bot });
    return true;
  },
};
