/** Forum topic methods: the desk keeps one topic per customer in the support supergroup. */
import type { Sticker } from 'grammy/types';
import { badRequest, TelegramErrors } from '../errors.js';
import type { Params } from '../params.js';
import type { ChatState, Topic } from '../state.js';
import { createTopic, deleteTopic, forumTopicObject, TOPIC_ICON_COLORS, topicServiceMessage, validateTopicName } from '../topics.js';
import type { World } from '../world.js';
import type { MethodTable } from './context.js';

function forum(world: World, p: Params): ChatState {
  const chat = world.chatForBot(p.chatId());
  if (chat.type !== 'supergroup' || !chat.info.is_forum) throw TelegramErrors.notAForum();
  return chat;
}

/** A live topic the bot may manage: its own, or any when it has can_manage_topics. */
function manageable(world: World, chat: ChatState, p: Params): Topic {
  const id = p.requireInt('message_thread_id', 'message thread identifier is not specified');
  const topic = chat.topics.get(id);
  if (!topic || topic.deleted) throw TelegramErrors.topicIdInvalid();
  if (!world.botCanManageTopics(chat) && topic.createdBy !== world.bot.id) throw TelegramErrors.notEnoughRightsManageTopic();
  return topic;
}

export const topicMethods: MethodTable = {
  createForumTopic({ world, params: p }) {
    const chat = forum(world, p);
    if (!world.botCanManageTopics(chat)) throw TelegramErrors.notEnoughRightsTopics();
    const name = validateTopicName(p.str('name'));
    const color = p.int('icon_color');
    if (color !== undefined && !(TOPIC_ICON_COLORS as readonly number[]).includes(color)) throw badRequest('ICON_COLOR_INVALID');
    const emoji = p.str('icon_custom_emoji_id');
    const topic = createTopic(world, chat, world.bot, {
      name,
      ...(color !== undefined ? { icon_color: color } : {}),
      ...(emoji ? { icon_custom_emoji_id: emoji } : {}),
    });
    return forumTopicObject(topic);
  },

  editForumTopic({ world, params: p }) {
    const chat = forum(world, p);
    const topic = manageable(world, chat, p);
    const name = p.has('name') ? validateTopicName(p.str('name')) : undefined;
    const emoji = p.str('icon_custom_emoji_id');
    // Neither a name nor an icon: TDLib answers OK without asking the server.
    if (name === undefined && emoji === undefined) return true;
    const edited: Record<string, unknown> = {};
    if (name !== undefined && name !== topic.name) edited.name = name;
    if (emoji !== undefined && emoji !== (topic.icon_custom_emoji_id ?? '')) edited.icon_custom_emoji_id = emoji;
    if (Object.keys(edited).length === 0) throw TelegramErrors.topicNotModified();
    if (name !== undefined) topic.name = name;
    if (emoji !== undefined) {
      if (emoji) topic.icon_custom_emoji_id = emoji;
      else delete topic.icon_custom_emoji_id;
    }
    topicServiceMessage(world, chat, topic, world.bot, { forum_topic_edited: edited });
    return true;
  },

  closeForumTopic({ world, params: p }) {
    const chat = forum(world, p);
    const topic = manageable(world, chat, p);
    if (topic.closed) throw TelegramErrors.topicNotModified();
    topic.closed = true;
    topicServiceMessage(world, chat, topic, world.bot, { forum_topic_closed: {} });
    return true;
  },

  reopenForumTopic({ world, params: p }) {
    const chat = forum(world, p);
    const topic = manageable(world, chat, p);
    if (!topic.closed) throw TelegramErrors.topicNotModified();
    topic.closed = false;
    topicServiceMessage(world, chat, topic, world.bot, { forum_topic_reopened: {} });
    return true;
  },

  deleteForumTopic({ world, params: p }) {
    const chat = forum(world, p);
    const topic = manageable(world, chat, p);
    if (!world.botIsAdmin(chat)) throw TelegramErrors.notEnoughRightsManageTopic();
    deleteTopic(chat, topic);
    return true;
  },

  unpinAllForumTopicMessages({ world, params: p }) {
    const chat = forum(world, p);
    manageable(world, chat, p);
    return true;
  },

  getForumTopicIconStickers(): Sticker[] {
    return [
      '📰',
      '💡',
      '⚡️',
      '🎙',
      '🔝',
      '🗣',
      '🆒',
      '❗️',
      '📝',
      '📆',
      '📁',
      '🔎',
      '📣',
      '🔥',
      '❤️',
      '❓',
      '📈',
      '📉',
      '💎',
      '💰',
      '💸',
      '🪙',
      '💱',
      '⁉️',
      '🎮',
      '💻',
      '📱',
      '🚗',
      '🏠',
      '💘',
      '🎉',
      '‼️',
      '🏆',
      '🏁',
      '🎬',
      '🎵',
      '🔞',
      '📚',
      '👑',
      '⚽️',
      '🏀',
    ].map((emoji, i) => ({
      file_id: `CAACAgIAAxUAAWRy${(1000 + i).toString(36)}topicicon`,
      file_unique_id: `AgADtopic${i}`,
      type: 'custom_emoji',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji,
      set_name: 'Topics',
      custom_emoji_id: String(5_312_536_423_851_630_000n + BigInt(i)),
      file_size: 1024,
    }));
  },

  editGeneralForumTopic: ({ world, params: p }) => (forum(world, p), true),
  closeGeneralForumTopic: ({ world, params: p }) => (forum(world, p), true),
  reopenGeneralForumTopic: ({ world, params: p }) => (forum(world, p), true),
  hideGeneralForumTopic: ({ world, params: p }) => (forum(world, p), true),
  unhideGeneralForumTopic: ({ world, params: p }) => (forum(world, p), true),
};
