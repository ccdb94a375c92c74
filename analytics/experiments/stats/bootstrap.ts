/**
 * Seeded bootstrap of a percentile difference (FRT P50/P90, variant − baseline),
 * resampling customers — the unit of randomisation — with replacement within
 * each side, each customer bringing all of its tickets (a cluster bootstrap).
 * The percentile is the one the metric definitions compute
 * (quantilesExactInclusive: linear interpolation between closest ranks,
 * PERCENTILE.INC, numpy's default), here of the resampled multiset of tickets.
 *
 * The interval is the percentile interval of the replicates' differences; the
 * p-value inverts it: 2 × the smaller share of replicates on either side of 0,
 * with the usual +1 correction so it is never 0 ((1 + k) ÷ (B + 1)). `se` is the
 * replicates' standard deviation (for the sequential test and the MDE).
 *
 * Cost: O(tickets) per replicate (the tickets are sorted once; a replicate only
 * counts how often each customer was drawn and walks the sorted tickets), so
 * the number of replicates shrinks for very large samples (at least 100).
 */
import { ALPHA, checked, insufficient, MIN_UNITS, relative, type Outcome } from './estimate.js';
import { mulberry32 } from './prng.js';

/** One side: each customer's ticket values (a customer with none still counts when resampling). */
export type ClusterSample = readonly (readonly number[])[];

export interface BootstrapOptions {
  /** The percentile, 0–1. */
  q: number;
  level?: number;
  /** Replicates (default 1000, fewer when the sample is large: see `replicatesFor`). */
  replicates?: number;
  seed?: number;
}

/** Replicates so that replicates × tickets stays near 5·10⁷ operations: 1000 for small samples, never below 100. */
export function replicatesFor(tickets: number, wanted = 1000): number {
  return Math.max(100, Math.min(wanted, Math.floor(5e7 / Math.max(1, tickets))));
}

interface Sorted {
  customers: number;
  values: Float64Array;
  owner: Int32Array;
  /** Tickets per customer. */
  sizes: Int32Array;
}

function sortSide(side: ClusterSample): Sorted {
  const pairs: [number, number][] = [];
  side.forEach((vs, c) => {
    for (const v of vs) if (Number.isFinite(v)) pairs.push([v, c]);
  });
  pairs.sort((a, b) => a[0] - b[0]);
  const sizes = new Int32Array(side.length);
  for (const p of pairs) sizes[p[1]]!++;
  return { customers: side.length, values: Float64Array.from(pairs, (p) => p[0]), owner: Int32Array.from(pairs, (p) => p[1]), sizes };
}

/** PERCENTILE.INC of a sorted array. */
export function percentileInc(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * PERCENTILE.INC at each of `qs` (ascending) of the sorted values, each repeated
 * weight[owner] times, in one walk; null when the total weight is 0.
 */
function weightedPercentiles(s: Sorted, weight: Int32Array, total: number, qs: readonly number[]): (number | null)[] {
  const out: (number | null)[] = qs.map(() => null);
  if (total === 0) return out;
  const h = qs.map((q) => (total - 1) * q);
  const lo = h.map((x) => Math.floor(x));
  const xlo: number[] = qs.map(() => 0);
  let pending: number[] = [];
  let j = 0;
  let cum = 0;
  for (let i = 0; i < s.values.length; i++) {
    const w = weight[s.owner[i]!]!;
    if (w === 0) continue;
    const v = s.values[i]!;
    // ranks lo + 1 waiting for the next value drawn
    if (pending.length) {
      for (const p of pending) out[p] = xlo[p]! + (h[p]! - lo[p]!) * (v - xlo[p]!);
      pending = [];
    }
    const end = cum + w;
    // rank lo[j] falls in this value's run of draws [cum, end)
    while (j < qs.length && lo[j]! < end) {
      if (h[j] === lo[j] || lo[j]! + 1 < end) out[j] = v;
      else {
        xlo[j] = v;
        pending.push(j);
      }
      j++;
    }
    cum = end;
    if (j >= qs.length && pending.length === 0) break;
  }
  for (const p of pending) out[p] = xlo[p]!;
  return out;
}

/** Draws the side's customers with replacement into `weight`; returns the tickets drawn. */
function resample(s: Sorted, rand: () => number, weight: Int32Array): number {
  weight.fill(0);
  let total = 0;
  for (let i = 0; i < s.customers; i++) {
    const c = Math.floor(rand() * s.customers);
    weight[c]!++;
    total += s.sizes[c]!;
  }
  return total;
}

export function bootstrapPercentileDiff(variant: ClusterSample, baseline: ClusterSample, o: BootstrapOptions): Outcome {
  const { q, ...rest } = o;
  return bootstrapPercentileDiffs(variant, baseline, { ...rest, qs: [q] })[0]!;
}

/**
 * The same for several percentiles of one value (FRT P50 and P90) from the
 * same replicates: one resample, one walk per replicate for all of them.
 */
export function bootstrapPercentileDiffs(
  variant: ClusterSample,
  baseline: ClusterSample,
  o: Omit<BootstrapOptions, 'q'> & { qs: readonly number[] },
): Outcome[] {
  const m = 'bootstrap_percentile';
  const a = sortSide(variant);
  const b = sortSide(baseline);
  const order = o.qs.map((q, i) => [q, i] as const).sort((x, y) => x[0] - y[0]);
  const qs = order.map(([q]) => q);
  const values = qs.map((q) => percentileInc(a.values, q));
  const bases = qs.map((q) => percentileInc(b.values, q));
  const early = (reason: string) => qs.map((_, i) => insufficient(m, reason, values[i], bases[i]));
  let outcomes: Outcome[];
  if (values[0] === null || bases[0] === null) outcomes = early('no data on a side');
  else if (a.customers < MIN_UNITS || b.customers < MIN_UNITS) outcomes = early(`fewer than ${MIN_UNITS} customers on a side`);
  else {
    const replicates = o.replicates ?? replicatesFor(a.values.length + b.values.length);
    const rand = mulberry32(o.seed ?? 20_240_601);
    const wa = new Int32Array(a.customers);
    const wb = new Int32Array(b.customers);
    const diffs: number[][] = qs.map(() => []);
    for (let r = 0; r < replicates; r++) {
      const ta = resample(a, rand, wa);
      const tb = resample(b, rand, wb);
      const x = weightedPercentiles(a, wa, ta, qs);
      const y = weightedPercentiles(b, wb, tb, qs);
      // a replicate that drew only customers without tickets has no percentile: skipped
      for (let i = 0; i < qs.length; i++) if (x[i] !== null && y[i] !== null) diffs[i]!.push(x[i]! - y[i]!);
    }
    outcomes = qs.map((_, i) => summarise(diffs[i]!, replicates, values[i]!, bases[i]!, a.customers, b.customers, o.level ?? 1 - ALPHA));
  }
  const out: Outcome[] = new Array(qs.length);
  order.forEach(([, original], i) => {
    out[original] = outcomes[i]!;
  });
  return out;
}

function summarise(diffs: number[], replicates: number, value: number, base: number, n: number, nBaseline: number, level: number): Outcome {
  const m = 'bootstrap_percentile';
  if (diffs.length < replicates / 2) return insufficient(m, 'too few customers with data to resample', value, base);
  diffs.sort((p, q) => p - q);
  const lowQ = percentileInc(diffs, (1 - level) / 2) as number;
  const highQ = percentileInc(diffs, 1 - (1 - level) / 2) as number;
  const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
  const se = Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / (diffs.length - 1));
  if (!(se > 0)) return insufficient(m, 'zero variance', value, base);
  const below = diffs.filter((d) => d <= 0).length;
  const above = diffs.filter((d) => d >= 0).length;
  const diff = value - base;
  return checked({
    method: m,
    value,
    baseline: base,
    diff,
    relDiff: relative(diff, base),
    ciLow: lowQ,
    ciHigh: highQ,
    pValue: Math.min(1, (2 * (1 + Math.min(below, above))) / (diffs.length + 1)),
    se,
    n,
    nBaseline,
  });
}
