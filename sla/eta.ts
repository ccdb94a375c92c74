/**
 * The ETA told in the receipt ("we usually answer within …"). Pure.
 *
 * Start from how fast the queue has actually answered lately (the median of
 * recent first responses; the SLA target while there are too few), then add
 * the wait the tickets ahead cause: each agent works on a few tickets at once,
 * so every `PARALLEL_PER_AGENT` waiting tickets per active agent add one more
 * typical response time. The result never promises less than a minute and
 * never more than the SLA target unless the queue is really slower than that.
 *
 * What the customer is told (`etaPromise`) is that estimate rounded up to a
 * figure people say — but never rounded past the target: "within 11 min" for a
 * 10-minute SLA reads as a promise already broken. When the queue really is
 * slower than its target the promise says so (`overTarget`): the customer gets
 * an honest "we are busier than usual" and the team leads an alert.
 */

export interface EtaInput {
  /** The queue's first-response target, seconds. */
  targetSeconds: number;
  /** Tickets in the queue still waiting for their first response (not counting the new one). */
  waitingAhead: number;
  /** First-response times of recently answered tickets of the queue, seconds (any order). */
  recentFirstResponses: readonly number[];
  /** Agents who answered in the queue lately; at least one is assumed. */
  activeAgents?: number;
}

export const MIN_SAMPLES = 3;
export const PARALLEL_PER_AGENT = 4;
const MIN_ETA_SECONDS = 60;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Estimated business seconds until the first response. */
export function estimateEtaSeconds(input: EtaInput): number {
  const samples = input.recentFirstResponses.filter((s) => Number.isFinite(s) && s >= 0);
  const typical = samples.length >= MIN_SAMPLES ? median(samples) : input.targetSeconds;
  const agents = Math.max(1, input.activeAgents ?? 1);
  const queueFactor = 1 + Math.max(0, input.waitingAhead) / (agents * PARALLEL_PER_AGENT);
  const raw = typical * queueFactor;
  // Honest upper bound: the target, unless the recent history says we are slower.
  const ceiling = Math.max(input.targetSeconds, samples.length >= MIN_SAMPLES ? raw : 0);
  return Math.max(MIN_ETA_SECONDS, Math.round(Math.min(raw, ceiling)));
}

/** Rounds up to a figure people say: whole minutes below 15 min, 5 min below 1 h, 15 min below 4 h, whole hours after. */
export function roundEtaSeconds(seconds: number): number {
  const steps = [
    [15 * 60, 60],
    [3600, 5 * 60],
    [4 * 3600, 15 * 60],
    [Infinity, 3600],
  ] as const;
  for (const [limit, step] of steps) if (seconds <= limit) return Math.ceil(seconds / step) * step;
  return seconds;
}

export interface EtaPromise {
  /** Seconds to tell the customer: the estimate rounded up to a figure people say, capped at the target while within it. */
  seconds: number;
  /** The queue is slower than its first-response target: say so, and count it (the QueueEtaAboveTarget alert). */
  overTarget: boolean;
}

export function etaPromise(estimateSeconds: number, targetSeconds: number): EtaPromise {
  const overTarget = estimateSeconds > targetSeconds;
  const rounded = roundEtaSeconds(estimateSeconds);
  return { seconds: overTarget ? rounded : Math.min(rounded, targetSeconds), overTarget };
}
