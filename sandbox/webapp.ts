/**
 * Mini Apps in the sandbox: the bot's menu buttons (setChatMenuButton / getChatMenuButton, recorded per
 * chat and as the default, with Telegram's checks), the web_app URL rule inline keyboards and menu buttons
 * share, and a customer's launch of the app — what Telegram's client does when they tap the menu button or
 * a web_app button: launch data signed with the bot's token (core/telegram-webapp.ts, the algorithm the
 * desk checks with) and the app's URL with `#tgWebAppData=…` as telegram-web-app.js reads it.
 *
 * One allowance the real Telegram does not make: a web_app URL may be plain http:// when it points at a
 * loopback host (127.0.0.1, localhost, ::1), so the demo and the tests open the local server's /app/.
 */
import { signInitData, type WebAppUser } from '../core/telegram-webapp.js';
import { ControlError } from './actions.js';
import { badRequest } from './errors.js';
import { SANDBOX_TOKEN } from './identities.js';
import type { MenuButton, World } from './world.js';

export type { MenuButton };

/** Why Telegram would refuse this Web App URL, or undefined. */
export function webAppUrlProblem(url: unknown): string | undefined {
  if (typeof url !== 'string') return 'Field "url" must be of type String';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `Web App URL '${url}' is invalid: Wrong HTTP URL`;
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return `Web App URL '${url}' is invalid: Only HTTPS links are allowed`;
  return undefined;
}

/** An inline keyboard button's web_app (InlineKeyboardButton.web_app: WebAppInfo). */
export function checkWebAppButton(webApp: unknown): void {
  if (typeof webApp !== 'object' || webApp === null) throw badRequest('can\'t parse inline keyboard button: Field "web_app" must be of type Object');
  const problem = webAppUrlProblem((webApp as { url?: unknown }).url);
  if (problem) throw badRequest(`inline keyboard button ${problem}`);
}

export function parseMenuButton(raw: unknown): MenuButton {
  if (raw === undefined) return { type: 'default' };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest("can't parse menu button: MenuButton must be an Object");
  const b = raw as { type?: unknown; text?: unknown; web_app?: unknown };
  if (b.type === 'commands' || b.type === 'default') return { type: b.type };
  if (b.type !== 'web_app') throw badRequest("can't parse menu button: Unsupported type specified");
  if (typeof b.text !== 'string' || b.text.trim() === '') throw badRequest('can\'t parse menu button: Field "text" must be of type String');
  if (typeof b.web_app !== 'object' || b.web_app === null) throw badRequest('can\'t parse menu button: Field "web_app" must be of type Object');
  const url = (b.web_app as { url?: unknown }).url;
  const problem = webAppUrlProblem(url);
  if (problem) throw badRequest(`can't parse menu button: ${problem}`);
  return { type: 'web_app', text: b.text, web_app: { url: url as string } };
}

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
