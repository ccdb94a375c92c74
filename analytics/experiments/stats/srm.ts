/**
 * Sample-ratio mismatch: Pearson's chi-square goodness-of-fit of the customers
 * per variant against the experiment's weights (scipy.stats.chisquare). A
 * p-value below 0.001 means the split is broken (assignment, exposure logging
 * or data loss), and no result of the experiment should be trusted.
 */
import { chiSquareUpper } from './dist.js';
import { finite } from './estimate.js';

export const SRM_THRESHOLD = 0.001;

export interface Srm {
  /** null while there is nothing to test (fewer than two variants with weight, no customers). */
  pValue: number | null;
  mismatch: boolean;
  chiSquare: number | null;
}

export function srm(observed: readonly number[], weights: readonly number[], threshold = SRM_THRESHOLD): Srm {
  if (observed.length !== weights.length) throw new Error('srm: one weight per variant');
  const total = observed.reduce((a, b) => a + b, 0);
  const wsum = weights.reduce((a, b) => a + b, 0);
  // customers in a variant that should have none: certainly broken
  if (observed.some((o, i) => o > 0 && !(weights[i]! > 0))) return { pValue: 0, mismatch: true, chiSquare: null };
  if (total === 0 || weights.filter((w) => w > 0).length < 2) return { pValue: null, mismatch: false, chiSquare: null };
  let chi = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = (total * weights[i]!) / wsum;
    if (expected === 0) continue;
    chi += (observed[i]! - expected) ** 2 / expected;
  }
  const df = weights.filter((w) => w > 0).length - 1;
  const p = chiSquareUpper(chi, df);
  return finite(p) ? { pValue: p, mismatch: p < threshold, chiSquare: chi } : { pValue: null, mismatch: false, chiSquare: null };
}
