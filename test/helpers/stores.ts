/**
 * The desk's two store engines for tests that must hold on both: PGlite in a scratch DATA_DIR, and the real
 * PostgreSQL of `TEST_DATABASE_URL` (scripts/services.sh; the README's test command sets it) in a schema of its
 * own, dropped by `cleanup()`. Without TEST_DATABASE_URL opening the PostgreSQL engine fails with the fix — a
 * store test never passes silently on one engine.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type Db, openDatabase } from '../../core/postgres.js';

export type StoreEngine = [name: 'pglite' | 'postgres', open: () => Promise<Db>];

export function storeEngines(o: { dataDir: string; schemaPrefix: string; poolSize?: number }): { engines: StoreEngine[]; cleanup(): Promise<void> } {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const schema = `${o.schemaPrefix}_${randomUUID().slice(0, 8)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  return {
    engines: [
      ['pglite', () => openDatabase({ DATA_DIR: o.dataDir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 })],
      [
        'postgres',
        async () => {
          if (!databaseUrl) throw new Error('TEST_DATABASE_URL is required: run `bash scripts/services.sh start` (the README test command does)');
          await admin(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
          const url = new URL(databaseUrl);
          url.searchParams.set('options', `-c search_path=${schema}`);
          return openDatabase({ DATA_DIR: o.dataDir, DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: o.poolSize ?? 8 });
        },
      ],
    ],
    cleanup: async () => {
      if (databaseUrl) await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}
