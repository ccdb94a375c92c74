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
}

function sortSide(side: ClusterSample): Sorted {
  const pairs: [number, number][] = [];
  side.forEach((vs, c) => {
    for (const v of vs) if (Number.isFinite(v)) pairs.push([v, c]);
  });
  pairs.sort((a, b) => a[0] - b[0]);
  return { customers: side.length, values: Float64Array.from(pairs, (p) => p[0]), owner: Int32Array.from(pairs, (p) => p[1]) };
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

/** PERCENTILE.INC of the sorted values, each repeated weight[owner] times; null when the total weight is 0. */
function weightedPercentile(s: Sorted, weight: Int32Array, q: number): number | null {
  let total = 0;
  for (let i = 0; i < s.owner.length; i++) total += weight[s.owner[i]!]!;
  if (total === 0) return null;
  const h = (total - 1) * q;
  const lo = Math.floor(h);
  let cum = 0;
  let xlo: number | null = null;
  for (let i = 0; i < s.values.length; i++) {
    const w = weight[s.owner[i]!]!;
    if (w === 0) continue;
    if (xlo === null) {
      // rank lo falls in this value's run of draws [cum, cum + w)
      if (cum + w > lo) {
        xlo = s.values[i]!;
        // no interpolation, or rank lo + 1 in the same run
        if (h === lo || cum + w > lo + 1) return xlo;
      }
    } else {
      return xlo + (h - lo) * (s.values[i]! - xlo);
    }
    cum += w;
  }
  return xlo;
}

function resample(s: Sorted, rand: () => number, weight: Int32Array): void {
  weight.fill(0);
  for (let i = 0; i < s.customers; i++) weight[Math.floor(rand() * s.customers)]!++;
}

export function bootstrapPercentileDiff(variant: ClusterSample, baseline: ClusterSample, o: BootstrapOptions): Outcome {
  const m = 'bootstrap_percentile';
  const a = sortSide(variant);
  const b = sortSide(baseline);
  const value = percentileInc(a.values, o.q);
  const base = percentileInc(b.values, o.q);
  if (value === null || base === null) return insufficient(m, 'no data on a side', value, base);
  if (a.customers < MIN_UNITS || b.customers < MIN_UNITS) return insufficient(m, `fewer than ${MIN_UNITS} customers on a side`, value, base);
  const replicates = o.replicates ?? replicatesFor(a.values.length + b.values.length);
  const rand = mulberry32(o.seed ?? 20_240_601);
  const wa = new Int32Array(a.customers);
  const wb = new Int32Array(b.customers);
  const diffs: number[] = [];
  for (let r = 0; r < replicates; r++) {
    resample(a, rand, wa);
    resample(b, rand, wb);
    const x = weightedPercentile(a, wa, o.q);
    const y = weightedPercentile(b, wb, o.q);
    // a replicate that drew only customers without tickets has no percentile: skipped
    if (x !== null && y !== null) diffs.push(x - y);
  }
  if (diffs.length < replicates / 2) return insufficient(m, 'too few customers with data to resample', value, base);
  diffs.sort((p, q) => p - q);
  const level = o.level ?? 1 - ALPHA;
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
    n: a.customers,
    nBaseline: b.customers,
  });
}
