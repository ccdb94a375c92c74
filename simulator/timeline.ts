/**
 * Time as the simulator sees it. Live: the present (optionally faster), the
 * sandbox dates every action itself. Replay: a virtual clock that starts in
 * the past and only moves forward when a customer or agent "waits"; every
 * action carries that time as its `date`, which places its conversation in
 * that past in the sandbox. The sandbox clock is never moved: whoever writes
 * during a replay is dated now.
 */

import { setMaxListeners } from 'node:events';

/**
 * The simulator's stop signal. Every ticket in play sleeps on it (one 'abort' listener each, removed
 * when the sleep ends), so it legitimately carries as many listeners as tickets run at once — up to
 * `concurrent`. Node warns of a leak past 10 (MaxListenersExceededWarning in `npm start`'s output);
 * the cap is raised to what the simulator really uses, so a real leak beyond it still warns.
 */
export function simulatorAbort(concurrent: number): AbortController {
  const abort = new AbortController();
  setMaxListeners(concurrent + 10, abort.signal);
  return abort;
}

/** setTimeout's ceiling (a longer delay fires at once); a longer wait ends early and the caller sleeps again. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Aborted extends Error {
  constructor() {
    super('simulator stopped');
  }
}

export interface Timeline {
  /** Unix seconds to date the next action with (undefined: the present, as the sandbox dates it). */
  stamp(): number | undefined;
  /** Lets `minutes` of simulated time pass. */
  sleep(minutes: number): Promise<void>;
  now(): Date;
}

/** The present; `speed` > 1 makes simulated time run that many times faster (waits shrink, `now` runs ahead). */
export function liveTimeline(signal: AbortSignal, speed: number): Timeline {
  const origin = Date.now();
  return {
    stamp: () => undefined,
    now: () => new Date(origin + (Date.now() - origin) * speed),
    sleep: (minutes) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(new Aborted());
        const timer = setTimeout(
          () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
          Math.min(MAX_TIMER_MS, Math.max(0, (minutes * 60_000) / speed)),
        );
        const onAbort = () => {
          clearTimeout(timer);
          reject(new Aborted());
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

export function replayTimeline(start: Date, signal: AbortSignal): Timeline & { set(t: Date): void } {
  let t = start.getTime();
  return {
    set: (d) => void (t = d.getTime()),
    stamp: () => Math.floor(t / 1000),
    now: () => new Date(t),
    sleep: async (minutes) => {
      if (signal.aborted) throw new Aborted();
      // History never runs ahead of the present: a late ticket's last steps happen "just now".
      t = Math.min(t + minutes * 60_000, Date.now() - 1000);
    },
  };
}
