/**
 * Texts, plurals (Intl.PluralRules), numbers and dates (Intl.DateTimeFormat in the customer's time zone) for
 * the app's languages. One dictionary per language in locales/; fa is written right to left.
 */
import { type Dict, en } from './locales/en.js';
import { fa } from './locales/fa.js';
import { ru } from './locales/ru.js';

export const LANGUAGES = ['en', 'ru', 'fa'] as const;
export type Lang = (typeof LANGUAGES)[number];
const DICTS: Record<Lang, Dict> = { en, ru, fa };
const RTL = new Set<string>(['fa', 'ar', 'he', 'ur']);

export type Key = keyof Dict;
type Vars = Record<string, string | number>;

export function asLang(code: string | null | undefined): Lang | undefined {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(base ?? '') ? (base as Lang) : undefined;
}

export const isRtl = (lang: string): boolean => RTL.has(lang);

/** The browser's zone, the default until the customer picks one. */
export const deviceZone = (): string => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

export function validZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface I18n {
  lang: Lang;
  zone: string;
  dir: 'ltr' | 'rtl';
  /** The text for `key` with `{name}` filled in; a plural entry picks its form by `vars.count`. */
  t(key: Key, vars?: Vars): string;
  num(n: number): string;
  /** "12 Mar 2026, 14:05" in the customer's zone. */
  dateTime(iso: string): string;
  /** "Mar 12, 14:05" in the customer's zone (the list's compact dates). */
  short(iso: string): string;
  /** "14:05" in the customer's zone. */
  time(iso: string): string;
  /** "12 March 2026" in the customer's zone (the conversation's day headings). */
  day(iso: string): string;
  /** "in 12 minutes" / "2 hours ago". */
  relative(iso: string, now: number): string;
}

export function makeI18n(lang: Lang, zone: string): I18n {
  const dict = DICTS[lang];
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang, { useGrouping: false });
  const tz = validZone(zone) ? zone : 'UTC';
  const dateTimeFmt = new Intl.DateTimeFormat(lang, { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' });
  const timeFmt = new Intl.DateTimeFormat(lang, { timeZone: tz, timeStyle: 'short' });
  const shortFmt = new Intl.DateTimeFormat(lang, { timeZone: tz, month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  const dayFmt = new Intl.DateTimeFormat(lang, { timeZone: tz, dateStyle: 'long' });
  const rel = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const fill = (s: string, vars?: Vars) =>
    vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? (typeof vars[k] === 'number' ? number.format(vars[k]) : String(vars[k])) : m)) : s;
  return {
    lang,
    zone: tz,
    dir: isRtl(lang) ? 'rtl' : 'ltr',
    t(key, vars) {
      const entry = dict[key] ?? en[key];
      if (typeof entry === 'string') return fill(entry, vars);
      const count = Number(vars?.count ?? 0);
      const form = plural.select(count);
      return fill(entry[form] ?? entry.other, vars);
    },
    num: (n) => number.format(n),
    dateTime: (iso) => dateTimeFmt.format(new Date(iso)),
    time: (iso) => timeFmt.format(new Date(iso)),
    short: (iso) => shortFmt.format(new Date(iso)),
    day: (iso) => dayFmt.format(new Date(iso)),
    relative(iso, now) {
      const seconds = (Date.parse(iso) - now) / 1000;
      const abs = Math.abs(seconds);
      if (abs < 3600) return rel.format(Math.round(seconds / 60), 'minute');
      if (abs < 86_400) return rel.format(Math.round(seconds / 3600), 'hour');
      return rel.format(Math.round(seconds / 86_400), 'day');
    },
  };
}

/** <html lang dir>: the whole layout follows (the stylesheet uses logical properties). */
export function applyLanguage(i18n: I18n): void {
  document.documentElement.lang = i18n.lang;
  document.documentElement.dir = i18n.dir;
  document.title = i18n.t('app_title');
}
