/**
 * The one way the project reaches its relational state.
 *
 * DATABASE_URL set → PostgreSQL through a `pg` pool. Unset → PGlite (Postgres
 * compiled to WASM) in DATA_DIR/pglite. Both speak the same SQL, so the bot's
 * migrations and queries run unchanged; callers only see `Db`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
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
  const dir = await initPglite(cfg);
  return openPglite(dir);
}

/**
 * PGlite's Postgres settings. shared_buffers: Postgres' buffer cache lives in PGlite's WebAssembly memory,
 * which never shrinks; at the compiled-in 128 MB it grew that memory from 128 to 189 MB and held ~110 MB more
 * resident than 16 MB does (bench/memory/pglite-parts.ts: 545 vs 435 MB RSS after the bot's migrations and
 * 2,000 queries). PGlite reads its files through the OS, whose page cache serves what the smaller cache drops,
 * and the bot's working set (open tickets, topics, the outbox) is small.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * Creates DATA_DIR/pglite with initdb unless it holds a database, in a short-lived child process, and
 * returns its path. In-process, initdb left PGlite at a 630 MB WebAssembly memory for the rest of the run
 * (a second PGlite instance and initdb's own module beside the real one) and took the first `npm start` to
 * 1.3 GB; the child's memory goes back when it exits. It initialises a sibling directory and renames it into
 * place, so a first run that dies half-way leaves no half-made database behind. `npm start` runs it as its
 * prestart step (scripts/start-initdb.ts), before the product's process exists; scripts/start.ts again before
 * chDB opens, for runs without npm — either way the child's ~0.8 GB peak is not added to chDB's.
 */
export async function initPglite(cfg: Pick<PostgresConfig, 'DATA_DIR'> = loadPostgresConfig()): Promise<string> {
  const dir = join(cfg.DATA_DIR, 'pglite');
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  mkdirSync(dir, { recursive: true });
  // Something else in the directory (not a database PGlite made): PGlite decides, in this process, as before.
  if (readdirSync(dir).length > 0) return dir;
  const fresh = `${dir}.initdb-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh);
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const code = [
    `const m = await import(${JSON.stringify(pglite)});`,
    'const { PGlite } = m.PGlite ? m : m.default;',
    `const db = await PGlite.create(${JSON.stringify(fresh)}, { startParams: ${JSON.stringify(PGLITE_START_PARAMS)} });`,
    'await db.close();',
  ].join('\n');
  const child = spawn(process.execPath, ['--input-type=module', '--eval', code], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-2000);
  });
  const exit = await new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  if (exit !== 0 || !existsSync(join(fresh, 'PG_VERSION'))) {
    rmSync(fresh, { recursive: true, force: true });
    throw new Error(`PGlite initdb in ${fresh} failed (exit ${exit}): ${stderr.trim()}`);
  }
  rmdirSync(dir);
  renameSync(fresh, dir);
  return dir;
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

/** What PGlite's thread (core/pglite-thread.mjs) answers a statement with. */
type ThreadReply =
  | { id: number; rows: unknown[]; affectedRows: number; error?: undefined }
  | { id: number; error: { message: string } & Record<string, unknown> };

/**
 * PGlite on a worker thread of its own (core/pglite-thread.mjs). Postgres runs synchronously inside
 * WebAssembly: on the desk's thread each statement stopped all else (HTTP, grammY, timers) for its whole run,
 * and at a steady 100 messages a second that thread was saturated, two thirds of it PGlite (BENCHMARKS.md).
 *
 * One connection, as before: statements run one at a time in the order sent. A transaction holds the
 * others back from BEGIN to COMMIT (they queue behind it, in order); outside one, statements go to the
 * thread at once, so it never waits for this thread to send the next.
 */
async function openPglite(dir: string): Promise<Db> {
  const worker = new Worker(new URL('./pglite-thread.mjs', import.meta.url), { workerData: { dir, startParams: PGLITE_START_PARAMS } });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => {
      worker.off('error', reject);
      resolve();
    });
  });
  const waiting = new Map<number, { resolve: (r: ThreadReply & { error?: undefined }) => void; reject: (e: Error) => void }>();
  // The thread keeps the process alive only while a statement is under way, as in-process PGlite did: a
  // command that forgets to close the database still exits when its work is done.
  worker.unref();
  let lastId = 0;
  let gone: Error | undefined;
  const failAll = (err: Error) => {
    gone ??= err;
    for (const w of waiting.values()) w.reject(gone);
    waiting.clear();
  };
  worker.on('message', (m: ThreadReply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (waiting.size === 0) worker.unref();
    // Postgres' fields (code, detail, constraint…) come along: callers test e.g. code 23505.
    if (m.error) w.reject(Object.assign(new Error(m.error.message), m.error));
    else w.resolve(m);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`PGlite's thread exited (code ${code})`)));
  const send = (msg: { sql: string; params?: unknown[] | undefined } | { close: true }) =>
    new Promise<ThreadReply & { error?: undefined }>((resolve, reject) => {
      if (gone) return reject(gone);
      const id = ++lastId;
      if (waiting.size === 0) worker.ref();
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...msg });
    });
  const run = async <R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> => {
    const r = await send({ sql, params });
    // PGlite reports affectedRows 0 for SELECTs; pg's rowCount counts the rows returned.
    return { rows: r.rows as R[], rowCount: Math.max(r.affectedRows, r.rows.length) };
  };
  // Transactions under way or waiting, and the end of the last one: statements queue behind it meanwhile.
  let transactions = 0;
  let afterLast: Promise<void> = Promise.resolve();
  const afterTransactions = <T>(next: () => Promise<T>): Promise<T> => (transactions === 0 ? next() : afterLast.then(next));
  const db: Db = {
    mode: 'pglite',
    query: (sql, params) => afterTransactions(() => run(sql, params)),
    async transaction(fn) {
      const before = afterLast;
      let done!: () => void;
      afterLast = new Promise<void>((r) => (done = r));
      transactions++;
      try {
        await before;
        await run('BEGIN');
        try {
          const out = await fn({ query: run });
          await run('COMMIT');
          return out;
        } catch (e) {
          await run('ROLLBACK').catch(() => undefined);
          throw e;
        }
      } finally {
        transactions--;
        done();
      }
    },
    async close() {
      await afterTransactions(() => send({ close: true })).catch(() => undefined);
      await worker.terminate();
    },
  };
  return db;
}
