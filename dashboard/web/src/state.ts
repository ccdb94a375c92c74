/** Filters live in the URL (shareable, survive reloads): ?from=YYYY-MM-DD&to=YYYY-MM-DD&queue=&category= (to is inclusive in the UI). */

export interface Filters {
  from: string; // YYYY-MM-DD, local calendar day, inclusive
  to: string; // YYYY-MM-DD, inclusive
  queue: string;
  category: string;
}

const DAY = 86_400_000;

export function localDate(d: Date): string {
  const z = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`;
}

export function presetRange(preset: string, today = new Date()): Pick<Filters, 'from' | 'to'> {
  const days = Number.parseInt(preset, 10) || 7;
  return { from: localDate(new Date(today.getTime() - (days - 1) * DAY)), to: localDate(today) };
}

export function readFilters(): Filters {
  const p = new URLSearchParams(location.search);
  const def = presetRange('7d');
  const valid = (s: string | null) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null);
  return { from: valid(p.get('from')) ?? def.from, to: valid(p.get('to')) ?? def.to, queue: p.get('queue') ?? '', category: p.get('category') ?? '' };
}

export function writeFilters(f: Filters): void {
  const p = new URLSearchParams();
  p.set('from', f.from);
  p.set('to', f.to);
  if (f.queue) p.set('queue', f.queue);
  if (f.category) p.set('category', f.category);
  history.replaceState(null, '', `${location.pathname}?${p.toString()}`);
}

/** API parameters: local midnight of `from` to local midnight after `to`, as UTC instants. */
export function apiRange(f: Filters): { from: string; to: string } {
  const start = new Date(`${f.from}T00:00:00`);
  const end = new Date(`${f.to}T00:00:00`);
  end.setDate(end.getDate() + 1);
  return { from: start.toISOString(), to: end.toISOString() };
}

export function spanDays(f: Filters): number {
  return Math.round((new Date(`${f.to}T00:00:00`).getTime() - new Date(`${f.from}T00:00:00`).getTime()) / DAY) + 1;
}

export const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
