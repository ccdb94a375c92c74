import { afterEach, describe, expect, it } from 'vitest';
import { Aborted, liveTimeline, simulatorAbort } from './timeline.js';

const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
afterEach(() => {
  process.off('warning', onWarning);
  warnings.length = 0;
});

describe('the simulator stop signal', () => {
  it('carries one sleeping listener per ticket in play without a leak warning, and stops them all', async () => {
    process.on('warning', onWarning);
    const abort = simulatorAbort(60);
    const tl = liveTimeline(abort.signal, 1);
    const sleeps = Array.from({ length: 60 }, () => tl.sleep(60));
    await new Promise((r) => setImmediate(r)); // Node emits the warning on the next tick
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    abort.abort();
    const outcomes = await Promise.allSettled(sleeps);
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof Aborted)).toBe(true);
  });

  it('still warns of a real leak beyond the tickets it was made for', async () => {
    process.on('warning', onWarning);
    const abort = simulatorAbort(5);
    const tl = liveTimeline(abort.signal, 1);
    const sleeps = Array.from({ length: 16 }, () => tl.sleep(60));
    await new Promise((r) => setImmediate(r));
    expect(warnings.map((w) => w.name)).toContain('MaxListenersExceededWarning');
    abort.abort();
    await Promise.allSettled(sleeps);
  });
});
