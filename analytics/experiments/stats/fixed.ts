/**
 * Fixed-horizon tests of "variant − baseline", the unit being the customer:
 *  - Welch's t-test for the mean of a per-customer value (unequal variances,
 *    Welch–Satterthwaite degrees of freedom; scipy.stats.ttest_ind(equal_var=False));
 *  - the two-proportion z-test for a share of customers (pooled standard error
 *    for the p-value, unpooled for the interval, as statsmodels' proportions_ztest
 *    and confint_proportions_2indep(method='wald'));
 *  - the delta method for a ratio metric Σx ÷ Σy over per-customer sums, e.g.
 *    rated tickets' CSAT sum ÷ rated tickets (Deng, Knoblich & Lu 2018, "Applying
 *    the Delta Method in Metric Analytics", eq. 2): tickets of one customer are
 *    correlated, so the customer, the unit of randomisation, is the unit of variance.
 * Inputs are sufficient statistics, so ClickHouse can sum them per variant.
 */
import { ALPHA, checked, insufficient, MIN_UNITS, relative, type Outcome } from './estimate.js';
import { normalTwoSided, phiInv, tInv, tTwoSided } from './dist.js';

/** Σ of a per-customer value and of its square over n customers. */
export interface MeanStats {
  n: number;
  sum: number;
  sumSq: number;
}

/** Customers (n) and those with the property (successes). */
export interface ProportionStats {
  n: number;
  successes: number;
}

/** Per-customer numerator x and denominator y: their sums, squares and cross products over n customers. */
export interface RatioStats {
  n: number;
  sumX: number;
  sumY: number;
  sumXX: number;
  sumYY: number;
  sumXY: number;
}

/** Sample variance from sums (n − 1 denominator), never below 0. */
function variance(n: number, sum: number, sumSq: number): number {
  const mean = sum / n;
  return Math.max(0, (sumSq - n * mean * mean) / (n - 1));
}

export function welch(variant: MeanStats, baseline: MeanStats, level = 1 - ALPHA): Outcome {
  const m = 'welch_t';
  const [a, b] = [variant, baseline];
  const value = a.n > 0 ? a.sum / a.n : null;
  const base = b.n > 0 ? b.sum / b.n : null;
  if (a.n < 2 || b.n < 2) return insufficient(m, 'fewer than 2 customers on a side', value, base);
  const va = variance(a.n, a.sum, a.sumSq) / a.n;
  const vb = variance(b.n, b.sum, b.sumSq) / b.n;
  const se = Math.sqrt(va + vb);
  if (!(se > 0)) return insufficient(m, 'zero variance', value, base);
  const diff = (value as number) - (base as number);
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const t = diff / se;
  const half = tInv(1 - (1 - level) / 2, df) * se;
  return checked({
    method: m,
    value: value as number,
    baseline: base as number,
    diff,
    relDiff: relative(diff, base as number),
    ciLow: diff - half,
    ciHigh: diff + half,
    pValue: tTwoSided(t, df),
    se,
    n: a.n,
    nBaseline: b.n,
  });
}

export function twoProportions(variant: ProportionStats, baseline: ProportionStats, level = 1 - ALPHA): Outcome {
  const m = 'two_proportion_z';
  const [a, b] = [variant, baseline];
  const pa = a.n > 0 ? a.successes / a.n : null;
  const pb = b.n > 0 ? b.successes / b.n : null;
  if (a.n < MIN_UNITS || b.n < MIN_UNITS) return insufficient(m, `fewer than ${MIN_UNITS} customers on a side`, pa, pb);
  const pooled = (a.successes + b.successes) / (a.n + b.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  if (!(sePooled > 0)) return insufficient(m, 'zero variance', pa, pb);
  const diff = (pa as number) - (pb as number);
  const se = Math.sqrt(((pa as number) * (1 - (pa as number))) / a.n + ((pb as number) * (1 - (pb as number))) / b.n);
  const half = phiInv(1 - (1 - level) / 2) * se;
  return checked({
    method: m,
    value: pa as number,
    baseline: pb as number,
    diff,
    relDiff: relative(diff, pb as number),
    ciLow: diff - half,
    ciHigh: diff + half,
    pValue: normalTwoSided(diff / sePooled),
    // the sequential test and the MDE use the pooled error (the null's)
    se: sePooled,
    n: a.n,
    nBaseline: b.n,
  });
}

/** A ratio Σx ÷ Σy and its delta-method variance; null when Σy = 0 or too few customers. */
export function ratioWithVariance(s: RatioStats): { ratio: number | null; variance: number | null } {
  if (s.n === 0 || s.sumY === 0) return { ratio: null, variance: null };
  const r = s.sumX / s.sumY;
  if (s.n < 2) return { ratio: r, variance: null };
  const mx = s.sumX / s.n;
  const my = s.sumY / s.n;
  const vx = variance(s.n, s.sumX, s.sumXX);
  const vy = variance(s.n, s.sumY, s.sumYY);
  const cxy = (s.sumXY - s.n * mx * my) / (s.n - 1);
  const v = Math.max(0, (vx - 2 * r * cxy + r * r * vy) / (s.n * my * my));
  return { ratio: r, variance: v };
}

export function deltaRatio(variant: RatioStats, baseline: RatioStats, level = 1 - ALPHA): Outcome {
  const m = 'delta_ratio';
  const a = ratioWithVariance(variant);
  const b = ratioWithVariance(baseline);
  if (a.ratio === null || b.ratio === null) return insufficient(m, 'no data on a side (empty denominator)', a.ratio, b.ratio);
  if (variant.n < MIN_UNITS || baseline.n < MIN_UNITS) return insufficient(m, `fewer than ${MIN_UNITS} customers on a side`, a.ratio, b.ratio);
  const se = Math.sqrt((a.variance ?? 0) + (b.variance ?? 0));
  if (!(se > 0)) return insufficient(m, 'zero variance', a.ratio, b.ratio);
  const diff = a.ratio - b.ratio;
  const half = phiInv(1 - (1 - level) / 2) * se;
  return checked({
    method: m,
    value: a.ratio,
    baseline: b.ratio,
    diff,
    relDiff: relative(diff, b.ratio),
    ciLow: diff - half,
    ciHigh: diff + half,
    pValue: normalTwoSided(diff / se),
    se,
    n: variant.n,
    nBaseline: baseline.n,
  });
}
