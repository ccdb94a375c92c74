/**
 * Fluent translations (@grammyjs/i18n) from locales/<lang>/*.ftl — the core's
 * core.ftl and the features' features.ftl form one bundle per language.
 * Customers get their stored language (a feature may let them pick one),
 * else their Telegram client's; the support group gets AGENT_LANGUAGE.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import type { BotContext } from './context.js';
import { currentCustomer } from './current-customer.js';

export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');
export const DEFAULT_LOCALE = 'en';

export function createI18n(opts: { agentLanguage: string; supportChatId: number; directory?: string }): I18n<BotContext> {
  const i18n: I18n<BotContext> = new I18n<BotContext>({
    defaultLocale: DEFAULT_LOCALE,
    // Without this Fluent wraps every placeable in Unicode isolation marks, which show up in Telegram.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: async (ctx) => {
      if (ctx.chat?.id === opts.supportChatId) return pick(i18n, opts.agentLanguage);
      const from = ctx.from;
      if (!from) return DEFAULT_LOCALE;
      if (ctx.chat?.type !== 'private') return pick(i18n, from.language_code);
      const stored = (await currentCustomer(ctx)).language_code ?? undefined;
      return pick(i18n, stored ?? from.language_code);
    },
  });
  i18n.loadLocalesDirSync(opts.directory ?? LOCALES_DIR);
  return i18n;
}

/** "pt-br" → "pt" when only "pt" exists; unknown → the default locale. */
export function pick(i18n: { locales: readonly string[] }, code: string | undefined): string {
  if (!code) return DEFAULT_LOCALE;
  const lower = code.toLowerCase();
  if (i18n.locales.includes(lower)) return lower;
  const base = lower.split(/[-_]/)[0]!;
  return i18n.locales.includes(base) ? base : DEFAULT_LOCALE;
}
