/**
 * The bus contract for batches handed back in hand (core/bus/types.ts BatchInHand), run by the embedded bus's
 * tests and by the Kafka bus's (against the real broker): the next batch comes while one is still being
 * written, offsets are committed only once a batch and every earlier one are written, and a failed write
 * leaves it and everything after it to be delivered again.
 */
import { expect } from 'vitest';
import type { Bus, ConsumedMessage } from '../../core/bus/types.js';
import { waitFor } from '../../ingest/test-support.js';

interface Held {
  values: string[];
  write(): void;
  fail(): void;
}

export async function checkBatchesInHand(bus: Bus, topic: string, group: string): Promise<void> {
  await bus.ensureTopics([{ name: topic, partitions: 1 }]);
  const producer = await bus.producer();
  let sent = 0;
  const send = async (n: number) => {
    await producer.send(
      topic,
      Array.from({ length: n }, () => ({ key: 'ticket-1', value: String(sent++) })),
    );
  };
  const held: Held[] = [];
  const seen = () => held.flatMap((h) => h.values);
  const lag = async (c: { lag(): Promise<{ lag: number }[]> }) => (await c.lag()).reduce((s, l) => s + l.lag, 0);

  const first = await bus.consumer(group);
  await first.run({
    topics: [topic],
    eachBatch: async (batch) => {
      let write!: () => void;
      let fail!: () => void;
      const written = new Promise<void>((resolve, reject) => {
        write = resolve;
        fail = () => reject(new Error('insert failed (test)'));
      });
      held.push({ values: batch.messages.map((m: ConsumedMessage) => m.value!.toString()), write, fail });
      return { written };
    },
  });

  // Three batches handed out while the first is still being written: the bus does not wait for the write.
  for (let round = 1; round <= 3; round++) {
    await send(10);
    await waitFor(() => seen().length === round * 10, 30_000, 25);
  }
  expect(seen()).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
  // Later batches written first: nothing may be committed past the unwritten first one.
  for (const h of held.slice(1)) h.write();
  await new Promise((r) => setTimeout(r, 300));
  expect(await lag(first)).toBe(30);
  held[0]!.write();
  await waitFor(async () => (await lag(first)) === 0, 30_000, 25);

  // A failed write: neither it nor the written batch after it is committed.
  const before = held.length;
  await send(10);
  await waitFor(() => seen().length === 40, 30_000, 25);
  held[before]!.fail();
  await send(5);
  await waitFor(() => seen().length === 45, 30_000, 25);
  for (const h of held.slice(before + 1)) h.write();
  await new Promise((r) => setTimeout(r, 300));
  expect(await lag(first)).toBe(15);
  await first.stop();

  // A restart delivers both again, from the failed batch on.
  const again: string[] = [];
  const second = await bus.consumer(group);
  await second.run({ topics: [topic], eachBatch: async (b) => void again.push(...b.messages.map((m) => m.value!.toString())) });
  await waitFor(() => again.length >= 15, 30_000, 25);
  expect(again).toEqual(Array.from({ length: 15 }, (_, i) => String(30 + i)));
  await waitFor(async () => (await lag(second)) === 0, 30_000, 25);
  await second.stop();
  await producer.close();
}
