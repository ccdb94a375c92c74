/**
 * Fluent translations (@grammyjs/i18n), one bundle per language: the texts
 * the desk shares, locales/<lang>/*.ftl (core.ftl, the alerts' alerts.ftl),
 * and each feature's own, bot/features/<feature>/locales/<lang>.ftl.
 * Customers are written to by the one rule of `customerLocale`
 * (bot/telegram/present.ts): their stored language, else their Telegram
 * client's; the support group gets AGENT_LANGUAGE.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import { currentCustomer } from './current-customer.js';
import type { BotContext } from './context.js';
import { customerLocale, DEFAULT_LOCALE, pickLocale } from './telegram/present.js';

export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');
export const FEATURES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'features');

/** Every Fluent file of each language, in load order: `<directory>/<lang>/*.ftl`, then `<features>/<feature>/locales/<lang>.ftl`. */
export function localeFiles(directory = LOCALES_DIR, features = FEATURES_DIR): Map<string, string[]> {
  const files = new Map<string, string[]>();
  const add = (lang: string, file: string) => files.set(lang, [...(files.get(lang) ?? []), file]);
  const ftl = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.ftl'))
      .sort();
  for (const lang of readdirSync(directory).sort())
    if (statSync(join(directory, lang)).isDirectory()) for (const f of ftl(join(directory, lang))) add(lang, join(directory, lang, f));
  for (const feature of readdirSync(features).sort()) {
    const dir = join(features, feature, 'locales');
    if (existsSync(dir)) for (const f of ftl(dir)) add(basename(f, '.ftl'), join(dir, f));
  }
  return files;
}

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
  for (const [lang, files] of localeFiles(opts.directory)) i18n.loadLocaleSync(lang, { source: files.map((f) => readFileSync(f, 'utf8')).join('\n') });
  return i18n;
}
