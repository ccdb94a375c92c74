/**
 * The dead-letter topic: a rejected message is republished unchanged (key,
 * value, its own headers) with headers saying why and where it came from, so it
 * can be inspected, fixed and replayed onto the events topic.
 */
import type { BusProducer, OutgoingMessage } from '../core/bus/types.js';
import type { Rejected } from './decode.js';

export const DLQ_HEADERS = {
  reason: 'dlq.reason',
  detail: 'dlq.detail',
  topic: 'dlq.original.topic',
  partition: 'dlq.original.partition',
  offset: 'dlq.original.offset',
  rejectedAt: 'dlq.rejected_at',
} as const;

export function toDeadLetterMessage(r: Rejected, now = new Date()): OutgoingMessage {
  return {
    key: r.message.key === null ? null : r.message.key.toString('utf8'),
    value: r.message.value ?? '',
    headers: {
      ...r.message.headers,
      [DLQ_HEADERS.reason]: r.row.reason,
      [DLQ_HEADERS.detail]: r.row.detail,
      [DLQ_HEADERS.topic]: r.message.topic,
      [DLQ_HEADERS.partition]: String(r.message.partition),
      [DLQ_HEADERS.offset]: r.message.offset,
      [DLQ_HEADERS.rejectedAt]: now.toISOString(),
    },
  };
}

export async function publishDeadLetters(producer: BusProducer, topic: string, rejected: readonly Rejected[]): Promise<void> {
  if (rejected.length === 0) return;
  const now = new Date();
  await producer.send(
    topic,
    rejected.map((r) => toDeadLetterMessage(r, now)),
  );
}
