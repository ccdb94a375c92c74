/**
 * The Bus on Apache Kafka (kafkajs).
 *
 * Producer: idempotent (the broker drops a retried duplicate), acks from all
 * in-sync replicas, one request in flight so retries cannot reorder a ticket's
 * events. Messages are keyed by ticket; the default (Java-compatible murmur2)
 * partitioner keeps a key on one partition.
 *
 * Consumer: a consumer group with `eachBatch`, auto-resolve off and auto-commit
 * off — the offset of a batch is committed only after the handler resolved
 * and, for a batch it hands back in hand (BatchInHand), after that batch was
 * written, i.e. after the rows are in ClickHouse; meanwhile kafkajs fetches
 * the next batches. A handler that throws leaves the offsets where they were,
 * so the messages come again.
 */
import {
  Kafka,
  Partitioners,
  logLevel as KafkaLogLevel,
  type Consumer,
  type ITopicPartitionConfig,
  type IHeaders,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import { logger } from '../log.js';
import { PartitionCommits } from './partition-commits.js';
import type { BatchControl, Bus, BusConsumer, BusProducer, ConsumedBatch, ConsumedMessage, OutgoingMessage, PartitionLag, RunOptions } from './types.js';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  replicationFactor?: number;
  maxBytesPerPartition?: number;
  sessionTimeoutMs?: number;
}

const log = logger('bus.kafka');

/** kafkajs logs through pino, at the level kafkajs chose. */
function kafkaLogCreator() {
  return ({ level, log: entry }: { namespace: string; level: KafkaLogLevel; label: string; log: LogEntry['log'] }) => {
    const { message, ...rest } = entry;
    if (level === KafkaLogLevel.ERROR) log.error(rest, message);
    else if (level === KafkaLogLevel.WARN) log.warn(rest, message);
    else if (level === KafkaLogLevel.INFO)
      log.debug(rest, message); // kafkajs is chatty at INFO (every join, every fetch-manager start)
    else log.trace(rest, message);
  };
}

function decodeHeaders(h: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    const one = Array.isArray(v) ? v[v.length - 1] : v;
    if (one !== undefined) out[k] = Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
  }
  return out;
}

class KafkaProducer implements BusProducer {
  constructor(private readonly producer: Producer) {}

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
    });
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}

class KafkaConsumer implements Omit<BusConsumer, 'lag'> {
  topics: string[] = [];
  private paused = false;
  /** Per "topic/partition": the commits of batches in hand, in offset order. */
  private readonly commits = new Map<string, PartitionCommits>();
  private handling = 0;

  constructor(private readonly consumer: Consumer) {}

  async run(opts: RunOptions): Promise<void> {
    this.topics = opts.topics;
    await this.consumer.subscribe({ topics: opts.topics, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: opts.concurrency ?? 16,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
        if (batch.messages.length === 0) return;
        const messages: ConsumedMessage[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          key: m.key,
          value: m.value,
          headers: decodeHeaders(m.headers),
        }));
        const consumed: ConsumedBatch = { topic: batch.topic, partition: batch.partition, messages };
        const ctl: BatchControl = { heartbeat, isRunning: () => isRunning() && !isStale() };
        this.handling++;
        try {
          const inHand = await opts.eachBatch(consumed, ctl);
          // The partition was revoked (rebalance) while we worked: its new owner
          // starts from the last commit; committing here would be refused anyway.
          if (isStale()) return;
          const last = messages[messages.length - 1]!.offset;
          // kafkajs fetches on from here; the commit waits for the write
          resolveOffset(last);
          const next = (BigInt(last) + 1n).toString();
          const commit = async () => {
            // revoked while the batch was written: its new owner has started from the last commit
            if (isStale()) return;
            // Explicit offsets: with autoCommit off this commits now, and it also
            // works while stop() drains the batch in flight.
            await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] }).catch(
              (err: unknown) =>
                // a refused commit (a rebalance under way) only means this batch may come again
                log.warn({ err, topic: batch.topic, partition: batch.partition }, 'offset commit refused; the batch may be delivered again'),
            );
          };
          const done = this.commitsOf(batch.topic, batch.partition).add(inHand?.written ?? Promise.resolve(), commit);
          if (!inHand) await done;
          await heartbeat();
        } finally {
          this.handling--;
        }
      },
    });
  }

  pause(): void {
    if (this.paused || this.topics.length === 0) return;
    this.paused = true;
    this.consumer.pause(this.topics.map((topic) => ({ topic })));
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.consumer.resume(this.topics.map((topic) => ({ topic })));
  }

  private commitsOf(topic: string, partition: number): PartitionCommits {
    const key = `${topic}/${partition}`;
    let c = this.commits.get(key);
    if (!c) {
      c = new PartitionCommits({ topic, partition }, log);
      this.commits.set(key, c);
    }
    return c;
  }

  async stop(): Promise<void> {
    // kafkajs commits only while its runner runs: stop fetching, let the batches
    // in the handler and in hand be written and committed, then stop the runner.
    this.pause();
    while (this.handling > 0 || [...this.commits.values()].some((c) => c.pending > 0)) {
      await Promise.all([...this.commits.values()].map((c) => c.settled()));
      if (this.handling > 0) await new Promise((r) => setTimeout(r, 10));
    }
    // disconnect() stops the runner (waiting for the batch in flight, which
    // commits its own offsets) and leaves the group so partitions move at once.
    await this.consumer.disconnect();
  }
}

export function createKafkaBus(o: KafkaBusOptions): Bus {
  const kafka = new Kafka({
    clientId: o.clientId,
    brokers: o.brokers,
    logLevel: KafkaLogLevel.INFO,
    logCreator: kafkaLogCreator,
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 10 },
  });
  const open = new Set<{ close(): Promise<void> }>();
  const admin = kafka.admin();
  let adminConnected: Promise<void> | undefined;

  return {
    kind: 'kafka',

    async producer() {
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        // kafkajs: an idempotent producer must not give up (EoS); a send waits out a broker outage with capped back-off.
        retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 10_000 },
      });
      await producer.connect();
      const p = new KafkaProducer(producer);
      const handle = { close: () => p.close() };
      open.add(handle);
      return { send: (t, m) => p.send(t, m), close: async () => (open.delete(handle), p.close()) };
    },

    async consumer(groupId: string) {
      const maxBytesPerPartition = o.maxBytesPerPartition ?? 8 * 1024 * 1024;
      const consumer = kafka.consumer({
        groupId,
        sessionTimeout: o.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: 3_000,
        maxBytesPerPartition,
        maxBytes: Math.max(maxBytesPerPartition * 4, 52_428_800),
        maxWaitTimeInMs: 250,
        allowAutoTopicCreation: false,
      });
      await consumer.connect();
      const c = new KafkaConsumer(consumer);
      const handle = { close: () => c.stop() };
      open.add(handle);
      const lagOf = async () => partitionLag(groupId, c);
      return {
        run: (opts) => c.run(opts),
        pause: () => c.pause(),
        resume: () => c.resume(),
        lag: lagOf,
        stop: async () => (open.delete(handle), c.stop()),
      };
    },

    async ensureTopics(topics) {
      adminConnected ??= admin.connect();
      await adminConnected;
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: o.replicationFactor ?? 1 })),
        });
        log.info({ topics: missing.map((t) => t.name) }, 'created topics');
      }
      // A topic created with fewer partitions (e.g. auto-created) grows; Kafka never shrinks one.
      const meta = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) });
      const grow: ITopicPartitionConfig[] = [];
      for (const t of topics) {
        const have = meta.topics.find((m) => m.name === t.name)?.partitions.length ?? 0;
        if (have < t.partitions) grow.push({ topic: t.name, count: t.partitions });
      }
      if (grow.length > 0) await admin.createPartitions({ topicPartitions: grow });
    },

    async close() {
      for (const h of [...open]) await h.close().catch((e: unknown) => log.warn({ err: e }, 'close failed'));
      open.clear();
      if (adminConnected) await admin.disconnect();
    },
  };

  /** Lag per partition = log end offset − committed offset of the group. */
  async function partitionLag(groupId: string, c: KafkaConsumer): Promise<PartitionLag[]> {
    const topics = c.topics;
    if (topics.length === 0) return [];
    adminConnected ??= admin.connect();
    await adminConnected;
    const out: PartitionLag[] = [];
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const t of committed) {
      const ends = await admin.fetchTopicOffsets(t.topic);
      for (const p of t.partitions) {
        const end = ends.find((e) => e.partition === p.partition);
        if (!end) continue;
        const at = Number(p.offset) < 0 ? Number(end.low) : Number(p.offset);
        out.push({ topic: t.topic, partition: p.partition, lag: Math.max(0, Number(end.high) - at) });
      }
    }
    return out;
  }
}
