/**
 * How the desk shows things in Telegram, in one place: HTML escaping, durations
 * and instants for people, links to topics and messages, and the language a
 * customer is written to. Pure functions (no I/O, no desk), so the core, the
 * features and the alerts all say things the same way.
 */
import { DateTime, Duration } from 'luxon';
import type { Customer, Ticket } from '../store/types.js';

/** A translation in one language: Fluent key and variables → text. */
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

// ---- HTML (parse_mode 'HTML') ----------------------------------------------

/**
 * Plain text (a name, an agent's text, a queue) for a message sent with
 * parse_mode 'HTML': &, < and > in text, " in attribute values. Telegram
 * accepts &quot; in text too, so one function serves both.
 */
export function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

// ---- durations -------------------------------------------------------------

/**
 * A wait the desk promises ("12 min", "2 h 30 min", "1 d 4 h"): rounded up to
 * the minute (never "0 min"), in the reader's language (core.ftl duration-*).
 */
export function formatDuration(seconds: number, t: Translate): string {
  const totalMinutes = Math.max(1, Math.ceil(seconds / 60));
  if (totalMinutes < 60) return t('duration-minutes', { m: totalMinutes });
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  if (h >= 24) return t('duration-days', { d: Math.floor(h / 24), h: h % 24 });
  return m === 0 ? t('duration-hours', { h }) : t('duration-hours-minutes', { h, m });
}

/**
 * A time that went by, as the escalation chat shows it ("42 s", "3 min",
 * "1 h 05 min", "2 d 4 h"; alerts.ftl alert-duration-*).
 */
export function formatElapsed(seconds: number, t: Translate): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('alert-duration-seconds', { s: String(s) });
  const m = Math.floor(s / 60);
  if (m < 60) return t('alert-duration-minutes', { m: String(m) });
  const h = Math.floor(m / 60);
  if (h < 48) return t('alert-duration-hours', { h: String(h), mm: String(m % 60).padStart(2, '0') });
  return t('alert-duration-days', { d: String(Math.floor(h / 24)), h: String(h % 24) });
}

/**
 * A duration in words inside a customer's sentence ("25 minutes", "около 2
 * часов"), from Intl through luxon: minutes up to 1.5 h, hours up to 2 days,
 * then days. For texts that are not Fluent messages (macros' {eta}).
 */
export function formatDurationWords(seconds: number, locale: string): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  const d =
    minutes < 90
      ? Duration.fromObject({ minutes })
      : minutes < 48 * 60
        ? Duration.fromObject({ hours: Math.round(minutes / 60) })
        : Duration.fromObject({ days: Math.round(minutes / 1440) });
  const text = d.reconfigure({ locale }).toHuman({ unitDisplay: 'long' });
  // Templates say "через {eta}" (accusative); Intl gives the nominative, which differs only for "минута".
  return locale === 'ru' ? text.replace(/минута$/, 'минуту') : text;
}

// ---- instants --------------------------------------------------------------

/** "2026-03-30 09:15 CEST": a deadline on a card, in a queue's business-hours zone (UTC without one). */
export function formatInstant(d: Date, zone = 'UTC'): string {
  return DateTime.fromJSDate(d, { zone }).toFormat('yyyy-LL-dd HH:mm ZZZZ');
}

/** "11:55 UTC", "12:55 GMT+1": a time of day with its zone (IANA; UTC when not given). */
export function hhmm(d: Date, zone = 'UTC'): string {
  return DateTime.fromJSDate(d, { zone }).toFormat('HH:mm ZZZZ');
}

/**
 * A time inside a message that stays in the chat for hours: absolute, never
 * "5 min ago" (that would be wrong a minute later), and without the zone, which
 * the message names once (`hhmm`). "11:55" today, "2026-03-01 23:10" another day.
 */
export function clockTime(d: Date, now: Date, zone = 'UTC'): string {
  const local = DateTime.fromJSDate(d, { zone });
  return local.hasSame(DateTime.fromJSDate(now, { zone }), 'day') ? local.toFormat('HH:mm') : local.toFormat('yyyy-LL-dd HH:mm');
}

// ---- links -----------------------------------------------------------------

/** https://t.me/c/<internal id>/<thread> — the supergroup id without its -100 prefix. */
export function topicLink(supportChatId: number, threadId: number): string {
  const internal = String(supportChatId).replace(/^-100/, '').replace(/^-/, '');
  return `https://t.me/c/${internal}/${threadId}`;
}

/** https://t.me/c/<internal id>[/<thread>]/<message>: one message of a supergroup (in a forum topic when given). */
export function messageLink(chatId: number, messageId: number, threadId?: number): string {
  return threadId !== undefined ? `${topicLink(chatId, threadId)}/${messageId}` : topicLink(chatId, messageId);
}

// ---- the customer's language -----------------------------------------------

export const DEFAULT_LOCALE = 'en';

/** A language code as one of `locales`: "pt-br" → "pt" when only "pt" exists; undefined when none fits. */
export function matchLocale(locales: readonly string[], code: string): string | undefined {
  const lower = code.toLowerCase();
  if (locales.includes(lower)) return lower;
  const base = lower.split(/[-_]/)[0]!;
  return locales.includes(base) ? base : undefined;
}

/** A language code as one of `locales` (matchLocale); unknown or none → the default. */
export function pickLocale(locales: readonly string[], code: string | null | undefined): string {
  return (code ? matchLocale(locales, code) : undefined) ?? DEFAULT_LOCALE;
}

/**
 * The one rule for the language a customer is written to, in their updates and
 * outside them (timers, hooks, agents' commands): the language stored on the
 * customer — their `/language` choice, else the one of their first contact —
 * wins over the language their ticket was opened in, which wins over what
 * Telegram's client says now (`telegram`, from the update); then English.
 */
export function customerLocale(
  locales: readonly string[],
  customer: Pick<Customer, 'language_code'> | undefined,
  ticket?: Pick<Ticket, 'language'>,
  telegram?: string,
): string {
  return pickLocale(locales, customer?.language_code ?? ticket?.language ?? telegram);
}

/** Translations for one customer, by `customerLocale`'s rule (outside their update: timers, hooks). */
export function customerText(
  desk: { locales: readonly string[]; translate: (locale: string, key: string, vars?: Record<string, string | number>) => string },
  customer: Pick<Customer, 'language_code'> | undefined,
  ticket?: Pick<Ticket, 'language'>,
): Translate {
  const locale = customerLocale(desk.locales, customer, ticket);
  return (key, vars) => desk.translate(locale, key, vars);
}
