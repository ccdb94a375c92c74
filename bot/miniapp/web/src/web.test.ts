/** The web app's pure parts in Node: texts and plurals per language, dates in a zone, routes, deep links, contrast, attachment rules. */
import { describe, expect, it } from 'vitest';
import { checkFile, DOCUMENT_MAX_BYTES, PHOTO_MAX_BYTES } from './attach.js';
import { en } from './locales/en.js';
import { fa } from './locales/fa.js';
import { ru } from './locales/ru.js';
import { makeI18n } from './i18n.js';
import { href, parseRoute, routeOfStartParam, tabOf } from './router.js';
import { contrast, withContrast } from './telegram.js';

const placeholders = (v: unknown): string[] => [...new Set([...JSON.stringify(v).matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

describe('texts', () => {
  it('ru and fa have every key of en, with the same placeholders, and no entry left in English', () => {
    for (const [name, dict] of [
      ['ru', ru],
      ['fa', fa],
    ] as const) {
      expect(Object.keys(dict).sort(), name).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(placeholders(dict[key]), `${name}.${key}`).toEqual(placeholders(en[key]));
        if (!key.startsWith('language_name_') && !['eta_in', 'text_count', 'legend'].includes(key)) expect(dict[key], `${name}.${key}`).not.toEqual(en[key]);
      }
    }
  });

  it('plural forms by Intl.PluralRules: Russian one/few/many, English one/other; numbers in the language’s digits', () => {
    const r = makeI18n('ru', 'UTC');
    expect([1, 2, 5, 11, 21, 22].map((count) => r.t('requests_count', { count }))).toEqual([
      '1 обращение',
      '2 обращения',
      '5 обращений',
      '11 обращений',
      '21 обращение',
      '22 обращения',
    ]);
    const e = makeI18n('en', 'UTC');
    expect([0, 1, 2].map((count) => e.t('messages_count', { count }))).toEqual(['0 messages', '1 message', '2 messages']);
    const f = makeI18n('fa', 'UTC');
    expect(f.t('ticket_number', { number: 125 })).toBe('درخواست شمارهٔ ۱۲۵');
    expect([f.dir, e.dir, r.dir]).toEqual(['rtl', 'ltr', 'ltr']);
  });

  it('dates in the chosen time zone; an unknown zone falls back to UTC', () => {
    const iso = '2026-03-01T22:30:00Z';
    expect(makeI18n('en', 'UTC').dateTime(iso)).toBe(
      new Intl.DateTimeFormat('en', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
    );
    expect(makeI18n('en', 'Asia/Tehran').day(iso)).toBe('March 2, 2026');
    expect(makeI18n('en', 'America/New_York').day(iso)).toBe('March 1, 2026');
    expect(makeI18n('en', 'Mars/Olympus').zone).toBe('UTC');
    expect(makeI18n('en', 'UTC').relative('2026-03-01T22:42:00Z', Date.parse(iso))).toBe('in 12 minutes');
  });
});

describe('routes and deep links', () => {
  it('every route survives href → parseRoute, and belongs to a tab', () => {
    const routes = [
      { page: 'requests' },
      { page: 'ticket', number: 12 },
      { page: 'new' },
      { page: 'new', article: 'refunds' },
      { page: 'help' },
      { page: 'article', id: 'payment-failed' },
      { page: 'settings' },
      { page: 'solved' },
    ] as const;
    for (const r of routes) expect(parseRoute(href(r))).toEqual({ ...(r.page === 'new' ? { article: undefined, category: undefined } : {}), ...r });
    expect(routes.map(tabOf)).toEqual(['requests', 'requests', 'new', 'new', 'help', 'help', 'settings', 'new']);
    expect(parseRoute('#tgWebAppData=user%3D1')).toEqual({ page: 'requests' });
  });

  it('start parameters the bot sends open their page; anything else opens nothing', () => {
    expect(routeOfStartParam('ticket-42')).toEqual({ page: 'ticket', number: 42 });
    expect(routeOfStartParam('article-refunds')).toEqual({ page: 'article', id: 'refunds' });
    expect(routeOfStartParam('settings')).toEqual({ page: 'settings' });
    expect(routeOfStartParam('new')).toEqual({ page: 'new' });
    expect(routeOfStartParam('ticket-x')).toBeUndefined();
    expect(routeOfStartParam('article-../x')).toBeUndefined();
    expect(routeOfStartParam(undefined)).toBeUndefined();
  });
});

describe('theme contrast', () => {
  it('Telegram colours below WCAG AA are moved until they reach 4.5:1; colours already fine are kept', () => {
    const white: [number, number, number] = [255, 255, 255];
    const tgBlue: [number, number, number] = [0x24, 0x81, 0xcc];
    expect(contrast(tgBlue, white)).toBeLessThan(4.5);
    const fixed = withContrast(tgBlue, white);
    expect(contrast(fixed, white)).toBeGreaterThanOrEqual(4.5);
    // Darkened, not replaced: still a blue.
    expect(fixed[2]).toBeGreaterThan(fixed[0]);
    const nightHint: [number, number, number] = [0x70, 0x84, 0x99];
    const nightBg: [number, number, number] = [0x17, 0x21, 0x2b];
    expect(contrast(withContrast(nightHint, nightBg), nightBg)).toBeGreaterThanOrEqual(4.5);
    expect(withContrast([0, 0, 0], white)).toEqual([0, 0, 0]);
  });
});

describe('attachments', () => {
  it('the server’s rules before upload: photos ≤ 10 MB, larger pictures and PDF/text/ZIP as files ≤ 20 MB, a screenshot a picture ≤ 10 MB', () => {
    expect(checkFile({ name: 'a.png', size: 100, type: 'image/png' })).toEqual({ ok: true, type: 'image/png', as: 'photo' });
    expect(checkFile({ name: 'a.png', size: PHOTO_MAX_BYTES + 1, type: 'image/png' })).toEqual({ ok: true, type: 'image/png', as: 'document' });
    // No type from the browser (or Windows' name for ZIP): the extension tells.
    expect(checkFile({ name: 'Logs.ZIP', size: 5, type: 'application/x-zip-compressed' })).toEqual({ ok: true, type: 'application/zip', as: 'document' });
    expect(checkFile({ name: 'IMG_1.HEIC', size: 5, type: '' })).toEqual({ ok: true, type: 'image/heic', as: 'document' });
    expect(checkFile({ name: 'a.pdf', size: DOCUMENT_MAX_BYTES + 1, type: 'application/pdf' })).toMatchObject({
      ok: false,
      key: 'attach_too_large',
      vars: { size: 20.1, max: 20 },
    });
    expect(checkFile({ name: 'a.exe', size: 5, type: 'application/x-msdownload' })).toMatchObject({ ok: false, key: 'attach_wrong_type' });
    expect(checkFile({ name: 'a.txt', size: 0, type: 'text/plain' })).toMatchObject({ ok: false, key: 'attach_empty' });
    expect(checkFile({ name: 'a.pdf', size: 5, type: 'application/pdf' }, true)).toMatchObject({ ok: false, key: 'attach_not_picture' });
    expect(checkFile({ name: 'a.png', size: PHOTO_MAX_BYTES + 1, type: 'image/png' }, true)).toMatchObject({ ok: false, vars: { max: 10 } });
    const f = makeI18n('fa', 'UTC');
    expect(f.t('attach_too_large', { name: 'a.pdf', size: 20.1, max: 20 })).toContain('۲۰٫۱');
  });
});
