/**
 * The Kafka broker restarts while events stream in: nothing is lost and nothing
 * counted twice. Runs its own broker instance (scripts/kafka.sh on a dedicated
 * port and directory) so restarting it cannot disturb other test files.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaBus } from '../core/bus/kafka.js';
import type { BusProducer, OutgoingMessage } from '../core/bus/types.js';
import type { ClickHouse } from '../core/clickhouse.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { loadIngestConfig } from './config.js';
import { startIngest } from './service.js';
import { eventCounts, makeEvents, openTestClickHouse, uniqueName, waitFor } from './test-support.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = tmpDataDir('desk-broker-restart-');
// Fixed ports away from the shared broker (19092/19093); TEST_KAFKA_RESTART_PORT overrides.
const PORT = Number(process.env.TEST_KAFKA_RESTART_PORT ?? 19392);
const brokerEnv = { ...process.env, KAFKA_PORT: String(PORT), KAFKA_HOME_DIR: join(tmp.dir, 'kafka') };
const kafka = (cmd: 'start' | 'stop') => run('bash', [join(root, 'scripts/kafka.sh'), cmd], { env: brokerEnv, timeout: 120_000 });

let ch: ClickHouse;
beforeAll(async () => {
  await kafka('start');
  ch = await openTestClickHouse(tmp.dir);
});
afterAll(async () => {
  await kafka('stop').catch(() => undefined);
  await ch?.close();
  tmp.cleanup();
});

/** What the bot's outbox relay does: keep a batch until the bus accepted it. */
async function sendUntilAccepted(p: BusProducer, topic: string, messages: OutgoingMessage[]): Promise<void> {
  for (;;) {
    try {
      return await p.send(topic, messages);
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

describe('broker restart under load', () => {
  it('loses nothing and double-counts nothing', { timeout: 300_000 }, async () => {
    const brokers = [`127.0.0.1:${PORT}`];
    const bus = createKafkaBus({ brokers, clientId: 'restart-test' });
    const topic = uniqueName('restart');
    const cfg = loadIngestConfig({
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: `${topic}.dlq`,
      KAFKA_GROUP_ID: `${topic}-ingest`,
      KAFKA_PARTITIONS: '4',
      INGEST_BATCH_SIZE: '1000',
      INGEST_BATCH_MS: '100',
    });
    const ingest = await startIngest({ bus, ch, config: cfg });
    const producer = await bus.producer();
    const N = 12_000;
    const events = makeEvents(N, 300);
    const chunk = (i: number) => events.slice(i, i + 500).map((e) => ({ key: String(e.ticket_id), value: JSON.stringify(e) }));

    for (let i = 0; i < 4_000; i += 500) await sendUntilAccepted(producer, topic, chunk(i));
    // Restart the broker while the rest is being produced and consumed.
    const restart = (async () => {
      await kafka('stop');
      await new Promise((r) => setTimeout(r, 1_000));
      await kafka('start');
    })();
    for (let i = 4_000; i < N; i += 500) await sendUntilAccepted(producer, topic, chunk(i));
    await restart;

    await waitFor(async () => (await eventCounts(ch)).unique === N, 180_000, 500);
    expect(await eventCounts(ch)).toEqual({ rows: N, unique: N });
    await ingest.stop();
    await producer.close();
    await bus.close();
  });
});
