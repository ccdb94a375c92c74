/**
 * Quiet hours: a daily window ("22:00-08:00", may cross midnight) in one time
 * zone during which non-urgent messages wait. `nextAllowed(t)` is the earliest
 * instant ≥ t outside the window, which is when a deferred job becomes due.
 */
import { DateTime } from 'luxon';

export interface QuietHours {
  /** minutes after local midnight */
  startMin: number;
  endMin: number;
  zone: string;
}

export function parseQuietHours(raw: string, zone: string): QuietHours {
  const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(raw);
  if (!m) throw new Error(`must look like 22:00-08:00, got "${raw}"`);
  const [h1, m1, h2, m2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59) throw new Error(`has an invalid time: "${raw}"`);
  if (!DateTime.now().setZone(zone).isValid) throw new Error(`time zone "${zone}" is unknown`);
  const startMin = h1 * 60 + m1;
  const endMin = (h2 * 60 + m2) % 1440;
  if (startMin === endMin) throw new Error(`start and end are the same: "${raw}"`);
  return { startMin, endMin, zone };
}

export function isQuiet(q: QuietHours | undefined, at: Date): boolean {
  if (!q) return false;
  const local = DateTime.fromJSDate(at, { zone: q.zone });
  const min = local.hour * 60 + local.minute;
  return q.startMin < q.endMin ? min >= q.startMin && min < q.endMin : min >= q.startMin || min < q.endMin;
}

/** `at` itself when outside quiet hours, else the end of the current quiet window. */
export function nextAllowed(q: QuietHours | undefined, at: Date): Date {
  if (!q || !isQuiet(q, at)) return at;
  const local = DateTime.fromJSDate(at, { zone: q.zone });
  // set() rather than adding minutes to midnight, so a DST change that night does not shift the end
  let end = local.set({ hour: Math.floor(q.endMin / 60), minute: q.endMin % 60, second: 0, millisecond: 0 });
  if (end <= local) end = end.plus({ days: 1 });
  return end.toJSDate();
}
