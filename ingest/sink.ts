/**
 * Writes batches to ClickHouse: valid events into `events`, agents' display
 * names from staff_updated events into `staff` (names stay out of `events`,
 * schemas/events.ts NOT_IN_EVENTS_TABLE), rejects into `dead_letters`, with a
 * deduplication token per batch. A failed insert is retried with exponential
 * back-off (and the caller is told ClickHouse is down, so it can stop reading)
 * until it succeeds or the caller gives up.
 */
import { insertJsonEachRow, insertRows, type ClickHouse } from '../core/clickhouse.js';
import { logger } from '../core/log.js';
import type { SupportEvent } from '../schemas/events.js';
import type { DeadLetterRow } from './decode.js';
import { dedupToken, type Origin } from './dedup.js';
import { batchRows, insertErrorsTotal, insertSeconds, insertedTotal } from './metrics.js';

const log = logger('ingest.sink');

export interface Chunk {
  origin: Origin;
  rows: readonly SupportEvent[];
  /** The rows' validated original JSON, when the source has it: inserted as is, never re-serialised. */
  raw?: readonly Buffer[];
  dead: readonly DeadLetterRow[];
}

export interface SinkOptions {
  /** Longest back-off between retries, ms. */
  retryMaxMs: number;
  /** First back-off, ms. */
  retryMinMs?: number;
  /** Asked after every failure: false gives up (the caller is stopping). */
  keepTrying(): boolean;
  onDown?(err: unknown): void;
  onUp?(): void;
}

export interface Sink {
  write(chunks: readonly Chunk[]): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A row of `staff` (schemas/clickhouse/020_staff.sql). */
export interface StaffRow {
  id: number;
  display_name: string;
  updated_at: string;
}

/** The `staff` rows of a batch: one per staff_updated event, versioned by when the desk's store recorded the name. */
export function staffRows(rows: readonly SupportEvent[]): StaffRow[] {
  const out: StaffRow[] = [];
  for (const e of rows) if (e.type === 'staff_updated') out.push({ id: e.agent_id, display_name: e.display_name, updated_at: e.occurred_at });
  return out;
}

const NEWLINE = Buffer.from('\n');

/** One JSONEachRow body: the payloads, newline-separated. */
function joinLines(payloads: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of payloads) parts.push(p, NEWLINE);
  return Buffer.concat(parts);
}

export function createSink(ch: ClickHouse, o: SinkOptions): Sink {
  let down = false;
  return {
    async write(chunks) {
      if (chunks.length === 0) return;
      const rows = chunks.length === 1 ? chunks[0]!.rows : chunks.flatMap((c) => c.rows);
      const dead = chunks.flatMap((c) => c.dead);
      const token = dedupToken(chunks.map((c) => c.origin));
      const raws = chunks.every((c) => c.raw && c.raw.length === c.rows.length) ? joinLines(chunks.flatMap((c) => c.raw!)) : undefined;
      const source = chunks[0]!.origin.source;
      let backoff = o.retryMinMs ?? 200;
      for (let attempt = 1; ; attempt++) {
        try {
          const started = performance.now();
          // Same token on every retry: a block that did land the first time is dropped as a duplicate.
          if (raws) await insertJsonEachRow(ch, 'events', raws, { dedupToken: token });
          else await insertRows(ch, 'events', rows, { dedupToken: token });
          await insertRows(ch, 'staff', staffRows(rows), { dedupToken: `${token}:staff` });
          await insertRows(ch, 'dead_letters', dead, { dedupToken: `${token}:dead` });
          insertSeconds.observe((performance.now() - started) / 1000);
          batchRows.observe(rows.length);
          insertedTotal.inc({ source }, rows.length);
          if (down) {
            down = false;
            log.info({ attempt }, 'ClickHouse inserts succeed again');
            o.onUp?.();
          }
          return;
        } catch (e) {
          insertErrorsTotal.inc();
          if (!down) {
            down = true;
            o.onDown?.(e);
          }
          if (!o.keepTrying()) throw e;
          // Full jitter keeps several ingest instances from retrying in lock-step.
          const wait = Math.round(backoff / 2 + (Math.random() * backoff) / 2);
          log.warn({ err: e, attempt, rows: rows.length, retryInMs: wait }, 'ClickHouse insert failed; retrying');
          await sleep(wait);
          backoff = Math.min(backoff * 2, o.retryMaxMs);
        }
      }
    },
  };
}
