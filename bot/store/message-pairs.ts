/**
 * message_pairs: which message a relayed message became. Looked up before
 * relaying (idempotency: a redelivered update is not copied twice), for reply
 * threading (a reply to X becomes a reply to X's counterpart) and for edits.
 */
import type { Queryable } from '../../core/postgres.js';

export interface MessagePair {
  source_chat_id: number;
  source_message_id: number;
  target_chat_id: number;
  target_message_id: number;
  ticket_id: number | null;
  direction: 'in' | 'out';
}

export class MessagePairRepo {
  constructor(private readonly db: Queryable) {}

  async bySource(chatId: number, messageId: number): Promise<MessagePair | undefined> {
    return (await this.db.query<MessagePair>('SELECT * FROM message_pairs WHERE source_chat_id = $1 AND source_message_id = $2', [chatId, messageId])).rows[0];
  }

  /** The message in the other chat that corresponds to (chatId, messageId), whichever side was the source. */
  async counterpart(chatId: number, messageId: number): Promise<number | undefined> {
    const r = await this.db.query<{ m: number }>(
      `SELECT target_message_id AS m FROM message_pairs WHERE source_chat_id = $1 AND source_message_id = $2
       UNION ALL
       SELECT source_message_id AS m FROM message_pairs WHERE target_chat_id = $1 AND target_message_id = $2
       LIMIT 1`,
      [chatId, messageId],
    );
    return r.rows[0]?.m;
  }

  /** Records pairs; a pair that exists already is kept (first copy wins). */
  async save(pairs: readonly MessagePair[], q: Queryable = this.db): Promise<void> {
    if (pairs.length === 0) return;
    const params: unknown[] = [];
    const values = pairs.map((p) => {
      params.push(p.source_chat_id, p.source_message_id, p.target_chat_id, p.target_message_id, p.ticket_id, p.direction);
      const n = params.length;
      return `($${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
    });
    await q.query(
      `INSERT INTO message_pairs (source_chat_id, source_message_id, target_chat_id, target_message_id, ticket_id, direction)
       VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`,
      params,
    );
  }
}
