/**
 * What every test of the experiments' statistics returns: an estimate of the
 * difference "variant − baseline" with its interval and p-value, or the reason
 * there is none (too few customers, no variance, no data). Every number is
 * finite: a test that would produce NaN or Infinity reports insufficient
 * instead, so results serialise to JSON as numbers or nulls only.
 */

export type Method = 'welch_t' | 'two_proportion_z' | 'delta_ratio' | 'bootstrap_percentile';

export interface Estimate {
  method: Method;
  /** The variant's and the baseline's values of the metric. */
  value: number;
  baseline: number;
  /** value − baseline */
  diff: number;
  /** diff ÷ baseline; null when the baseline is 0. */
  relDiff: number | null;
  /** Confidence interval of `diff` at the requested level (default 95 %). */
  ciLow: number;
  ciHigh: number;
  /** Fixed-horizon two-sided p-value. */
  pValue: number;
  /** Standard error of `diff` (the bootstrap's: the standard deviation of its replicates). */
  se: number;
  /** Customers per side. */
  n: number;
  nBaseline: number;
}

export type Outcome = { ok: true; estimate: Estimate } | { ok: false; reason: string; method: Method; value: number | null; baseline: number | null };

/** Fewer customers than this on either side → insufficient for the large-sample methods (z, delta, bootstrap). */
export const MIN_UNITS = 10;
export const ALPHA = 0.05;

export const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
export const orNull = (x: number | null | undefined): number | null => (finite(x) ? x : null);

export function insufficient(method: Method, reason: string, value: number | null = null, baseline: number | null = null): Outcome {
  return { ok: false, reason, method, value: orNull(value), baseline: orNull(baseline) };
}

/** An estimate, or insufficient when any of its numbers is not finite. */
export function checked(e: Estimate): Outcome {
  const { method, relDiff, ...numbers } = e;
  for (const [k, v] of Object.entries(numbers))
    if (typeof v === 'number' && !Number.isFinite(v)) return insufficient(method, `${k} is not finite`, e.value, e.baseline);
  if (relDiff !== null && !Number.isFinite(relDiff)) return checked({ ...e, relDiff: null });
  return { ok: true, estimate: e };
}

export const relative = (diff: number, baseline: number): number | null => (baseline === 0 ? null : diff / Math.abs(baseline));
