/**
 * Writes batches to ClickHouse: valid events into `events`, agents' display
 * names from staff_updated events into `staff` (names stay out of `events`,
 * schemas/events.ts NOT_IN_EVENTS_TABLE), rejects into `dead_letters`, with a
 * deduplication token per batch. A failed insert is retried with exponential
 * back-off (and the caller is told ClickHouse is down, so it can stop reading)
 * until it succeeds or the caller gives up.
 */
import type { ClickHouseSettings } from '@clickhouse/client';
import { insertJsonEachRow, insertRowBinary, insertRows, tableColumns, type ClickHouse } from '../core/clickhouse.js';
import { logger } from '../core/log.js';
import { rowBinaryEncoder, Unencodable, type RowBinaryEncoder } from '../core/rowbinary.js';
import type { SupportEvent } from '../schemas/events.js';
import type { DeadLetterRow } from './decode.js';
import { dedupToken, type Origin } from './dedup.js';
import { batchRows, insertErrorsTotal, insertSeconds, insertedTotal } from './metrics.js';

const log = logger('ingest.sink');

export interface Chunk {
  origin: Origin;
  /**
   * The valid events — or, when `binary` holds them already encoded, only those the sink needs besides
   * (staff_updated, for `staff`): a backlog is held as ~140 bytes an event instead of parsed objects.
   */
  rows: readonly SupportEvent[];
  /** The rows' validated original JSON, when the source has it: inserted as is when they cannot go as RowBinary. */
  raw?: readonly Buffer[];
  /** The events already encoded for `events` (encodeChunkEvents), e.g. while the previous insert ran. */
  binary?: { body: Buffer; rows: number };
  dead: readonly DeadLetterRow[];
}

/** Events a chunk carries (for batch sizes and metrics). */
export const chunkEvents = (c: Chunk): number => (c.binary ? c.binary.rows : c.rows.length);

export interface SinkOptions {
  /** Longest back-off between retries, ms. */
  retryMaxMs: number;
  /** First back-off, ms. */
  retryMinMs?: number;
  /** Asked after every failure: false gives up (the caller is stopping). */
  keepTrying(): boolean;
  onDown?(err: unknown): void;
  onUp?(): void;
  /** Settings of the inserts into `events` (default EVENTS_INSERT_SETTINGS; the bench's old path: {}). */
  eventsSettings?: ClickHouseSettings;
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

/**
 * Settings of the ingest's inserts into `events` (measured 3 Dec, BENCHMARKS.md `## Ingest`):
 * - optimize_on_insert 0: the block is not collapsed as it is written. `events` is a ReplacingMergeTree and
 *   the views' tables Replacing or Aggregating, so every reader collapses across parts anyway (FINAL, -Merge);
 *   in chDB that in-block pass was ~10 % of the insert's CPU at 100,000-row inserts.
 * - parallel_view_processing 1: the materialized views of a block (six on events) run side by side rather than one
 *   after another, on the second core while the JS thread decodes the next batch (wall clock +11–16 % under load,
 *   within the noise on the quiet machine; CPU neutral).
 */
export const EVENTS_INSERT_SETTINGS: ClickHouseSettings = { optimize_on_insert: 0, parallel_view_processing: 1 };

/** One JSONEachRow body: the payloads, newline-separated. */
function joinLines(payloads: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of payloads) parts.push(p, NEWLINE);
  return Buffer.concat(parts);
}

/** The RowBinary encoder of `events` as the table is now (undefined: a column type it does not write; JSON then). */
export async function eventsEncoder(ch: ClickHouse): Promise<RowBinaryEncoder | undefined> {
  return rowBinaryEncoder(await tableColumns(ch, 'events'));
}

let unencodableLogged = false;

/**
 * The rows as a RowBinary body for `events`, or undefined when a value cannot be written faithfully
 * (core/rowbinary.ts Unencodable): those rows then go as JSON, and ClickHouse decides as it always did.
 */
export function encodeEvents(encoder: RowBinaryEncoder | undefined, rows: readonly SupportEvent[]): Buffer | undefined {
  if (!encoder || rows.length === 0) return undefined;
  try {
    return encoder.encode(rows);
  } catch (e) {
    if (!(e instanceof Unencodable)) throw e;
    if (!unencodableLogged) {
      unencodableLogged = true;
      log.warn({ err: e }, 'events not writable as RowBinary: this batch (and any such later) goes as JSON');
    }
    return undefined;
  }
}

/**
 * A chunk's events encoded for `events` ahead of the insert, keeping of the objects only what the sink still
 * needs (staff rows); the chunk as it is when there is no encoder or a value cannot be encoded.
 */
export function encodeChunkEvents(encoder: RowBinaryEncoder | undefined, chunk: Chunk): Chunk {
  const body = encodeEvents(encoder, chunk.rows);
  if (!body) return chunk;
  const { raw: _raw, ...rest } = chunk;
  return { ...rest, rows: chunk.rows.filter((e) => e.type === 'staff_updated'), binary: { body, rows: chunk.rows.length } };
}

/**
 * `encoder`: the RowBinary encoder of `events` (eventsEncoder), or undefined to insert JSON as before.
 * Events go as RowBinary when every value can be; a chunk whose events cannot (Unencodable) goes as JSON,
 * in an insert of its own beside the RowBinary one (token suffix `:json`, deterministic for a redelivery).
 */
export function createSink(ch: ClickHouse, o: SinkOptions, encoder?: RowBinaryEncoder): Sink {
  let down = false;
  const settings = o.eventsSettings ?? EVENTS_INSERT_SETTINGS;
  return {
    async write(chunks) {
      if (chunks.length === 0) return;
      const rows = chunks.length === 1 ? chunks[0]!.rows : chunks.flatMap((c) => c.rows);
      const events = chunks.reduce((n, c) => n + chunkEvents(c), 0);
      const dead = chunks.flatMap((c) => c.dead);
      const token = dedupToken(chunks.map((c) => c.origin));
      // RowBinary: the chunks' bodies, or encoded here; the chunks whose values cannot be encoded go as JSON.
      const bodies: Buffer[] = [];
      const asJson: Chunk[] = [];
      for (const c of chunks) {
        const body = c.binary?.body ?? encodeEvents(encoder, c.rows);
        if (body) bodies.push(body);
        else if (c.rows.length > 0) asJson.push(c);
      }
      const binary = bodies.length === 0 ? undefined : bodies.length === 1 ? bodies[0]! : Buffer.concat(bodies);
      const jsonRows = asJson.length === chunks.length ? rows : asJson.flatMap((c) => c.rows);
      const raws = asJson.every((c) => c.raw && c.raw.length === c.rows.length) ? joinLines(asJson.flatMap((c) => c.raw!)) : undefined;
      const jsonToken = binary ? `${token}:json` : token;
      const source = chunks[0]!.origin.source;
      let backoff = o.retryMinMs ?? 200;
      for (let attempt = 1; ; attempt++) {
        try {
          const started = performance.now();
          // Same token on every retry: a block that did land the first time is dropped as a duplicate.
          if (binary) await insertRowBinary(ch, 'events', encoder!.columns, binary, { dedupToken: token, settings });
          if (jsonRows.length > 0) {
            if (raws) await insertJsonEachRow(ch, 'events', raws, { dedupToken: jsonToken, settings });
            // objects go through the client, whose settings chDB makes session-wide: not these
            else await insertRows(ch, 'events', jsonRows, { dedupToken: jsonToken });
          }
          await insertRows(ch, 'staff', staffRows(rows), { dedupToken: `${token}:staff` });
          await insertRows(ch, 'dead_letters', dead, { dedupToken: `${token}:dead` });
          insertSeconds.observe((performance.now() - started) / 1000);
          batchRows.observe(events);
          insertedTotal.inc({ source }, events);
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
          log.warn({ err: e, attempt, rows: events, retryInMs: wait }, 'ClickHouse insert failed; retrying');
          await sleep(wait);
          backoff = Math.min(backoff * 2, o.retryMaxMs);
        }
      }
    },
  };
}
