/**
 * When new customers write: a Poisson process whose rate follows the desk's
 * day (model.ts — `perDay` tickets on an average weekday, shaped by the
 * hour-of-day and weekday curves). The replay and live traffic draw from this
 * one model, so the live hours continue the replayed days instead of standing
 * out of every chart.
 */
import { PEAK_LOAD, loadFactor } from './model.js';
import type { Rng } from './random.js';

const MINUTE = 60_000;

/** New tickets per hour at `t` for a desk with `perDay` tickets on an average weekday. */
export function arrivalsPerHour(perDay: number, t: Date): number {
  return (perDay / 24) * loadFactor(t);
}

/**
 * The first arrival after `afterMs` (epoch ms). Thinning: candidates come at
 * the peak rate and each is kept in proportion to the rate at its time, which
 * is exact for a rate that changes by the hour.
 */
export function nextArrival(rng: Rng, perDay: number, afterMs: number): number {
  const peakPerMinute = (perDay / 1440) * PEAK_LOAD;
  if (!(peakPerMinute > 0)) return Infinity;
  for (let t = afterMs; ; ) {
    t += rng.exponential(1 / peakPerMinute) * MINUTE;
    if (rng.chance(loadFactor(new Date(t)) / PEAK_LOAD)) return t;
  }
}

/** Every arrival in [fromMs, toMs), oldest first. */
export function arrivalsBetween(rng: Rng, perDay: number, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let t = nextArrival(rng, perDay, fromMs); t < toMs; t = nextArrival(rng, perDay, t)) out.push(t);
  return out;
}
