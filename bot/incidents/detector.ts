/**
 * The spike detector (issue 15, item 3), pure: which time ranges to count for a key, and whether the counts are
 * a spike. The store (bot/incidents/store.ts) counts the ranges in PostgreSQL; tests and the benchmark count
 * synthetic histories with `countHistory`. Both follow the same `plan`.
 *
 * A key is what tickets are grouped by: `cat:<category>`, or the first message's cluster (`kb:<article id>`,
 * `kw:<stems>`; bot/incidents/cluster.ts). For a key, the last INCIDENT_WINDOW is compared with the same
 * window of the same weekday and hour in each of the past `weeks` weeks the desk's history reaches back to;
 * with no such week (a young desk), with the recent average (the `recentSeconds` before the window, scaled to
 * the window). A spike: at least `minTickets` tickets from at least `minCustomers` customers, and at least
 * `spikeRatio` × the baseline.
 */

export interface DetectorConfig {
  windowSeconds: number;
  minTickets: number;
  minCustomers: number;
  spikeRatio: number;
  /** Weeks of same-weekday-hour history averaged (4). */
  weeks: number;
  /** The span of the recent-average fallback, before the window (24 h). */
  recentSeconds: number;
}

export const DEFAULT_DETECTOR: DetectorConfig = {
  windowSeconds: 30 * 60,
  minTickets: 5,
  minCustomers: 3,
  spikeRatio: 3,
  weeks: 4,
  recentSeconds: 24 * 3600,
};

/** [from, to): from inclusive, to exclusive. */
export interface Range {
  from: Date;
  to: Date;
}

export interface Plan {
  /** The last window, up to and including now. */
  current: Range;
  /** The same window 1, 2, … weeks ago. */
  weeks: Range[];
  /** The recent-average fallback: the span before the current window. */
  recent: Range;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

export function plan(now: Date, cfg: DetectorConfig): Plan {
  const to = now.getTime() + 1; // now itself is inside the window
  const w = cfg.windowSeconds * 1000;
  const from = to - w;
  return {
    current: { from: new Date(from), to: new Date(to) },
    weeks: Array.from({ length: cfg.weeks }, (_, i) => ({ from: new Date(from - (i + 1) * WEEK_MS), to: new Date(to - (i + 1) * WEEK_MS) })),
    recent: { from: new Date(from - cfg.recentSeconds * 1000), to: new Date(from) },
  };
}

export interface Counts {
  current: { tickets: number; customers: number; firstAt: Date | null };
  /** Tickets in each past week's window, or null when the desk's history does not reach back that far. */
  weeks: (number | null)[];
  /** Tickets in the recent span and the seconds of it the history covers. */
  recent: { tickets: number; seconds: number };
}

export interface Assessment {
  spike: boolean;
  tickets: number;
  customers: number;
  /** Expected tickets in a window like the current one. */
  baseline: number;
  basis: 'weekly' | 'recent' | 'none';
  /** First ticket of the current window (time to detect starts there). */
  firstAt: Date | null;
}

export function baseline(counts: Counts, cfg: DetectorConfig): { value: number; basis: Assessment['basis'] } {
  const weeks = counts.weeks.filter((c): c is number => c !== null);
  if (weeks.length > 0) return { value: weeks.reduce((a, b) => a + b, 0) / weeks.length, basis: 'weekly' };
  if (counts.recent.seconds >= cfg.windowSeconds) return { value: (counts.recent.tickets * cfg.windowSeconds) / counts.recent.seconds, basis: 'recent' };
  return { value: 0, basis: 'none' };
}

export function assess(counts: Counts, cfg: DetectorConfig): Assessment {
  const b = baseline(counts, cfg);
  const { tickets, customers, firstAt } = counts.current;
  const spike = tickets >= cfg.minTickets && customers >= cfg.minCustomers && tickets >= cfg.spikeRatio * b.value;
  return { spike, tickets, customers, baseline: b.value, basis: b.basis, firstAt };
}

/** One ticket of a key's history. */
export interface HistoryTicket {
  at: Date;
  customer: number;
}

/**
 * The counts of a plan over an in-memory history (tests, the benchmark). `historyStart`: when the desk's history
 * begins (a week whose window starts before it is unknown, not zero).
 */
export function countHistory(history: readonly HistoryTicket[], p: Plan, historyStart: Date): Counts {
  const inside = (r: Range) => history.filter((t) => t.at >= r.from && t.at < r.to);
  const current = inside(p.current);
  const firstAt = current.reduce<Date | null>((min, t) => (min === null || t.at < min ? t.at : min), null);
  const recentFrom = Math.max(p.recent.from.getTime(), historyStart.getTime());
  return {
    current: { tickets: current.length, customers: new Set(current.map((t) => t.customer)).size, firstAt },
    weeks: p.weeks.map((w) => (w.from >= historyStart ? inside(w).length : null)),
    recent: {
      tickets: inside({ from: new Date(recentFrom), to: p.recent.to }).length,
      seconds: Math.max(0, (p.recent.to.getTime() - recentFrom) / 1000),
    },
  };
}
