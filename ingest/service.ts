/**
 * The ingest service: bus → validate → ClickHouse, at least once, no loss.
 *
 * For each batch the bus hands over (one partition's consecutive messages):
 *   1. decode and validate every message (schemas/validate.ts);
 *   2. publish the rejects to the dead-letter topic;
 *   3. add valid rows and rejects to the shared batcher;
 *   4. hand the batch back in hand (BatchInHand): the bus delivers the next
 *      ones meanwhile, and commits this batch's offsets only once the insert
 *      holding it succeeded (and every earlier batch of the partition's did).
 *      With INGEST_MAX_BUFFER rows in the buffer, consumption pauses until fewer
 *      than half wait for an insert.
 * A crash anywhere before the commit redelivers the batch; the dedup token and
 * the ReplacingMergeTree(event_id) make the second copy harmless.
 *
 * While ClickHouse fails, consumption pauses and the batch in hand is retried
 * with back-off; when the buffer of rows awaiting insert passes
 * INGEST_MAX_BUFFER, consumption pauses until fewer than half of them wait.
 */
import type { BatchControl, BatchInHand, Bus, BusConsumer, BusProducer, ConsumedBatch } from '../core/bus/types.js';
import type { ClickHouseSettings } from '@clickhouse/client';
import type { ClickHouse } from '../core/clickhouse.js';
import { logger } from '../core/log.js';
import { Batcher } from './batcher.js';
import { loadIngestConfig, type IngestConfig } from './config.js';
import { decodeMessages } from './decode.js';
import { publishDeadLetters } from './dlq.js';
import { bufferedRows, consumedTotal, deadLettersTotal, lagSource, pausedGauge } from './metrics.js';
import { chunkEvents, createSink, encodeChunkEvents, eventsEncoder, type Chunk } from './sink.js';

const log = logger('ingest');

export interface IngestService {
  /** Stops consuming, writes what is in hand, commits, leaves the group. Leaves bus and ch open. */
  stop(): Promise<void>;
}

export interface StartIngestOptions {
  bus: Bus;
  ch: ClickHouse;
  config?: IngestConfig;
  /** Settings of the inserts into `events` (default: the sink's EVENTS_INSERT_SETTINGS); the bench's old path sets {}. */
  eventsInsertSettings?: ClickHouseSettings;
}

/** Calls ctl.heartbeat() while `work` runs, so a long insert or an outage does not cost the group membership. */
async function withHeartbeats<T>(work: Promise<T>, ctl: BatchControl, everyMs = 1_000): Promise<T> {
  const timer = setInterval(() => {
    // A rebalance shows up here as an error; the batch still finishes and the bus will not commit a revoked partition.
    ctl.heartbeat().catch(() => undefined);
  }, everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** Pauses the consumer while any reason holds (ClickHouse down, buffer full). */
class PauseSwitch {
  private reasons = new Set<string>();
  constructor(private readonly consumer: BusConsumer) {}
  set(reason: string, on: boolean): void {
    const was = this.reasons.size > 0;
    if (on) this.reasons.add(reason);
    else this.reasons.delete(reason);
    const now = this.reasons.size > 0;
    if (now === was) return;
    if (now) this.consumer.pause();
    else this.consumer.resume();
    pausedGauge.set(now ? 1 : 0);
    log.info({ reasons: [...this.reasons] }, now ? 'consumption paused' : 'consumption resumed');
  }
}

export async function startIngest(o: StartIngestOptions): Promise<IngestService> {
  const cfg = o.config ?? loadIngestConfig();
  const { bus, ch } = o;
  const topic = cfg.KAFKA_TOPIC;
  await bus.ensureTopics([
    { name: topic, partitions: cfg.KAFKA_PARTITIONS },
    { name: cfg.KAFKA_DLQ_TOPIC, partitions: 1 },
  ]);
  const producer: BusProducer = await bus.producer();
  const consumer = await bus.consumer(cfg.KAFKA_GROUP_ID);
  const pause = new PauseSwitch(consumer);
  let stopping = false;

  // Events go to ClickHouse as RowBinary built here (no JSON parsing in ClickHouse), encoded as each bus
  // batch is decoded, so the encoding overlaps the insert in flight.
  const encoder = cfg.INGEST_INSERT_FORMAT === 'rowbinary' ? await eventsEncoder(ch) : undefined;
  const sink = createSink(
    ch,
    {
      retryMaxMs: cfg.INGEST_RETRY_MAX_MS,
      keepTrying: () => !stopping,
      onDown: (err) => {
        log.error({ err }, 'ClickHouse insert failed; pausing consumption and retrying');
        pause.set('clickhouse', true);
      },
      onUp: () => pause.set('clickhouse', false),
      ...(o.eventsInsertSettings ? { eventsSettings: o.eventsInsertSettings } : {}),
    },
    encoder,
  );

  const batcher = new Batcher<Chunk & { maxEmittedAt: number | undefined }>({
    maxItems: cfg.INGEST_BATCH_SIZE,
    // A backlog insert must leave room in the buffer for the next one to fill meanwhile.
    maxItemsBehind: Math.min(cfg.INGEST_BACKLOG_BATCH_SIZE, Math.floor(cfg.INGEST_MAX_BUFFER / 2)),
    maxWaitMs: cfg.INGEST_BATCH_MS,
    sizeOf: (c) => chunkEvents(c) + c.dead.length,
    flush: async (chunks) => {
      // Called as the insert starts, its rows already taken from those waiting: once fewer than half the buffer
      // wait, consumption resumes now, so the next rows are fetched and decoded while this insert runs (resuming
      // only after it, as before, left ClickHouse idle while the buffer drained and the consumer fetched again).
      roomCheck();
      await sink.write(chunks);
      for (const c of chunks) if (c.maxEmittedAt !== undefined) lagSource.lastEmittedAt = Math.max(lagSource.lastEmittedAt ?? 0, c.maxEmittedAt);
      roomCheck();
    },
  });
  /** The buffer's gauge, and consumption resumed once fewer than half of INGEST_MAX_BUFFER rows wait for an insert. */
  function roomCheck(): void {
    bufferedRows.set(batcher.buffered);
    if (batcher.waiting < cfg.INGEST_MAX_BUFFER / 2) pause.set('buffer', false);
  }

  const eachBatch = async (batch: ConsumedBatch, ctl: BatchControl): Promise<BatchInHand | void> => {
    const { messages } = batch;
    consumedTotal.inc({ topic: batch.topic }, messages.length);
    const decoded = decodeMessages(messages, bus.kind);
    if (decoded.rejected.length > 0) {
      await publishDeadLetters(producer, cfg.KAFKA_DLQ_TOPIC, decoded.rejected);
      for (const r of decoded.rejected) deadLettersTotal.inc({ reason: r.row.reason, source: bus.kind });
      log.warn(
        {
          topic: batch.topic,
          partition: batch.partition,
          rejected: decoded.rejected.map((r) => ({ offset: r.row.offset, reason: r.row.reason, detail: r.row.detail })).slice(0, 5),
        },
        `${decoded.rejected.length} message(s) dead-lettered`,
      );
    }
    const chunk = encodeChunkEvents(encoder, {
      origin: { source: bus.kind, topic: batch.topic, partition: batch.partition, first: messages[0]!.offset, last: messages[messages.length - 1]!.offset },
      rows: decoded.rows,
      raw: decoded.raw,
      dead: decoded.rejected.map((r) => r.row),
    });
    const done = batcher.add({ ...chunk, maxEmittedAt: decoded.maxEmittedAt });
    bufferedRows.set(batcher.buffered);
    // Full: consumption pauses (both buses deliver nothing more once paused but what a fetch already brought).
    if (batcher.buffered >= cfg.INGEST_MAX_BUFFER) pause.set('buffer', true);
    // On stop, don't wait out the batch timer: write what is in hand now.
    if (stopping) void batcher.drain();
    // In hand: the bus commits the offsets once the insert holding the batch succeeded, and meanwhile hands
    // over the next batches, which fill the next insert while this one runs (fetch and decode overlap the
    // insert; inserts reach INGEST_BACKLOG_BATCH_SIZE). Holding the batch here while the buffer is full would
    // hold kafkajs's next fetch for every partition until this batch's own insert — often the one after next.
    // Only past twice the buffer (a bus that kept delivering while paused) does a batch wait for its insert.
    if (batcher.buffered < 2 * cfg.INGEST_MAX_BUFFER) return { written: done };
    await withHeartbeats(done, ctl);
  };

  lagSource.read = () => consumer.lag();
  lagSource.startedAt = Date.now();
  await consumer.run({ topics: [topic], eachBatch, concurrency: Math.max(cfg.KAFKA_PARTITIONS, 1) });
  log.info({ bus: bus.kind, topic, group: cfg.KAFKA_GROUP_ID, batchSize: cfg.INGEST_BATCH_SIZE, batchMs: cfg.INGEST_BATCH_MS }, 'ingest running');

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        // Batches in flight are waiting for their insert: write it now, then
        // let the consumer finish them (committing) and leave the group.
        const drained = batcher.drain().catch(() => undefined);
        await consumer.stop();
        await drained;
        await producer.close();
        if (lagSource.read) lagSource.read = undefined;
        log.info('ingest stopped');
      })();
      return stopped;
    },
  };
}
