/**
 * `/language`: the customer picks the language the bot speaks to them
 * (stored on the customer, so follow-ups, broadcasts and macros use it too).
 * Until then the Telegram client's language_code decides.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../../context.js';
import { ack } from '../../telegram/update.js';

/** Each language names itself, so a customer who can't read the current one still finds theirs. */
const NATIVE_NAMES: Record<string, string> = { en: '🇬🇧 English', ru: '🇷🇺 Русский', fa: '🇮🇷 فارسی' };

export function languageFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType('private');

  pm.command('language', async (ctx) => {
    const keyboard = new InlineKeyboard();
    for (const code of ctx.desk.locales) keyboard.text(NATIVE_NAMES[code] ?? code, `lang:${code}`);
    await ctx.reply(ctx.t('lang-choose'), { reply_markup: keyboard });
  });

  pm.callbackQuery(/^lang:([a-z]{2,3}(?:-[a-z0-9]+)?)$/i, async (ctx) => {
    const code = ctx.match[1]!.toLowerCase();
    if (!ctx.desk.locales.includes(code)) return void (await ack(ctx));
    await ctx.desk.customers.upsert(ctx.from, ctx.desk.config.vipUserIds.has(ctx.from.id));
    await ctx.desk.customers.setLanguage(ctx.from.id, code);
    ctx.i18n.useLocale(code);
    await ack(ctx);
    await ctx.editMessageText(ctx.t('lang-set', { language: NATIVE_NAMES[code] ?? code })).catch(() => undefined);
  });

  return composer;
}
