/**
 * Insert deduplication tokens.
 *
 * ClickHouse drops an inserted block whose token it has seen among the last
 * `non_replicated_deduplication_window` blocks of the table, so a retried insert
 * — after a timeout that actually succeeded, or after a crash between insert and
 * offset commit that redelivers the same range — is written once. The token names
 * exactly what the block holds: the source ranges (topic, partition, first..last
 * offset; or file digest and line range for an import).
 *
 * A token only catches a retry of the *same* ranges. After a crash the bus may
 * cut the redelivered messages differently; then the events table's
 * ReplacingMergeTree(event_id) still collapses the copies, and analytics read
 * with FINAL / by event_id — correctness never rests on the token alone.
 */
import { createHash } from 'node:crypto';

export interface Origin {
  /** 'kafka' | 'embedded' | 'import' */
  source: string;
  /** Topic, or `file:<digest>` for an import. */
  topic: string;
  partition: number;
  /** First and last offset (or line number) of the range, inclusive, as decimal strings. */
  first: string;
  last: string;
}

const READABLE_MAX = 160;

export function originKey(o: Origin): string {
  return `${o.source}:${o.topic}/${o.partition}:${o.first}-${o.last}`;
}

/** Stable for the same set of ranges, whatever order they were batched in. */
export function dedupToken(origins: readonly Origin[]): string {
  if (origins.length === 0) throw new Error('dedupToken needs at least one origin');
  const canonical = [...origins]
    .sort((a, b) => a.source.localeCompare(b.source) || a.topic.localeCompare(b.topic) || a.partition - b.partition || compareDecimal(a.first, b.first))
    .map(originKey)
    .join(',');
  // Readable in system tables when short; a digest when a batch spans many partitions.
  return canonical.length <= READABLE_MAX ? `ingest:${canonical}` : `ingest:sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

function compareDecimal(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
