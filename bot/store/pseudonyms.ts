/**
 * Pseudonymous customer ids for analytics (issue 17, item 8). ClickHouse never
 * sees a customer's Telegram id: every event's `customer_id` is
 *
 *   HMAC-SHA256(key, decimal Telegram id), first 8 bytes, low 53 bits (0 → 1)
 *
 * with a random 32-byte key per customer kept only in PostgreSQL
 * (`customer_keys`, migration 140). Why this shape:
 *  - keyed and per customer: without the key nobody can test "is event X
 *    Telegram user Y?" (an unkeyed hash of a 10-digit id is reversed by trying
 *    them all); deleting one customer's key (bot/store/privacy.ts) makes exactly
 *    their events unlinkable, for good, and touches no other customer;
 *  - stable while the key lives: per-customer metrics (repeat contacts,
 *    resolutions per customer) count the same as with the raw id;
 *  - a positive integer below 2^53: the existing Int64 `customer_id` column, its
 *    views and the events' JSON number stay as they are (no ClickHouse
 *    migration), and JavaScript reads it exactly. Two customers share a
 *    pseudonym with probability ~n²/2^54 (one in a million at 100 000 customers):
 *    an error far below any metric's precision.
 *
 * The mapping happens in one place, bot/store/outbox.ts: a ticket's events take
 * the pseudonym cached on the ticket row (tickets.analytics_id, set when it
 * opens); any other event with a customer_id is mapped there before it is
 * written. A customer who writes again after an erasure gets a new key and so
 * a new pseudonym.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Queryable } from '../../core/postgres.js';

const LOW_53 = (1n << 53n) - 1n;

/** The pseudonym of `telegramId` under `key` (32 bytes). */
export function pseudonymOf(key: Uint8Array, telegramId: number): number {
  const mac = createHmac('sha256', key).update(String(telegramId), 'utf8').digest();
  const n = Number(mac.readBigUInt64BE(0) & LOW_53);
  return n === 0 ? 1 : n;
}

/**
 * The pseudonyms of these customers, creating a key for anyone who has none yet
 * (in the caller's transaction, so a key is created with the first row that needs it).
 */
export async function analyticsIds(q: Queryable, telegramIds: readonly number[]): Promise<Map<number, number>> {
  const ids = [...new Set(telegramIds)];
  const out = new Map<number, number>();
  if (ids.length === 0) return out;
  // Two reads at most: a concurrent creator's key is visible to the second one (read committed).
  for (let attempt = 0; attempt < 2 && out.size < ids.length; attempt++) {
    const missing = ids.filter((id) => !out.has(id));
    const r = await q.query<{ customer_id: string | number; key: string }>(
      `WITH ins AS (
         INSERT INTO customer_keys (customer_id, key)
         SELECT id, decode(k, 'hex') FROM unnest($1::bigint[], $2::text[]) AS n(id, k)
         ON CONFLICT (customer_id) DO NOTHING
         RETURNING customer_id, encode(key, 'hex') AS key)
       SELECT customer_id, key FROM ins
       UNION ALL
       SELECT customer_id, encode(key, 'hex') FROM customer_keys WHERE customer_id = ANY($1::bigint[])`,
      [missing, missing.map(() => randomBytes(32).toString('hex'))],
    );
    for (const row of r.rows) out.set(Number(row.customer_id), pseudonymOf(Buffer.from(row.key, 'hex'), Number(row.customer_id)));
  }
  if (out.size < ids.length) throw new Error('customer key not readable after creating it');
  return out;
}

/** The pseudonym events carry for this Telegram user (tests compare events with it). */
export async function analyticsIdOf(q: Queryable, telegramId: number): Promise<number> {
  return (await analyticsIds(q, [telegramId])).get(telegramId)!;
}
