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
import { batchingFor, GroupCommit } from './group-commit.js';

export interface MessagePair {
  source_chat_id: number;
  source_message_id: number;
  target_chat_id: number;
  target_message_id: number;
  ticket_id: number | null;
  direction: 'in' | 'out';
}

interface ClaimItem {
  chatId: number;
  messageIds: readonly number[];
}

export class MessagePairRepo {
  /** Claims and records of concurrent relays (different customers), one statement each per tick (group-commit.ts). */
  private readonly claims: GroupCommit<ClaimItem, Map<number, boolean>> | undefined;
  private readonly saves: GroupCommit<readonly MessagePair[], undefined> | undefined;

  constructor(private readonly db: Queryable) {
    const batching = batchingFor(db);
    if (batching) {
      // One item per source message a statement: claiming one key twice in a statement is an error, and a
      // redelivered message's claim must see its first claim committed.
      const sourceKeys = (chatId: number, ids: readonly number[]) => ids.map((m) => `${chatId}:${m}`);
      this.claims = new GroupCommit((items) => this.claimNow(items), { ...batching, keys: (i) => sourceKeys(i.chatId, i.messageIds) });
      this.saves = new GroupCommit(
        async (items) => {
          await this.saveNow(items.flat(), this.db);
          return items.map(() => undefined);
        },
        { ...batching, keys: (ps) => ps.map((p) => `${p.source_chat_id}:${p.source_message_id}`) },
      );
    }
  }

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
    if (this.claims) return this.claims.run({ chatId, messageIds });
    return (await this.claimNow([{ chatId, messageIds }]))[0]!;
  }

  /** The claims of several chats in one statement; one map per item. */
  private async claimNow(items: readonly ClaimItem[]): Promise<Map<number, boolean>[]> {
    const params: unknown[] = [];
    const values = items.flatMap((it) =>
      it.messageIds.map((m) => {
        params.push(it.chatId, m);
        return `($${params.length - 1}::bigint, $${params.length}::int)`;
      }),
    );
    // xmax is 0 for a row this statement inserted, non-zero for one it updated (an orphaned claim taken over).
    const r = await this.db.query<{ c: number; m: number; orphaned: boolean }>(
      `INSERT INTO relay_inflight AS r (source_chat_id, source_message_id)
       SELECT c, m FROM (VALUES ${values.join(', ')}) AS t (c, m)
       WHERE NOT EXISTS (SELECT 1 FROM message_pairs p WHERE p.source_chat_id = t.c AND p.source_message_id = t.m)
       ON CONFLICT (source_chat_id, source_message_id) DO UPDATE SET orphaned = false, claimed_at = now() WHERE r.orphaned
       RETURNING source_chat_id AS c, source_message_id AS m, (r.xmax::text <> '0') AS orphaned`,
      params,
    );
    // Several items may be of one chat (the support group's replies in different topics): by source message.
    const out = items.map(() => new Map<number, boolean>());
    const owner = new Map(items.flatMap((it, i) => it.messageIds.map((m) => [`${it.chatId}:${m}`, i] as const)));
    for (const x of r.rows) out[owner.get(`${x.c}:${x.m}`)!]!.set(Number(x.m), Boolean(x.orphaned));
    return out;
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

  /**
   * Records pairs and, in the same statement, ends their claims; a pair that exists already is kept (first copy
   * wins). With the database itself, concurrent relays' pairs go in one statement (group commit).
   */
  async save(pairs: readonly MessagePair[], q: Queryable = this.db): Promise<void> {
    if (pairs.length === 0) return;
    if (this.saves && q === this.db) {
      await this.saves.run(pairs);
      return;
    }
    return this.saveNow(pairs, q);
  }

  private async saveNow(pairs: readonly MessagePair[], q: Queryable): Promise<void> {
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
