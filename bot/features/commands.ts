/**
 * The command menus Telegram shows: customers' (private chats, per language)
 * and agents' (in the support group). Published at start-up; a failure only
 * costs the menu, so it is logged, never fatal.
 */
import type { BotCommand, LanguageCode } from 'grammy/types';
import type { Desk } from '../context.js';

const CUSTOMER_COMMANDS = ['start', 'status', 'language', 'unsubscribe', 'subscribe'] as const;
const AGENT_COMMANDS = ['take', 'resolve', 'reopen', 'note', 'escalate', 'm', 'find_kb', 'broadcast', 'ban', 'unban'] as const;

const menu = (desk: Desk, locale: string, names: readonly string[]): BotCommand[] =>
  names.map((command) => ({ command, description: desk.translate(locale, `cmd-${command.replace('_', '-')}`) }));

export async function publishCommands(desk: Desk): Promise<void> {
  try {
    for (const locale of desk.locales) {
      const commands = menu(desk, locale, CUSTOMER_COMMANDS);
      await desk.api.setMyCommands(commands, { scope: { type: 'all_private_chats' }, language_code: locale as LanguageCode });
      if (locale === 'en') await desk.api.setMyCommands(commands, { scope: { type: 'all_private_chats' } });
    }
    await desk.api.setMyCommands(menu(desk, desk.config.agentLanguage, AGENT_COMMANDS), { scope: { type: 'chat', chat_id: desk.config.supportChatId } });
  } catch (err) {
    desk.log.warn({ err }, 'could not publish the command menus');
  }
}
