/** The ClickHouse sink on a real chDB: the dedup token really drops a retried block. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type ClickHouse } from '../core/clickhouse.js';
import type { SupportEvent } from '../schemas/events.js';
import { makeEvent } from '../schemas/validate.js';
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
    const rows = await queryRows<{ reason: string; payload: string; offset: number }>(
      ch,
      "SELECT reason, payload, offset FROM dead_letters WHERE topic = 'file:abc'",
    );
    expect(rows).toEqual([{ reason: 'malformed_json', payload: '{oops', offset: 2 }]);
  });

  it("writes agents' display names to staff, not to events, once per retried block, the latest name winning", async () => {
    const sink = createSink(ch, { retryMaxMs: 100, keepTrying: () => false });
    const named = (display_name: string, occurred_at: string) =>
      makeEvent<'staff_updated'>({ type: 'staff_updated', agent_id: 504, display_name, occurred_at });
    // as the ingest writes them: the validated payloads as they came; the first block is written twice (a retry)
    const chunk = (first: number, rows: SupportEvent[]) => ({
      origin: { source: 'kafka', topic: 'sink-staff', partition: 0, first: String(first), last: String(first + rows.length - 1) },
      rows,
      raw: rows.map((e) => Buffer.from(JSON.stringify(e))),
      dead: [],
    });
    const first = chunk(0, [named('Anna K.', '2026-03-01T10:00:00.000Z'), ...makeEvents(3)]);
    await sink.write([first]);
    await sink.write([first]);
    await sink.write([chunk(4, [named('Anna B.', '2026-03-02T10:00:00.000Z')])]);
    expect(await queryRows(ch, 'SELECT id, display_name, updated_at FROM staff ORDER BY updated_at')).toEqual([
      { id: 504, display_name: 'Anna K.', updated_at: '2026-03-01T10:00:00.000Z' },
      { id: 504, display_name: 'Anna B.', updated_at: '2026-03-02T10:00:00.000Z' },
    ]);
    expect(await queryRows(ch, 'SELECT id, display_name FROM staff FINAL')).toEqual([{ id: 504, display_name: 'Anna B.' }]);
    // the events themselves land (the agent was named at these times), without the name
    const stored = await queryRows(ch, "SELECT * FROM events WHERE type = 'staff_updated' ORDER BY occurred_at");
    expect(stored.map((r) => r.agent_id)).toEqual([504, 504]);
    expect(JSON.stringify(stored)).not.toMatch(/Anna/);
  });
});
