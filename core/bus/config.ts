/**
 * Event bus configuration: Kafka when KAFKA_BROKERS is set, otherwise the
 * embedded durable log in DATA_DIR/bus (single process, for `npm start`).
 */
import { defineConfig, env } from '../env.js';

export const loadBusConfig = defineConfig('bus', {
  KAFKA_BROKERS: env.list({ doc: 'Kafka bootstrap brokers, comma-separated (host:port). Unset: the embedded durable log in DATA_DIR/bus (one process only).' }),
  KAFKA_CLIENT_ID: env.string({ default: 'support-desk', doc: 'Kafka client id, shown in broker logs and quotas.' }),
  KAFKA_TOPIC: env.string({ default: 'support.events', doc: 'Topic the bot publishes events to and the ingest consumes.' }),
  KAFKA_DLQ_TOPIC: env.string({ default: 'support.events.dlq', doc: 'Dead-letter topic: messages the ingest rejected, with reason headers.' }),
  KAFKA_PARTITIONS: env.int({
    default: 6,
    min: 1,
    max: 1024,
    doc: 'Partitions of the events topic when the desk creates it (embedded log too). Events are keyed by ticket, so a ticket stays ordered.',
  }),
  KAFKA_GROUP_ID: env.string({ default: 'support-ingest', doc: 'Consumer group of the ingest service; instances in one group share the partitions.' }),
  KAFKA_REPLICATION_FACTOR: env.int({ default: 1, min: 1, max: 7, doc: 'Replication factor for topics the desk creates (use 3 on a production cluster).' }),
  KAFKA_MAX_BYTES_PER_PARTITION: env.int({
    default: 8_388_608,
    min: 65_536,
    doc: 'Largest fetch per partition in bytes; large enough for one ingest batch (about 450 bytes per event).',
  }),
  KAFKA_SESSION_TIMEOUT_MS: env.int({ default: 30_000, min: 6_000, doc: 'Consumer session timeout: a consumer silent this long is removed from the group.' }),
  EMBEDDED_BUS_SEGMENT_BYTES: env.int({
    default: 67_108_864,
    min: 65_536,
    doc: 'Embedded log only: a partition starts a new segment file at this size; segments every consumer group has committed past are deleted.',
  }),
  DATA_DIR: env.string({ default: './data', doc: 'Directory for all embedded state (chDB, PGlite, embedded bus log).' }),
});
export type BusConfig = ReturnType<typeof loadBusConfig>;
