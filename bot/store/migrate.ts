/**
 * Bot state migrations: `bot/store/migrations/NNN_name.sql`, applied in number
 * order, each in its own transaction together with its `bot_migrations` row,
 * so a migration is either fully applied and recorded or not at all. An
 * advisory lock keeps two processes starting at once from racing.
 * Ranges: 001–019 desk core, 020–039 service features, 040–049 monitoring.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitStatements } from '../../core/migrate.js';
import type { Db } from '../../core/postgres.js';

export const BOT_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Arbitrary constant for pg_advisory_xact_lock: "bot migrations". */
const LOCK_ID = 7_000_000_001;

export interface BotMigration {
  version: number;
  name: string;
  statements: string[];
  checksum: string;
}

export function loadBotMigrations(dir = BOT_MIGRATIONS_DIR): BotMigration[] {
  const seen = new Map<number, string>();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const m = /^(\d{3})_([\w-]+)\.sql$/.exec(file);
      if (!m) throw new Error(`bot migration file name must be NNN_name.sql: ${file}`);
      const version = Number(m[1]);
      if (seen.has(version)) throw new Error(`two bot migrations share number ${version}: ${seen.get(version)} and ${file}`);
      seen.set(version, file);
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version, name: m[2]!, statements: splitStatements(sql), checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16) };
    })
    .sort((a, b) => a.version - b.version);
}

export async function migrateBot(db: Db, opts: { dir?: string; log?: (msg: string) => void } = {}): Promise<{ applied: number[] }> {
  await db.query(`CREATE TABLE IF NOT EXISTS bot_migrations (
    version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  for (const m of loadBotMigrations(opts.dir)) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
      const prev = await tx.query<{ checksum: string }>('SELECT checksum FROM bot_migrations WHERE version = $1', [m.version]);
      if (prev.rows[0]) {
        if (prev.rows[0].checksum !== m.checksum)
          throw new Error(`bot migration ${m.version}_${m.name} changed after it was applied; add a new migration instead`);
        return false;
      }
      for (const s of m.statements) {
        try {
          await tx.query(s);
        } catch (e) {
          throw new Error(`bot migration ${m.version}_${m.name} failed: ${(e as Error).message}\n--- statement ---\n${s}`);
        }
      }
      await tx.query('INSERT INTO bot_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      return true;
    });
    if (done) {
      applied.push(m.version);
      opts.log?.(`applied bot migration ${m.version}_${m.name}`);
    }
  }
  return { applied };
}
