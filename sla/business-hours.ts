/**
 * Business-hours arithmetic, pure: no clock, no I/O.
 *
 * A calendar is a set of weekly opening windows in one IANA time zone
 * ("Mon-Fri 09:00-18:00 Europe/Berlin"). Windows are laid out in local wall
 * time and converted to instants per day with luxon, so a DST change moves
 * the instants, not the opening hours. A window whose end is not after its
 * start runs overnight into the next day ("Mon-Fri 22:00-06:00").
 *
 * `undefined` as a calendar means 24/7: business time equals calendar time.
 */
import { DateTime, IANAZone } from 'luxon';

export interface Window {
  /** ISO weekday the window opens on: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes after local midnight. */
  openMinute: number;
  /** Minutes after local midnight; ≤ openMinute means it closes the next day. */
  closeMinute: number;
}

export interface BusinessCalendar {
  zone: string;
  windows: Window[];
  /** The text it was parsed from, for the ticket card and logs. */
  source: string;
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Far enough to cross any holiday-free gap a weekly calendar can have. */
const MAX_DAYS_SCANNED = 15;

function parseDay(s: string): number {
  const i = DAYS.indexOf(s.slice(0, 3).toLowerCase());
  if (i < 0 || s.length < 3) throw new Error(`unknown weekday "${s}"`);
  return i + 1;
}

function parseClock(s: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59 || (Number(m[1]) === 24 && Number(m[2]) !== 0)) throw new Error(`bad time "${s}" (expected HH:MM)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Parses one calendar: "Mon-Fri 09:00-18:00[, Sat 10:00-14:00 …] <IANA zone>".
 * Day ranges may wrap ("Fri-Mon"); "Mon,Wed" lists single days.
 */
export function parseCalendar(text: string): BusinessCalendar {
  const tokens = text.trim().split(/\s+/);
  const zone = tokens.pop();
  if (!zone || !IANAZone.isValidZone(zone)) throw new Error(`"${text}" must end with an IANA time zone such as Europe/Berlin or UTC`);
  const windows: Window[] = [];
  const groups = tokens
    .join(' ')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  // "Mon,Wed 09:00-12:00": a group without a time takes the next group's time.
  const pendingDays: number[] = [];
  for (const group of groups) {
    const [daysPart, timePart, ...rest] = group.split(/\s+/);
    if (!daysPart || rest.length) throw new Error(`cannot read "${group}" (expected e.g. "Mon-Fri 09:00-18:00")`);
    const days: number[] = [];
    const range = daysPart.split('-');
    if (range.length === 2) {
      const a = parseDay(range[0]!);
      const b = parseDay(range[1]!);
      for (let d = a; ; d = (d % 7) + 1) {
        days.push(d);
        if (d === b) break;
      }
    } else if (range.length === 1) days.push(parseDay(daysPart));
    else throw new Error(`bad day range "${daysPart}"`);
    if (!timePart) {
      pendingDays.push(...days);
      continue;
    }
    const [o, c] = timePart.split('-');
    if (!o || !c) throw new Error(`bad hours "${timePart}" (expected HH:MM-HH:MM)`);
    const openMinute = parseClock(o);
    const closeMinute = parseClock(c);
    if (openMinute === closeMinute && openMinute !== 0) throw new Error(`empty window "${timePart}"`);
    for (const weekday of [...pendingDays.splice(0), ...days]) windows.push({ weekday, openMinute, closeMinute });
  }
  if (pendingDays.length || windows.length === 0) throw new Error(`"${text}" has days without hours`);
  return { zone, windows, source: text.trim() };
}

/** Parses "L1=Mon-Fri 09:00-18:00 Europe/Berlin; L2=…" into queue → calendar. */
export function parseBusinessHours(text: string): Map<string, BusinessCalendar> {
  const out = new Map<string, BusinessCalendar>();
  for (const part of text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`"${part}" must look like QUEUE=Mon-Fri 09:00-18:00 Europe/Berlin`);
    const queue = part.slice(0, eq).trim();
    if (out.has(queue)) throw new Error(`queue ${queue} has two calendars`);
    out.set(queue, parseCalendar(part.slice(eq + 1)));
  }
  return out;
}

interface Interval {
  start: number;
  end: number;
}

/** Opening intervals (epoch ms) of windows that open on the local day `day`. */
function intervalsOn(cal: BusinessCalendar, day: DateTime): Interval[] {
  const out: Interval[] = [];
  for (const w of cal.windows) {
    if (w.weekday !== day.weekday) continue;
    const at = (minute: number, plusDays: number) =>
      day
        .plus({ days: plusDays })
        .set({ hour: Math.floor(minute / 60) % 24, minute: minute % 60, second: 0, millisecond: 0 })
        .plus({ days: minute >= 1440 ? 1 : 0 })
        .toMillis();
    const start = at(w.openMinute, 0);
    const end = w.closeMinute > w.openMinute ? at(w.closeMinute, 0) : at(w.closeMinute, 1);
    if (end > start) out.push({ start, end });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Intervals intersecting [fromMs, …), in order, starting the day before (overnight windows). */
function* intervalsFrom(cal: BusinessCalendar, fromMs: number): Generator<Interval> {
  let day = DateTime.fromMillis(fromMs, { zone: cal.zone }).startOf('day').minus({ days: 1 });
  for (;;) {
    for (const iv of intervalsOn(cal, day)) if (iv.end > fromMs) yield iv;
    day = day.plus({ days: 1 });
  }
}

/** The instant `seconds` of business time after `from`. */
export function addBusinessSeconds(cal: BusinessCalendar | undefined, from: Date, seconds: number): Date {
  if (!cal || seconds <= 0) return new Date(from.getTime() + Math.max(0, seconds) * 1000);
  let remaining = seconds * 1000;
  const fromMs = from.getTime();
  const horizon = fromMs + 86_400_000 * (MAX_DAYS_SCANNED + (seconds / 86400) * 7);
  for (const iv of intervalsFrom(cal, fromMs)) {
    if (iv.start > horizon) break;
    const start = Math.max(iv.start, fromMs);
    const available = iv.end - start;
    if (remaining <= available) return new Date(start + remaining);
    remaining -= available;
  }
  throw new Error(`calendar "${cal.source}" never opens`);
}

/** Business seconds between two instants (0 when `to` is not after `from`). */
export function businessSecondsBetween(cal: BusinessCalendar | undefined, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (!cal) return (b - a) / 1000;
  let total = 0;
  for (const iv of intervalsFrom(cal, a)) {
    if (iv.start >= b) break;
    total += Math.min(iv.end, b) - Math.max(iv.start, a);
  }
  return total / 1000;
}

/** Whether the calendar is open at `at`. */
export function isOpen(cal: BusinessCalendar | undefined, at: Date): boolean {
  if (!cal) return true;
  const t = at.getTime();
  for (const iv of intervalsFrom(cal, t)) return iv.start <= t;
  return false;
}
