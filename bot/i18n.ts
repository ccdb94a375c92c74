/**
 * Fluent translations (@grammyjs/i18n) from locales/<lang>/*.ftl — the core's
 * core.ftl and the features' features.ftl form one bundle per language.
 * Customers are written to by the one rule of `customerLocale`
 * (bot/telegram/present.ts): their stored language, else their Telegram
 * client's; the support group gets AGENT_LANGUAGE.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import { currentCustomer } from './current-customer.js';
import type { BotContext } from './context.js';
import { customerLocale, DEFAULT_LOCALE, pickLocale } from './telegram/present.js';

export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');

export function createI18n(opts: { agentLanguage: string; supportChatId: number; directory?: string }): I18n<BotContext> {
  const i18n: I18n<BotContext> = new I18n<BotContext>({
    defaultLocale: DEFAULT_LOCALE,
    // Without this Fluent wraps every placeable in Unicode isolation marks, which show up in Telegram.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: async (ctx) => {
      if (ctx.chat?.id === opts.supportChatId) return pickLocale(i18n.locales, opts.agentLanguage);
      const from = ctx.from;
      if (!from) return DEFAULT_LOCALE;
      if (ctx.chat?.type !== 'private') return pickLocale(i18n.locales, from.language_code);
      return customerLocale(i18n.locales, await currentCustomer(ctx), undefined, from.language_code);
    },
  });
  i18n.loadLocalesDirSync(opts.directory ?? LOCALES_DIR);
  return i18n;
}
