/**
 * The one way the project reaches its relational state.
 *
 * DATABASE_URL set → PostgreSQL through a `pg` pool. Unset → PGlite (Postgres
 * compiled to WASM) in DATA_DIR/pglite. Both speak the same SQL, so the bot's
 * migrations and queries run unchanged; callers only see `Db`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { defineConfig, env } from './env.js';

export const loadPostgresConfig = defineConfig('postgres', {
  DATABASE_URL: env.url({
    protocols: ['postgres:', 'postgresql:'],
    example: 'postgres://desk:PASSWORD@localhost:5432/desk',
    secret: true,
    doc: 'PostgreSQL URL for the bot state (tickets, topics, outbox). Unset: embedded PGlite in DATA_DIR/pglite.',
  }),
  DATABASE_POOL_SIZE: env.int({ default: 10, min: 1, doc: 'Connections in the PostgreSQL pool.' }),
  DATA_DIR: env.string({ default: './data', doc: 'Directory for all embedded state (chDB, PGlite, embedded bus log).' }),
});

// Read by docker-compose only (the Node code gets the password inside DATABASE_URL); declared here so
// the README table and .env.example list every password a deployment must set.
defineConfig('postgres', {
  POSTGRES_PASSWORD: env.optionalString({
    secret: true,
    doc: 'docker-compose only, required there: password of the PostgreSQL user "desk"; compose builds DATABASE_URL from it. The Node code does not read it.',
  }),
});
export type PostgresConfig = ReturnType<typeof loadPostgresConfig>;

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

export interface Db extends Queryable {
  mode: 'postgres' | 'pglite';
  /** Runs fn in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openDatabase(cfg: PostgresConfig = loadPostgresConfig()): Promise<Db> {
  if (cfg.DATABASE_URL) return openPostgres(cfg.DATABASE_URL, cfg.DATABASE_POOL_SIZE);
  const dir = join(cfg.DATA_DIR, 'pglite');
  mkdirSync(dir, { recursive: true });
  return openPglite(dir);
}

function openPostgres(url: string, max: number): Db {
  // int8 (ticket ids, Telegram ids, counts) as numbers: every id we store fits in 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max });
  const run = async <R>(c: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]): Promise<QueryResult<R>> => {
    const r = await c.query(sql, params as unknown[]);
    return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
  };
  return {
    mode: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dir: string): Promise<Db> {
  const db = await PGlite.create(dir, { parsers: { 20: (v: string) => Number(v) } });
  const wrap = <R>(r: { rows: unknown[]; affectedRows?: number }): QueryResult<R> => ({
    rows: r.rows as R[],
    // PGlite reports affectedRows 0 for SELECTs; pg's rowCount counts the rows returned.
    rowCount: Math.max(r.affectedRows ?? 0, r.rows.length),
  });
  return {
    mode: 'pglite',
    query: async (sql, params) => wrap(await db.query(sql, params)),
    transaction: (fn) => db.transaction((tx) => fn({ query: async (sql, params) => wrap(await tx.query(sql, params)) })),
    close: () => db.close(),
  };
}
