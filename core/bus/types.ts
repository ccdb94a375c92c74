/**
 * The event bus seen by producers (the bot's outbox relay) and consumers (the
 * ingest service). Two implementations: Kafka (kafkajs) for production and an
 * embedded durable log for `npm start`; both deliver at least once and keep a
 * key's messages in order.
 */

export interface OutgoingMessage {
  /** Partitioning key: the ticket id, so a ticket's events stay ordered. */
  key: string | null;
  value: Buffer | string;
  headers?: Record<string, string>;
}

export interface BusProducer {
  /** Resolves once the bus has durably accepted every message. */
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  /** Kafka-style offset as a decimal string. */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
}

export interface BatchControl {
  /** Keeps group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** False once stop() was called: finish the current work and return. */
  isRunning(): boolean;
}

/**
 * What eachBatch may resolve with to take the partition's next batch while this one is still being written:
 * the batch's offsets are committed once `written` resolved and every earlier batch of the partition was
 * committed. If `written` rejects, the partition is delivered again from this batch. Resolving with nothing
 * means the batch is done (committed before eachBatch's caller goes on).
 */
export interface BatchInHand {
  written: Promise<void>;
}

export interface RunOptions {
  topics: string[];
  eachBatch: (batch: ConsumedBatch, ctl: BatchControl) => Promise<void | BatchInHand>;
  /** How many partitions' batches may be in eachBatch at the same time (default 16). */
  concurrency?: number;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Messages in the log after the group's committed offset. */
  lag: number;
}

export interface BusConsumer {
  /**
   * Calls eachBatch with consecutive messages of one partition. The offsets of
   * a batch are committed only after eachBatch resolves (and its `written`, if
   * it returned one, resolved), in offset order; if it throws, the same
   * messages are delivered again (after a back-off).
   */
  run(opts: RunOptions): Promise<void>;
  /** Stops fetching new batches (batches in flight finish); for back-pressure. */
  pause(): void;
  /** Undoes pause(). */
  resume(): void;
  /** Lag of this group on the topics it runs, per partition (for metrics). */
  lag(): Promise<PartitionLag[]>;
  /** Stops fetching, waits for the batches in flight and in hand, commits, leaves the group. */
  stop(): Promise<void>;
}

export interface Bus {
  kind: 'kafka' | 'embedded';
  producer(): Promise<BusProducer>;
  consumer(groupId: string): Promise<BusConsumer>;
  /** Creates topics if missing (idempotent). */
  ensureTopics(topics: { name: string; partitions: number }[]): Promise<void>;
  close(): Promise<void>;
}
