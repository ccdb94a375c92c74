/**
 * The filters, kept in the URL so a view is shareable and survives reloads:
 *   ?range=24h                       a rolling window: the last 24 hours up to the moment
 *                                    of each load, so a shared link and every refresh show
 *                                    the latest day, even just after midnight
 *   ?from=YYYY-MM-DD&to=YYYY-MM-DD   whole local calendar days, `to` inclusive: the 7/30/90 d
 *                                    presets and the date inputs (daily buckets and day-level
 *                                    numbers stay complete days, comparable with each other)
 * plus &queue= and &category=. Everything here is a pure function of the query
 * string and `now`, except the two functions that touch `location`/`history`.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Rolling windows by their URL name, and their length. */
export const ROLLING = { '24h': 24 * HOUR } as const;
export type Rolling = keyof typeof ROLLING;

export type Period = { kind: 'rolling'; range: Rolling } | { kind: 'days'; from: string; to: string };

export interface Filters {
  period: Period;
  queue: string;
  category: string;
}

const isRolling = (s: string | null): s is Rolling => s !== null && Object.hasOwn(ROLLING, s);
const isDate = (s: string | null): s is string => s !== null && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(new Date(`${s}T00:00:00`).getTime());

export function localDate(d: Date): string {
  const z = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`;
}

/** A preset button's period: "24h" the rolling window, "7d"/"30d"/"90d" the last N calendar days including today. */
export function presetPeriod(preset: string, now: Date): Period {
  if (isRolling(preset)) return { kind: 'rolling', range: preset };
  const days = Number.parseInt(preset, 10) || 7;
  const first = new Date(now);
  first.setDate(first.getDate() - (days - 1)); // calendar arithmetic: a DST day is still one day
  return { kind: 'days', from: localDate(first), to: localDate(now) };
}

/** Whether a preset button shows as pressed: the filters are exactly that preset now. */
export function isPreset(f: Filters, preset: string, now: Date): boolean {
  const p = presetPeriod(preset, now);
  const q = f.period;
  return p.kind === 'rolling' ? q.kind === 'rolling' && q.range === p.range : q.kind === 'days' && q.from === p.from && q.to === p.to;
}

/** Filters from a query string; without a valid range or dates, the last 7 days. */
export function parseFilters(search: string, now: Date): Filters {
  const p = new URLSearchParams(search);
  const range = p.get('range');
  const from = p.get('from');
  const to = p.get('to');
  const period: Period = isRolling(range)
    ? { kind: 'rolling', range }
    : isDate(from) && isDate(to)
      ? // biome-ignore lint/complexity/useMathMinMax: ISO date strings compare as text; Math.max would give NaN
        { kind: 'days', from, to: to < from ? from : to }
      : presetPeriod('7d', now);
  return { period, queue: p.get('queue') ?? '', category: p.get('category') ?? '' };
}

/** The query string of the filters (no leading "?"). */
export function filtersSearch(f: Filters): string {
  const p = new URLSearchParams();
  if (f.period.kind === 'rolling') p.set('range', f.period.range);
  else {
    p.set('from', f.period.from);
    p.set('to', f.period.to);
  }
  if (f.queue) p.set('queue', f.queue);
  if (f.category) p.set('category', f.category);
  return p.toString();
}

/** The API's [from, to) as UTC instants: now − window … now, or local midnight of `from` to local midnight after `to`. */
export function apiRange(f: Filters, now: Date): { from: string; to: string } {
  if (f.period.kind === 'rolling') return { from: new Date(now.getTime() - ROLLING[f.period.range]).toISOString(), to: now.toISOString() };
  const start = new Date(`${f.period.from}T00:00:00`);
  const end = new Date(`${f.period.to}T00:00:00`);
  end.setDate(end.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** The calendar days the period touches (what the date inputs show; also the CSV file names). */
export function dayRange(f: Filters, now: Date): { from: string; to: string } {
  if (f.period.kind === 'days') return { from: f.period.from, to: f.period.to };
  return { from: localDate(new Date(now.getTime() - ROLLING[f.period.range])), to: localDate(now) };
}

/** Length of the period in days (24 h = 1), which decides hourly or daily buckets. */
export function spanDays(f: Filters): number {
  if (f.period.kind === 'rolling') return ROLLING[f.period.range] / DAY;
  return Math.round((new Date(`${f.period.to}T00:00:00`).getTime() - new Date(`${f.period.from}T00:00:00`).getTime()) / DAY) + 1;
}

/** Hourly buckets up to `hourlyUpToDays` days, daily beyond. */
export function bucketInterval(f: Filters, hourlyUpToDays: number): 'hour' | 'day' {
  return spanDays(f) <= hourlyUpToDays ? 'hour' : 'day';
}

/** The period with a date input changed: a rolling window becomes the fixed days it showed. */
export function withDate(f: Filters, input: 'from' | 'to', value: string, now: Date): Filters {
  if (!isDate(value)) return f;
  const days = { ...dayRange(f, now), [input]: value };
  // the bound not being edited gives way, so the edited one keeps what the user picked
  if (days.from > days.to && input === 'from') days.to = days.from;
  if (days.from > days.to && input === 'to') days.from = days.to;
  return { ...f, period: { kind: 'days', ...days } };
}

const ROLLING_TEXT: Record<Rolling, string> = { '24h': 'Last 24 hours' };

/** The subtitle: the period, the time zone, and the filters by their labels. */
export function rangeLabel(f: Filters, now: Date, tz: string, name: { queue(k: string): string; category(k: string): string }): string {
  const day = (s: string) => new Date(`${s}T00:00:00`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
  let period: string;
  if (f.period.kind === 'rolling') {
    const since = new Date(now.getTime() - ROLLING[f.period.range]).toLocaleString('en-GB', {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    period = `${ROLLING_TEXT[f.period.range]} (since ${since})`;
  } else period = `${day(f.period.from)} – ${day(f.period.to)}`;
  return [period, tz, f.queue ? `queue ${name.queue(f.queue)}` : '', f.category ? name.category(f.category) : ''].filter(Boolean).join(' · ');
}

export function readFilters(now = new Date()): Filters {
  return parseFilters(location.search, now);
}

export function writeFilters(f: Filters): void {
  history.replaceState(null, '', `${location.pathname}?${filtersSearch(f)}`);
}

export const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
