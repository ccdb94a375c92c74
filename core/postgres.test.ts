/**
 * The embedded PGlite: a first open creates the database in a child process (initPglite) and renames it into
 * place; later opens find it; Postgres runs with the small shared_buffers, on a thread of its own
 * (core/pglite-thread.mjs), one connection whose transactions stay whole (core/postgres.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { initPglite, openDatabase } from './postgres.js';

const tmp = tmpDataDir('desk-pglite-');
afterAll(() => tmp.cleanup());

describe('embedded PGlite', () => {
  it('creates the database on a first open, keeps it across opens, with shared_buffers 16MB', async () => {
    const cfg = { DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 };
    const first = await openDatabase(cfg);
    expect(first.mode).toBe('pglite');
    // initdb ran elsewhere and was renamed into place: nothing of it left beside the database
    expect(existsSync(join(tmp.dir, 'pglite', 'PG_VERSION'))).toBe(true);
    expect(readdirSync(tmp.dir)).toEqual(['pglite']);
    await first.query('CREATE TABLE kept (id int PRIMARY KEY)');
    await first.query('INSERT INTO kept VALUES (1), (2)');
    expect((await first.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows[0]?.shared_buffers).toBe('16MB');
    await first.close();

    // a second start: nothing to create, the data is there
    expect(await initPglite(cfg)).toBe(join(tmp.dir, 'pglite'));
    const again = await openDatabase(cfg);
    expect((await again.query<{ n: number }>('SELECT count(*)::int AS n FROM kept')).rows[0]?.n).toBe(2);
    await again.close();
  }, 120_000);
});

describe('PGlite on its own thread', () => {
  const cfg = () => ({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });

  it("a long statement does not stop this thread's event loop", async () => {
    const db = await openDatabase(cfg());
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      await db.query('SELECT pg_sleep(0.4)');
      clearInterval(timer);
      // In-process, Postgres' sleep held the thread: no tick at all.
      expect(ticks).toBeGreaterThanOrEqual(10);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('statements sent during a transaction run after it, in order; a rolled-back one leaves nothing; Postgres error fields come through', async () => {
    const db = await openDatabase(cfg());
    try {
      await db.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
      const seen: string[] = [];
      let inside!: () => void;
      const entered = new Promise<void>((r) => (inside = r));
      const tx = db.transaction(async (q) => {
        await q.query("INSERT INTO t VALUES (1, 'tx')");
        inside();
        await new Promise((r) => setTimeout(r, 100));
        seen.push((await q.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0]!.n === 1 ? 'tx sees its row' : 'tx sees more');
        throw new Error('roll back');
      });
      await entered;
      // Sent while the transaction is open: must neither run inside it nor before it ends.
      const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t').then((r) => seen.push(`after: ${r.rows[0]!.n}`));
      await expect(tx).rejects.toThrow('roll back');
      await outside;
      expect(seen).toEqual(['tx sees its row', 'after: 0']);

      await db.query("INSERT INTO t VALUES (2, 'x')");
      const dup = await db.query("INSERT INTO t VALUES (2, 'y')").catch((e: unknown) => e);
      expect(dup).toBeInstanceOf(Error);
      expect(dup).toMatchObject({ code: '23505', constraint: 't_pkey' });
      // int8 comes back as a number, timestamps as Dates, as on the PostgreSQL path
      const row = (await db.query<{ big: number; at: Date }>("SELECT 9007199254740991::int8 AS big, '2026-12-03T10:00:00Z'::timestamptz AS at")).rows[0]!;
      expect(row.big).toBe(9007199254740991);
      expect(row.at).toBeInstanceOf(Date);
      expect(row.at.toISOString()).toBe('2026-12-03T10:00:00.000Z');
    } finally {
      await db.close();
    }
  }, 60_000);

  it('after close, a statement fails with a clear error instead of hanging', async () => {
    const db = await openDatabase(cfg());
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toThrow(/PGlite/);
  }, 60_000);
});
