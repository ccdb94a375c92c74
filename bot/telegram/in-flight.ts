/**
 * The updates of a polling bot between fetch and done (bot/telegram/polling.ts): which are in flight, and the
 * watermark — the highest update id handled to the end together with every update before it, the one that may
 * be confirmed to Telegram and persisted.
 */
import type { Update } from 'grammy/types';

export class InFlight {
  /** Highest update id handed to the sink (or skipped as processed). */
  dispatched: number | undefined;
  private readonly open = new Set<number>();
  private waiters = new Set<() => void>();

  constructor(processed: number | undefined) {
    this.dispatched = processed;
  }

  get size(): number {
    return this.open.size;
  }

  /** Updates not dispatched yet (a fetch repeats those in flight: they are unconfirmed). */
  fresh(updates: Update[]): Update[] {
    const out = updates.filter((u) => this.dispatched === undefined || u.update_id > this.dispatched);
    for (const u of out) this.open.add(u.update_id);
    if (out.length) this.dispatched = out.at(-1)!.update_id;
    return out;
  }

  done(id: number): void {
    this.open.delete(id);
    const w = [...this.waiters];
    this.waiters.clear();
    for (const r of w) r();
  }

  watermark(): number | undefined {
    if (this.open.size === 0) return this.dispatched;
    let min = Infinity;
    for (const id of this.open) if (id < min) min = id;
    return min - 1;
  }

  /**
   * Resolves when the watermark moves past `after` or nothing is in flight (or at once if so already) — or,
   * given `maxWaitMs`, once that long has passed, or when `signal` aborts.
   */
  async advance(after: number | undefined, signal: AbortSignal, maxWaitMs?: number): Promise<void> {
    const moved = () => this.open.size === 0 || signal.aborted || (this.watermark() ?? -1) > (after ?? -1);
    const deadline = maxWaitMs === undefined ? Infinity : Date.now() + maxWaitMs;
    while (!moved() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        // Each wait takes back its listener and timer: the signal lives for one fetch (grammY's runner makes one
        // per supply call), and while a slow update holds the watermark every other update that finishes wakes
        // a wait — each left a listener on the signal until the fetch ended (hundreds under load).
        let timer: NodeJS.Timeout | undefined;
        const finish = () => {
          signal.removeEventListener('abort', finish);
          if (timer) clearTimeout(timer);
          this.waiters.delete(finish);
          resolve();
        };
        this.waiters.add(finish);
        signal.addEventListener('abort', finish, { once: true });
        if (deadline !== Infinity) timer = setTimeout(finish, deadline - Date.now()).unref();
      });
    }
  }
}
