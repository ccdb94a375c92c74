/**
 * message_pairs: which message a relayed message became. Looked up before
 * relaying (idempotency: a redelivered update is not copied twice), for reply
 * threading (a reply to X becomes a reply to X's counterpart) and for edits.
 * Copy-then-record: the relay claims the source message (relay_inflight)
 * before the copy and save() ends the claim with the pair. A claim a crash
 * left (between the copy and its record) is orphaned when the desk starts
 * again (orphanClaims); claiming it then takes it over, so the redelivery
 * copies it again — at least once, and the relay flags the re-copy.
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

  /**
   * Claims the relay of source messages before their copy (their idempotency key, relay_inflight): returns
   * the ids claimed now — neither relayed (a pair) nor claimed by this process — each mapped to whether it
   * took over an orphaned claim (a copy a crash may have done already: copied again, to be flagged). One
   * statement, as before: a fresh key is inserted, an orphaned one taken over, a live one left alone.
   */
  async claim(chatId: number, messageIds: readonly number[]): Promise<Map<number, boolean>> {
    if (messageIds.length === 0) return new Map();
    const values = messageIds.map((_, i) => `($1::bigint, $${i + 2}::int)`).join(', ');
    // xmax is 0 for a row this statement inserted, non-zero for one it updated (an orphaned claim taken over).
    const r = await this.db.query<{ m: number; orphaned: boolean }>(
      `INSERT INTO relay_inflight AS r (source_chat_id, source_message_id)
       SELECT c, m FROM (VALUES ${values}) AS t (c, m)
       WHERE NOT EXISTS (SELECT 1 FROM message_pairs p WHERE p.source_chat_id = t.c AND p.source_message_id = t.m)
       ON CONFLICT (source_chat_id, source_message_id) DO UPDATE SET orphaned = false, claimed_at = now() WHERE r.orphaned
       RETURNING source_message_id AS m, (r.xmax::text <> '0') AS orphaned`,
      [chatId, ...messageIds],
    );
    return new Map(r.rows.map((x) => [Number(x.m), Boolean(x.orphaned)]));
  }

  /**
   * At the desk's start, before any update is handled: every claim left is a dead process's (a copy a crash
   * cut off, done or not) and becomes orphaned, so claiming it again takes it over. Returns how many.
   */
  async orphanClaims(): Promise<number> {
    return (await this.db.query('UPDATE relay_inflight SET orphaned = true WHERE NOT orphaned')).rowCount ?? 0;
  }

  /**
   * Gives claims back: their copy failed (nothing was copied), so a later attempt copies them. A claim taken over
   * from a dead process (`orphaned`: ids among `messageIds`) goes back orphaned instead: the dead process's copy may
   * have been done, so whichever attempt copies it later (a retry, a redelivery, the repair) still flags it.
   */
  async release(chatId: number, messageIds: readonly number[], orphaned: ReadonlySet<number> = new Set()): Promise<void> {
    if (messageIds.length === 0) return;
    const back = messageIds.filter((id) => orphaned.has(id));
    const free = messageIds.filter((id) => !orphaned.has(id));
    if (free.length) await this.db.query('DELETE FROM relay_inflight WHERE source_chat_id = $1 AND source_message_id = ANY($2::int[])', [chatId, free]);
    if (back.length)
      await this.db.query('UPDATE relay_inflight SET orphaned = true WHERE source_chat_id = $1 AND source_message_id = ANY($2::int[])', [chatId, back]);
  }

  /** Records pairs and, in the same statement, ends their claims; a pair that exists already is kept (first copy wins). */
  async save(pairs: readonly MessagePair[], q: Queryable = this.db): Promise<void> {
    if (pairs.length === 0) return;
    const params: unknown[] = [];
    const values = pairs.map((p) => {
      params.push(p.source_chat_id, p.source_message_id, p.target_chat_id, p.target_message_id, p.ticket_id, p.direction);
      const n = params.length;
      return `($${n - 5}::bigint, $${n - 4}::int, $${n - 3}::bigint, $${n - 2}::int, $${n - 1}::bigint, $${n}::text)`;
    });
    await q.query(
      `WITH p (source_chat_id, source_message_id, target_chat_id, target_message_id, ticket_id, direction) AS (VALUES ${values.join(', ')}),
       ended AS (DELETE FROM relay_inflight r USING p WHERE r.source_chat_id = p.source_chat_id AND r.source_message_id = p.source_message_id)
       INSERT INTO message_pairs (source_chat_id, source_message_id, target_chat_id, target_message_id, ticket_id, direction)
       SELECT * FROM p ON CONFLICT DO NOTHING`,
      params,
    );
  }
}
