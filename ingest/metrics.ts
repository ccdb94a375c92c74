/** The ingest's Prometheus metrics, in the process registry (core/metrics.ts). */
import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from '../core/metrics.js';
import type { PartitionLag } from '../core/bus/types.js';

export const consumedTotal = new Counter({
  name: 'ingest_messages_consumed_total',
  help: 'Messages read from the bus (before validation).',
  labelNames: ['topic'] as const,
  registers: [registry],
});

export const insertedTotal = new Counter({
  name: 'ingest_events_inserted_total',
  help: 'Events written to ClickHouse (counted once per successful insert).',
  labelNames: ['source'] as const,
  registers: [registry],
});

export const deadLettersTotal = new Counter({
  name: 'ingest_dead_letters_total',
  help: 'Messages rejected to the dead-letter topic and table, by reason.',
  labelNames: ['reason', 'source'] as const,
  registers: [registry],
});

export const batchRows = new Histogram({
  name: 'ingest_batch_rows',
  help: 'Events per ClickHouse insert.',
  buckets: [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000],
  registers: [registry],
});

export const insertSeconds = new Histogram({
  name: 'ingest_insert_duration_seconds',
  help: 'Duration of one successful ClickHouse insert.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const insertErrorsTotal = new Counter({
  name: 'ingest_clickhouse_insert_errors_total',
  help: 'Failed ClickHouse insert attempts (each is retried with back-off).',
  registers: [registry],
});

export const bufferedRows = new Gauge({
  name: 'ingest_buffer_rows',
  help: 'Events held in memory awaiting their ClickHouse insert.',
  registers: [registry],
});

export const pausedGauge = new Gauge({
  name: 'ingest_consumer_paused',
  help: '1 while consumption is paused (ClickHouse down or buffer full).',
  registers: [registry],
});

/** Where the lag gauges read from; set by the running ingest. */
export const lagSource: { read?: () => Promise<PartitionLag[]>; lastEmittedAt?: number; startedAt: number } = { startedAt: Date.now() };

export const consumerLag = new Gauge({
  name: 'ingest_consumer_lag_messages',
  help: 'Messages on the bus after the committed offset of the ingest group, per partition.',
  labelNames: ['topic', 'partition'] as const,
  registers: [registry],
  async collect() {
    if (!lagSource.read) return;
    this.reset();
    for (const l of await lagSource.read().catch(() => [])) this.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
  },
});

export const lagSeconds = new Gauge({
  name: 'ingest_lag_seconds',
  help: 'How far ClickHouse is behind the bus: 0 when caught up, else seconds since the newest event inserted was emitted.',
  registers: [registry],
  async collect() {
    if (!lagSource.read) return;
    const lag = (await lagSource.read().catch(() => [])).reduce((s, l) => s + l.lag, 0);
    this.set(lag === 0 ? 0 : (Date.now() - (lagSource.lastEmittedAt ?? lagSource.startedAt)) / 1000);
  },
});
