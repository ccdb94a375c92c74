/**
 * Bus messages → rows for the `events` table, or dead letters with a reason.
 *
 * Events are flat and their field names are the table's column names
 * (schemas/events.ts ↔ schemas/clickhouse/001_events.sql), so a validated event
 * is inserted as it is: nulls become the column defaults (input_format_null_as_default).
 */
import type { ConsumedMessage } from '../core/bus/types.js';
import type { SupportEvent } from '../schemas/events.js';
import { decodeEvent } from '../schemas/validate.js';

/** A row of the `dead_letters` table (schemas/clickhouse/002_dead_letters.sql). */
export interface DeadLetterRow {
  source: string;
  topic: string;
  partition: number;
  offset: number;
  reason: string;
  detail: string;
  payload: string;
}

export interface Rejected {
  message: ConsumedMessage;
  row: DeadLetterRow;
}

export interface DecodedBatch {
  rows: SupportEvent[];
  /** The valid events' original bytes, in the order of rows (inserted as they are). */
  raw: Buffer[];
  rejected: Rejected[];
  /** Newest emitted_at among the valid events (ms), for the lag gauge. */
  maxEmittedAt: number | undefined;
}

/** Payloads are kept for diagnosis, bounded so one huge message cannot bloat the table. */
export const MAX_DEAD_PAYLOAD = 64 * 1024;

export function deadLetterRow(
  source: string,
  topic: string,
  partition: number,
  offset: number,
  reason: string,
  detail: string,
  raw: Buffer | string,
): DeadLetterRow {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  return {
    source,
    topic,
    partition,
    offset,
    reason,
    detail: detail.slice(0, 2_000),
    payload: text.length > MAX_DEAD_PAYLOAD ? `${text.slice(0, MAX_DEAD_PAYLOAD)}…[truncated ${text.length - MAX_DEAD_PAYLOAD} chars]` : text,
  };
}

export function decodeMessages(messages: readonly ConsumedMessage[], source: string): DecodedBatch {
  const rows: SupportEvent[] = [];
  const raws: Buffer[] = [];
  const rejected: Rejected[] = [];
  let maxEmittedAt: number | undefined;
  for (const m of messages) {
    const raw = m.value ?? Buffer.alloc(0);
    const d = decodeEvent(raw);
    if (d.ok) {
      rows.push(d.event);
      raws.push(raw);
      const t = Date.parse(d.event.emitted_at);
      if (maxEmittedAt === undefined || t > maxEmittedAt) maxEmittedAt = t;
    } else {
      const detail = m.value === null ? 'message has no value (tombstone)' : d.detail;
      rejected.push({ message: m, row: deadLetterRow(source, m.topic, m.partition, Number(m.offset), d.reason, detail, raw) });
    }
  }
  return { rows, raw: raws, rejected, maxEmittedAt };
}
