/**
 * The demo traffic of `npm start` without BOT_TOKEN: the simulator, the
 * start-up lines that say what it is doing, and the daily digest, started
 * only once the replayed history is in — before, it would report an empty
 * yesterday ("No tickets yesterday") that the replay is about to fill.
 */
import type { Logger } from '../core/log.js';
import { SandboxClient } from '../sandbox/client.js';
import { EFFECT_SURFACES, type EffectSurface, type ExperimentEffect } from './journey.js';
import { startOutages, type OutageOptions, type OutageStats } from './outage.js';
import { Rng } from './random.js';
import { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js';
import { liveTimeline } from './timeline.js';

export interface DemoTrafficOptions extends SimulatorOptions {
  log: Pick<Logger, 'info'>;
  /** Starts what reports on past days (the daily digest); called once the history is ready, or at once without a replay. */
  startDigest: () => void;
  /** Live: an outage now and then (simulator/outage.ts); default DEMO_OUTAGES, null: none. */
  outages?: OutageOptions | null;
}

/** What the demo needs of an experiment file (analytics/experiments/definition.ts ExperimentDefinition). */
export interface DemoExperiment {
  key: string;
  surface: string;
  status: string;
  variants: readonly { name: string }[];
}

/**
 * The demo's real effect: played on the running experiment whose surface the simulator can read (journey.ts
 * EFFECT_SURFACES; the first such file), for its first variant after the control, with `lift`
 * (SIMULATE_EXPERIMENT_EFFECT / 100). None when no such experiment runs or the lift is 0.
 */
export function demoEffect(experiments: readonly DemoExperiment[], lift: number): (ExperimentEffect & { key: string }) | undefined {
  const on = experiments.find((e) => e.status === 'running' && (EFFECT_SURFACES as readonly string[]).includes(e.surface) && e.variants.length > 1);
  if (!on || !(lift > 0)) return undefined;
  return { key: on.key, surface: on.surface as EffectSurface, variant: on.variants[1]!.name, lift };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The demo's outages (simulator/outage.ts): the first 20 minutes in, then about every 4 hours. */
export const DEMO_OUTAGES = { everyMinutes: 240, firstAfterMinutes: 20 } as const;

export function startDemoTraffic({ log, startDigest, outages = DEMO_OUTAGES, ...options }: DemoTrafficOptions): Simulator & { outages?: OutageStats } {
  const sim: Simulator & { outages?: OutageStats } = startSimulator(options);
  // Outages beside the regular traffic, live only: a burst in one category, confirmed and resolved by a team lead.
  if (outages && options.live !== false) {
    const abort = new AbortController();
    const run = startOutages({
      client: new SandboxClient(options.sandboxUrl),
      rng: new Rng((options.seed ?? Date.now()) ^ 0x27d4eb2d),
      tl: liveTimeline(abort.signal, options.speed ?? 1),
      waitMs: options.waitMs ?? 120_000,
      signal: abort.signal,
      options: outages,
    });
    sim.outages = run.stats;
    const stop = sim.stop.bind(sim);
    sim.stop = async () => {
      abort.abort();
      await Promise.all([stop(), run.done]);
    };
    log.info(`outages: the first ${outages.firstAfterMinutes ?? 'some'} minutes in, then about every ${outages.everyMinutes} minutes`);
  }
  const h = sim.history;
  if (h)
    log.info(
      `replaying ${plural(h.days, 'day')} of demo history (${plural(h.tickets, 'ticket')}) in the background; live traffic is already on — what you send now is dated now`,
    );
  log.info('simulator playing customers and agents (SIMULATE=0 turns it off)');
  void sim.replayed.then((end) => {
    if (end === 'stopped') return;
    if (h && end === 'replayed') log.info(`demo history ready: ${plural(h.days, 'day')}, ${plural(h.tickets, 'ticket')} — the dashboard shows them now`);
    startDigest();
  });
  return sim;
}
