/** The ClickHouse sink on a real chDB: the dedup token really drops a retried block. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type ClickHouse } from '../core/clickhouse.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { deadLetterRow } from './decode.js';
import { createSink } from './sink.js';
import { makeEvents, openTestClickHouse } from './test-support.js';

const tmp = tmpDataDir('desk-sink-');
let ch: ClickHouse;
beforeAll(async () => {
  ch = await openTestClickHouse(tmp.dir);
});
afterAll(async () => {
  await ch?.close();
  tmp.cleanup();
});

const rawCount = async (ids: string[]) =>
  Number((await queryRows<{ n: string }>(ch, `SELECT count() AS n FROM events WHERE event_id IN (${ids.map((i) => `'${i}'`).join(',')})`))[0]!.n);

describe('ClickHouse sink', () => {
  it('writes a retried block (same ranges → same token) once, a different block again', async () => {
    const sink = createSink(ch, { retryMaxMs: 100, keepTrying: () => false });
    const events = makeEvents(500);
    const ids = events.map((e) => e.event_id);
    const chunk = { origin: { source: 'kafka', topic: 'sink-t', partition: 0, first: '0', last: '499' }, rows: events, dead: [] };
    await sink.write([chunk]);
    await sink.write([chunk]);
    expect(await rawCount(ids)).toBe(500); // without FINAL: the second block never reached the table

    // Redelivered differently cut (after a crash): the token differs, the rows land again,
    // and ReplacingMergeTree(event_id) is what makes them count once.
    await sink.write([{ ...chunk, origin: { ...chunk.origin, last: '500' } }]);
    expect(await rawCount(ids)).toBe(1_000);
    const [final] = await queryRows<{ n: string }>(ch, `SELECT count() AS n FROM events FINAL WHERE event_id IN (${ids.map((i) => `'${i}'`).join(',')})`);
    expect(Number(final!.n)).toBe(500);
  });

  it('writes dead letters beside the events', async () => {
    const sink = createSink(ch, { retryMaxMs: 100, keepTrying: () => false });
    await sink.write([
      {
        origin: { source: 'import', topic: 'file:abc', partition: 0, first: '1', last: '3' },
        rows: makeEvents(2),
        dead: [deadLetterRow('import', 'file:abc', 0, 2, 'malformed_json', 'Unexpected token', '{oops')],
      },
    ]);
    const rows = await queryRows<{ reason: string; payload: string; offset: number }>(ch, "SELECT reason, payload, offset FROM dead_letters WHERE topic = 'file:abc'");
    expect(rows).toEqual([{ reason: 'malformed_json', payload: '{oops', offset: 2 }]);
  });
});
