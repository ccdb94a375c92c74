/** customers: one row per Telegram user who wrote to the bot, with their topic. */
import type { Queryable } from '../../core/postgres.js';
import { batchingFor, GroupCommit } from './group-commit.js';
import { ticketFromJson, type Customer, type Ticket } from './types.js';

/** What a customer's update needs first, read in one round trip. */
export interface CustomerContext {
  customer: Customer;
  /** The customer's open ticket, if any. */
  openTicket: Ticket | undefined;
  /** Whether the probed message was relayed already (a redelivered update). */
  relayed: boolean;
}

export interface TelegramUserLike {
  id: number;
  first_name: string;
  last_name?: string | undefined;
  username?: string | undefined;
  language_code?: string | undefined;
}

function customerFromJson(j: Record<string, unknown>): Customer {
  return { ...j, created_at: new Date(j.created_at as string), updated_at: new Date(j.updated_at as string) } as unknown as Customer;
}

/** Whether the stored profile differs from the one in the update (what upsert would write). */
function profileChanged(c: Customer, u: TelegramUserLike, isVip: boolean): boolean {
  return (
    c.first_name !== (u.first_name ?? '') ||
    c.last_name !== (u.last_name ?? null) ||
    c.username !== (u.username ?? null) ||
    c.is_vip !== isVip ||
    (c.language_code === null && u.language_code !== undefined && u.language_code !== null)
  );
}

interface ContextRow {
  customer: Customer | null;
  open_ticket: Record<string, unknown> | null;
  relayed: boolean;
}

interface ContextProbe {
  customerId: number;
  chatId: number;
  messageId: number;
}

export class CustomerRepo {
  /** Concurrent updates' first reads (different customers), one statement per tick (group-commit.ts). */
  private readonly contexts: GroupCommit<ContextProbe, ContextRow> | undefined;

  constructor(private readonly db: Queryable) {
    const batching = batchingFor(db);
    if (batching) this.contexts = new GroupCommit((items) => this.readContexts(items, this.db), batching);
  }

  async get(id: number, q: Queryable = this.db): Promise<Customer | undefined> {
    return (await q.query<Customer>('SELECT * FROM customers WHERE id = $1', [id])).rows[0];
  }

  async byThread(threadId: number, q: Queryable = this.db): Promise<Customer | undefined> {
    return (await q.query<Customer>('SELECT * FROM customers WHERE thread_id = $1', [threadId])).rows[0];
  }

  /**
   * Inserts or refreshes the profile from the latest update and returns the row.
   * Writes only when something changed (most updates change nothing, and a
   * write per message would cost a row version each); keeps a stored language.
   */
  async upsert(u: TelegramUserLike, isVip: boolean, q: Queryable = this.db): Promise<Customer> {
    const r = await q.query<Customer>(
      `WITH up AS (
         INSERT INTO customers (id, first_name, last_name, username, language_code, is_vip)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET
           first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, username = EXCLUDED.username,
           language_code = COALESCE(customers.language_code, EXCLUDED.language_code),
           is_vip = EXCLUDED.is_vip, updated_at = now()
         WHERE (customers.first_name, customers.last_name, customers.username, customers.is_vip)
               IS DISTINCT FROM (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.username, EXCLUDED.is_vip)
            OR (customers.language_code IS NULL AND EXCLUDED.language_code IS NOT NULL)
         RETURNING *)
       SELECT * FROM up
       UNION ALL
       SELECT * FROM customers WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM up)`,
      [u.id, u.first_name ?? '', u.last_name ?? null, u.username ?? null, u.language_code ?? null, isVip],
    );
    return r.rows[0]!;
  }

  /**
   * The profile (refreshed if it changed), the open ticket and whether a
   * message was relayed already — the reads every customer message needs — in
   * one read; the upsert runs only for a new customer or a changed profile.
   */
  async touch(u: TelegramUserLike, isVip: boolean, probe?: { chatId: number; messageId: number }, q: Queryable = this.db): Promise<CustomerContext> {
    const item = { customerId: u.id, chatId: probe?.chatId ?? 0, messageId: probe?.messageId ?? 0 };
    const row = this.contexts && q === this.db ? await this.contexts.run(item) : (await this.readContexts([item], q))[0]!;
    const stored = row.customer ? customerFromJson(row.customer as unknown as Record<string, unknown>) : undefined;
    const customer = stored && !profileChanged(stored, u, isVip) ? stored : await this.upsert(u, isVip, q);
    return { customer, openTicket: row.open_ticket ? ticketFromJson(row.open_ticket) : undefined, relayed: row.relayed };
  }

  /** touch's read for several updates in one statement, one row per probe in order. */
  private async readContexts(items: readonly ContextProbe[], q: Queryable): Promise<ContextRow[]> {
    const params = items.flatMap((p, n) => [n, p.customerId, p.chatId, p.messageId]);
    const values = items.map((_, n) => `($${4 * n + 1}::int, $${4 * n + 2}::bigint, $${4 * n + 3}::bigint, $${4 * n + 4}::int)`);
    const r = await q.query<ContextRow & { n: number }>(
      `SELECT v.n,
         (SELECT row_to_json(c) FROM customers c WHERE c.id = v.id) AS customer,
         (SELECT to_jsonb(t) FROM tickets t WHERE t.customer_id = v.id AND t.status <> 'resolved') AS open_ticket,
         EXISTS (SELECT 1 FROM message_pairs p WHERE p.source_chat_id = v.chat AND p.source_message_id = v.msg) AS relayed
       FROM (VALUES ${values.join(', ')}) AS v (n, id, chat, msg)`,
      params,
    );
    const out: ContextRow[] = [];
    for (const row of r.rows) out[Number(row.n)] = row;
    return out;
  }

  async setLanguage(id: number, code: string, q: Queryable = this.db): Promise<void> {
    await q.query('UPDATE customers SET language_code = $2, updated_at = now() WHERE id = $1', [id, code]);
  }

  async setBanned(id: number, banned: boolean, q: Queryable = this.db): Promise<void> {
    await q.query('UPDATE customers SET banned = $2, updated_at = now() WHERE id = $1', [id, banned]);
  }

  /** Returns true when the flag changed (so the agent is told once). */
  async setBlockedBot(id: number, blocked: boolean, q: Queryable = this.db): Promise<boolean> {
    const r = await q.query('UPDATE customers SET blocked_bot = $2, updated_at = now() WHERE id = $1 AND blocked_bot <> $2', [id, blocked]);
    return r.rowCount > 0;
  }

  /**
   * Takes the lease to create this customer's topic. True: the caller creates
   * it and calls setThread. False: someone else holds a live lease or a topic exists.
   */
  async claimTopic(id: number, token: string, leaseSeconds: number, q: Queryable = this.db): Promise<boolean> {
    const r = await q.query(
      `UPDATE customers SET topic_claim = $2, topic_claim_at = now()
       WHERE id = $1 AND thread_id IS NULL
         AND (topic_claim IS NULL OR topic_claim_at < now() - make_interval(secs => $3))`,
      [id, token, leaseSeconds],
    );
    return r.rowCount > 0;
  }

  /**
   * Records the customer's new topic. Telegram never reuses a topic id within
   * a chat, so another customer still holding this id holds a stale mapping
   * (the support group was replaced, or a sandbox started afresh on old
   * state): that mapping is dropped first, and that customer gets a new topic
   * when they write again. Returns false when the lease was lost.
   */
  async setThread(id: number, threadId: number, token: string, q: Queryable = this.db): Promise<{ set: boolean; evicted: number[] }> {
    const evicted = await q.query<{ id: number }>(
      `UPDATE customers SET thread_id = NULL, updated_at = now()
       WHERE thread_id = $2 AND id <> $1 AND EXISTS (SELECT 1 FROM customers WHERE id = $1 AND topic_claim = $3)
       RETURNING id`,
      [id, threadId, token],
    );
    const r = await q.query(
      `UPDATE customers SET thread_id = $2, topic_claim = NULL, topic_claim_at = NULL, updated_at = now()
       WHERE id = $1 AND topic_claim = $3`,
      [id, threadId, token],
    );
    return { set: r.rowCount > 0, evicted: evicted.rows.map((e) => Number(e.id)) };
  }

  async releaseClaim(id: number, token: string, q: Queryable = this.db): Promise<void> {
    await q.query('UPDATE customers SET topic_claim = NULL, topic_claim_at = NULL WHERE id = $1 AND topic_claim = $2', [id, token]);
  }

  /** Forgets a topic that no longer exists (only if it is still the one we knew). */
  async forgetThread(id: number, threadId: number, q: Queryable = this.db): Promise<void> {
    await q.query('UPDATE customers SET thread_id = NULL, updated_at = now() WHERE id = $1 AND thread_id = $2', [id, threadId]);
  }
}
