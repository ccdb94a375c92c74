/**
 * Time as the simulator sees it. Live: real time (optionally faster), the
 * sandbox stamps messages itself. Replay: a virtual clock that starts in the
 * past and only moves forward when a customer or agent "waits"; every message
 * carries that time as its Telegram `date`, and the sandbox clock is moved
 * along so the bot's own messages carry consistent dates too.
 */
import type { SandboxClient } from '../../sandbox/client.js';

export class Aborted extends Error {
  constructor() {
    super('simulator stopped');
  }
}

export interface Timeline {
  /** Unix seconds to stamp on the next message (undefined: the sandbox's now). */
  stamp(): number | undefined;
  /** Lets `minutes` of simulated time pass. */
  sleep(minutes: number): Promise<void>;
  /** Brings the sandbox clock to this timeline before an action the bot will answer. */
  sync(): Promise<void>;
  now(): Date;
}

export function liveTimeline(signal: AbortSignal, speed: number): Timeline {
  return {
    stamp: () => undefined,
    now: () => new Date(),
    sync: async () => undefined,
    sleep: (minutes) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(new Aborted());
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, (minutes * 60_000) / speed);
        const onAbort = () => {
          clearTimeout(timer);
          reject(new Aborted());
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

export function replayTimeline(client: SandboxClient, start: Date, signal: AbortSignal): Timeline & { set(t: Date): void } {
  let t = start.getTime();
  return {
    set: (d) => void (t = d.getTime()),
    stamp: () => Math.floor(t / 1000),
    now: () => new Date(t),
    sync: async () => {
      if (signal.aborted) throw new Aborted();
      await client.setClock({ unix: Math.floor(t / 1000) });
    },
    sleep: async (minutes) => {
      if (signal.aborted) throw new Aborted();
      // History never runs ahead of the present: a late ticket's last steps happen "just now".
      t = Math.min(t + minutes * 60_000, Date.now() - 1000);
    },
  };
}
