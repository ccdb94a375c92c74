/**
 * reply_markup validation with Telegram's error wording. Inline keyboards are
 * what the desk's ticket cards and customer menus are made of, so the mistakes
 * Telegram rejects (text-only buttons, callback_data over 64 bytes, bad URLs)
 * are rejected here too instead of surfacing only in production.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { badRequest } from './errors.js';
import { checkWebAppButton } from './web-app-rules.js';

export type ReplyMarkup = Record<string, unknown>;

const BUTTON_ACTIONS = [
  'callback_data',
  'url',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'callback_game',
  'pay',
  'web_app',
  'copy_text',
];

export function validateReplyMarkup(markup: unknown): ReplyMarkup | undefined {
  if (markup === undefined || markup === null) return undefined;
  if (typeof markup !== 'object' || Array.isArray(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  const m = markup as ReplyMarkup;
  if ('inline_keyboard' in m) return validateInlineKeyboard(m);
  if ('keyboard' in m) {
    if (!Array.isArray(m.keyboard) || !m.keyboard.every(Array.isArray)) throw badRequest("can't parse reply keyboard markup JSON object");
    for (const row of m.keyboard as unknown[][])
      for (const b of row)
        if (!(typeof b === 'string' || (typeof b === 'object' && b && typeof (b as { text?: unknown }).text === 'string')))
          throw badRequest('can\'t parse keyboard button: Field "text" must be of type String');
    return m;
  }
  if (m.remove_keyboard === true) return m;
  if (m.force_reply === true) return m;
  throw badRequest("can't parse reply keyboard markup JSON object");
}

export function validateInlineKeyboard(m: ReplyMarkup): InlineKeyboardMarkup & ReplyMarkup {
  const rows = m.inline_keyboard;
  if (!Array.isArray(rows)) throw badRequest('can\'t parse inline keyboard markup JSON object: Field "inline_keyboard" must be of type Array');
  for (const row of rows) {
    if (!Array.isArray(row)) throw badRequest('can\'t parse inline keyboard markup JSON object: Field "inline_keyboard" must be an Array of Arrays');
    for (const b of row as unknown[]) validateButton(b);
  }
  return m as InlineKeyboardMarkup & ReplyMarkup;
}

function validateButton(b: unknown): void {
  if (typeof b !== 'object' || b === null) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  const button = b as Record<string, unknown>;
  if (typeof button.text !== 'string') throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  if (button.text === '') throw badRequest('text buttons are unallowed in the inline keyboard');
  const actions = BUTTON_ACTIONS.filter((a) => button[a] !== undefined);
  if (actions.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  if (typeof button.callback_data === 'string') {
    const bytes = Buffer.byteLength(button.callback_data, 'utf8');
    if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
  } else if (button.callback_data !== undefined) throw badRequest('can\'t parse inline keyboard button: Field "callback_data" must be of type String');
  if (button.web_app !== undefined) checkWebAppButton(button.web_app);
  if (button.url !== undefined) {
    const url = String(button.url);
    if (!/^(https?|tg):\/\/\S+$/i.test(url)) throw badRequest(`inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`);
  }
}

/** Every inline button of a markup, row by row. */
export function inlineButtons(markup: ReplyMarkup | undefined): InlineKeyboardButton[] {
  const rows = markup?.inline_keyboard;
  return Array.isArray(rows) ? (rows as InlineKeyboardButton[][]).flat() : [];
}
