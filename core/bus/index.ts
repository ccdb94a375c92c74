/**
 * `createBus()`: Kafka when KAFKA_BROKERS is set, else the embedded durable log
 * in DATA_DIR/bus. Callers only see the Bus interface (types.ts).
 */
import { join } from 'node:path';
import { loadBusConfig, type BusConfig } from './config.js';
import { createEmbeddedBus } from './embedded.js';
import { createKafkaBus } from './kafka.js';
import type { Bus } from './types.js';

export function createBus(config: BusConfig = loadBusConfig()): Bus {
  if (config.KAFKA_BROKERS.length > 0) {
    return createKafkaBus({
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      maxBytesPerPartition: config.KAFKA_MAX_BYTES_PER_PARTITION,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    });
  }
  return createEmbeddedBus({ dir: join(config.DATA_DIR, 'bus'), defaultPartitions: config.KAFKA_PARTITIONS, segmentBytes: config.EMBEDDED_BUS_SEGMENT_BYTES });
}

export { loadBusConfig, type BusConfig } from './config.js';
export type * from './types.js';
