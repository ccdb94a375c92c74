/** The bot's own identity and settings: getMe, commands, descriptions, logOut/close, getFile. */
import type { UserFromGetMe } from 'grammy/types';
import { INVALID_COMMAND_LANGUAGE, isValidCommandLanguage } from '../../core/telegram-rules.js';
import { BotApiError, badRequest } from '../errors.js';
import { mediaKindOf } from '../media.js';
import type { Params } from '../params.js';
import { parseMenuButton } from '../web-app-rules.js';
import { menuButtonOf } from '../webapp.js';
import type { World } from '../world.js';
import type { MethodTable } from './context.js';

const SCOPES_WITHOUT_CHAT = ['default', 'all_private_chats', 'all_group_chats', 'all_chat_administrators'];
const SCOPES_WITH_CHAT = ['chat', 'chat_administrators', 'chat_member'];

/**
 * The key of the command list a call names: its scope (with the chat resolved, so `-100…` and -100… are one scope)
 * and language. Validated in the Bot API server's order and words: the scope object, then its chat
 * ("chat not found"), then the language code.
 */
function commandsKey(world: World, p: Params): string {
  const scopeError = (what: string) => badRequest(`can't parse BotCommandScope: ${what}`);
  const scope = p.json<unknown>('scope', 'BotCommandScope') ?? { type: 'default' };
  if (typeof scope !== 'object' || scope === null || Array.isArray(scope)) throw scopeError('BotCommandScope must be an Object');
  const s = scope as { type?: unknown; chat_id?: unknown; user_id?: unknown };
  if (s.type === undefined) throw scopeError('Can\'t find field "type"');
  if (typeof s.type !== 'string') throw scopeError('Field "type" must be of type String');
  let key: string = s.type;
  if (!SCOPES_WITHOUT_CHAT.includes(s.type)) {
    if (!SCOPES_WITH_CHAT.includes(s.type)) throw scopeError('Unsupported type specified');
    if (s.chat_id === undefined) throw scopeError('Can\'t find field "chat_id"');
    if (typeof s.chat_id !== 'string' && typeof s.chat_id !== 'number') throw scopeError('Field "chat_id" must be of type String');
    if (s.chat_id === '') throw scopeError('Empty chat_id specified');
    let userId: number | undefined;
    if (s.type === 'chat_member') {
      if (s.user_id === undefined) throw scopeError('Can\'t find field "user_id"');
      userId = Number(s.user_id);
      if (!Number.isSafeInteger(userId) || userId <= 0) throw scopeError('Invalid user_id specified');
    }
    const raw = typeof s.chat_id === 'string' && /^-?\d+$/.test(s.chat_id.trim()) ? Number(s.chat_id.trim()) : s.chat_id;
    const chat = world.chatForBot(raw);
    key += `:${chat.id}${userId !== undefined ? `:${userId}` : ''}`;
  }
  const lang = p.str('language_code') ?? '';
  if (!isValidCommandLanguage(lang)) throw new BotApiError(400, INVALID_COMMAND_LANGUAGE);
  return `${key}|${lang}`;
}

export const metaMethods: MethodTable = {
  getMe({ world }): UserFromGetMe {
    return {
      ...world.bot,
      can_join_groups: true,
      // Privacy mode off: the desk reads every message in the support group.
      can_read_all_group_messages: true,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
  },

  // Harmless here: there is no cloud server to log out of.
  logOut: () => true,
  close: () => true,

  setMyCommands({ world, params: p }) {
    const commands = p.list<{ command?: string; description?: string }>('commands');
    if (!commands) throw badRequest('commands must be an array');
    if (commands.length > 100) throw badRequest('too many commands specified');
    const key = commandsKey(world, p);
    for (const c of commands) {
      if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256)
        throw badRequest('command description must be 1-256 characters');
    }
    world.commands[key] = commands;
    return true;
  },

  getMyCommands({ world, params: p }) {
    return world.commands[commandsKey(world, p)] ?? [];
  },

  deleteMyCommands({ world, params: p }) {
    delete world.commands[commandsKey(world, p)];
    return true;
  },

  setMyDescription: () => true,
  setMyShortDescription: () => true,
  setMyName: () => true,
  getMyName: () => ({ name: 'Support Desk' }),
  getMyDescription: () => ({ description: '' }),
  getMyShortDescription: () => ({ short_description: '' }),
  /** Recorded per private chat (chat_id) or as the default (sandbox/webapp.ts); a web_app button's URL is checked. */
  setChatMenuButton({ world, params: p }) {
    const button = parseMenuButton(p.json<unknown>('menu_button', 'MenuButton'));
    if (!p.has('chat_id')) {
      world.menuButtons.default = button;
      return true;
    }
    const chat = world.chatForBot(p.chatId());
    if (chat.type !== 'private') throw badRequest('chat not found');
    world.menuButtons[String(chat.id)] = button;
    return true;
  },
  getChatMenuButton({ world, params: p }) {
    if (!p.has('chat_id')) return menuButtonOf(world, undefined);
    return menuButtonOf(world, world.chatForBot(p.chatId()).id);
  },
  setMyDefaultAdministratorRights: () => true,

  /** Files are fake: getFile answers with a path that /file/bot<token>/<path> serves as placeholder bytes. */
  getFile({ world, params: p }) {
    const fileId = p.str('file_id');
    const known = fileId ? world.files.lookup(fileId) : undefined;
    if (!fileId || !known) throw badRequest('wrong file_id or the file is temporarily unavailable');
    const kind = mediaKindOf(known.media) ?? 'document';
    const obj =
      known.kind === 'photo'
        ? known.media.photo!.find((s) => s.file_id === fileId)!
        : (known.media[known.kind] as { file_id: string; file_unique_id: string; file_size?: number });
    return {
      file_id: obj.file_id,
      file_unique_id: obj.file_unique_id,
      file_size: obj.file_size,
      file_path: `${kind === 'photo' ? 'photos' : `${kind}s`}/file_${obj.file_unique_id}`,
    };
  },
};
