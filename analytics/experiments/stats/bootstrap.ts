/**
 * Seeded bootstrap of a percentile difference (FRT P50/P90, variant − baseline),
 * resampling customers — the unit of randomisation — within each side, each
 * customer bringing all of its tickets (a cluster bootstrap). The percentile is
 * the one the metric definitions compute (quantilesExactInclusive: linear
 * interpolation between closest ranks, PERCENTILE.INC, numpy's default), here
 * of the resampled multiset of tickets.
 *
 * The resampling is the Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et
 * al. 2012, "Estimating uncertainty for massive data streams"): every customer
 * is drawn Poisson(1) times, independently — the large-sample equivalent of
 * drawing n customers with replacement (a multinomial whose counts tend to
 * independent Poisson(1)), and what lets the cost depend only on the customers
 * WITH values: a customer without a value adds nothing to a percentile whatever
 * its draw, so it is never drawn (the old multinomial scheme spent most of its
 * time on them). Customers holding one and the same single value are drawn as a
 * group — m of them together are drawn Poisson(m) times, exactly the sum of
 * their draws — so each replicate costs one draw per group or multi-ticket
 * customer and one walk over the distinct (value, group) entries.
 *
 * The interval is the percentile interval of the replicates' differences; the
 * p-value inverts it: 2 × the smaller share of replicates on either side of 0,
 * with the usual +1 correction so it is never 0 ((1 + k) ÷ (B + 1)). `se` is the
 * replicates' standard deviation (for the sequential test and the MDE). The
 * same seed gives the same interval: one mulberry32 stream, the units in a
 * fixed order (single-value groups by value, then the other customers in the
 * order given — analysis.ts gives them by customer id).
 */
import { ALPHA, checked, insufficient, MIN_UNITS, relative, type Outcome } from './estimate.js';
import { mulberry32Uint } from './prng.js';

/** One side: each customer's ticket values (a customer with none still counts as exposed). */
export type ClusterSample = readonly (readonly number[])[];

/** One side packed: what analysis.ts reads from ClickHouse (no array per customer). */
export interface PackedSample {
  /** Customers on the side, those without a value included. */
  customers: number;
  /** The number of values of each customer that has any, in a fixed order (by customer id). */
  sizes: ArrayLike<number>;
  /** Their values, customer after customer. */
  values: ArrayLike<number>;
}

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

/** A side ready to resample: built once per side, shared by the point estimate and every percentile's replicates. */
export interface PreparedSide {
  readonly prepared: true;
  /** Exposed customers, those without a value included. */
  customers: number;
  /** Customers with at least one (finite) value. */
  withValues: number;
  /** Their values in all. */
  tickets: number;
  /** The entries sorted by value: a single-value group's value once, every value of a multi-value customer. */
  values: Float64Array;
  /** Each entry's unit. */
  owner: Int32Array;
  /** Units: single-value groups, then multi-value customers. */
  units: number;
  /** Per unit: its tickets per draw (1 for a group: each draw is one of its customers). */
  sizes: Int32Array;
  /** Per unit: its customers (a group's m; 1 for a customer). */
  mult: Int32Array;
}

/**
 * Poisson(m)'s CDF over [lo, lo + cdf.length) — ±(12σ + 12) around the mode,
 * the tails beyond below double precision — as thresholds for a uniform 32-bit
 * integer x: the draw is lo + the first j with x < cdf[j] (= ⌈CDF(j)·2³²⌉).
 */
interface PoissonTable {
  lo: number;
  cdf: Float64Array;
}

const TWO32 = 4294967296;

function poissonTable(m: number): PoissonTable {
  const mode = Math.floor(m);
  const spread = Math.ceil(12 * Math.sqrt(m) + 12);
  const lo = Math.max(0, mode - spread);
  const w = new Float64Array(mode + spread - lo + 1);
  // the pmf relative to the mode's, outwards (no e^-m to underflow), then normalised
  w[mode - lo] = 1;
  for (let j = mode + 1; j - lo < w.length; j++) w[j - lo] = (w[j - 1 - lo]! * m) / j;
  for (let j = mode - 1; j >= lo; j--) w[j - lo] = (w[j + 1 - lo]! * (j + 1)) / m;
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i]!;
  let cum = 0;
  for (let i = 0; i < w.length; i++) {
    cum += w[i]!;
    w[i] = Math.ceil((cum / sum) * TWO32);
  }
  w[w.length - 1] = TWO32;
  return { lo, cdf: w };
}

/** The draw for a uniform 32-bit integer x. */
function poissonDraw(t: PoissonTable, x: number): number {
  const c = t.cdf;
  let lo = 0;
  let hi = c.length - 1;
  if (c.length <= 40) {
    while (c[lo]! <= x) lo++;
    return t.lo + lo;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return t.lo + lo;
}

const isPrepared = (s: ClusterSample | PackedSample | PreparedSide): s is PreparedSide => 'prepared' in s;

/** Packs per-customer arrays (tests, small callers). */
export function pack(side: ClusterSample): PackedSample {
  const sizes: number[] = [];
  const values: number[] = [];
  for (const vs of side) {
    if (vs.length === 0) continue;
    sizes.push(vs.length);
    values.push(...vs);
  }
  return { customers: side.length, sizes, values };
}

/** Sorts a side's values once: single-value customers grouped by value, the entries ordered by value with their unit. */
export function prepareSide(side: ClusterSample | PackedSample | PreparedSide): PreparedSide {
  if (isPrepared(side)) return side;
  const p = Array.isArray(side) ? pack(side as ClusterSample) : (side as PackedSample);
  // per customer its finite values; one-value customers apart
  const single: number[] = [];
  const multiStart: number[] = [];
  const multiValues: number[] = [];
  let withValues = 0;
  let at = 0;
  for (let c = 0; c < p.sizes.length; c++) {
    const n = p.sizes[c]!;
    const start = multiValues.length;
    for (let i = at; i < at + n; i++) {
      const v = p.values[i]!;
      if (Number.isFinite(v)) multiValues.push(v);
    }
    at += n;
    const got = multiValues.length - start;
    if (got === 0) continue;
    withValues++;
    if (got === 1) single.push(multiValues.pop()!);
    else multiStart.push(start);
  }
  multiStart.push(multiValues.length);
  const singles = Float64Array.from(single).sort();
  const groupValues: number[] = [];
  const groupSize: number[] = [];
  for (let i = 0; i < singles.length; ) {
    let j = i + 1;
    while (j < singles.length && singles[j] === singles[i]) j++;
    groupValues.push(singles[i]!);
    groupSize.push(j - i);
    i = j;
  }
  const groups = groupValues.length;
  const multis = multiStart.length - 1;
  const units = groups + multis;
  const sizes = new Int32Array(units);
  const mult = new Int32Array(units);
  const entries = groups + multiValues.length;
  const raw = new Float64Array(entries);
  const rawOwner = new Int32Array(entries);
  for (let g = 0; g < groups; g++) {
    sizes[g] = 1;
    mult[g] = groupSize[g]!;
    raw[g] = groupValues[g]!;
    rawOwner[g] = g;
  }
  for (let c = 0; c < multis; c++) {
    const u = groups + c;
    sizes[u] = multiStart[c + 1]! - multiStart[c]!;
    mult[u] = 1;
    for (let i = multiStart[c]!; i < multiStart[c + 1]!; i++) {
      raw[groups + i] = multiValues[i]!;
      rawOwner[groups + i] = u;
    }
  }
  // the entries by value, each with its unit, without a comparator sort: the values sorted natively, then each
  // entry placed at its value's first rank plus how many equal values came before it (stable: input order)
  const values = raw.slice().sort();
  const owner = new Int32Array(entries);
  const taken = new Int32Array(entries);
  for (let i = 0; i < entries; i++) {
    const v = raw[i]!;
    let lo = 0;
    let hi = entries;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    owner[lo + taken[lo]!++] = rawOwner[i]!;
  }
  return { prepared: true, customers: p.customers, withValues, tickets: single.length + multiValues.length, values, owner, units, sizes, mult };
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
 * The entry holding 0-based rank `r` of the side's values, each entry repeated
 * weight[owner] times, walking from a pivot: entries [0, pivot) hold `below`
 * of the weight. From the point estimate's entry a replicate's rank is a few
 * hundred entries away, so a replicate walks those, not every ticket.
 */
function entryAtRank(s: PreparedSide, weight: Int32Array, pivot: number, below: number, r: number): number {
  let cum = below;
  if (r < below) {
    for (let i = pivot - 1; i >= 0; i--) {
      const w = weight[s.owner[i]!]!;
      if (w === 0) continue;
      cum -= w;
      if (r >= cum) return i;
    }
    return 0;
  }
  const n = s.values.length;
  for (let i = pivot; i < n; i++) {
    const w = weight[s.owner[i]!]!;
    if (w === 0) continue;
    cum += w;
    if (r < cum) return i;
  }
  return n - 1;
}

/** PERCENTILE.INC at `q` of the weighted values (total weight `total` > 0), walking from the pivot. */
function weightedPercentile(s: PreparedSide, weight: Int32Array, total: number, q: number, pivot: number, below: number): number {
  const h = (total - 1) * q;
  const lo = Math.floor(h);
  const x = s.values[entryAtRank(s, weight, pivot, below, lo)]!;
  if (h === lo || lo + 1 >= total) return x;
  return x + (h - lo) * (s.values[entryAtRank(s, weight, pivot, below, lo + 1)]! - x);
}

/**
 * The percentiles' pivots: each one's entry (the point estimate's) and, per
 * unit, how many of its entries come before it — interleaved, unit by unit
 * (before[u·k + j] for the j-th of k percentiles), so a resample reads them in order.
 */
interface Pivots {
  at: number[];
  before: Int32Array;
}

function pivotsOf(s: PreparedSide, qs: readonly number[]): Pivots {
  const k = qs.length;
  const at = qs.map((q) => entryAtRank(s, s.mult, 0, 0, Math.floor((s.tickets - 1) * q)));
  const before = new Int32Array(s.units * k);
  at.forEach((p, j) => {
    for (let i = 0; i < p; i++) before[s.owner[i]! * k + j]!++;
  });
  return { at, before };
}

/**
 * Draws every unit Poisson(its customers) times into `weight`; returns the
 * tickets drawn, and into `below` each pivot's weight before it.
 */
function resample(
  s: PreparedSide,
  tables: PoissonTable[],
  tableOf: Int32Array,
  next: () => number,
  weight: Int32Array,
  before: Int32Array,
  below: Float64Array,
): number {
  let total = 0;
  below.fill(0);
  const k = below.length;
  const { sizes, mult } = s;
  // one customer (most units): Poisson(1) by its first thresholds inline (0–3: 98 % of draws)
  const one = ONE.cdf;
  const c0 = one[0]!;
  const c1 = one[1]!;
  const c2 = one[2]!;
  const c3 = one[3]!;
  for (let u = 0; u < s.units; u++) {
    const x = next();
    const w = mult[u] === 1 ? (x < c0 ? 0 : x < c1 ? 1 : x < c2 ? 2 : x < c3 ? 3 : poissonDraw(ONE, x)) : poissonDraw(tables[tableOf[u]!]!, x);
    weight[u] = w;
    if (w === 0) continue;
    total += w * sizes[u]!;
    const base = u * k;
    for (let j = 0; j < k; j++) below[j] = below[j]! + w * before[base + j]!;
  }
  return total;
}

const ONE = poissonTable(1);

/** Each unit's Poisson table (one per distinct group size). */
function tablesFor(s: PreparedSide, tables: PoissonTable[], byM: Map<number, number>): Int32Array {
  const tableOf = new Int32Array(s.units);
  for (let u = 0; u < s.units; u++) {
    const m = s.mult[u]!;
    let t = byM.get(m);
    if (t === undefined) {
      t = tables.push(poissonTable(m)) - 1;
      byM.set(m, t);
    }
    tableOf[u] = t;
  }
  return tableOf;
}

/** PERCENTILE.INC of a side's values (every customer's, the groups expanded) at `q`; null without values. */
export function sidePercentile(s: PreparedSide, q: number): number | null {
  return s.tickets === 0 ? null : weightedPercentile(s, s.mult, s.tickets, q, 0, 0);
}

export function bootstrapPercentileDiff(
  variant: ClusterSample | PackedSample | PreparedSide,
  baseline: ClusterSample | PackedSample | PreparedSide,
  o: BootstrapOptions,
): Outcome {
  const { q, ...rest } = o;
  return bootstrapPercentileDiffs(variant, baseline, { ...rest, qs: [q] })[0]!;
}

/**
 * The same for several percentiles of one value (FRT P50 and P90) from the
 * same replicates: one resample for all of them.
 */
export function bootstrapPercentileDiffs(
  variant: ClusterSample | PackedSample | PreparedSide,
  baseline: ClusterSample | PackedSample | PreparedSide,
  o: Omit<BootstrapOptions, 'q'> & { qs: readonly number[] },
): Outcome[] {
  const m = 'bootstrap_percentile';
  const a = prepareSide(variant);
  const b = prepareSide(baseline);
  const qs = o.qs;
  const values = qs.map((q) => sidePercentile(a, q));
  const bases = qs.map((q) => sidePercentile(b, q));
  const early = (reason: string) => qs.map((_, i) => insufficient(m, reason, values[i], bases[i]));
  if (values[0] === null || bases[0] === null) return early('no data on a side');
  if (a.customers < MIN_UNITS || b.customers < MIN_UNITS) return early(`fewer than ${MIN_UNITS} customers on a side`);
  const replicates = o.replicates ?? replicatesFor(a.tickets + b.tickets);
  const next = mulberry32Uint(o.seed ?? 20_240_601);
  const tables: PoissonTable[] = [];
  const byM = new Map<number, number>();
  const ta = tablesFor(a, tables, byM);
  const tb = tablesFor(b, tables, byM);
  const pa = pivotsOf(a, qs);
  const pb = pivotsOf(b, qs);
  const wa = new Int32Array(a.units);
  const wb = new Int32Array(b.units);
  const ba = new Float64Array(qs.length);
  const bb = new Float64Array(qs.length);
  const diffs: number[][] = qs.map(() => []);
  for (let r = 0; r < replicates; r++) {
    const na = resample(a, tables, ta, next, wa, pa.before, ba);
    const nb = resample(b, tables, tb, next, wb, pb.before, bb);
    // a replicate that drew no ticket on a side has no percentile: skipped
    if (na === 0 || nb === 0) continue;
    for (let i = 0; i < qs.length; i++)
      diffs[i]!.push(weightedPercentile(a, wa, na, qs[i]!, pa.at[i]!, ba[i]!) - weightedPercentile(b, wb, nb, qs[i]!, pb.at[i]!, bb[i]!));
  }
  return qs.map((_, i) => summarise(diffs[i]!, replicates, values[i]!, bases[i]!, a.customers, b.customers, o.level ?? 1 - ALPHA));
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
