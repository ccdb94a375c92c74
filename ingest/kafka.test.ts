/**
 * Against the real broker of scripts/services.sh (TEST_KAFKA_BROKERS) and chDB:
 * the Kafka bus contract, exactly-once in effect, and the dead-letter path.
 * Every test uses its own topics and groups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaBus } from '../core/bus/kafka.js';
import type { Bus, ConsumedMessage } from '../core/bus/types.js';
import { queryRows, type ClickHouse } from '../core/clickhouse.js';
import { checkBatchesInHand } from '../test/helpers/bus-in-hand.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { loadIngestConfig } from './config.js';
import { DLQ_HEADERS } from './dlq.js';
import { startIngest } from './service.js';
import { eventCounts, makeEvents, openTestClickHouse, testKafkaBrokers, uniqueName, waitFor } from './test-support.js';

const tmp = tmpDataDir('desk-kafka-');
let ch: ClickHouse;
let bus: Bus;
beforeAll(async () => {
  bus = createKafkaBus({ brokers: testKafkaBrokers(), clientId: 'ingest-test' });
  ch = await openTestClickHouse(tmp.dir);
});
afterAll(async () => {
  await bus?.close();
  await ch?.close();
  tmp.cleanup();
});

function config(topic: string, extra: Record<string, string> = {}) {
  return loadIngestConfig({
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    KAFKA_TOPIC: topic,
    KAFKA_DLQ_TOPIC: `${topic}.dlq`,
    KAFKA_PARTITIONS: '4',
    KAFKA_GROUP_ID: `${topic}-ingest`,
    INGEST_BATCH_SIZE: '2000',
    INGEST_BATCH_MS: '100',
    ...extra,
  });
}

describe('Kafka bus', () => {
  it('keeps a key on one partition in order, commits after the handler, redelivers after a throw', async () => {
    const topic = uniqueName('bus');
    await bus.ensureTopics([{ name: topic, partitions: 3 }]);
    const p = await bus.producer();
    await p.send(
      topic,
      Array.from({ length: 60 }, (_, i) => ({ key: `ticket-${i % 4}`, value: String(i), headers: { seq: String(i) } })),
    );

    // First consumer: fails once on its first batch, then takes everything.
    const group = uniqueName('g');
    const seen: ConsumedMessage[] = [];
    let thrown = 0;
    const c1 = await bus.consumer(group);
    await c1.run({
      topics: [topic],
      eachBatch: async (b) => {
        if (thrown === 0) {
          thrown++;
          throw new Error('simulated failure');
        }
        seen.push(...b.messages);
      },
    });
    await waitFor(() => new Set(seen.map((m) => `${m.partition}/${m.offset}`)).size === 60, 60_000);
    for (let k = 0; k < 4; k++) {
      const mine = seen.filter((m) => m.key?.toString() === `ticket-${k}`);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      const values = [...new Map(mine.map((m) => [m.offset, Number(m.value!.toString())])).values()];
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(mine.every((m) => m.headers.seq === m.value!.toString())).toBe(true);
    }
    await waitFor(async () => (await c1.lag()).reduce((s, l) => s + l.lag, 0) === 0);
    await c1.stop();

    // Same group again: everything was committed, only the new message comes.
    await p.send(topic, [{ key: 'ticket-0', value: 'after' }]);
    const c2 = await bus.consumer(group);
    const second: string[] = [];
    await c2.run({ topics: [topic], eachBatch: async (b) => void second.push(...b.messages.map((m) => m.value!.toString())) });
    await waitFor(() => second.length >= 1);
    expect(second).toEqual(['after']);
    await c2.stop();
    await p.close();
  });

  it('hands out the next batches while one is in hand, commits in offset order once written, redelivers from a failed write', async () => {
    await checkBatchesInHand(bus, uniqueName('in-hand'), uniqueName('g'));
  });
});

describe('ingest from Kafka', () => {
  it('N events produced arrive exactly once in effect', async () => {
    const topic = uniqueName('once');
    const cfg = config(topic);
    const ingest = await startIngest({ bus, ch, config: cfg });
    const p = await bus.producer();
    const events = makeEvents(5_000, 200);
    for (let i = 0; i < events.length; i += 1_000)
      await p.send(
        topic,
        events.slice(i, i + 1_000).map((e) => ({ key: String(e.ticket_id), value: JSON.stringify(e) })),
      );
    // Producer retries may publish a message twice; ReplacingMergeTree(event_id) must collapse that.
    await p.send(
      topic,
      events.slice(0, 100).map((e) => ({ key: String(e.ticket_id), value: JSON.stringify(e) })),
    );
    const ids = `event_id IN (SELECT arrayJoin([${events.map((e) => `'${e.event_id}'`).join(',')}]))`;
    await waitFor(async () => (await eventCounts(ch, ids)).unique === 5_000, 90_000, 250);
    const counts = await eventCounts(ch, ids);
    expect(counts).toEqual({ rows: 5_000, unique: 5_000 });
    await ingest.stop();
    await p.close();
  });

  it('sends malformed JSON, unknown schema_version and missing fields to the DLQ topic and dead_letters; valid neighbours land', async () => {
    const topic = uniqueName('dlq');
    const cfg = config(topic);
    const ingest = await startIngest({ bus, ch, config: cfg });
    const p = await bus.producer();
    const events = makeEvents(300, 3);
    const { occurred_at: _dropped, ...missing } = events[2]!;
    const bad = [
      { key: String(events[0]!.ticket_id), value: '{not json', headers: { 'x-trace': 'abc' } },
      { key: String(events[1]!.ticket_id), value: JSON.stringify({ ...events[1], event_id: '0190a0a0-0000-7000-8000-0000000000aa', schema_version: 2 }) },
      { key: String(events[2]!.ticket_id), value: JSON.stringify({ ...missing, event_id: '0190a0a0-0000-7000-8000-0000000000bb' }) },
    ];
    const msgs = events.map((e) => ({ key: String(e.ticket_id), value: JSON.stringify(e) }));
    await p.send(topic, [...msgs.slice(0, 150), ...bad, ...msgs.slice(150)]);

    const ids = `event_id IN (${events.map((e) => `'${e.event_id}'`).join(',')})`;
    await waitFor(async () => (await eventCounts(ch, ids)).rows === 300, 60_000, 250);
    await waitFor(async () => (await queryRows(ch, 'SELECT 1 FROM dead_letters FINAL WHERE topic = {t:String}', { t: topic })).length === 3, 60_000, 250);
    const dead = await queryRows<{ reason: string; detail: string; payload: string; source: string }>(
      ch,
      'SELECT reason, detail, payload, source FROM dead_letters FINAL WHERE topic = {t:String} ORDER BY reason',
      { t: topic },
    );
    expect(dead.map((d) => d.reason)).toEqual(['invalid', 'malformed_json', 'unknown_schema_version']);
    expect(dead.every((d) => d.source === 'kafka')).toBe(true);
    expect(dead[0]!.detail).toMatch(/occurred_at/);
    expect(dead[1]!.payload).toBe('{not json');

    // The DLQ topic holds the original messages with the reason headers.
    const reader = await bus.consumer(uniqueName('dlq-reader'));
    const dlq: ConsumedMessage[] = [];
    await reader.run({ topics: [`${topic}.dlq`], eachBatch: async (b) => void dlq.push(...b.messages) });
    await waitFor(() => dlq.length >= 3);
    await reader.stop();
    const byReason = new Map(dlq.map((m) => [m.headers[DLQ_HEADERS.reason], m]));
    expect([...byReason.keys()].sort()).toEqual(['invalid', 'malformed_json', 'unknown_schema_version']);
    const malformed = byReason.get('malformed_json')!;
    expect(malformed.value!.toString()).toBe('{not json');
    expect(malformed.key!.toString()).toBe(String(events[0]!.ticket_id));
    expect(malformed.headers['x-trace']).toBe('abc');
    expect(malformed.headers[DLQ_HEADERS.topic]).toBe(topic);
    expect(malformed.headers[DLQ_HEADERS.partition]).toMatch(/^\d+$/);
    expect(malformed.headers[DLQ_HEADERS.offset]).toMatch(/^\d+$/);
    expect(byReason.get('unknown_schema_version')!.headers[DLQ_HEADERS.detail]).toMatch(/schema_version 2/);
    await ingest.stop();
    await p.close();
  });
});
