/**
 * Telegram's rules for Mini App buttons, shared by inline keyboards (keyboard.ts) and menu buttons
 * (setChatMenuButton, methods/meta.ts): a web_app URL must be https — or, the sandbox's one allowance,
 * plain http:// on a loopback host (127.0.0.1, localhost, ::1), so the demo and the tests open the local
 * server's /app/. Imports nothing but the errors (keyboard.ts sits low in the sandbox's import graph).
 */
import { badRequest } from './errors.js';

/** A private chat's menu button, as setChatMenuButton sets it. */
export type MenuButton = { type: 'commands' } | { type: 'default' } | { type: 'web_app'; text: string; web_app: { url: string } };

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
