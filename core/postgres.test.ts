/**
 * The embedded PGlite: a first open creates the database in a child process (initPglite) and renames it into
 * place; later opens find it; Postgres runs with the small shared_buffers (core/postgres.ts).
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
