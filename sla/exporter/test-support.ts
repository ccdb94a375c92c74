/**
 * Test fixtures for SLA monitoring: a PGlite ticket store migrated with the
 * desk's own runner (bot/store/migrate.ts: desk tables + monitoring 040–049)
 * and a terse ticket factory.
 */
import { openDatabase, type Db, type Queryable } from '../../core/postgres.js';
import { migrateBot } from '../../bot/store/migrate.js';

/** Opens PGlite in `dataDir` with every bot migration applied. */
export async function openTestStore(dataDir: string): Promise<Db> {
  const db = await openDatabase({ DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1, DATA_DIR: dataDir });
  await migrateBot(db);
  return db;
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
