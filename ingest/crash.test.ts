/**
 * The ingest process (`ingest/main.ts`, a child process) is SIGKILLed while
 * events stream in and inserts are under way, then restarted: ClickHouse ends
 * up with every event exactly once in effect (FINAL count == uniqExact == N).
 * Real Kafka (TEST_KAFKA_BROKERS), real chDB in the child's DATA_DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaBus } from '../core/bus/kafka.js';
import { createClickHouse, loadClickHouseConfig } from '../core/clickhouse.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { eventCounts, makeEvents, testKafkaBrokers, uniqueName, waitFor } from './test-support.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = tmpDataDir('desk-crash-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  tmp.cleanup();
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function startChild(env: Record<string, string>): {
  proc: ChildProcess;
  exited: Promise<{ code: number | null; signal: string | null }>;
  output: () => string;
} {
  // `node --import tsx` runs main.ts in this one process, so SIGKILL hits the ingest itself.
  const proc = spawn(process.execPath, ['--import', 'tsx', 'ingest/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  proc.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  return { proc, exited, output: () => out };
}

async function metric(port: number, name: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    let sum: number | undefined;
    for (const line of text.split('\n')) if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum = (sum ?? 0) + Number(line.split(' ').pop());
    return sum;
  } catch {
    return undefined;
  }
}

describe('ingest process killed mid-stream', () => {
  it('loses nothing and double-counts nothing after SIGKILL and restart', { timeout: 240_000 }, async () => {
    const topic = uniqueName('crash');
    const port = await freePort();
    const env = {
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: `${topic}.dlq`,
      KAFKA_GROUP_ID: `${topic}-ingest`,
      KAFKA_PARTITIONS: '4',
      // The killed member holds its partitions until its session times out: keep that short.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      DATA_DIR: tmp.dir,
      PORT: String(port),
      INGEST_BATCH_SIZE: '1000',
      INGEST_BATCH_MS: '200',
      LOG_LEVEL: 'warn',
    };
    const bus = createKafkaBus({ brokers: testKafkaBrokers(), clientId: 'crash-test' });
    await bus.ensureTopics([{ name: topic, partitions: 4 }]);
    const producer = await bus.producer();
    const N = 20_000;
    const events = makeEvents(N, 500);
    const send = (from: number, to: number) =>
      producer.send(
        topic,
        events.slice(from, to).map((e) => ({ key: String(e.ticket_id), value: JSON.stringify(e) })),
      );

    const first = startChild(env);
    await send(0, 5_000);
    // Wait until the first process has inserted some (not all) batches, keep producing, then kill it hard.
    await waitFor(async () => ((await metric(port, 'ingest_events_inserted_total')) ?? 0) > 0, 90_000, 50).catch((e: Error) => {
      throw new Error(`${e.message}\n${first.output()}`);
    });
    const producing = (async () => {
      for (let i = 5_000; i < N; i += 1_000) await send(i, i + 1_000);
    })();
    await waitFor(async () => ((await metric(port, 'ingest_messages_consumed_total')) ?? 0) > 6_000, 60_000, 10);
    first.proc.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = startChild(env);
    await producing;
    // Caught up: the group's committed offsets reached the end of every partition.
    await waitFor(
      async () => (await metric(port, 'ingest_consumer_lag_messages')) === 0 && ((await metric(port, 'ingest_events_inserted_total')) ?? 0) > 0,
      120_000,
      200,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${second.output()}`);
    });
    second.proc.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    await producer.close();
    await bus.close();

    const ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: tmp.dir }));
    try {
      expect(await eventCounts(ch)).toEqual({ rows: N, unique: N });
    } finally {
      await ch.close();
    }
  });
});
