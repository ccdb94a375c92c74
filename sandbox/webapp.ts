/**
 * Mini Apps in the sandbox: the menu button a chat shows (setChatMenuButton records them per chat and as the
 * default; the URL checks are web-app-rules.ts, shared with inline keyboards), and a customer's launch of the
 * app — what Telegram's client does when they tap the menu button or a web_app button: launch data signed with
 * the bot's token (core/telegram-webapp.ts, the algorithm the desk checks with) and the app's URL with
 * `#tgWebAppData=…` as telegram-web-app.js reads it.
 */
import { signInitData, type WebAppUser } from '../core/telegram-webapp.js';
import { ControlError } from './actions.js';
import { SANDBOX_TOKEN } from './identities.js';
import { webAppUrlProblem, type MenuButton } from './web-app-rules.js';
import type { World } from './world.js';

/** The menu button a private chat shows: its own, else the bot's default, else the commands list. */
export function menuButtonOf(world: World, chatId: number | undefined): MenuButton {
  const own = chatId === undefined ? undefined : world.menuButtons[String(chatId)];
  const chosen = own && own.type !== 'default' ? own : world.menuButtons.default;
  return chosen && chosen.type !== 'default' ? chosen : { type: 'commands' };
}

/** A light theme as Telegram's clients send it (themeParams), so an app can be tried outside Telegram. */
const THEME = {
  bg_color: '#ffffff',
  text_color: '#000000',
  hint_color: '#707579',
  link_color: '#3390ec',
  button_color: '#3390ec',
  button_text_color: '#ffffff',
  secondary_bg_color: '#f4f4f5',
};

export interface LaunchOptions {
  start_param?: string;
  /** The app's URL; default the customer's menu button (theirs, else the bot's default). */
  url?: string;
  /** Unix seconds the data is signed as of (default now, by the sandbox's clock). */
  auth_date?: number;
}

/** A customer opens the bot's Mini App: the signed launch data, and the URL Telegram's client would open. */
export function launchWebApp(world: World, userId: number, o: LaunchOptions = {}): { url: string | null; init_data: string; user: WebAppUser } {
  const known = world.users.get(userId);
  const u = known ?? world.upsertUser(userId, {}, `Customer ${userId}`);
  const user: WebAppUser = { id: u.id, first_name: u.first_name, allows_write_to_pm: true };
  if (u.last_name) user.last_name = u.last_name;
  if (u.username) user.username = u.username;
  if (u.language_code) user.language_code = u.language_code;
  const initData = signInitData(SANDBOX_TOKEN, {
    user,
    auth_date: o.auth_date ?? world.unixNow(),
    query_id: `AAH${userId.toString(36)}${world.unixNow().toString(36)}`,
    chat_type: 'sender',
    chat_instance: String(userId),
    ...(o.start_param ? { start_param: o.start_param } : {}),
  });
  const menu = menuButtonOf(world, userId);
  const base = o.url ?? (menu.type === 'web_app' ? menu.web_app.url : undefined);
  if (base === undefined) return { url: null, init_data: initData, user };
  const problem = webAppUrlProblem(base);
  if (problem) throw new ControlError(400, problem);
  const hash = new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppVersion: '8.0',
    tgWebAppPlatform: 'web',
    tgWebAppThemeParams: JSON.stringify(THEME),
    ...(o.start_param ? { tgWebAppStartParam: o.start_param } : {}),
  });
  return { url: `${base.split('#')[0]}#${hash.toString()}`, init_data: initData, user };
}
