/**
 * Distribution functions from @stdlib (one small, typed, tested package per
 * function; Boost-derived algorithms accurate to double precision in the
 * tails, which is where p-values live). Nothing else in the experiments'
 * statistics computes a CDF or a quantile.
 */
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** P(Z ≤ z) for the standard normal. */
export const phi = (z: number): number => normalCdf(z, 0, 1);
/** The standard normal's p-quantile. */
export const phiInv = (p: number): number => normalQuantile(p, 0, 1);
/** Two-sided p-value of a standard normal statistic. */
export const normalTwoSided = (z: number): number => Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
/** Two-sided p-value of a Student t statistic with `df` degrees of freedom. */
export const tTwoSided = (t: number, df: number): number => Math.min(1, 2 * tCdf(-Math.abs(t), df));
/** Student t's p-quantile. */
export const tInv = (p: number, df: number): number => tQuantile(p, df);
/** Upper tail P(X ≥ x) of a chi-square with `df` degrees of freedom. */
export const chiSquareUpper = (x: number, df: number): number => Math.max(0, 1 - chisquareCdf(x, df));
