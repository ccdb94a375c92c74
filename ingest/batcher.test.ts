import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

type Part = { id: string; n: number };

function recorder(opts: { maxItems: number; maxItemsBehind?: number; maxWaitMs: number; fail?: (parts: Part[]) => boolean }) {
  const flushes: string[][] = [];
  let release: (() => void) | undefined;
  let hold = false;
  const b = new Batcher<Part>({
    maxItems: opts.maxItems,
    ...(opts.maxItemsBehind ? { maxItemsBehind: opts.maxItemsBehind } : {}),
    maxWaitMs: opts.maxWaitMs,
    sizeOf: (p) => p.n,
    flush: async (parts) => {
      flushes.push(parts.map((p) => p.id));
      if (hold) await new Promise<void>((r) => (release = r));
      if (opts.fail?.(parts)) throw new Error('insert failed');
    },
  });
  return { b, flushes, holdNext: () => (hold = true), release: () => ((hold = false), release?.()) };
}

describe('Batcher', () => {
  it('flushes as soon as a batch is full, whole parts only', async () => {
    const { b, flushes } = recorder({ maxItems: 10, maxWaitMs: 60_000 });
    const a = b.add({ id: 'a', n: 4 });
    const c = b.add({ id: 'c', n: 4 });
    expect(flushes).toEqual([]);
    const d = b.add({ id: 'd', n: 4 }); // 12 ≥ 10: a+c (8) go now, d waits for the next batch
    await Promise.all([a, c]);
    expect(flushes).toEqual([['a', 'c']]);
    expect(b.buffered).toBe(4);
    await b.drain();
    await d;
    expect(flushes).toEqual([['a', 'c'], ['d']]);
    expect(b.buffered).toBe(0);
  });

  it('flushes a partial batch when its first part has waited maxWaitMs', async () => {
    const { b, flushes } = recorder({ maxItems: 1_000, maxWaitMs: 20 });
    await Promise.all([b.add({ id: 'x', n: 1 }), b.add({ id: 'y', n: 1 })]);
    expect(flushes).toEqual([['x', 'y']]);
  });

  it('runs one flush at a time and gathers what arrived meanwhile into the next', async () => {
    const r = recorder({ maxItems: 2, maxWaitMs: 60_000 });
    r.holdNext();
    const first = r.b.add({ id: '1', n: 2 });
    await new Promise((res) => setImmediate(res));
    const later = [r.b.add({ id: '2', n: 1 }), r.b.add({ id: '3', n: 1 })];
    expect(r.flushes).toEqual([['1']]); // 2+3 are due but wait for the flush in flight
    expect(r.b.buffered).toBe(4);
    r.release();
    await Promise.all([first, ...later]);
    expect(r.flushes).toEqual([['1'], ['2', '3']]);
  });

  it('rejects every part of a failed flush and keeps going', async () => {
    const { b, flushes } = recorder({ maxItems: 2, maxWaitMs: 60_000, fail: (parts) => parts.some((p) => p.id === 'bad') });
    const bad = b.add({ id: 'bad', n: 1 });
    const mate = b.add({ id: 'mate', n: 1 });
    await expect(bad).rejects.toThrow('insert failed');
    await expect(mate).rejects.toThrow('insert failed');
    await expect(b.add({ id: 'ok', n: 2 })).resolves.toBeUndefined();
    expect(flushes).toEqual([['bad', 'mate'], ['ok']]);
  });

  it('while behind, takes bigger batches (up to maxItemsBehind, or what came within maxWaitMs); the usual size when keeping up', async () => {
    const r = recorder({ maxItems: 2, maxItemsBehind: 5, maxWaitMs: 30 });
    r.holdNext();
    const first = r.b.add({ id: '1', n: 2 });
    await new Promise((res) => setImmediate(res));
    // behind: 7 wait while the first insert runs → the next takes 5 (whole parts), the rest waits for more or the timer
    const later = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => r.b.add({ id, n: 1 }));
    r.release();
    await Promise.all(later.slice(0, 5));
    expect(r.flushes).toEqual([['1'], ['a', 'b', 'c', 'd', 'e']]);
    // still behind: f+g (2 = maxItems) are not a batch yet; three more make 5, written at once
    const more = ['h', 'i', 'j'].map((id) => r.b.add({ id, n: 1 }));
    await Promise.all([first, ...later, ...more]);
    expect(r.flushes).toEqual([['1'], ['a', 'b', 'c', 'd', 'e'], ['f', 'g', 'h', 'i', 'j']]);
    // two more: not a backlog batch, written when maxWaitMs passed; no more than maxItems waited, so it is keeping up again
    await Promise.all([r.b.add({ id: 'x', n: 1 }), r.b.add({ id: 'y', n: 1 })]);
    expect(r.flushes.at(-1)).toEqual(['x', 'y']);
  });

  it('while behind, writes a smaller batch when maxWaitMs passes', async () => {
    const r = recorder({ maxItems: 2, maxItemsBehind: 100, maxWaitMs: 20 });
    r.holdNext();
    const first = r.b.add({ id: '1', n: 2 });
    await new Promise((res) => setImmediate(res));
    const later = ['a', 'b', 'c'].map((id) => r.b.add({ id, n: 1 }));
    r.release();
    await Promise.all([first, ...later]);
    expect(r.flushes).toEqual([['1'], ['a', 'b', 'c']]);
  });
});
