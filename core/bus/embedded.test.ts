import { appendFileSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBatchesInHand } from '../../test/helpers/bus-in-hand.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { createEmbeddedBus, partitionForKey } from './embedded.js';
import type { Bus, ConsumedMessage } from './types.js';

const tmp = tmpDataDir('desk-bus-');
afterAll(() => tmp.cleanup());

let n = 0;
const freshDir = () => join(tmp.dir, `bus-${++n}`);

/** Runs a consumer until `until` returns true for everything it saw. */
async function consumeUntil(
  bus: Bus,
  group: string,
  topic: string,
  until: (seen: ConsumedMessage[]) => boolean,
  onBatch?: (b: ConsumedMessage[]) => Promise<void>,
) {
  const seen: ConsumedMessage[] = [];
  const c = await bus.consumer(group);
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await c.run({
    topics: [topic],
    eachBatch: async (batch) => {
      await onBatch?.(batch.messages);
      seen.push(...batch.messages);
      if (until(seen)) done();
    },
  });
  await finished;
  await c.stop();
  return seen;
}

describe('embedded bus', () => {
  it('delivers every message once per group, keeps a key on one partition, in order', async () => {
    const bus = createEmbeddedBus({ dir: freshDir(), defaultPartitions: 4 });
    await bus.ensureTopics([{ name: 't', partitions: 4 }]);
    const p = await bus.producer();
    for (let i = 0; i < 50; i++) await p.send('t', [{ key: `ticket-${i % 5}`, value: String(i), headers: { n: String(i) } }]);
    const seen = await consumeUntil(bus, 'g', 't', (s) => s.length >= 50);
    expect(seen).toHaveLength(50);
    for (let k = 0; k < 5; k++) {
      const mine = seen.filter((m) => m.key?.toString() === `ticket-${k}`);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      expect(mine[0]!.partition).toBe(partitionForKey(`ticket-${k}`, 4));
      expect(mine.map((m) => Number(m.value!.toString()))).toEqual([...mine.map((m) => Number(m.value!.toString()))].sort((a, b) => a - b));
      expect(mine.every((m) => m.headers.n === m.value!.toString())).toBe(true);
    }
    await bus.close();
  });

  it('resumes from committed offsets after reopening, and redelivers an uncommitted batch', async () => {
    const dir = freshDir();
    let bus = createEmbeddedBus({ dir, defaultPartitions: 1 });
    const p = await bus.producer();
    await p.send(
      't',
      Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: `a${i}` })),
    );
    const first = await consumeUntil(bus, 'g', 't', (s) => s.length >= 10);
    expect(first.map((m) => m.value!.toString())).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
    await bus.close();

    // Reopen: the committed 10 are not seen again, new ones are.
    bus = createEmbeddedBus({ dir, defaultPartitions: 1 });
    await (await bus.producer()).send('t', [{ key: 'k', value: 'b0' }]);
    // A consumer that "crashes" (throws) on the batch commits nothing: the batch comes again.
    let failures = 0;
    const second = await consumeUntil(
      bus,
      'g',
      't',
      (s) => s.length >= 1,
      async () => {
        if (failures++ === 0) throw new Error('simulated ClickHouse outage');
      },
    );
    expect(failures).toBe(2);
    expect(second.map((m) => `${m.offset}:${m.value!.toString()}`)).toEqual(['10:b0']);
    await bus.close();

    // A handler that never returns (process killed mid-batch) commits nothing.
    bus = createEmbeddedBus({ dir, defaultPartitions: 1 });
    await (await bus.producer()).send('t', [{ key: 'k', value: 'c0' }]);
    const c = await bus.consumer('g');
    let got = '';
    let release!: () => void;
    await c.run({
      topics: ['t'],
      eachBatch: async (b) => {
        got = b.messages.map((m) => m.value!.toString()).join();
        await new Promise<void>((r) => (release = r));
        throw new Error('killed');
      },
    });
    await expect.poll(() => got).toBe('c0');
    release();
    await c.stop();
    await bus.close();
    bus = createEmbeddedBus({ dir, defaultPartitions: 1 });
    const again = await consumeUntil(bus, 'g', 't', (s) => s.length >= 1);
    expect(again.map((m) => m.value!.toString())).toEqual(['c0']);
    await bus.close();
  });

  it('drops a torn record at the tail on open and keeps everything before it', async () => {
    const dir = freshDir();
    let bus = createEmbeddedBus({ dir, defaultPartitions: 1 });
    await (await bus.producer()).send('t', [
      { key: null, value: 'one' },
      { key: null, value: 'two' },
    ]);
    await bus.close();
    const file = join(dir, 'topics', 't', '0', '00000000000000000000.log');
    const before = statSync(file).size;
    appendFileSync(file, Buffer.from([40, 0, 0, 0, 1, 2, 3])); // a length header whose body never made it
    bus = createEmbeddedBus({ dir, defaultPartitions: 1 });
    await (await bus.producer()).send('t', [{ key: null, value: 'three' }]);
    const seen = await consumeUntil(bus, 'g', 't', (s) => s.length >= 3);
    expect(seen.map((m) => m.value!.toString())).toEqual(['one', 'two', 'three']);
    expect(statSync(file).size).toBeGreaterThan(before);
    await bus.close();
  });

  /** Base offsets of a partition's segment files, oldest first. */
  const segmentBases = (dir: string, topic: string, p: number) =>
    readdirSync(join(dir, 'topics', topic, String(p)))
      .filter((f) => f.endsWith('.log'))
      .map((f) => Number(f.slice(0, -4)))
      .sort((a, b) => a - b);

  it('rolls segments, reads across them in order, deletes what was consumed and keeps offsets across reopening', async () => {
    const dir = freshDir();
    let bus = createEmbeddedBus({ dir, defaultPartitions: 1, segmentBytes: 100 });
    const p = await bus.producer();
    for (let i = 0; i < 30; i++) await p.send('t', [{ key: 'k', value: `m${String(i).padStart(2, '0')}` }]);
    const before = segmentBases(dir, 't', 0);
    expect(before.length).toBeGreaterThan(3);
    const seen = await consumeUntil(bus, 'g', 't', (s) => s.length >= 30);
    expect(seen.map((m) => `${m.offset}:${m.value!.toString()}`)).toEqual(Array.from({ length: 30 }, (_, i) => `${i}:m${String(i).padStart(2, '0')}`));
    // everything before the segment being written is consumed, so only that one is left
    expect(segmentBases(dir, 't', 0)).toEqual([before.at(-1)]);
    await bus.close();

    bus = createEmbeddedBus({ dir, defaultPartitions: 1, segmentBytes: 100 });
    await (await bus.producer()).send('t', [{ key: 'k', value: 'after' }]);
    const next = await consumeUntil(bus, 'g', 't', (s) => s.length >= 1);
    expect(next.map((m) => `${m.offset}:${m.value!.toString()}`)).toEqual(['30:after']);
    await bus.close();
  });

  it('keeps what a group still needs; a group that comes later starts at the oldest record kept', async () => {
    const dir = freshDir();
    const bus = createEmbeddedBus({ dir, defaultPartitions: 1, segmentBytes: 100 });
    const p = await bus.producer();
    for (let i = 0; i < 30; i++) await p.send('t', [{ key: 'k', value: `m${i}` }]);
    const closed = segmentBases(dir, 't', 0).slice(0, -1);

    // a running consumer that has committed nothing yet holds every segment
    const busy = await bus.consumer('busy');
    let release!: () => void;
    await busy.run({ topics: ['t'], eachBatch: () => new Promise<void>((_, reject) => (release = () => reject(new Error('stopped')))) });
    expect(await consumeUntil(bus, 'fast', 't', (s) => s.length >= 30)).toHaveLength(30);
    expect(segmentBases(dir, 't', 0).slice(0, -1)).toEqual(closed);
    release();
    await busy.stop();
    rmSync(join(dir, 'groups', 'busy.json'), { force: true });

    // "slow" reads one batch (a batch never spans segments): only the segments before its offset may go
    const slow = await consumeUntil(bus, 'slow', 't', (s) => s.length > 0);
    const slowNext = Number(slow.at(-1)!.offset) + 1;
    expect(slowNext).toBeLessThan(30);
    expect(segmentBases(dir, 't', 0)[0]).toBeLessThanOrEqual(slowNext);
    const rest = await consumeUntil(bus, 'slow', 't', (s) => s.length >= 30 - slowNext);
    expect(rest.map((m) => Number(m.offset))).toEqual(Array.from({ length: 30 - slowNext }, (_, i) => slowNext + i));

    // every group is past every closed segment: they are gone, and a new group starts where the log starts
    expect(segmentBases(dir, 't', 0)).toEqual([closed.length * 5]);
    const late = await consumeUntil(bus, 'late', 't', (s) => s.length > 0);
    expect(Number(late[0]!.offset)).toBe(closed.length * 5);
    await bus.close();
  });

  it('opens a partition log written before segments existed', async () => {
    const dir = freshDir();
    let bus = createEmbeddedBus({ dir, defaultPartitions: 1 });
    await (await bus.producer()).send('t', [
      { key: null, value: 'old-1' },
      { key: null, value: 'old-2' },
    ]);
    await bus.close();
    // the earlier layout: DIR/topics/<topic>/<p>.log
    renameSync(join(dir, 'topics', 't', '0', '00000000000000000000.log'), join(dir, 'topics', 't', '0.log'));
    rmdirSync(join(dir, 'topics', 't', '0'));
    bus = createEmbeddedBus({ dir, defaultPartitions: 1 });
    await (await bus.producer()).send('t', [{ key: null, value: 'new' }]);
    const seen = await consumeUntil(bus, 'g', 't', (s) => s.length >= 3);
    expect(seen.map((m) => `${m.offset}:${m.value!.toString()}`)).toEqual(['0:old-1', '1:old-2', '2:new']);
    expect(readdirSync(join(dir, 'topics', 't'))).not.toContain('0.log');
    await bus.close();
  });

  it('wakes a waiting consumer when a message arrives, and reports lag', async () => {
    const bus = createEmbeddedBus({ dir: freshDir(), defaultPartitions: 2 });
    await bus.ensureTopics([{ name: 't', partitions: 2 }]);
    const c = await bus.consumer('g');
    const got: string[] = [];
    await c.run({ topics: ['t'], eachBatch: async (b) => void got.push(...b.messages.map((m) => m.value!.toString())) });
    const p = await bus.producer();
    await p.send('t', [{ key: 'x', value: 'late' }]);
    await expect.poll(() => got).toEqual(['late']);
    c.pause();
    await p.send('t', [{ key: 'x', value: 'paused' }]);
    await expect.poll(async () => (await c.lag()).reduce((s, l) => s + l.lag, 0)).toBe(1);
    expect(got).toEqual(['late']);
    c.resume();
    await expect.poll(() => got).toEqual(['late', 'paused']);
    expect((await c.lag()).every((l) => l.lag === 0)).toBe(true);
    await c.stop();
    await bus.close();
  });

  it('hands out the next batches while one is in hand, commits in offset order once written, redelivers from a failed write', async () => {
    const bus = createEmbeddedBus({ dir: freshDir(), defaultPartitions: 1 });
    await checkBatchesInHand(bus, 'in-hand', 'g');
    await bus.close();
  });

  it('refuses a second process on the same directory and a bad topic name', async () => {
    const dir = freshDir();
    const bus = createEmbeddedBus({ dir, defaultPartitions: 1 });
    await expect((await bus.producer()).send('../evil', [{ key: null, value: 'x' }])).rejects.toThrow(/invalid topic name/);
    await bus.close();
    expect(readdirSync(dir)).not.toContain('LOCK');
    // Another live process (our parent, the vitest runner) holds the lock.
    writeFileSync(join(dir, 'LOCK'), String(process.ppid));
    expect(() => createEmbeddedBus({ dir, defaultPartitions: 1 })).toThrow(/used by process/);
  });
});
