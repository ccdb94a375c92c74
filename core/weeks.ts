/**
 * ISO weeks in a time zone: the weekly report's periods, shared by the analytics that compute it, the API that
 * serves it and the bot that posts it. A week runs from Monday 00:00 to the next Monday 00:00 in the zone.
 */
import { DateTime } from 'luxon';

export interface WeekRange {
  from: Date;
  to: Date;
}

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** ISO week "2026-W14" in a zone → [Monday 00:00, next Monday 00:00); null when there is no such week. */
export function isoWeekRange(week: string, zone: string): WeekRange | null {
  const m = WEEK_RE.exec(week.trim());
  if (!m) return null;
  const start = DateTime.fromObject({ weekYear: Number(m[1]), weekNumber: Number(m[2]), weekday: 1 }, { zone });
  if (!start.isValid || start.weekNumber !== Number(m[2])) return null;
  return { from: start.toJSDate(), to: start.plus({ weeks: 1 }).toJSDate() };
}

/** The last complete ISO week before `now` in a zone. */
export function lastWeekRange(now: Date, zone: string): WeekRange {
  const thisMonday = DateTime.fromJSDate(now, { zone }).startOf('week');
  return { from: thisMonday.minus({ weeks: 1 }).toJSDate(), to: thisMonday.toJSDate() };
}

/** "2026-W14" of the week an instant falls in, in a zone. */
export function isoWeekOf(at: Date, zone: string): string {
  const d = DateTime.fromJSDate(at, { zone });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}
