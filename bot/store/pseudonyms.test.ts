/**
 * Pseudonymous customer ids (bot/store/pseudonyms.ts): the keyed hash itself, one key per customer created
 * once, and the guard that keeps the mapping in one place — no desk code but the outbox builds events or
 * writes outbox rows, so no event can reach analytics with a Telegram id as its customer_id.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/postgres.js';
import { openTestStore } from '../../sla/exporter/test-support.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { Outbox } from './outbox.js';
import { analyticsIdOf, analyticsIds, pseudonymOf } from './pseudonyms.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tmpDataDir('desk-pseudonyms-');
let db: Db;
beforeAll(async () => {
  db = await openTestStore(tmp.dir);
});
afterAll(async () => {
  await db?.close();
  tmp.cleanup();
});

describe('pseudonymOf', () => {
  const key = Buffer.alloc(32, 7);
  it('is a stable positive integer below 2^53, different per key and per id', () => {
    const p = pseudonymOf(key, 7_301_234_567);
    expect(p).toBe(pseudonymOf(Buffer.from(key), 7_301_234_567));
    expect(Number.isSafeInteger(p) && p > 0).toBe(true);
    expect(pseudonymOf(Buffer.alloc(32, 8), 7_301_234_567)).not.toBe(p);
    expect(pseudonymOf(key, 7_301_234_568)).not.toBe(p);
    const many = new Set(Array.from({ length: 10_000 }, (_, i) => pseudonymOf(key, 1_000_000 + i)));
    expect(many.size).toBe(10_000);
    for (const x of many) expect(x >= 1 && x <= Number.MAX_SAFE_INTEGER).toBe(true);
  });
});

describe('customer keys', () => {
  it('are created once per customer, random, and give the same pseudonym while they live', async () => {
    const a = await analyticsIdOf(db, 501);
    expect(await analyticsIdOf(db, 501)).toBe(a);
    const both = await analyticsIds(db, [501, 502, 502]);
    expect(both.get(501)).toBe(a);
    expect(both.get(502)).not.toBe(a);
    const keys = (await db.query<{ customer_id: number; key: string }>(`SELECT customer_id, encode(key, 'hex') AS key FROM customer_keys ORDER BY customer_id`))
      .rows;
    expect(keys.map((k) => k.customer_id)).toEqual([501, 502]);
    expect(keys[0]!.key).toMatch(/^[0-9a-f]{64}$/);
    expect(keys[0]!.key).not.toBe(keys[1]!.key);
    // a key deleted (an erasure) cannot be recomputed: a new one gives another pseudonym
    await db.query('DELETE FROM customer_keys WHERE customer_id = 501');
    expect(await analyticsIdOf(db, 501)).not.toBe(a);
  });

  it('map every customer_id the outbox writes; a ticket row without its pseudonym gets it, or build() refuses it', async () => {
    const outbox = new Outbox('support.events');
    await db.transaction((tx) =>
      outbox.append(tx, [
        { type: 'spam_blocked', occurred_at: new Date().toISOString(), customer_id: 503, reason: 'link' },
        { type: 'spam_blocked', occurred_at: new Date().toISOString(), customer_id: null, reason: 'link' },
      ]),
    );
    const written = (await db.query<{ payload: { customer_id: number | null } }>(`SELECT payload FROM outbox ORDER BY id`)).rows.map((r) =>
      typeof r.payload === 'string' ? (JSON.parse(r.payload) as { customer_id: number | null }) : r.payload,
    );
    expect(written.map((e) => e.customer_id)).toEqual([await analyticsIdOf(db, 503), null]);
    const ticket = { id: 1, customer_id: 503, created_at: new Date(), version: 0, agent_id: null, queue: 'L1', category: null, language: null } as never;
    expect(() => outbox.build(ticket, [{ type: 'category_selected', occurred_at: new Date().toISOString() }])).toThrow(/no analytics id/);
  });
});

describe('the one place events are built', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return f === 'node_modules' || f === 'web' ? [] : sources(p);
      return /\.ts$/.test(f) && !/\.test\.ts$/.test(f) ? [p] : [];
    });

  it('is bot/store/outbox.ts: no other desk code calls makeEvent or inserts outbox rows (the ticket service writes what the outbox built)', () => {
    const offenders = ['bot', 'sla', 'simulator', 'scripts']
      .flatMap((d) => sources(join(ROOT, d)))
      .filter((f) => /\bmakeEvent\s*[<(]|INSERT INTO outbox\b/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders.sort()).toEqual(['bot/store/outbox.ts', 'bot/tickets/service.ts']);
    // and the ticket service's own insert takes its payloads from Outbox.build
    expect(readFileSync(join(ROOT, 'bot/tickets/service.ts'), 'utf8')).toMatch(/const payloads = this\.o\.outbox\.build\(/);
  });
});
