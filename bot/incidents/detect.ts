/**
 * One detection step over the store, as the desk runs it for every new ticket key (bot/features/incidents) and
 * the benchmark measures it (bench/incident-detector): nothing when a key of the ticket is handled already (a
 * spike waiting, an open incident, a dismissal within the window); else the first of its fresh keys whose
 * window is a spike, with the assessment.
 */
import { assess, plan, type Assessment, type DetectorConfig } from './detector.js';
import type { IncidentStore } from './store.js';

export async function detectSpike(
  store: IncidentStore,
  keys: readonly string[],
  fresh: readonly string[],
  now: Date,
  cfg: DetectorConfig,
): Promise<{ key: string; assessment: Assessment } | undefined> {
  if (await store.handled(keys, new Date(now.getTime() - cfg.windowSeconds * 1000))) return undefined;
  const start = (await store.historyStart()) ?? now;
  const p = plan(now, cfg);
  for (const key of fresh) {
    const a = assess(await store.counts(key, p, start), cfg);
    if (a.spike) return { key, assessment: a };
  }
  return undefined;
}
