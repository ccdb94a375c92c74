/**
 * Ingest throughput: Kafka → validate → ClickHouse (chDB), sustained, against
 * the ceiling of the same events inserted straight into ClickHouse the way the
 * ingest inserts them (their JSON bytes, insertJsonEachRow) in equal batches,
 * and for reference through insertRows. All in one process, on one chDB.
 *
 *   npx tsx bench/ingest/run.ts [--brokers 127.0.0.1:19092] [--events 500000] [--partitions 6] [--batch 10000]
 *
 * Needs a broker (bash scripts/services.sh start). Results go to BENCHMARKS.md `## Ingest`.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createKafkaBus } from '../../core/bus/kafka.js';
import { parseCli, runMain } from '../../core/cli.js';
import { insertJsonEachRow, insertRows, queryRows } from '../../core/clickhouse.js';
import { registry } from '../../core/metrics.js';
import { loadIngestConfig } from '../../ingest/config.js';
import { startIngest } from '../../ingest/service.js';
import { makeEvents, openTestClickHouse } from '../../ingest/test-support.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';

const num = (v: string | undefined, d: number, name: string): number => {
  const n = v === undefined ? d : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
};

const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** CPU time of this process (JS and chDB's threads) since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1e6;
}

/** Inserts made by the ingest so far and their rows (the ingest_batch_rows histogram's count and sum). */
async function batchesSoFar(): Promise<{ inserts: number; rows: number }> {
  const m = await registry.getSingleMetric('ingest_batch_rows')?.get();
  const of = (name: string) => (m?.values ?? []).filter((v) => (v as { metricName?: string }).metricName === name).reduce((s, v) => s + v.value, 0);
  return { inserts: of('ingest_batch_rows_count'), rows: of('ingest_batch_rows_sum') };
}

async function insertedSoFar(): Promise<number> {
  const m = await registry.getSingleMetric('ingest_events_inserted_total')?.get();
  return (m?.values ?? []).reduce((s, v) => s + v.value, 0);
}

runMain(async () => {
  const { values } = parseCli({
    usage: 'npx tsx bench/ingest/run.ts [--brokers HOST:PORT] [--events N] [--partitions P] [--batch B] [--batch-ms M] [--max-buffer N]',
    description: 'Measures sustained Kafka → ClickHouse ingest (events/s) and the ClickHouse insert ceiling on this machine.',
    options: {
      brokers: { type: 'string' },
      events: { type: 'string' },
      partitions: { type: 'string' },
      batch: { type: 'string' },
      'max-buffer': { type: 'string' },
      'batch-ms': { type: 'string' },
    },
    optionHelp: [
      '--brokers     Kafka bootstrap (default 127.0.0.1:19092, scripts/services.sh)',
      '--events N    events to push through (default 500000)',
      '--partitions  topic partitions (default 6)',
      '--batch B     rows per insert (default: the ingest default, INGEST_BATCH_SIZE)',
      '--batch-ms M  longest wait of a batch before it is written (default: INGEST_BATCH_MS)',
      '--max-buffer  events the ingest holds before it pauses (default: the larger of 100000 and 2 × batch × partitions)',
    ],
  });
  const brokers = (values.brokers ?? '127.0.0.1:19092').split(',');
  const N = num(values.events, 500_000, 'events');
  const partitions = num(values.partitions, 6, 'partitions');
  const batch = num(values.batch, loadIngestConfig({}).INGEST_BATCH_SIZE, 'batch');
  const batchMs = num(values['batch-ms'], loadIngestConfig({}).INGEST_BATCH_MS, 'batch-ms');
  const maxBuffer = num(values['max-buffer'], Math.max(100_000, batch * partitions * 2), 'max-buffer');
  const tmp = tmpDataDir('desk-bench-ingest-');
  const ch = await openTestClickHouse(join(tmp.dir, 'data'));
  const out: string[] = [];
  const say = (s: string) => {
    out.push(s);
    console.error(s);
  };

  try {
    say(
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`,
    );
    let t = performance.now();
    const events = makeEvents(N, Math.max(1, Math.floor(N / 20)));
    const payloads = events.map((e) => ({ key: String(e.ticket_id), value: JSON.stringify(e) }));
    say(
      `generated ${N} events (${(payloads.reduce((s, p) => s + p.value.length, 0) / N).toFixed(0)} bytes each) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    // 1. Ceiling: the same events straight into ClickHouse, equal batches, one insert at a time,
    //    as the ingest writes them (raw JSON bytes); then, for reference, as objects (insertRows).
    //    Both into the same table; the second pass's rows are duplicates that merge away.
    const bodies: Buffer[] = [];
    for (let i = 0; i < N; i += batch)
      bodies.push(
        Buffer.from(
          payloads
            .slice(i, i + batch)
            .map((p) => p.value)
            .join('\n'),
        ),
      );
    t = performance.now();
    let cpu0 = process.cpuUsage();
    for (const body of bodies) await insertJsonEachRow(ch, 'events', body);
    const ceilingSec = (performance.now() - t) / 1000;
    const ceilingCpu = cpuSeconds(cpu0);
    const ceiling = N / ceilingSec;
    say(
      `ceiling (insertJsonEachRow, ${batch}-row batches): ${fmt(ceiling)} events/s (${ceilingSec.toFixed(2)} s); ${fmt(N / ceilingCpu)} events per CPU-second`,
    );
    t = performance.now();
    cpu0 = process.cpuUsage();
    for (let i = 0; i < N; i += batch) await insertRows(ch, 'events', events.slice(i, i + batch));
    const rowsSec = (performance.now() - t) / 1000;
    say(`for reference, insertRows (objects re-serialised by the client): ${fmt(N / rowsSec)} events/s; ${fmt(N / cpuSeconds(cpu0))} events per CPU-second`);
    await ch.client.command({ query: 'TRUNCATE TABLE events' });

    // 2. Fill a fresh topic (producer speed is reported, not part of the ingest figure).
    const topic = `bench-ingest-${Date.now().toString(36)}`;
    const bus = createKafkaBus({ brokers, clientId: 'bench-ingest' });
    await bus.ensureTopics([{ name: topic, partitions }]);
    const producer = await bus.producer();
    t = performance.now();
    const sendChunk = 5_000;
    for (let i = 0; i < N; i += sendChunk) await producer.send(topic, payloads.slice(i, i + sendChunk));
    const produceSec = (performance.now() - t) / 1000;
    say(`produced ${N} to ${topic} (${partitions} partitions, idempotent, acks=all): ${fmt(N / produceSec)} events/s`);
    await producer.close();

    // 3. Sustained ingest of that backlog: consumer start → last row inserted.
    const cfg = loadIngestConfig({
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: `${topic}.dlq`,
      KAFKA_GROUP_ID: `${topic}-ingest`,
      KAFKA_PARTITIONS: String(partitions),
      INGEST_BATCH_SIZE: String(batch),
      INGEST_BATCH_MS: String(batchMs),
      INGEST_MAX_BUFFER: String(maxBuffer),
    });
    const base = await insertedSoFar();
    const batches0 = await batchesSoFar();
    t = performance.now();
    cpu0 = process.cpuUsage();
    const ingest = await startIngest({ bus, ch, config: cfg });
    let firstAt: number | undefined;
    let firstCount = 0;
    for (;;) {
      const n = (await insertedSoFar()) - base;
      if (n > 0 && firstAt === undefined) {
        firstAt = performance.now();
        firstCount = n;
      }
      if (n >= N) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const end = performance.now();
    const ingestCpu = cpuSeconds(cpu0);
    const batches1 = await batchesSoFar();
    const inserts = batches1.inserts - batches0.inserts;
    await ingest.stop();
    await bus.close();
    const totalSec = (end - t) / 1000;
    const steadySec = (end - firstAt!) / 1000;
    const sustained = (N - firstCount) / steadySec;
    const [c] = await queryRows<{ n: string; u: string }>(ch, 'SELECT count() AS n, uniqExact(event_id) AS u FROM events FINAL');
    say(
      `ingest: ${N} events in ${totalSec.toFixed(2)} s incl. group join = ${fmt(N / totalSec)} events/s; ` +
        `sustained (first insert → last) ${fmt(sustained)} events/s = ${(sustained / ceiling).toFixed(2)} of the ceiling; ` +
        `${fmt(N / ingestCpu)} events per CPU-second of this process (${(ingestCpu / totalSec).toFixed(2)} cores busy; the broker's CPU is extra)`,
    );
    say(
      `ingest inserts: ${inserts}, ${fmt((batches1.rows - batches0.rows) / Math.max(1, inserts))} rows each on average (batch limit ${batch}, ${batchMs} ms)`,
    );
    say(`check: FINAL count ${c!.n}, unique ${c!.u} (expected ${N})`);
    if (Number(c!.n) !== N || Number(c!.u) !== N) throw new Error('bench run lost or duplicated events');
    console.log(out.join('\n'));
  } finally {
    await ch.close();
    tmp.cleanup();
  }
});
