/**
 * Power of the primary metric: the minimum detectable effect at the current
 * sample (two-sided α, power 1 − β: MDE = (z₁₋α/₂ + z₁₋β) · se), and the days
 * still needed to detect a target relative effect at the rate customers are
 * being exposed (se shrinks as 1/√N: N_needed = N · (MDE ÷ target)²).
 */
import { phiInv } from './dist.js';
import { ALPHA, finite } from './estimate.js';

export const POWER = 0.8;

export interface Power {
  /** Absolute MDE at the current sample, in the metric's unit; null without an estimate. */
  mde: number | null;
  /** The MDE relative to the baseline. */
  mdeRelative: number | null;
  /** The relative effect the days are counted for. */
  target: number;
  /** Days of exposure still needed for the target (0 when reached); null when unknown (no estimate, no exposure rate). */
  daysNeeded: number | null;
  reason?: string;
}

export function power(o: {
  se: number | null;
  baseline: number | null;
  customers: number;
  days: number;
  target: number;
  alpha?: number;
  power?: number;
}): Power {
  const k = phiInv(1 - (o.alpha ?? ALPHA) / 2) + phiInv(o.power ?? POWER);
  if (!finite(o.se) || !(o.se > 0))
    return { mde: null, mdeRelative: null, target: o.target, daysNeeded: null, reason: 'no estimate of the primary metric yet' };
  const mde = k * o.se;
  const mdeRelative = finite(o.baseline) && o.baseline !== 0 ? mde / Math.abs(o.baseline) : null;
  if (mdeRelative === null) return { mde, mdeRelative, target: o.target, daysNeeded: null, reason: 'the baseline is 0' };
  if (mdeRelative <= o.target) return { mde, mdeRelative, target: o.target, daysNeeded: 0 };
  const rate = o.days > 0 ? o.customers / o.days : 0;
  if (!(rate > 0)) return { mde, mdeRelative, target: o.target, daysNeeded: null, reason: 'no exposure rate yet' };
  const needed = o.customers * (mdeRelative / o.target) ** 2;
  const days = (needed - o.customers) / rate;
  return finite(days)
    ? { mde, mdeRelative, target: o.target, daysNeeded: Math.ceil(days * 10) / 10 }
    : { mde, mdeRelative, target: o.target, daysNeeded: null, reason: 'not computable' };
}
