/**
 * Ingest configuration: the bus variables (core/bus/config.ts) plus how the
 * ingest batches, retries and exposes its metrics.
 */
import { loadBusConfig } from '../core/bus/config.js';
import { defineConfig, env } from '../core/env.js';

const loadIngestVars = defineConfig('ingest', {
  INGEST_BATCH_SIZE: env.int({
    default: 10_000,
    min: 1,
    max: 1_000_000,
    doc: 'Rows per ClickHouse insert: a batch is written when it holds this many events…',
  }),
  INGEST_BATCH_MS: env.int({ default: 1_000, min: 1, max: 60_000, doc: '…or when its first event has waited this many milliseconds.' }),
  INGEST_BACKLOG_BATCH_SIZE: env.int({
    default: 100_000,
    min: 1,
    max: 1_000_000,
    doc: 'Rows per insert while the ingest is behind (more than INGEST_BATCH_SIZE waiting when an insert starts): fewer, bigger inserts cost chDB much less CPU per event. Not above INGEST_MAX_BUFFER / 2.',
  }),
  INGEST_MAX_BUFFER: env.int({
    default: 250_000,
    min: 1_000,
    doc: 'Events held in memory awaiting insert; above it consumption pauses until inserts catch up.',
  }),
  INGEST_INSERT_FORMAT: env.oneOf(['rowbinary', 'json'] as const, {
    default: 'rowbinary',
    doc: 'How events go to ClickHouse: rowbinary (built in the ingest from the validated events, no JSON parsing in ClickHouse; a batch with a value it cannot write exactly goes as JSON) or json (the message bytes as they came).',
  }),
  INGEST_RETRY_MAX_MS: env.int({ default: 30_000, min: 100, doc: 'Longest back-off between ClickHouse insert retries (starts at 200 ms, doubles).' }),
});

export function loadIngestConfig(source?: Record<string, string | undefined>) {
  return { ...loadBusConfig(source), ...loadIngestVars(source) };
}
export type IngestConfig = ReturnType<typeof loadIngestConfig>;
