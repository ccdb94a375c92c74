/**
 * The server code path (CLICKHOUSE_URL → HTTP) against the chDB gateway:
 * migrations, inserts with deduplication tokens, bound parameters, errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, insertJsonEachRow, insertRowBinary, insertRows, loadClickHouseConfig, queryRows, type ClickHouse } from '../../core/clickhouse.js';
import { migrate } from '../../core/migrate.js';
import { makeEvent } from '../../schemas/validate.js';
import { startChdbGateway, type ChdbGateway } from '../../scripts/chdb-http-gateway.js';
import { tmpDataDir } from '../helpers/tmp.js';

const tmp = tmpDataDir();
let gw: ChdbGateway;
let ch: ClickHouse;

beforeAll(async () => {
  gw = await startChdbGateway({ dataDir: tmp.dir });
  ch = await createClickHouse(loadClickHouseConfig({ CLICKHOUSE_URL: gw.url, DATA_DIR: tmp.dir }));
});
afterAll(async () => {
  await ch.close();
  await gw.close();
  tmp.cleanup();
});

describe('ClickHouse over HTTP (chDB gateway)', () => {
  it('runs the migrations in server mode, idempotently', async () => {
    expect(ch.mode).toBe('server');
    const first = await migrate(ch, { eventsTtlDays: 3650 });
    expect(first.applied).toContain(1);
    const again = await migrate(ch, { eventsTtlDays: 3650 });
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(first.applied);
  });

  it('drops a retried block with the same deduplication token and keeps a different one', async () => {
    const ev = (score: number) => makeEvent<'csat_rated'>({ type: 'csat_rated', occurred_at: '2026-01-02T03:04:05.000Z', score, ticket_id: 42 });
    const block = [ev(5), ev(4)];
    await insertRows(ch, 'events', block, { dedupToken: 'p0:10-11' });
    await insertRows(ch, 'events', block, { dedupToken: 'p0:10-11' });
    await insertRows(ch, 'events', [ev(3)], { dedupToken: 'p0:12-12' });
    const [row] = await queryRows<{ c: number; s: number }>(ch, 'SELECT count() AS c, sum(score) AS s FROM events WHERE ticket_id = {t:UInt64}', { t: 42 });
    expect(row).toEqual({ c: 3, s: 12 });
  });

  it('inserts JSON bytes as they are (the ingest path), with the same deduplication', async () => {
    const ev = (score: number) => makeEvent<'csat_rated'>({ type: 'csat_rated', occurred_at: '2026-01-02T03:04:05.000Z', score, ticket_id: 43 });
    const body = Buffer.from([ev(5), ev(2)].map((e) => JSON.stringify(e)).join('\n'));
    await insertJsonEachRow(ch, 'events', body, { dedupToken: 'p1:0-1' });
    await insertJsonEachRow(ch, 'events', body, { dedupToken: 'p1:0-1' });
    const [row] = await queryRows<{ c: number; s: number; t: number }>(
      ch,
      'SELECT count() AS c, sum(score) AS s, min(toYear(occurred_at)) AS t FROM events WHERE ticket_id = {t:UInt64}',
      { t: 43 },
    );
    expect(row).toEqual({ c: 2, s: 7, t: 2026 });
  });

  it('inserts a RowBinary body (the ingest path) byte for byte: blank lines and bytes that are no UTF-8 inside values', async () => {
    await ch.client.command({
      query: 'CREATE TABLE IF NOT EXISTS rb (a UInt32, s String) ENGINE = MergeTree ORDER BY a SETTINGS non_replicated_deduplication_window = 100',
    });
    // RowBinaryWithDefaults: per column a 0 byte ("a value follows"), then the value; s = 78 FF 0A 0A 00
    const row = (a: number) => Buffer.from([0, a, 0, 0, 0, 0, 5, 0x78, 0xff, 0x0a, 0x0a, 0x00]);
    const body = Buffer.concat([row(1), row(2)]);
    await insertRowBinary(ch, 'rb', ['a', 's'], body, { dedupToken: 'rb:1' });
    await insertRowBinary(ch, 'rb', ['a', 's'], body, { dedupToken: 'rb:1' });
    const rows = await queryRows<{ a: number; h: string }>(ch, 'SELECT a, hex(s) AS h FROM rb ORDER BY a');
    expect(rows).toEqual([
      { a: 1, h: '78FF0A0A00' },
      { a: 2, h: '78FF0A0A00' },
    ]);
  });

  it('reports engine errors with ClickHouse codes', async () => {
    await expect(queryRows(ch, 'SELECT no_such_column FROM events')).rejects.toMatchObject({ code: '47' });
  });
});
