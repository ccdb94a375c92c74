/**
 * Export and erasure (bot/store/privacy.ts) on both store engines (PGlite, and PostgreSQL in a schema of its
 * own): a customer with a resolved and an open ticket, messages, notes, held and waiting messages, settings,
 * ratings, a broadcast, a scheduled job and an audited ban. The export holds all of it; after the erasure no
 * table holds their name, username, messages, note or Telegram id, their key is gone (a new one gives another
 * pseudonym), the tickets stay under a row that names nobody, the open one is resolved with its events, the
 * audit trail is still append-only, and a customer who comes back starts afresh.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log.js';
import type { Db, Queryable } from '../../core/postgres.js';
import type { SupportEvent } from '../../schemas/events.js';
import { SlaPolicy } from '../../sla/policy.js';
import { storeEngines } from '../../test/helpers/stores.js';
import { rowsContaining } from '../../test/helpers/personal-data.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { recordAudit } from '../audit.js';
import { loadBotConfig } from '../config.js';
import { TicketService } from '../tickets/service.js';
import { CustomerRepo } from './customers.js';
import { migrateBot } from './migrate.js';
import { Outbox } from './outbox.js';
import { eraseCustomer, ERASED_ID_BASE, exportCustomerData, FORGET_TOPIC_JOB } from './privacy.js';
import { analyticsIdOf } from './pseudonyms.js';

const tmp = tmpDataDir('desk-privacy-');
const stores = storeEngines({ dataDir: tmp.dir, schemaPrefix: 'privacy' });
afterAll(async () => {
  await stores.cleanup();
  tmp.cleanup();
});

const ANN = 7_301_234_567;
const OTHER = 7_309_876_543;
const AGENT = 700_001;
const ADMIN = 700_009;
/** Everything that names Ann or is hers: none of it may survive the erasure anywhere. */
const HERS = ['Annabel', 'Quuxley', 'annabel_q', 'zebra parcel 4711', 'prefers carrier pigeons', String(ANN)];

const config = loadBotConfig({ LOG_LEVEL: 'silent' });
const sla = new SlaPolicy(config.sla, config.businessHours, config.defaultQueue);
const outbox = new Outbox(config.eventsTopic);

const outboxEvents = async (q: Queryable): Promise<SupportEvent[]> =>
  (await q.query<{ payload: unknown }>('SELECT payload FROM outbox ORDER BY id')).rows.map(
    (r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as SupportEvent,
  );

async function seed(db: Db, tickets: TicketService): Promise<{ resolved: number; open: number; pseudonym: number }> {
  const customers = new CustomerRepo(db);
  const ann = await customers.upsert({ id: ANN, first_name: 'Annabel', last_name: 'Quuxley', username: 'annabel_q', language_code: 'en' }, false);
  await db.query('UPDATE customers SET thread_id = 77 WHERE id = $1', [ANN]);
  await customers.upsert({ id: OTHER, first_name: 'Otto', username: 'otto' }, false);
  const t0 = new Date(Date.now() - 3 * 3600_000);
  const first = (await tickets.open({ customer: ann, at: t0, language: 'en', messageId: 1 })).ticket;
  await tickets.recordCustomerMessage(first.id, { kind: 'text', textLength: 17, at: t0 });
  await tickets.recordAgentReply(first.id, { agentId: AGENT, kind: 'text', at: new Date(t0.getTime() + 600_000) });
  await tickets.resolve(first.id, { by: 'agent', agentId: AGENT, at: new Date(t0.getTime() + 1200_000) });
  const second = (await tickets.open({ customer: ann, at: new Date(t0.getTime() + 3600_000), language: 'en', messageId: 5 })).ticket;
  const other = (await tickets.open({ customer: (await customers.get(OTHER))!, at: t0, language: 'en', messageId: 1 })).ticket;

  await db.query(
    `INSERT INTO message_pairs (source_chat_id, source_message_id, target_chat_id, target_message_id, ticket_id, direction)
     VALUES ($1, 1, -100, 501, $2, 'in'), (-100, 502, $1, 2, $2, 'out'), ($3, 1, -100, 503, $4, 'in')`,
    [ANN, first.id, OTHER, other.id],
  );
  await db.query(`INSERT INTO notes (ticket_id, agent_id, text) VALUES ($1, $2, 'Annabel prefers carrier pigeons'), ($3, $2, 'Otto is fine')`, [
    first.id,
    AGENT,
    other.id,
  ]);
  await db.query(`INSERT INTO held_messages (customer_id, message_id, ticket_id, reason, kind, sent_at) VALUES ($1, 6, $2, 'link', 'text', now())`, [
    ANN,
    second.id,
  ]);
  await db.query(`INSERT INTO pending_deliveries (customer_id, message_id, ticket_id, kind) VALUES ($1, 7, $2, 'text')`, [ANN, second.id]);
  await db.query(`INSERT INTO customer_settings (customer_id, broadcast_opt_out) VALUES ($1, true)`, [ANN]);
  await db.query(`INSERT INTO ratings (ticket_id, survey, customer_id, score, sent_at, rated_at) VALUES ($1, 'csat', $2, 5, now(), now())`, [first.id, ANN]);
  await db.query(`INSERT INTO broadcasts (id, text, created_by, status) VALUES (1, 'maintenance tonight', $1, 'done')`, [AGENT]);
  await db.query(`INSERT INTO broadcast_deliveries (broadcast_id, customer_id, status) VALUES (1, $1, 'delivered'), (1, $2, 'delivered')`, [ANN, OTHER]);
  await db.query(
    `INSERT INTO feature_jobs (kind, dedup_key, payload, due_at) VALUES ('spam-release', 'spam-release:1', $1::jsonb, now() + interval '1 hour')`,
    [JSON.stringify({ customerId: ANN })],
  );
  if ((await db.query<{ t: string | null }>(`SELECT to_regclass('ticket_messages')::text AS t`)).rows[0]?.t)
    await db.query(
      `INSERT INTO ticket_messages (ticket_id, customer_id, sender, text, sent_at) VALUES ($1, $2, 'customer', 'where is my zebra parcel 4711?', now()),
       ($1, $2, 'agent', 'Annabel, it ships today', now())`,
      [first.id, ANN],
    );
  await db.transaction((tx) => recordAudit(tx, outbox, { actorId: ADMIN, action: 'ban', customerId: ANN, detail: {} }));
  return { resolved: first.id, open: second.id, pseudonym: await analyticsIdOf(db, ANN) };
}

describe.each(stores.engines)('privacy on %s', (_name, open) => {
  let db: Db;
  let tickets: TicketService;
  let seeded: { resolved: number; open: number; pseudonym: number };

  afterAll(async () => db?.close());

  it('exports everything the desk holds about the customer', async () => {
    db = await open();
    await migrateBot(db);
    tickets = new TicketService({
      db,
      outbox,
      sla,
      categories: config.categories,
      defaultQueue: config.defaultQueue,
      repeatContactWindowSeconds: config.repeatContactWindowSeconds,
      log: createLogger(undefined, { level: 'silent' }),
    });
    seeded = await seed(db, tickets);
    const data = await exportCustomerData(db, ANN);
    expect(data).toMatchObject({
      telegram_user_id: ANN,
      profile: { first_name: 'Annabel', last_name: 'Quuxley', username: 'annabel_q', language_code: 'en' },
      settings: { broadcast_opt_out: true },
      analytics: { customer_id: seeded.pseudonym },
    });
    const exported = data.tickets as { number: number; status: string; notes: { text: string }[]; ratings: { score: number }[]; messages: unknown[] }[];
    expect(exported.map((t) => [t.number, t.status])).toEqual([
      [seeded.resolved, 'resolved'],
      [seeded.open, 'new'],
    ]);
    expect(exported[0]!.notes.map((n) => n.text)).toEqual(['Annabel prefers carrier pigeons']);
    expect(exported[0]!.ratings.map((r) => r.score)).toEqual([5]);
    expect(JSON.stringify(data)).not.toContain('Otto');
    expect(data.held_messages).toHaveLength(1);
    expect(data.waiting_delivery).toHaveLength(1);
    expect((data.staff_actions as { action: string }[]).map((a) => a.action)).toEqual(['reply', 'resolve', 'ban']);
    expect((data.other as Record<string, unknown[]>).broadcast_deliveries).toEqual([expect.objectContaining({ broadcast_id: 1, status: 'delivered' })]);
    // before the erasure her strings are there to be found: the scan below is not vacuous
    expect((await rowsContaining(db, HERS)).length).toBeGreaterThan(6);
  });

  it('erases her in one transaction: nothing names her, her key is gone, tickets stay anonymous, the open one is resolved', async () => {
    const eventsBefore = (await outboxEvents(db)).length;
    const r = await eraseCustomer(db, ANN, { outbox, sla });
    expect(r.tickets).toBe(2);
    expect(r.threadId).toBe(77);
    expect(r.erasedId).toBeLessThanOrEqual(-ERASED_ID_BASE);

    expect(await rowsContaining(db, HERS)).toEqual([]);
    expect((await db.query('SELECT 1 FROM customer_keys WHERE customer_id = $1', [ANN])).rows).toEqual([]);
    // the tickets: kept, under the anonymous row, with the pseudonym their events carry
    const kept = (
      await db.query<{ id: number; customer_id: number; status: string; analytics_id: number; resolved_by: string }>(
        'SELECT id, customer_id, status, analytics_id, resolved_by FROM tickets WHERE id = ANY($1::bigint[]) ORDER BY id',
        [[seeded.resolved, seeded.open]],
      )
    ).rows;
    expect(kept).toEqual([
      { id: seeded.resolved, customer_id: r.erasedId, status: 'resolved', analytics_id: seeded.pseudonym, resolved_by: 'agent' },
      { id: seeded.open, customer_id: r.erasedId, status: 'resolved', analytics_id: seeded.pseudonym, resolved_by: 'customer' },
    ]);
    expect((await db.query('SELECT first_name, username, banned, blocked_bot FROM customers WHERE id = $1', [r.erasedId])).rows).toEqual([
      { first_name: '', username: null, banned: true, blocked_bot: true },
    ]);
    // the withdrawn ticket's resolution, as any resolution: events with the pseudonym; the self-service erasure is no staff action
    const added = (await outboxEvents(db)).slice(eventsBefore);
    expect(added.map((e) => [e.type, e.ticket_id, e.customer_id])).toEqual([
      ['ticket_resolved', seeded.open, seeded.pseudonym],
      ['status_changed', seeded.open, seeded.pseudonym],
    ]);
    expect(added[0]).toMatchObject({ resolved_by: 'customer' });
    // the audit: the ban now names the anonymous row; the erasure is recorded with counts only
    const audit = (
      await db.query<{ action: string; actor_id: number; customer_id: number; detail: unknown }>(
        'SELECT action, actor_id, customer_id, detail FROM audit_log ORDER BY id',
      )
    ).rows;
    expect(audit.map((a) => [a.action, a.actor_id, a.customer_id])).toEqual([
      ['reply', AGENT, r.erasedId],
      ['resolve', AGENT, r.erasedId],
      ['ban', ADMIN, r.erasedId],
      ['data_deletion', r.erasedId, r.erasedId],
    ]);
    // still append-only outside an erasure
    await expect(db.query('UPDATE audit_log SET customer_id = NULL')).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('desk.erasing_customer', $1, true)`, [String(r.erasedId)]);
        await tx.query(`UPDATE audit_log SET action = 'take'`);
      }),
    ).rejects.toThrow(/append-only/);
    // the topic is cleared by the privacy feature's job
    expect((await db.query<{ payload: unknown }>('SELECT payload FROM feature_jobs WHERE kind = $1', [FORGET_TOPIC_JOB])).rows).toHaveLength(1);
    // Otto is untouched
    expect(await rowsContaining(db, ['Otto is fine', 'otto'])).toHaveLength(2 + 1);
  });

  it('lets a customer who comes back start afresh: a new pseudonym, not a repeat contact', async () => {
    const customers = new CustomerRepo(db);
    const back = await customers.upsert({ id: ANN, first_name: 'Annabel' }, false);
    const { ticket } = await tickets.open({ customer: back, at: new Date(), language: 'en' });
    expect(ticket.is_repeat_contact).toBe(false);
    expect(ticket.analytics_id).not.toBe(seeded.pseudonym);
    expect(ticket.analytics_id).toBe(await analyticsIdOf(db, ANN));
    // erasing again, and erasing someone the desk never knew, are fine
    await eraseCustomer(db, ANN, { outbox, sla });
    await eraseCustomer(db, 123, { outbox, sla });
    expect(await rowsContaining(db, HERS)).toEqual([]);
  });
});
