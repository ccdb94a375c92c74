/**
 * Loads a JSON Lines file of events through the ingest's insert path
 * (validation, the same sink, dead letters), in batches cut at fixed line
 * numbers: every block's dedup token is `file digest + line range`, so running
 * the same file again writes nothing new (within ClickHouse's deduplication
 * window; beyond it ReplacingMergeTree(event_id) still collapses the copies).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { ClickHouse } from '../core/clickhouse.js';
import type { SupportEvent } from '../schemas/events.js';
import { decodeEvent } from '../schemas/validate.js';
import { deadLetterRow, type DeadLetterRow } from './decode.js';
import { deadLettersTotal } from './metrics.js';
import { createSink, eventsEncoder } from './sink.js';

export interface RejectedLine {
  line: number;
  reason: string;
  detail: string;
}

export interface ImportSummary {
  file: string;
  /** `<name>@<digest>`: the dead_letters `topic` of this file's rejects. */
  source: string;
  lines: number;
  imported: number;
  blank: number;
  rejected: RejectedLine[];
}

export interface ImportOptions {
  batchSize: number;
  retryMaxMs?: number;
  /** Validate only; write nothing. */
  dryRun?: boolean;
  /** Called after every batch with bytes read so far. */
  onProgress?(bytesRead: number, totalBytes: number): void;
}

async function digestOf(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex').slice(0, 16);
}

export async function importFile(ch: ClickHouse | undefined, path: string, o: ImportOptions): Promise<ImportSummary> {
  const { size } = await stat(path);
  const source = `${basename(path)}@${await digestOf(path)}`;
  const sink = ch && !o.dryRun ? createSink(ch, { retryMaxMs: o.retryMaxMs ?? 10_000, keepTrying: () => true }, await eventsEncoder(ch)) : undefined;
  const summary: ImportSummary = { file: path, source, lines: 0, imported: 0, blank: 0, rejected: [] };

  let rows: SupportEvent[] = [];
  let dead: DeadLetterRow[] = [];
  let first = 1;
  let bytes = 0;
  // One insert in flight while the next batch is parsed.
  let inFlight: Promise<void> = Promise.resolve();

  const cut = async (last: number) => {
    const chunk = { origin: { source: 'import', topic: source, partition: 0, first: String(first), last: String(last) }, rows, dead };
    summary.imported += rows.length;
    rows = [];
    dead = [];
    first = last + 1;
    await inFlight;
    if (sink) inFlight = sink.write([chunk]);
    const read = bytes;
    o.onProgress?.(Math.min(read, size), size);
  };

  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const text of lines) {
    const n = ++summary.lines;
    bytes += Buffer.byteLength(text) + 1;
    if (text.trim() === '') summary.blank++;
    else {
      const d = decodeEvent(text);
      if (d.ok) rows.push(d.event);
      else {
        summary.rejected.push({ line: n, reason: d.reason, detail: d.detail });
        dead.push(deadLetterRow('import', source, 0, n, d.reason, d.detail, text));
        deadLettersTotal.inc({ reason: d.reason, source: 'import' });
      }
    }
    // Cut at fixed line numbers (not at a count of valid rows) so a re-run forms the same blocks.
    if (n - first + 1 >= o.batchSize) await cut(n);
  }
  if (summary.lines >= first) await cut(summary.lines);
  await inFlight;
  return summary;
}
