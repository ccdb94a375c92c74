import { getEventListeners } from 'node:events';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.js';

const updates = (...ids: number[]) => ids.map((update_id) => ({ update_id }) as Update);

describe('updates in flight', () => {
  it('the watermark is the highest update done together with every one before it; a refetch is not fresh', () => {
    const f = new InFlight(10);
    expect(f.fresh(updates(9, 10, 11, 12, 13)).map((u) => u.update_id)).toEqual([11, 12, 13]);
    expect(f.watermark()).toBe(10);
    f.done(12);
    expect(f.watermark()).toBe(10);
    f.done(11);
    expect(f.watermark()).toBe(12);
    expect(f.fresh(updates(13, 14)).map((u) => u.update_id)).toEqual([14]);
    f.done(13);
    f.done(14);
    expect(f.watermark()).toBe(14);
    expect(f.size).toBe(0);
  });

  it('a wait ends when the watermark moves, when its time is up, or on abort', async () => {
    const f = new InFlight(0);
    f.fresh(updates(1, 2));
    const never = new AbortController().signal;
    const moved = f.advance(0, never);
    f.done(2); // not the oldest: the watermark stays
    let settled = false;
    void moved.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    f.done(1);
    await moved;
    expect(f.watermark()).toBe(2);

    f.fresh(updates(3));
    const t0 = Date.now();
    await f.advance(2, never, 30);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    const ac = new AbortController();
    const aborted = f.advance(2, ac.signal);
    ac.abort();
    await aborted;
    expect(f.watermark()).toBe(2);
  });

  it("leaves no listener on the fetch's signal and no timer behind, however many waits it served", async () => {
    const f = new InFlight(0);
    const polling = new AbortController();
    for (let i = 1; i <= 500; i++) {
      const [a, b] = [2 * i - 1, 2 * i];
      f.fresh(updates(a, b));
      const waiting = f.advance(a - 1, polling.signal, 60_000);
      f.done(a);
      await waiting;
      f.done(b);
    }
    // Before: one abort listener per wait stayed on the signal until the fetch ended (500 here).
    expect(getEventListeners(polling.signal, 'abort')).toHaveLength(0);
    // A timed-out wait takes back its waiter too.
    f.fresh(updates(1001));
    await f.advance(1000, polling.signal, 5);
    expect(getEventListeners(polling.signal, 'abort')).toHaveLength(0);
    expect((f as unknown as { waiters: Set<unknown> }).waiters.size).toBe(0);
  });
});
