/**
 * Test fixtures for SLA monitoring: a PGlite ticket store with the desk's
 * contract columns (docs/CONTRACTS.md) and the monitoring migrations applied,
 * and a terse ticket factory.
 *
 * When the desk's migration runner (bot/store/migrate.ts) is present it is
 * used, so the tests run against the real schema; the inline contract tables
 * only stand in until then.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Db, type Queryable } from '../core/postgres.js';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'bot', 'store', 'migrations');

const CONTRACT_TABLES = `
CREATE TABLE IF NOT EXISTS customers (
  id bigint PRIMARY KEY, first_name text, language_code text, thread_id int,
  is_vip bool NOT NULL DEFAULT false, banned bool NOT NULL DEFAULT false, blocked_bot bool NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS tickets (
  id bigserial PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL, queue text NOT NULL,
  category text, language text, agent_id bigint, created_at timestamptz NOT NULL,
  first_response_at timestamptz, first_response_due_at timestamptz NOT NULL, resolution_due_at timestamptz NOT NULL,
  resolved_at timestamptz, reopened_count int NOT NULL DEFAULT 0, agent_replies int NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now());
`;

/** Opens PGlite in `dataDir` with the ticket store and every monitoring migration (040–049). */
export async function openTestStore(dataDir: string): Promise<Db> {
  const db = await openDatabase({ DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1, DATA_DIR: dataDir });
  const deskMigrate = join(MIGRATIONS_DIR, '..', 'migrate.ts');
  if (existsSync(deskMigrate)) {
    const mod = (await import(deskMigrate)) as { migrate?: (db: Db) => Promise<unknown> };
    if (typeof mod.migrate === 'function') {
      await mod.migrate(db);
      return db;
    }
  }
  for (const stmt of splitSql(CONTRACT_TABLES)) await db.query(stmt);
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => /^04\d_.*\.sql$/.test(f)).sort()) {
    for (const stmt of splitSql(readFileSync(join(MIGRATIONS_DIR, f), 'utf8'))) await db.query(stmt);
  }
  return db;
}

function splitSql(sql: string): string[] {
  return sql
    .split('\n')
    .filter((l) => !/^\s*--/.test(l))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface TicketSeed {
  customerId?: number;
  firstName?: string;
  threadId?: number | null;
  queue?: string;
  status?: string;
  createdAt: Date;
  firstResponseAt?: Date | null;
  firstResponseDueAt: Date;
  resolutionDueAt?: Date;
  resolvedAt?: Date | null;
  agentId?: number | null;
}

let nextCustomer = 500_000;

/** Inserts a customer (if new) and a ticket; returns the ticket id. */
export async function seedTicket(db: Queryable, t: TicketSeed): Promise<number> {
  const customerId = t.customerId ?? nextCustomer++;
  await db.query(
    `INSERT INTO customers (id, first_name, language_code, thread_id, is_vip, banned, blocked_bot, created_at)
     VALUES ($1, $2, 'en', $3, false, false, false, now()) ON CONFLICT (id) DO NOTHING`,
    [customerId, t.firstName ?? `Customer ${customerId}`, t.threadId === undefined ? 100 + (customerId % 1000) : t.threadId],
  );
  const r = await db.query<{ id: number }>(
    `INSERT INTO tickets (customer_id, status, queue, language, agent_id, created_at, first_response_at,
                          first_response_due_at, resolution_due_at, resolved_at, updated_at)
     VALUES ($1, $2, $3, 'en', $4, $5, $6, $7, $8, $9, now()) RETURNING id`,
    [
      customerId,
      t.status ?? 'waiting_agent',
      t.queue ?? 'L1',
      t.agentId ?? null,
      t.createdAt,
      t.firstResponseAt ?? null,
      t.firstResponseDueAt,
      t.resolutionDueAt ?? new Date(t.createdAt.getTime() + 4 * 3600_000),
      t.resolvedAt ?? null,
    ],
  );
  return r.rows[0]!.id;
}
