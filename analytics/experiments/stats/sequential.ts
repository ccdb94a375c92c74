/**
 * Always-valid results for teams that look every day: the mixture sequential
 * probability ratio test (mSPRT) with a normal mixture, Johari, Pekelis &
 * Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests"
 * (Operations Research 70(3), 2022), §4, on the difference's normal
 * approximation z = diff ÷ se:
 *
 *   Λ = (1 + Nρ²)^(-1/2) · exp( z² · Nρ² / (2 (1 + Nρ²)) ),   p = min(1, 1/Λ)
 *
 * where the mixing distribution is θ ~ N(0, τ²) with τ² = σ²ρ² (σ² the
 * per-customer variance, N the customers on both sides, V = σ²/N). The
 * tuning parameter is GrowthBook's: N* (`tuning`, default 5000), the sample at
 * which the test is sharpest, ρ² = (−2 ln α + ln(1 − 2 ln α)) ÷ N*
 * (GrowthBook "Sequential testing" docs; Howard et al. 2021 confidence
 * sequences). The interval this p-value inverts is exactly GrowthBook's
 * sequential confidence interval, diff ± se · sqrt(2(1+Nρ²)/(Nρ²) · ln(sqrt(1+Nρ²)/α)).
 * A larger N* suits long experiments, a smaller one quick peeks.
 *
 * The p-value is the one at the current look; the always-valid p-value is its
 * running minimum over looks, so reporting the current one is conservative.
 * Under the null it stays below α at ANY look with probability ≤ α
 * (stats.test.ts simulates daily peeking).
 */
import { ALPHA } from './estimate.js';

export const SEQUENTIAL_TUNING = 5000;

const rho2 = (alpha: number, tuning: number) => (-2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha))) / tuning;

/** The mSPRT p-value of a difference with standard error `se` over `customers` customers on both sides; null when undefined. */
export function msprtPValue(diff: number, se: number, customers: number, o: { alpha?: number; tuning?: number } = {}): number | null {
  if (!(se > 0) || !(customers > 0) || !Number.isFinite(diff)) return null;
  const nr = customers * rho2(o.alpha ?? ALPHA, o.tuning ?? SEQUENTIAL_TUNING);
  const z2 = (diff / se) ** 2;
  const logLambda = -0.5 * Math.log1p(nr) + (z2 * nr) / (2 * (1 + nr));
  const p = Math.exp(-logLambda);
  return Number.isFinite(p) ? Math.min(1, p) : logLambda > 0 ? 0 : 1;
}

/** The always-valid (1 − α) interval half-width: GrowthBook's sequential confidence interval. */
export function sequentialHalfWidth(se: number, customers: number, o: { alpha?: number; tuning?: number } = {}): number | null {
  if (!(se > 0) || !(customers > 0)) return null;
  const alpha = o.alpha ?? ALPHA;
  const nr = customers * rho2(alpha, o.tuning ?? SEQUENTIAL_TUNING);
  return se * Math.sqrt(((2 * (1 + nr)) / nr) * Math.log(Math.sqrt(1 + nr) / alpha));
}
