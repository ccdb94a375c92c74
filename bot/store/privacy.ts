/**
 * A customer's right of access and right to erasure (issue 14 settings → privacy, issue 17 item 8):
 *
 *  - `exportCustomerData`: everything the desk's database holds about the customer, as JSON — profile,
 *    settings, tickets with their conversation (ticket_messages), notes, ratings, knowledge-base answers
 *    and follow-ups, held and waiting messages, broadcasts received, experiments, incidents, the staff's
 *    actions about them (what and when, not who), the pseudonym their analytics events carry, and the rows
 *    of any other table that keeps a `customer_id`.
 *  - `eraseCustomer`: one transaction. What names them or holds what they wrote is deleted — the profile
 *    (name, username, language), settings, relayed message pairs, the Mini App conversation, notes about
 *    them, held and waiting messages, scheduled jobs about them, broadcast deliveries, experiment
 *    assignments, incident samples and keys, and their analytics key (customer_keys): the pseudonym their events
 *    carry in ClickHouse can no longer be recomputed, so nothing there can be tied back to them, and no
 *    ClickHouse row changes (every total stays). Ticket rows stay for the desk's integrity (numbers,
 *    SLA history, ratings' scores, audit, incidents), moved to a row of their own that names nobody
 *    (customers.id = -(2^52 + n), banned and blocked, so nothing is ever sent to it); the audit rows that
 *    named the customer now name that row (migration 140 lets an erasure, and only that, do this). An
 *    open ticket is resolved first (resolved_by 'customer': they withdrew it), with its usual events.
 *    The support group's topic (copies of their messages, the card with their name) goes through a job
 *    the privacy feature runs (bot/features/privacy): deleted, or renamed "Deleted customer" and closed
 *    when the bot may not delete it. The erasure itself is audited (`data_deletion`, counts only).
 *
 * A customer who writes again afterwards is a new customer: a new row, a new key, a new pseudonym (their
 * new tickets are not repeat contacts of the erased ones).
 */
import type { Db, Queryable } from '../../core/postgres.js';
import { SlaPolicy } from '../../sla/policy.js';
import { recordAudit } from '../audit.js';
import { loadBotConfig } from '../config.js';
import { Outbox } from './outbox.js';
import { analyticsIdOf } from './pseudonyms.js';
import type { Ticket } from './types.js';

/** Where an erased customer's tickets move: below every Telegram chat id (supergroups are about -10^12). */
export const ERASED_ID_BASE = 2 ** 52;
export const isErasedCustomerId = (id: number): boolean => id <= -ERASED_ID_BASE;

/** The job that clears the erased customer's topic in the support group (bot/features/privacy). */
export const FORGET_TOPIC_JOB = 'privacy:forget-topic';

export interface EraseOptions {
  /** The staff member who erased the customer (/forget); absent: the customer asked themselves. */
  actorId?: number;
  /** The desk's outbox and SLA policy (an open ticket's resolution events); default: from the process configuration. */
  outbox?: Outbox;
  sla?: SlaPolicy;
  at?: Date;
}

export interface ErasureResult {
  /** The anonymous row the tickets now belong to; undefined when the desk knew nothing of the customer. */
  erasedId: number | undefined;
  tickets: number;
  /** The support group topic the job will clear. */
  threadId: number | null;
}

/** Tables whose rows about the customer are content (what they wrote, or what was written about them): deleted. */
const CONTENT_BY_TICKET = ['message_pairs', 'notes', 'ticket_messages', 'incident_samples'] as const;
/**
 * Rows about a ticket that hold ids and numbers only, kept with the ticket (moved to the anonymous row): a
 * rating's score, an incident's link. Any other table with a customer_id — settings, broadcast deliveries,
 * experiment assignments, incident keys (words of the first message), and whatever a later migration adds —
 * loses the customer's rows: deleting is the safe default for a table this file does not know.
 */
const KEPT_WITH_TICKET = new Set(['ratings', 'incident_links']);
/** Handled by name below or kept on purpose: never touched by the generic sweep. */
const NOT_SWEPT = new Set(['customers', 'customer_keys', 'tickets', 'audit_log', 'ticket_messages', 'held_messages', 'pending_deliveries', 'feature_jobs']);

let defaults: { outbox: Outbox; sla: SlaPolicy } | undefined;
function desk(o: EraseOptions): { outbox: Outbox; sla: SlaPolicy } {
  if (o.outbox && o.sla) return { outbox: o.outbox, sla: o.sla };
  if (!defaults) {
    const config = loadBotConfig();
    defaults = { outbox: new Outbox(config.eventsTopic), sla: new SlaPolicy(config.sla, config.businessHours, config.defaultQueue) };
  }
  return { outbox: o.outbox ?? defaults.outbox, sla: o.sla ?? defaults.sla };
}

async function exists(q: Queryable, table: string): Promise<boolean> {
  return (await q.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0]?.t != null;
}

/** Tables of the desk's schema with a `customer_id` column. */
async function customerTables(q: Queryable): Promise<{ table: string }[]> {
  const r = await q.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema() AND c.column_name = 'customer_id'
     ORDER BY c.table_name`,
  );
  return r.rows.map((row) => ({ table: row.table_name }));
}

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Everything the desk's database holds about the customer (Telegram id), as JSON. */
export async function exportCustomerData(db: Queryable, customerId: number): Promise<Record<string, unknown>> {
  const one = async (sql: string, params: unknown[]) => (await db.query<Record<string, unknown>>(sql, params)).rows[0] ?? null;
  const all = async (sql: string, params: unknown[]) => (await db.query<Record<string, unknown>>(sql, params)).rows;
  // Every column of the profile (a later migration's too), but the desk's own bookkeeping.
  const customer = await one('SELECT * FROM customers WHERE id = $1', [customerId]);
  if (customer) for (const k of ['topic_claim', 'topic_claim_at', 'thread_id']) delete customer[k];
  const tickets = await all(
    `SELECT id AS number, status, queue, category, language, created_at, first_response_at, resolved_at, resolved_by, reopened_count,
            agent_replies, customer_messages, is_repeat_contact
     FROM tickets WHERE customer_id = $1 ORDER BY id`,
    [customerId],
  );
  const ids = tickets.map((t) => Number(t.number));
  const byTicket = async (sql: string) => (ids.length ? all(sql, [ids]) : []);
  const group = (rows: Record<string, unknown>[]) => {
    const m = new Map<number, Record<string, unknown>[]>();
    for (const { ticket_id, ...rest } of rows) m.set(Number(ticket_id), [...(m.get(Number(ticket_id)) ?? []), rest]);
    return m;
  };
  const messages = group(
    (await exists(db, 'ticket_messages'))
      ? await byTicket(
          'SELECT ticket_id, sender, text, media_kind, media_name, channel, sent_at, edited_at FROM ticket_messages WHERE ticket_id = ANY($1::bigint[]) ORDER BY sent_at, id',
        )
      : [],
  );
  const notes = group(await byTicket('SELECT ticket_id, text, created_at FROM notes WHERE ticket_id = ANY($1::bigint[]) ORDER BY id'));
  const ratings = group(await byTicket('SELECT ticket_id, survey, score, sent_at, rated_at FROM ratings WHERE ticket_id = ANY($1::bigint[]) ORDER BY sent_at'));
  const kb = group(
    await byTicket('SELECT ticket_id, article_id, language, suggested_at, outcome, answered_at FROM kb_suggestions WHERE ticket_id = ANY($1::bigint[])'),
  );
  const followups = group(
    await byTicket('SELECT ticket_id, resolved_at, sent_at, helped, answered_at FROM followups WHERE ticket_id = ANY($1::bigint[]) ORDER BY id'),
  );
  const key = await one('SELECT 1 AS present FROM customer_keys WHERE customer_id = $1', [customerId]);
  const covered = new Set([...NOT_SWEPT, 'ratings', 'customer_settings']);
  const other: Record<string, unknown[]> = {};
  for (const { table } of await customerTables(db)) {
    if (covered.has(table)) continue;
    const rows = await all(`SELECT * FROM ${ident(table)} WHERE customer_id = $1`, [customerId]);
    if (rows.length) other[table] = rows.map(({ customer_id: _, ...rest }) => rest);
  }
  const settings = await one('SELECT * FROM customer_settings WHERE customer_id = $1', [customerId]);
  if (settings) delete settings.customer_id;
  return {
    format: 'support-desk-export/1',
    exported_at: new Date().toISOString(),
    telegram_user_id: customerId,
    profile: customer,
    settings,
    tickets: tickets.map((t) => {
      const n = Number(t.number);
      return {
        ...t,
        messages: messages.get(n) ?? [],
        notes: notes.get(n) ?? [],
        ratings: ratings.get(n) ?? [],
        knowledge_base: kb.get(n) ?? [],
        followups: followups.get(n) ?? [],
      };
    }),
    held_messages: await all('SELECT ticket_id, message_id, reason, kind, sent_at, state FROM held_messages WHERE customer_id = $1 ORDER BY id', [customerId]),
    waiting_delivery: await all('SELECT ticket_id, message_id, kind, created_at FROM pending_deliveries WHERE customer_id = $1 ORDER BY id', [customerId]),
    staff_actions: await all('SELECT at, action, ticket_id FROM audit_log WHERE customer_id = $1 ORDER BY id', [customerId]),
    analytics: {
      customer_id: key ? await analyticsIdOf(db, customerId) : null,
      note: 'Analytics events carry this pseudonymous id, never your Telegram id, name or messages. Deleting your data deletes the key that links it to you.',
    },
    other,
  };
}

/**
 * Erases the customer (Telegram id) in one transaction (see the file's comment). Idempotent: erasing a
 * customer the desk does not know (or no longer knows) changes nothing and is still audited.
 */
export async function eraseCustomer(db: Db, customerId: number, o: EraseOptions = {}): Promise<ErasureResult> {
  const at = o.at ?? new Date();
  const { outbox, sla } = desk(o);
  return db.transaction(async (tx) => {
    const customer = (await tx.query<{ thread_id: number | null }>('SELECT thread_id FROM customers WHERE id = $1 FOR UPDATE', [customerId])).rows[0];
    const tickets = (await tx.query<Ticket>('SELECT * FROM tickets WHERE customer_id = $1 ORDER BY id FOR UPDATE', [customerId])).rows;
    const ids = tickets.map((t) => t.id);
    let erasedId: number | undefined;

    if (customer || tickets.length) {
      erasedId = -(ERASED_ID_BASE + Number((await tx.query<{ n: string }>(`SELECT nextval('erased_customer_seq')::text AS n`)).rows[0]!.n));
      await tx.query(`INSERT INTO customers (id, first_name, banned, blocked_bot) VALUES ($1, '', true, true)`, [erasedId]);
      // Tickets keep the pseudonym their events carry (a later event of an erased ticket carries the same one).
      const pseudonym = await analyticsIdOf(tx, customerId);
      await tx.query('UPDATE tickets SET analytics_id = $2 WHERE customer_id = $1 AND analytics_id IS NULL', [customerId, pseudonym]);
      for (const t of tickets.filter((x) => x.status !== 'resolved'))
        await resolveWithdrawn(tx, outbox, sla, { ...t, analytics_id: t.analytics_id ?? pseudonym }, at);
      await tx.query('UPDATE tickets SET customer_id = $2, topic_pending = false WHERE customer_id = $1', [customerId, erasedId]);
    }

    // What they wrote, and what was written about them.
    await tx.query('DELETE FROM message_pairs WHERE source_chat_id = $1 OR target_chat_id = $1 OR ticket_id = ANY($2::bigint[])', [customerId, ids]);
    // The relay's idempotency keys and claims name their chat (the customer's private chat for what they wrote).
    await tx.query('DELETE FROM relay_event_keys WHERE source_chat_id = $1 OR ticket_id = ANY($2::bigint[])', [customerId, ids]);
    await tx.query('DELETE FROM relay_inflight WHERE source_chat_id = $1', [customerId]);
    for (const table of CONTENT_BY_TICKET.slice(1))
      if (await exists(tx, table)) await tx.query(`DELETE FROM ${table} WHERE ticket_id = ANY($1::bigint[])`, [ids]);
    if (await exists(tx, 'ticket_messages')) await tx.query('DELETE FROM ticket_messages WHERE customer_id = $1', [customerId]);
    await tx.query('DELETE FROM held_messages WHERE customer_id = $1', [customerId]);
    await tx.query('DELETE FROM pending_deliveries WHERE customer_id = $1', [customerId]);
    // Nothing more is sent to them or about them: surveys, follow-ups, held-message releases.
    await tx.query(`DELETE FROM feature_jobs WHERE payload->>'customerId' = $1::text OR (ticket_id = ANY($2::bigint[]) AND status IN ('pending', 'running'))`, [
      String(customerId),
      ids,
    ]);

    // Every other table that keeps a customer_id: ids-only rows about a ticket move with it, the rest are deleted.
    for (const { table } of await customerTables(tx)) {
      if (NOT_SWEPT.has(table)) continue;
      if (KEPT_WITH_TICKET.has(table) && erasedId !== undefined)
        await tx.query(`UPDATE ${ident(table)} SET customer_id = $2 WHERE customer_id = $1`, [customerId, erasedId]);
      else await tx.query(`DELETE FROM ${ident(table)} WHERE customer_id = $1`, [customerId]);
    }

    // The audit trail keeps what staff did, naming the anonymous row instead of the person.
    if (erasedId !== undefined) {
      await tx.query(`SELECT set_config('desk.erasing_customer', $1, true)`, [String(customerId)]);
      await tx.query(
        `UPDATE audit_log SET customer_id = CASE WHEN customer_id = $1 THEN $2 ELSE customer_id END,
                              actor_id = CASE WHEN actor_id = $1 THEN $2 ELSE actor_id END
         WHERE customer_id = $1 OR actor_id = $1`,
        [customerId, erasedId],
      );
      await tx.query(`SELECT set_config('desk.erasing_customer', '', true)`);
    }

    await tx.query('DELETE FROM customer_keys WHERE customer_id = $1', [customerId]);
    await tx.query('DELETE FROM customers WHERE id = $1', [customerId]);

    const threadId = customer?.thread_id ?? null;
    if (threadId !== null)
      await tx.query(`INSERT INTO feature_jobs (kind, dedup_key, payload, due_at) VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (dedup_key) DO NOTHING`, [
        FORGET_TOPIC_JOB,
        `${FORGET_TOPIC_JOB}:${threadId}:${erasedId}`,
        JSON.stringify({ threadId }),
        at,
      ]);

    const detail = { tickets: tickets.length, by: o.actorId === undefined ? 'customer' : 'staff' };
    await recordAudit(
      tx,
      outbox,
      { actorId: o.actorId ?? erasedId ?? 0, action: 'data_deletion', customerId: erasedId ?? null, detail, at },
      undefined,
      // a customer's own request is not a staff action: no staff_action event
      { event: o.actorId !== undefined },
    );
    return { erasedId, tickets: tickets.length, threadId };
  });
}

/** An open ticket of a customer who erased their data: resolved by them, with the events a resolution has. */
async function resolveWithdrawn(tx: Queryable, outbox: Outbox, sla: SlaPolicy, t: Ticket, at: Date): Promise<void> {
  const when = at < t.created_at ? t.created_at : at;
  const next = (
    await tx.query<Ticket>(
      `UPDATE tickets SET status = 'resolved', resolved_at = $2, resolved_by = 'customer', version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`,
      [t.id, when],
    )
  ).rows[0]!;
  const iso = when.toISOString();
  await outbox.appendForTicket(tx, { ...next, analytics_id: t.analytics_id }, [
    {
      type: 'ticket_resolved',
      occurred_at: iso,
      agent_id: t.agent_id,
      resolved_by: 'customer',
      resolution_seconds: Math.max(0, (when.getTime() - t.created_at.getTime()) / 1000),
      resolution_bh_seconds: sla.businessSeconds(t.queue, t.created_at, when),
      agent_replies: t.agent_replies,
    },
    { type: 'status_changed', occurred_at: iso, agent_id: t.agent_id, from_status: t.status, to_status: 'resolved' },
  ]);
}
