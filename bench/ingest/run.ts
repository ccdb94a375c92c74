/**
 * Ingest throughput: Kafka → validate → ClickHouse (chDB), sustained, against
 * the ceiling of the same events inserted straight into ClickHouse the way the
 * ingest inserts them, in equal batches: as RowBinary built in JS (encoding
 * included; the default since 3 Dec), as their JSON bytes (insertJsonEachRow,
 * before) and for reference through insertRows. Then the ingest drains the same
 * backlog twice, each run from a fresh `events`: the new path (RowBinary, bigger
 * inserts while behind) and the old one (JSON bytes, 10,000-row batches,
 * 100,000-event buffer). All in one process, on one chDB.
 *
 *   npx tsx bench/ingest/run.ts [--brokers 127.0.0.1:19092] [--events 500000] [--partitions 6] [--batch 10000] [--paths new,old]
 *
 * Needs a broker (bash scripts/services.sh start). Results go to BENCHMARKS.md `## Ingest`.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedBus } from '../../core/bus/embedded.js';
import { createKafkaBus } from '../../core/bus/kafka.js';
import type { Bus } from '../../core/bus/types.js';
import { parseCli, runMain } from '../../core/cli.js';
import { processCpuSeconds, statCpuSeconds } from '../proc.js';
import type { ClickHouseSettings } from '@clickhouse/client';
import { insertJsonEachRow, insertRowBinary, insertRows, queryRows } from '../../core/clickhouse.js';
import { registry } from '../../core/metrics.js';
import { loadIngestConfig } from '../../ingest/config.js';
import { startIngest } from '../../ingest/service.js';
import { EVENTS_INSERT_SETTINGS, eventsEncoder } from '../../ingest/sink.js';
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

/** CPU seconds a process has used so far, e.g. the broker's. */
function procCpuSeconds(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : processCpuSeconds(pid);
}

/** CPU seconds of this process's JS main thread and of all its other threads (chDB's, libuv's, V8's GC helpers). */
function threadCpuSeconds(): { js: number; others: number } {
  const total = processCpuSeconds(process.pid) ?? 0;
  // a thread that ended meanwhile counts 0
  const js = statCpuSeconds(`/proc/${process.pid}/task/${process.pid}/stat`) ?? 0;
  return { js, others: total - js };
}

async function insertedSoFar(): Promise<number> {
  const m = await registry.getSingleMetric('ingest_events_inserted_total')?.get();
  return (m?.values ?? []).reduce((s, v) => s + v.value, 0);
}

runMain(async () => {
  const { values } = parseCli({
    usage:
      'npx tsx bench/ingest/run.ts [--brokers HOST:PORT] [--events N] [--partitions P] [--batch B] [--batch-ms M] [--backlog-batch N] [--max-buffer N] [--paths new,old] [--broker-pid PID]',
    description: 'Measures sustained Kafka → ClickHouse ingest (events/s) and the ClickHouse insert ceiling on this machine.',
    options: {
      brokers: { type: 'string' },
      events: { type: 'string' },
      partitions: { type: 'string' },
      batch: { type: 'string' },
      'max-buffer': { type: 'string' },
      'batch-ms': { type: 'string' },
      'backlog-batch': { type: 'string' },
      paths: { type: 'string' },
      'broker-pid': { type: 'string' },
      'no-insert-rows': { type: 'boolean' },
      'no-ceilings': { type: 'boolean' },
      'events-settings': { type: 'string' },
      bus: { type: 'string' },
    },
    optionHelp: [
      '--brokers     Kafka bootstrap (default 127.0.0.1:19092, scripts/services.sh)',
      '--events N    events to push through (default 500000)',
      '--partitions  topic partitions (default 6)',
      '--batch B     rows per insert (default: the ingest default, INGEST_BATCH_SIZE)',
      '--batch-ms M  longest wait of a batch before it is written (default: INGEST_BATCH_MS)',
      '--backlog-batch N  rows per insert of the new path while behind (default: INGEST_BACKLOG_BATCH_SIZE)',
      '--max-buffer  events the new path holds before it pauses (default: INGEST_MAX_BUFFER); the old path: 100000',
      '--paths       ingest runs, in order: new (RowBinary, backlog batches), old (JSON bytes, fixed batches); default new,old',
      '--broker-pid  the broker process, to report its CPU too (scripts/services.sh status shows it)',
      '--no-insert-rows  skip the insertRows reference ceiling',
      '--no-ceilings     skip all ceilings (ingest runs only)',
      '--bus B       kafka (default: the broker of --brokers) or embedded (the durable log `npm start` uses without KAFKA_BROKERS)',
      "--events-settings JSON  ClickHouse settings of the new path's inserts into events (default: the ingest's, EVENTS_INSERT_SETTINGS)",
    ],
  });
  const brokers = (values.brokers ?? '127.0.0.1:19092').split(',');
  const N = num(values.events, 500_000, 'events');
  const partitions = num(values.partitions, 6, 'partitions');
  const defaults = loadIngestConfig({});
  const batch = num(values.batch, defaults.INGEST_BATCH_SIZE, 'batch');
  const batchMs = num(values['batch-ms'], defaults.INGEST_BATCH_MS, 'batch-ms');
  const maxBuffer = num(values['max-buffer'], defaults.INGEST_MAX_BUFFER, 'max-buffer');
  const backlogBatch = num(values['backlog-batch'], defaults.INGEST_BACKLOG_BATCH_SIZE, 'backlog-batch');
  const paths = (values.paths ?? 'new,old').split(',').map((p) => p.trim());
  for (const p of paths) if (p !== 'new' && p !== 'old') throw new Error('--paths takes new and/or old');
  const newSettings = values['events-settings'] === undefined ? undefined : (JSON.parse(values['events-settings']) as ClickHouseSettings);
  const busKind = values.bus ?? 'kafka';
  if (busKind !== 'kafka' && busKind !== 'embedded') throw new Error('--bus takes kafka or embedded');
  const brokerPid = values['broker-pid'] === undefined ? undefined : num(values['broker-pid'], 0, 'broker-pid');
  const tmp = tmpDataDir('desk-bench-ingest-');
  const ch = await openTestClickHouse(join(tmp.dir, 'data'));
  // One embedded log for the producer and every ingest run (it is one process's), or a Kafka client each.
  const embedded = busKind === 'embedded' ? createEmbeddedBus({ dir: join(tmp.dir, 'bus'), defaultPartitions: partitions }) : undefined;
  const openBus = (clientId: string): Bus => embedded ?? createKafkaBus({ brokers, clientId });
  const closeBus = async (b: Bus) => {
    if (b !== embedded) await b.close();
  };
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

    // 1. Ceilings: the same events straight into ClickHouse, equal batches, one insert at a time, as the
    //    ingest writes them — RowBinary built in JS (encoding counted), the JSON bytes (the path before) — then,
    //    for reference, as objects (insertRows). Each into an emptied `events`.
    const encoder = await eventsEncoder(ch);
    if (!encoder) throw new Error('the events table has a column type the RowBinary encoder does not write');
    const ceiling = async (label: string, n: number, insert: () => Promise<void>) => {
      await ch.client.command({ query: 'TRUNCATE TABLE events' });
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const th0 = threadCpuSeconds();
      await insert();
      const sec = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds(c0);
      const th1 = threadCpuSeconds();
      say(
        `ceiling, ${label}: ${fmt(n / sec)} events/s (${sec.toFixed(2)} s); ${fmt(n / cpu)} events per CPU-second (${((cpu * 1e6) / n).toFixed(1)} µs CPU an event: ` +
          `JS thread ${(((th1.js - th0.js) * 1e6) / n).toFixed(1)}, other threads ${(((th1.others - th0.others) * 1e6) / n).toFixed(1)})`,
      );
      return n / sec;
    };
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
    const skip = async () => Number.NaN;
    const rbCeiling = await (values['no-ceilings'] ? skip : ceiling)(
      `RowBinary (encoded in JS + insertRowBinary, the ingest's insert settings), ${batch}-row batches`,
      N,
      async () => {
        for (let i = 0; i < N; i += batch)
          await insertRowBinary(ch, 'events', encoder.columns, encoder.encode(events.slice(i, i + batch)), { settings: EVENTS_INSERT_SETTINGS });
      },
    );
    if (backlogBatch !== batch && !values['no-ceilings'])
      await ceiling(`RowBinary, ${backlogBatch}-row batches (the new path's inserts while behind)`, N, async () => {
        for (let i = 0; i < N; i += backlogBatch)
          await insertRowBinary(ch, 'events', encoder.columns, encoder.encode(events.slice(i, i + backlogBatch)), { settings: EVENTS_INSERT_SETTINGS });
      });
    const jsonCeiling = await (values['no-ceilings'] ? skip : ceiling)(
      `JSON bytes (insertJsonEachRow, default settings: the old path), ${batch}-row batches`,
      N,
      async () => {
        for (const body of bodies) await insertJsonEachRow(ch, 'events', body);
      },
    );
    if (!values['no-insert-rows'] && !values['no-ceilings'])
      await ceiling('for reference, insertRows (objects re-serialised by the client)', N, async () => {
        for (let i = 0; i < N; i += batch) await insertRows(ch, 'events', events.slice(i, i + batch));
      });
    bodies.length = 0;

    // 2. Fill a fresh topic (producer speed is reported, not part of the ingest figure).
    const topic = `bench-ingest-${Date.now().toString(36)}`;
    const producerBus = openBus('bench-ingest');
    await producerBus.ensureTopics([{ name: topic, partitions }]);
    const producer = await producerBus.producer();
    t = performance.now();
    const sendChunk = 5_000;
    for (let i = 0; i < N; i += sendChunk) await producer.send(topic, payloads.slice(i, i + sendChunk));
    const produceSec = (performance.now() - t) / 1000;
    say(
      `produced ${N} to ${topic} (${partitions} partitions, ${busKind === 'kafka' ? 'Kafka, idempotent, acks=all' : 'the embedded log'}): ${fmt(N / produceSec)} events/s`,
    );
    await producer.close();
    await closeBus(producerBus);
    // The events as objects are no longer needed: they would weigh on the ingest runs' memory and GC.
    events.length = 0;
    payloads.length = 0;

    // 3. Sustained ingest of that backlog, once per path, each from an emptied `events` with its own
    //    consumer group (reading the topic from the start): consumer start → last row inserted.
    for (const path of paths) {
      await ch.client.command({ query: 'TRUNCATE TABLE events' });
      const group = `${topic}-ingest-${path}`;
      const cfg = loadIngestConfig({
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_TOPIC: topic,
        KAFKA_DLQ_TOPIC: `${topic}.dlq`,
        KAFKA_GROUP_ID: group,
        KAFKA_PARTITIONS: String(partitions),
        INGEST_BATCH_SIZE: String(batch),
        INGEST_BATCH_MS: String(batchMs),
        ...(path === 'new'
          ? { INGEST_INSERT_FORMAT: 'rowbinary', INGEST_BACKLOG_BATCH_SIZE: String(backlogBatch), INGEST_MAX_BUFFER: String(maxBuffer) }
          : { INGEST_INSERT_FORMAT: 'json', INGEST_BACKLOG_BATCH_SIZE: String(batch), INGEST_MAX_BUFFER: '100000' }),
      });
      const label =
        path === 'new'
          ? `new path (RowBinary; ${batch}-row batches, up to ${Math.min(backlogBatch, Math.floor(maxBuffer / 2))} while behind; buffer ${maxBuffer}; settings ${JSON.stringify(newSettings ?? EVENTS_INSERT_SETTINGS)})`
          : `old path (JSON bytes; ${batch}-row batches; buffer 100000)`;
      const base = await insertedSoFar();
      const batches0 = await batchesSoFar();
      const bus = openBus(`bench-ingest-${path}`);
      t = performance.now();
      const cpu0 = process.cpuUsage();
      const broker0 = procCpuSeconds(brokerPid);
      const threads0 = threadCpuSeconds();
      let rssPeak = 0;
      // the old path as it was: JSON bytes, fixed batches, ClickHouse's default insert settings
      const ingest = await startIngest({
        bus,
        ch,
        config: cfg,
        ...(path === 'old' ? { eventsInsertSettings: {} } : newSettings ? { eventsInsertSettings: newSettings } : {}),
      });
      let firstAt: number | undefined;
      let firstCount = 0;
      for (;;) {
        const n = (await insertedSoFar()) - base;
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        if (n > 0 && firstAt === undefined) {
          firstAt = performance.now();
          firstCount = n;
        }
        if (n >= N) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const end = performance.now();
      const ingestCpu = cpuSeconds(cpu0);
      const broker1 = procCpuSeconds(brokerPid);
      const threads1 = threadCpuSeconds();
      const batches1 = await batchesSoFar();
      const inserts = batches1.inserts - batches0.inserts;
      await ingest.stop();
      await closeBus(bus);
      const totalSec = (end - t) / 1000;
      const steadySec = (end - firstAt!) / 1000;
      const sustained = (N - firstCount) / steadySec;
      const ref = path === 'new' ? rbCeiling : jsonCeiling;
      const brokerCpu = broker0 !== undefined && broker1 !== undefined ? broker1 - broker0 : undefined;
      say(
        `ingest (${busKind}), ${label}: ${N} events in ${totalSec.toFixed(2)} s incl. group join = ${fmt(N / totalSec)} events/s; ` +
          `sustained (first insert → last) ${fmt(sustained)} events/s = ${(sustained / ref).toFixed(2)} of its ceiling; ` +
          `${fmt(N / ingestCpu)} events per CPU-second of this process (${((ingestCpu * 1e6) / N).toFixed(1)} µs an event; ${(ingestCpu / totalSec).toFixed(2)} cores busy)` +
          (brokerCpu !== undefined ? `; the broker: ${brokerCpu.toFixed(1)} CPU-s more (${((brokerCpu * 1e6) / N).toFixed(1)} µs an event)` : '') +
          `; load average ${loadavg()[0]!.toFixed(1)}; peak RSS ${Math.round(rssPeak / 2 ** 20)} MB`,
      );
      say(
        `  inserts: ${inserts}, ${fmt((batches1.rows - batches0.rows) / Math.max(1, inserts))} rows each on average; CPU an event: ` +
          `JS main thread (kafkajs, validation, encoding, GC) ${(((threads1.js - threads0.js) * 1e6) / N).toFixed(1)} µs, ` +
          `other threads (chDB's insert, views, merges; V8 helpers) ${(((threads1.others - threads0.others) * 1e6) / N).toFixed(1)} µs`,
      );
      const [c] = await queryRows<{ n: string; u: string }>(ch, 'SELECT count() AS n, uniqExact(event_id) AS u FROM events FINAL');
      say(`  check: FINAL count ${c!.n}, unique ${c!.u} (expected ${N})`);
      if (Number(c!.n) !== N || Number(c!.u) !== N) throw new Error('bench run lost or duplicated events');
    }
    console.log(out.join('\n'));
  } finally {
    await embedded?.close();
    await ch.close();
    tmp.cleanup();
  }
});
