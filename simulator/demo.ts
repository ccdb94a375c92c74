/**
 * The demo traffic of `npm start` without BOT_TOKEN: the simulator, the
 * start-up lines that say what it is doing, and the daily digest, started
 * only once the replayed history is in — before, it would report an empty
 * yesterday ("No tickets yesterday") that the replay is about to fill.
 */
import type { Logger } from '../core/log.js';
import { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js';

export interface DemoTrafficOptions extends SimulatorOptions {
  log: Pick<Logger, 'info'>;
  /** Starts what reports on past days (the daily digest); called once the history is ready, or at once without a replay. */
  startDigest: () => void;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function startDemoTraffic({ log, startDigest, ...options }: DemoTrafficOptions): Simulator {
  const sim = startSimulator(options);
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
