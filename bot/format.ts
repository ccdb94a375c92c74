/** Human formats of durations and instants for the bot's texts. */
import { DateTime } from 'luxon';

type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** "12 min", "2 h 30 min", "1 d 4 h" in the caller's language. */
export function formatDuration(t: Translate, seconds: number): string {
  const totalMinutes = Math.max(1, Math.ceil(seconds / 60));
  if (totalMinutes < 60) return t('duration-minutes', { m: totalMinutes });
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  if (h >= 24) return t('duration-days', { d: Math.floor(h / 24), h: h % 24 });
  return m === 0 ? t('duration-hours', { h }) : t('duration-hours-minutes', { h, m });
}

/** "2026-03-30 09:15 CEST": in a queue's business-hours zone, else UTC. */
export function formatInstant(d: Date, zone = 'UTC'): string {
  return DateTime.fromJSDate(d, { zone }).toFormat('yyyy-LL-dd HH:mm ZZZZ');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
