/** The bot's own identity and settings: getMe, commands, descriptions, logOut/close, getFile. */
import type { UserFromGetMe } from 'grammy/types';
import { badRequest } from '../errors.js';
import { mediaKindOf } from '../media.js';
import type { MethodTable } from './context.js';

const scopeKey = (scope: unknown, lang: string | undefined) => `${JSON.stringify(scope ?? { type: 'default' })}|${lang ?? ''}`;

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
    for (const c of commands) {
      if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) throw badRequest('command description must be 1-256 characters');
    }
    world.commands[scopeKey(p.json('scope'), p.str('language_code'))] = commands;
    return true;
  },

  getMyCommands({ world, params: p }) {
    return world.commands[scopeKey(p.json('scope'), p.str('language_code'))] ?? [];
  },

  deleteMyCommands({ world, params: p }) {
    delete world.commands[scopeKey(p.json('scope'), p.str('language_code'))];
    return true;
  },

  setMyDescription: () => true,
  setMyShortDescription: () => true,
  setMyName: () => true,
  getMyName: () => ({ name: 'Support Desk' }),
  getMyDescription: () => ({ description: '' }),
  getMyShortDescription: () => ({ short_description: '' }),
  setChatMenuButton: () => true,
  getChatMenuButton: () => ({ type: 'commands' }),
  setMyDefaultAdministratorRights: () => true,

  /** Files are fake: getFile answers with a path that /file/bot<token>/<path> serves as placeholder bytes. */
  getFile({ world, params: p }) {
    const fileId = p.str('file_id');
    const known = fileId ? world.files.lookup(fileId) : undefined;
    if (!fileId || !known) throw badRequest('wrong file_id or the file is temporarily unavailable');
    const kind = mediaKindOf(known.media) ?? 'document';
    const obj = known.kind === 'photo' ? known.media.photo!.find((s) => s.file_id === fileId)! : (known.media[known.kind] as { file_id: string; file_unique_id: string; file_size?: number });
    return { file_id: obj.file_id, file_unique_id: obj.file_unique_id, file_size: obj.file_size, file_path: `${kind === 'photo' ? 'photos' : `${kind}s`}/file_${obj.file_unique_id}` };
  },
};
