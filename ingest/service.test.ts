/**
 * The ingest service on the embedded bus and a real chDB: valid events land
 * once, rejects go to the DLQ topic and dead_letters, a ClickHouse outage pauses
 * and loses nothing, and a restart does not re-ingest.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '../core/bus/embedded.js';
import type { Bus, ConsumedMessage } from '../core/bus/types.js';
import { queryRows, type ClickHouse } from '../core/clickhouse.js';
import { registry } from '../core/metrics.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { loadIngestConfig } from './config.js';
import { DLQ_HEADERS } from './dlq.js';
import { startIngest } from './service.js';
import { eventCounts, makeEvents, openTestClickHouse, uniqueName, waitFor } from './test-support.js';

const tmp = tmpDataDir('desk-ingest-');
let ch: ClickHouse;
beforeAll(async () => {
  ch = await openTestClickHouse(tmp.dir);
});
afterAll(async () => {
  await ch?.close();
  tmp.cleanup();
});

function config(topic: string, extra: Record<string, string> = {}) {
  return loadIngestConfig({
    KAFKA_TOPIC: topic,
    KAFKA_DLQ_TOPIC: `${topic}.dlq`,
    KAFKA_PARTITIONS: '3',
    KAFKA_GROUP_ID: `${topic}-ingest`,
    INGEST_BATCH_SIZE: '400',
    INGEST_BATCH_MS: '50',
    INGEST_RETRY_MAX_MS: '200',
    ...extra,
  });
}

async function readAll(bus: Bus, topic: string, n: number): Promise<ConsumedMessage[]> {
  const c = await bus.consumer(uniqueName('reader'));
  const seen: ConsumedMessage[] = [];
  await c.run({ topics: [topic], eachBatch: async (b) => void seen.push(...b.messages) });
  await waitFor(() => seen.length >= n);
  await c.stop();
  return seen;
}

/**
 * `ch` with every insert into `events` run through `around` — on every insert path (rows through the client,
 * RowBinary through an INSERT … SELECT command, raw bytes through chDB's native insert) — given its dedup token.
 */
function aroundEventsInserts(ch: ClickHouse, around: (token: unknown, insert: () => Promise<unknown>) => Promise<unknown>): ClickHouse {
  const intercept = <T extends object>(target: T, methods: Record<string, (params: never) => { table: string; token: unknown }>): T =>
    new Proxy(target, {
      get(t, prop) {
        const value = Reflect.get(t, prop, t) as unknown;
        if (typeof value !== 'function') return value;
        const bound = (value as (...a: unknown[]) => Promise<unknown>).bind(t);
        const which = methods[String(prop)];
        if (!which) return bound;
        return (params: never) => {
          const { table, token } = which(params);
          return table === 'events' ? around(token, () => bound(params)) : bound(params);
        };
      },
    });
  type Settings = { clickhouse_settings?: Record<string, unknown> };
  return {
    ...ch,
    client: intercept(ch.client, {
      insert: (p: { table: string } & Settings) => ({ table: p.table, token: p.clickhouse_settings?.insert_deduplication_token }),
      // RowBinary on chDB: INSERT … SETTINGS …, insert_deduplication_token = '…' … SELECT … FROM file(…)
      command: (p: { query: string }) => ({
        table: /^INSERT INTO (\w+)/.exec(p.query)?.[1] ?? '',
        token: /insert_deduplication_token = '([^']*)'/.exec(p.query)?.[1],
      }),
    }),
    ...(ch.chdb
      ? {
          chdb: intercept(ch.chdb, {
            rawInsert: (p: { table: string; settings?: Record<string, unknown> }) => ({ table: p.table, token: p.settings?.insert_deduplication_token }),
          }),
        }
      : {}),
  };
}

describe('ingest on the embedded bus', () => {
  it('ingests valid events once and dead-letters the bad ones without stopping', async () => {
    const topic = uniqueName('ev');
    const bus = createEmbeddedBus({ dir: join(tmp.dir, 'bus1'), defaultPartitions: 3 });
    const cfg = config(topic);
    const ingest = await startIngest({ bus, ch, config: cfg });
    const p = await bus.producer();
    const events = makeEvents(1_000);
    const bad = [
      { key: '7', value: '{"event_id": "not even json' },
      { key: '7', value: JSON.stringify({ ...events[0], event_id: '0190a0a0-0000-7000-8000-000000000001', schema_version: 99 }) },
      { key: '8', value: JSON.stringify({ ...events[1], event_id: '0190a0a0-0000-7000-8000-000000000002', occurred_at: undefined }) },
    ];
    const half = events.slice(0, 500).map((e) => ({ key: String(e.ticket_id), value: JSON.stringify(e) }));
    const rest = events.slice(500).map((e) => ({ key: String(e.ticket_id), value: JSON.stringify(e) }));
    await p.send(topic, half);
    await p.send(topic, bad);
    await p.send(topic, rest);

    const ids = `event_id IN (${events.map((e) => `'${e.event_id}'`).join(',')})`;
    await waitFor(async () => (await eventCounts(ch, ids)).rows === 1_000);
    await waitFor(async () => (await queryRows(ch, `SELECT 1 FROM dead_letters FINAL WHERE topic = {t:String}`, { t: topic })).length === 3);
    const dead = await queryRows<{ reason: string; detail: string; source: string; partition: number; offset: number }>(
      ch,
      'SELECT reason, detail, source, partition, offset FROM dead_letters FINAL WHERE topic = {t:String} ORDER BY reason',
      { t: topic },
    );
    expect(dead.map((d) => d.reason)).toEqual(['invalid', 'malformed_json', 'unknown_schema_version']);
    expect(dead.every((d) => d.source === 'embedded')).toBe(true);
    expect(dead.find((d) => d.reason === 'invalid')!.detail).toMatch(/occurred_at/);

    const dlq = await readAll(bus, `${topic}.dlq`, 3);
    expect(dlq.map((m) => m.headers[DLQ_HEADERS.reason]).sort()).toEqual(['invalid', 'malformed_json', 'unknown_schema_version']);
    for (const m of dlq) {
      expect(m.headers[DLQ_HEADERS.topic]).toBe(topic);
      const origin = dead.find((d) => d.reason === m.headers[DLQ_HEADERS.reason])!;
      expect(Number(m.headers[DLQ_HEADERS.partition])).toBe(Number(origin.partition));
      expect(Number(m.headers[DLQ_HEADERS.offset])).toBe(Number(origin.offset));
    }
    expect(dlq.find((m) => m.headers[DLQ_HEADERS.reason] === 'malformed_json')!.value!.toString()).toBe(bad[0]!.value);

    const metrics = await registry.getSingleMetricAsString('ingest_dead_letters_total');
    expect(metrics).toMatch(/reason="malformed_json",source="embedded"} 1/);
    await ingest.stop();

    // Everything was committed: a restarted ingest (same group) reads nothing again.
    const again = await startIngest({ bus, ch, config: cfg });
    const c = await bus.producer();
    const late = makeEvents(10);
    await c.send(
      topic,
      late.map((e) => ({ key: String(e.ticket_id), value: JSON.stringify(e) })),
    );
    await waitFor(async () => (await eventCounts(ch, `event_id IN (${late.map((e) => `'${e.event_id}'`).join(',')})`)).rows === 10);
    const [raw] = await queryRows<{ n: string }>(ch, `SELECT count() AS n FROM events WHERE ${ids}`);
    expect(Number(raw!.n)).toBe(1_000); // not even an unmerged duplicate
    await again.stop();
    await bus.close();
  });

  it('pauses while ClickHouse fails, retries the same block, and loses nothing', async () => {
    const topic = uniqueName('outage');
    const bus = createEmbeddedBus({ dir: join(tmp.dir, 'bus2'), defaultPartitions: 3 });
    let failuresLeft = 3;
    let attempts = 0;
    const tokens: string[] = [];
    // ClickHouse whose first inserts fail, as a server restart would.
    const flaky = aroundEventsInserts(ch, async (token, insert) => {
      attempts++;
      tokens.push(String(token));
      if (failuresLeft-- > 0) throw new Error('Code: 210. DB::NetException: Connection refused');
      return insert();
    });
    const ingest = await startIngest({ bus, ch: flaky, config: config(topic) });
    const events = makeEvents(300);
    await (await bus.producer()).send(
      topic,
      events.map((e) => ({ key: String(e.ticket_id), value: JSON.stringify(e) })),
    );
    await waitFor(async () => (await eventCounts(ch, `event_id IN (${events.map((e) => `'${e.event_id}'`).join(',')})`)).rows === 300);
    expect(attempts).toBeGreaterThanOrEqual(4);
    // The retries of the failed block carried the same token.
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[0]).toMatch(/^ingest:/);
    expect(await registry.getSingleMetricAsString('ingest_clickhouse_insert_errors_total')).toMatch(/ingest_clickhouse_insert_errors_total 3/);
    // resumed once the block's inserts all succeeded (events land a moment before its staff and dead-letter inserts)
    await waitFor(async () => /ingest_consumer_paused 0/.test(await registry.getSingleMetricAsString('ingest_consumer_paused')));
    await ingest.stop();
    await bus.close();
  });

  it('a backlog past INGEST_MAX_BUFFER: consumption pauses and resumes, the buffer stays bounded, every event once', async () => {
    const topic = uniqueName('backlog');
    const bus = createEmbeddedBus({ dir: join(tmp.dir, 'bus3'), defaultPartitions: 3, maxBatchMessages: 100 });
    const MAX = 1_000;
    // A slow ClickHouse (150 ms more an insert), so the backlog fills the buffer.
    const slow = aroundEventsInserts(ch, async (_token, insert) => {
      await new Promise((r) => setTimeout(r, 150));
      return insert();
    });
    const switches: Array<'pause' | 'resume'> = [];
    const consumerOf = bus.consumer.bind(bus);
    bus.consumer = async (group) => {
      const c = await consumerOf(group);
      const [pause, resume] = [c.pause.bind(c), c.resume.bind(c)];
      c.pause = () => (switches.push('pause'), pause());
      c.resume = () => (switches.push('resume'), resume());
      return c;
    };
    const events = makeEvents(6_000);
    await (await bus.producer()).send(
      topic,
      events.map((e) => ({ key: String(e.ticket_id), value: JSON.stringify(e) })),
    );
    let most = 0;
    const sampler = setInterval(async () => {
      const m = (await registry.getSingleMetric('ingest_buffer_rows')?.get())?.values[0]?.value ?? 0;
      most = Math.max(most, m);
    }, 2);
    const ingest = await startIngest({
      bus,
      ch: slow,
      config: config(topic, { INGEST_MAX_BUFFER: String(MAX), INGEST_BATCH_SIZE: '200', INGEST_BACKLOG_BATCH_SIZE: '500' }),
    });
    try {
      await waitFor(async () => (await eventCounts(ch, `event_id IN (${events.map((e) => `'${e.event_id}'`).join(',')})`)).rows === 6_000);
    } finally {
      clearInterval(sampler);
    }
    expect(await eventCounts(ch, `event_id IN (${events.map((e) => `'${e.event_id}'`).join(',')})`)).toEqual({ rows: 6_000, unique: 6_000 });
    expect(switches).toContain('pause');
    // Resumed as an insert starts with room to spare, not after it ends: the next rows are fetched while it runs.
    // Paused at the buffer's size and resumed as the inserts took its rows (the overlap itself is measured in bench/ingest).
    expect(switches).toContain('resume');
    // Bounded: the buffer plus what the three partitions' reads in flight brought (100 each) — never the backlog
    // (a pause that did not hold would let in up to twice the buffer before a batch waits for its insert).
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(MAX + 3 * 100);
    await ingest.stop();
    await bus.close();
  });
});
