/**
 * The command menus Telegram shows: customers' (private chats, per language)
 * and agents' (in the support group). Published at start-up; a failure only
 * costs the menu, so it is logged, never fatal. Also the hint for an agent's
 * mistyped or guessed command: the closest real one.
 */
import type { BotCommand, LanguageCode } from 'grammy/types';
import type { Desk } from '../../context.js';

const CUSTOMER_COMMANDS = [
  'start',
  'status',
  'help',
  'language',
  'settings',
  'unsubscribe',
  'subscribe',
  'deletemydata',
  'official',
  'reportfake',
  'withdraw',
] as const;
export const AGENT_COMMANDS = [
  'take',
  'resolve',
  'reopen',
  'note',
  'escalate',
  'm',
  'find_kb',
  'broadcast',
  'incident',
  'report',
  'link',
  'unlink',
  'ban',
  'unban',
  'audit',
  'forget',
] as const;
export type AgentCommand = (typeof AGENT_COMMANDS)[number];

/** Words agents reach for that mean one of the commands: hints only, not aliases (one name per action). */
const AGENT_GUESSES: Record<string, AgentCommand> = {
  close: 'resolve',
  done: 'resolve',
  solve: 'resolve',
  solved: 'resolve',
  finish: 'resolve',
  assign: 'take',
  claim: 'take',
  open: 'reopen',
  comment: 'note',
  move: 'escalate',
  transfer: 'escalate',
  macro: 'm',
  kb: 'find_kb',
  search: 'find_kb',
  block: 'ban',
  unblock: 'unban',
};

const commandDescription = (desk: Desk, locale: string, command: string) => desk.translate(locale, `cmd-${command.replace('_', '-')}`);
const menu = (desk: Desk, locale: string, names: readonly string[]): BotCommand[] =>
  names.map((command) => ({ command, description: commandDescription(desk, locale, command) }));

/** "/take — Take the ticket of this topic", one line per agent command, in the agents' language. */
export function agentCommandList(desk: Desk): string {
  return AGENT_COMMANDS.map((c) => `/${c} — ${commandDescription(desk, desk.config.agentLanguage, c)}`).join('\n');
}

/**
 * The agent command an unknown one most likely meant: the nearest command name
 * or guess word by edit distance (a swap of two letters counts once), if it is
 * near enough to be a typo rather than another word ("/foo" suggests nothing).
 */
export function closestAgentCommand(input: string): AgentCommand | undefined {
  const word = input.toLowerCase();
  let best: AgentCommand | undefined;
  let bestDistance = Infinity;
  for (const [name, command] of [...AGENT_COMMANDS.map((c) => [c, c] as const), ...Object.entries(AGENT_GUESSES)]) {
    const d = editDistance(word, name);
    if (d < bestDistance) [best, bestDistance] = [command, d];
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

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
