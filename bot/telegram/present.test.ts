import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n.js';
import {
  clockTime,
  customerLocale,
  customerText,
  escapeHtml,
  formatDuration,
  formatElapsed,
  formatInstant,
  hhmm,
  messageLink,
  pickLocale,
  topicLink,
} from './present.js';

const i18n = createI18n({ agentLanguage: 'en', supportChatId: 0 });
const t = (lang: string) => (key: string, vars?: Record<string, string | number>) => i18n.t(lang, key, vars);
const LOCALES = ['en', 'ru'] as const;

describe('escapeHtml', () => {
  it('escapes what Telegram HTML reads as markup, in text and in attribute values', () => {
    expect(escapeHtml('<b>&"')).toBe('&lt;b&gt;&amp;&quot;');
    expect(escapeHtml('Tom & Jerry <3 "quoted"')).toBe('Tom &amp; Jerry &lt;3 &quot;quoted&quot;');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml("it's plain")).toBe("it's plain");
  });
});

describe('durations', () => {
  it('a promised wait is rounded up to the minute, never "0 min"', () => {
    const en = t('en');
    expect([0, 59, 60, 61, 3600, 9000, 86400 + 4 * 3600].map((s) => formatDuration(s, en))).toEqual([
      '1 min',
      '1 min',
      '1 min',
      '2 min',
      '1 h',
      '2 h 30 min',
      '1 d 4 h',
    ]);
    expect(formatDuration(9000, t('ru'))).toBe('2 ч 30 мин');
  });

  it('an elapsed time shows seconds, zero-padded minutes and days from 48 h', () => {
    const en = t('en');
    expect([42, 180, 3900, 3 * 86400 + 7200].map((s) => formatElapsed(s, en))).toEqual(['42 s', '3 min', '1 h 05 min', '3 d 2 h']);
    expect(formatElapsed(3900, t('ru'))).toBe('1 ч 05 мин');
  });
});

describe('instants and links', () => {
  const at = new Date('2026-03-30T07:15:00Z');
  it('writes instants in a zone, UTC by default', () => {
    expect(formatInstant(at)).toBe('2026-03-30 07:15 UTC');
    expect(formatInstant(at, 'Europe/Berlin')).toBe('2026-03-30 09:15 GMT+2');
    expect(hhmm(at)).toBe('07:15 UTC');
    expect(clockTime(at, new Date('2026-03-30T20:00:00Z'))).toBe('07:15');
    expect(clockTime(at, new Date('2026-03-31T08:00:00Z'))).toBe('2026-03-30 07:15');
  });

  it('links to a topic and a message of a supergroup by its internal id', () => {
    expect(topicLink(-1002000000001, 77)).toBe('https://t.me/c/2000000001/77');
    expect(messageLink(-1002000000001, 500, 77)).toBe('https://t.me/c/2000000001/77/500');
    expect(messageLink(-1002000000001, 500)).toBe('https://t.me/c/2000000001/500');
  });
});

describe("the customer's language", () => {
  it('maps a code onto a shipped locale: exact, then its base language, else English', () => {
    expect(pickLocale(LOCALES, 'ru')).toBe('ru');
    expect(pickLocale(LOCALES, 'RU-ru')).toBe('ru');
    expect(pickLocale(LOCALES, 'pt-br')).toBe('en');
    expect(pickLocale(LOCALES, undefined)).toBe('en');
    expect(pickLocale(LOCALES, null)).toBe('en');
  });

  it('after /language the stored choice wins over the ticket and over Telegram', () => {
    // The customer opened a ticket in English (Telegram says "en"), then picked Russian with /language.
    const customer = { language_code: 'ru' };
    const ticket = { language: 'en' };
    expect(customerLocale(LOCALES, customer, ticket, 'en')).toBe('ru');
    expect(customerLocale(LOCALES, customer, undefined, 'en')).toBe('ru');
    expect(customerText({ locales: LOCALES, translate: (l, k) => `${l}:${k}` }, customer, ticket)('x')).toBe('ru:x');
  });

  it('without a stored language the ticket decides, then Telegram, then English', () => {
    expect(customerLocale(LOCALES, { language_code: null }, { language: 'ru' }, 'en')).toBe('ru');
    expect(customerLocale(LOCALES, { language_code: null }, { language: null }, 'ru')).toBe('ru');
    expect(customerLocale(LOCALES, undefined, undefined, 'ru-RU')).toBe('ru');
    expect(customerLocale(LOCALES, undefined)).toBe('en');
  });
});
