/**
 * The desk's state on both engines: PGlite and a real PostgreSQL
 * (TEST_DATABASE_URL, in a schema of its own). Migrations, the ticket state
 * machine and its outbox events, the one-open-ticket guarantee under races,
 * the topic lease, and the outbox relay (SKIP LOCKED on PostgreSQL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus, BusProducer } from '../../core/bus/types.js';
import { logger } from '../../core/log.js';
import type { Db } from '../../core/postgres.js';
import { decodeEvent } from '../../schemas/validate.js';
import type { SupportEvent } from '../../schemas/events.js';
import { storeEngines } from '../../test/helpers/stores.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { OutboxRelay } from '../outbox-relay.js';
import { parseCategories } from '../routing.js';
import { parseBusinessHours } from '../../sla/business-hours.js';
import { DEFAULT_SLA_TARGETS, parseSlaTargets, SlaPolicy } from '../../sla/policy.js';
import { TicketService } from '../tickets/service.js';
import { DeskError } from '../tickets/errors.js';
import { CustomerRepo } from './customers.js';
import { MessagePairRepo } from './message-pairs.js';
import { migrateBot } from './migrate.js';
import { Outbox } from './outbox.js';

const log = logger('store-test');
const tmp = tmpDataDir('desk-store-');

class CollectingBus implements Bus {
  readonly kind = 'embedded' as const;
  sent: Array<{ key: string | null; value: string }> = [];
  down = false;
  async producer(): Promise<BusProducer> {
    return {
      send: async (_topic, msgs) => {
        if (this.down) throw new Error('down');
        for (const m of msgs) this.sent.push({ key: m.key, value: String(m.value) });
      },
      close: async () => undefined,
    };
  }
  async consumer(): Promise<never> {
    throw new Error('no consumers');
  }
  async ensureTopics(): Promise<void> {}
  async close(): Promise<void> {}
  events(): SupportEvent[] {
    return this.sent.map((m) => {
      const d = decodeEvent(m.value);
      if (!d.ok) throw new Error(d.detail);
      return d.event;
    });
  }
}

const stores = storeEngines({ dataDir: tmp.dir, schemaPrefix: 'desk_store_test', poolSize: 8 });
const engines = stores.engines;

afterAll(async () => {
  tmp.cleanup();
  await stores.cleanup();
});

describe.each(engines)('desk store on %s', (_name, open) => {
  let db: Db;
  let tickets: TicketService;
  let customers: CustomerRepo;
  const sla = new SlaPolicy(parseSlaTargets(DEFAULT_SLA_TARGETS), parseBusinessHours('L2=Mon-Fri 09:00-18:00 Europe/Berlin'), 'L1');
  const outbox = new Outbox('support.events');

  beforeAll(async () => {
    db = await open();
    expect((await migrateBot(db)).applied).toContain(1);
    expect((await migrateBot(db)).applied).toEqual([]); // idempotent
    customers = new CustomerRepo(db);
    tickets = new TicketService({
      db,
      outbox,
      sla,
      categories: parseCategories('Payment:payments,Complaint:L2,Ideas', 'L1'),
      defaultQueue: 'L1',
      repeatContactWindowSeconds: 7 * 86400,
      log,
    });
  });
  afterAll(async () => db?.close());

  const outboxEvents = async (ticketId: number) =>
    (await db.query<{ payload: SupportEvent }>(`SELECT payload FROM outbox WHERE key = $1 ORDER BY id`, [String(ticketId)])).rows.map((r) => r.payload);

  it('walks a ticket through its life, writing each change and its events together', async () => {
    const c = await customers.upsert({ id: 1, first_name: 'Ann', language_code: 'en' }, false);
    const t0 = new Date('2026-03-06T16:45:00Z');
    const { ticket, created } = await tickets.open({ customer: c, at: t0, language: 'en' });
    expect(created).toBe(true);
    expect(ticket).toMatchObject({ status: 'new', queue: 'L1', customer_id: 1, language: 'en' });
    expect(ticket.first_response_due_at.toISOString()).toBe('2026-03-06T17:00:00.000Z');
    expect((await tickets.open({ customer: c, at: t0, language: 'en' })).created).toBe(false);

    await tickets.recordCustomerMessage(ticket.id, { kind: 'text', textLength: 12, at: t0 });
    const routed = await tickets.setCategory(ticket.id, 'complaint', { at: new Date(t0.getTime() + 60_000), isVip: false });
    expect(routed).toMatchObject({ queue: 'L2', category: 'complaint', status: 'waiting_agent', intake_state: 'done' });
    expect(routed.first_response_due_at.toISOString()).toBe('2026-03-09T08:15:00.000Z');
    await expect(tickets.setCategory(ticket.id, 'payment', { at: t0, isVip: false })).rejects.toBeInstanceOf(DeskError);

    // First response on Monday 09:05 Berlin: 15 calendar-hours+ but 20 business minutes.
    const replyAt = new Date('2026-03-09T08:05:00Z');
    await tickets.recordAgentReply(ticket.id, { agentId: 77, kind: 'text', at: replyAt });
    await tickets.recordAgentReply(ticket.id, { agentId: 77, kind: 'photo', at: new Date(replyAt.getTime() + 1000) });
    await tickets.assign(ticket.id, 78, { at: replyAt });
    const resolved = await tickets.resolve(ticket.id, { by: 'agent', at: new Date('2026-03-09T09:00:00Z'), agentId: 78 });
    expect(resolved).toMatchObject({ status: 'resolved', agent_replies: 2, agent_id: 78 });
    await expect(tickets.resolve(ticket.id, { by: 'agent', at: replyAt })).rejects.toMatchObject({ code: 'ticket-already-resolved' });

    const ev = await outboxEvents(ticket.id);
    expect(ev.map((e) => e.type)).toEqual([
      'ticket_opened',
      'status_changed',
      'message_in',
      'category_selected',
      'queue_changed',
      'status_changed',
      'ticket_assigned',
      'message_out',
      'status_changed',
      'staff_action',
      'message_out',
      'staff_action',
      'ticket_assigned',
      'status_changed',
      'staff_action',
      'ticket_resolved',
      'status_changed',
      'staff_action',
    ]);
    // Each agent action is on the audit trail too, by who acted (the audit log's staff_action events).
    expect(ev.filter((e) => e.type === 'staff_action').map((e) => e.agent_id)).toEqual([77, 77, 78, 78]);
    const first = ev.find((e) => e.type === 'message_out' && e.is_first_response) as Extract<SupportEvent, { type: 'message_out' }>;
    expect(first.first_response_seconds).toBe((replyAt.getTime() - t0.getTime()) / 1000);
    expect(first.first_response_bh_seconds).toBe(20 * 60);
    expect(ev.filter((e) => e.type === 'message_out' && !e.is_first_response)).toHaveLength(1);
    const res = ev.find((e) => e.type === 'ticket_resolved') as Extract<SupportEvent, { type: 'ticket_resolved' }>;
    expect(res).toMatchObject({ resolved_by: 'agent', agent_replies: 2, queue: 'L2', category: 'complaint', ticket_created_at: t0.toISOString() });
    expect(res.resolution_bh_seconds).toBe(75 * 60); // Fri 15 min + Mon 09:00–10:00
    for (const e of ev) expect(e.ticket_created_at).toBe(t0.toISOString());

    // A new ticket within 7 days of a resolution is a repeat contact; reopening the old one is then refused.
    const again = await tickets.open({ customer: c, at: new Date('2026-03-10T10:00:00Z'), language: 'en' });
    expect(again.ticket.is_repeat_contact).toBe(true);
    await expect(tickets.reopen(ticket.id, { reason: 'agent', at: new Date() })).rejects.toMatchObject({ code: 'customer-has-open-ticket' });
    await expect(tickets.escalate(again.ticket.id, 'nowhere', { at: new Date() })).rejects.toMatchObject({ code: 'unknown-queue' });
  });

  it('opens one ticket per customer even when many opens race', async () => {
    const c = await customers.upsert({ id: 2, first_name: 'Race' }, false);
    const results = await Promise.all(Array.from({ length: 20 }, () => tickets.open({ customer: c, at: new Date(), language: null })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
    const opened = await db.query(`SELECT 1 FROM outbox WHERE payload->>'type' = 'ticket_opened' AND key = $1`, [String(results[0]!.ticket.id)]);
    expect(opened.rows).toHaveLength(1);
  });

  it('records a customer message in one statement from a fresh row, and falls back when the row went stale', async () => {
    const c = await customers.upsert({ id: 6, first_name: 'Fast' }, false);
    const { ticket } = await tickets.open({ customer: c, at: new Date(), language: null });
    const a = await tickets.recordCustomerMessage(ticket.id, { kind: 'text', textLength: 3, at: new Date() }, ticket);
    expect(a).toMatchObject({ customer_messages: 1, version: ticket.version + 1 });
    const replied = await tickets.recordAgentReply(ticket.id, { agentId: 9, kind: 'text', at: new Date() });
    expect(replied.status).toBe('waiting_customer');
    // `a` is stale now (the agent reply bumped the version): the fallback still gets status and events right.
    const b = await tickets.recordCustomerMessage(ticket.id, { kind: 'photo', textLength: 0, at: new Date() }, a);
    expect(b).toMatchObject({ customer_messages: 2, status: 'waiting_agent' });
    const ev = await outboxEvents(ticket.id);
    expect(ev.map((e) => e.type).slice(-2)).toEqual(['message_in', 'status_changed']);
    expect(ev.filter((e) => e.type === 'message_in')).toHaveLength(2);
    const { ctx } = { ctx: await customers.touch({ id: 6, first_name: 'Fast' }, false, { chatId: 6, messageId: 1 }) };
    expect(ctx.openTicket?.id).toBe(ticket.id);
    expect(ctx.openTicket?.created_at).toBeInstanceOf(Date);
    expect(ctx.openTicket?.created_at.getTime()).toBe(ticket.created_at.getTime());
    expect(ctx.relayed).toBe(false);
  });

  it('VIP routing wins at open and at category choice', async () => {
    const c = await customers.upsert({ id: 3, first_name: 'Vip' }, true);
    const { ticket } = await tickets.open({ customer: c, at: new Date('2026-03-04T10:00:00Z'), language: null });
    expect(ticket.queue).toBe('VIP');
    const t = await tickets.setCategory(ticket.id, 'payment', { at: new Date(), isVip: true });
    expect(t.queue).toBe('VIP');
  });

  it('leases topic creation to one caller at a time', async () => {
    await customers.upsert({ id: 4, first_name: 'Lease' }, false);
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => customers.claimTopic(4, `tok-${i}`, 30)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = claims.indexOf(true);
    expect((await customers.setThread(4, 999, 'someone-else')).set).toBe(false);
    expect((await customers.setThread(4, 999, `tok-${winner}`)).set).toBe(true);
    expect(await customers.claimTopic(4, 'late', 30)).toBe(false);
    expect((await customers.byThread(999))?.id).toBe(4);
  });

  it('a new topic whose id another customer still holds takes it over (that mapping was stale)', async () => {
    // customer 4 holds topic 999 (test above); the forum was replaced and hands out 999 again
    await customers.upsert({ id: 5, first_name: 'Newcomer' }, false);
    expect(await customers.claimTopic(5, 'tok-5', 30)).toBe(true);
    // a caller without the lease evicts nothing
    expect(await customers.setThread(5, 999, 'not-mine')).toEqual({ set: false, evicted: [] });
    expect((await customers.byThread(999))?.id).toBe(4);
    expect(await customers.setThread(5, 999, 'tok-5')).toEqual({ set: true, evicted: [4] });
    expect((await customers.byThread(999))?.id).toBe(5);
    expect((await customers.get(4))?.thread_id).toBeNull();
    // customer 4 can get a topic again
    expect(await customers.claimTopic(4, 'tok-4', 30)).toBe(true);
  });

  it('keeps the first copy of a message pair and maps both ways', async () => {
    const pairs = new MessagePairRepo(db);
    await pairs.save([{ source_chat_id: 10, source_message_id: 1, target_chat_id: -100, target_message_id: 50, ticket_id: null, direction: 'in' }]);
    await pairs.save([{ source_chat_id: 10, source_message_id: 1, target_chat_id: -100, target_message_id: 51, ticket_id: null, direction: 'in' }]);
    expect((await pairs.bySource(10, 1))?.target_message_id).toBe(50);
    expect(await pairs.counterpart(10, 1)).toBe(50);
    expect(await pairs.counterpart(-100, 50)).toBe(1);
    expect(await pairs.counterpart(-100, 51)).toBeUndefined();
  });

  it('the outbox relay publishes everything once the bus is back, in id order, keyed by ticket', async () => {
    const bus = new CollectingBus();
    bus.down = true;
    const relay = new OutboxRelay({ db, bus, batchSize: 7, log, pollMs: 20, maxBackoffMs: 50 });
    const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n;
    expect(await relay.backlog()).toBe(total);
    relay.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(bus.sent).toHaveLength(0);
    expect(await relay.backlog()).toBe(total);
    bus.down = false;
    for (let i = 0; i < 400 && (await relay.backlog()) > 0; i++) await new Promise((r) => setTimeout(r, 25));
    await relay.stop();
    expect(await relay.backlog()).toBe(0);
    const events = bus.events();
    expect(events).toHaveLength(total);
    const ids = (await db.query<{ payload: SupportEvent }>('SELECT payload FROM outbox ORDER BY id')).rows.map((r) => r.payload.event_id);
    expect(events.map((e) => e.event_id)).toEqual(ids);
    for (const m of bus.sent) expect(m.key).toBe(String(JSON.parse(m.value).ticket_id));
  });

  it('two relays on one database publish each row once (advisory lock + SKIP LOCKED on PostgreSQL)', async () => {
    const c = await customers.upsert({ id: 5, first_name: 'Two' }, false);
    const { ticket } = await tickets.open({ customer: c, at: new Date(), language: null });
    for (let i = 0; i < 30; i++) await tickets.recordCustomerMessage(ticket.id, { kind: 'text', textLength: i, at: new Date() });
    const bus = new CollectingBus();
    const a = new OutboxRelay({ db, bus, batchSize: 5, log, pollMs: 10 });
    const b = new OutboxRelay({ db, bus, batchSize: 5, log, pollMs: 10 });
    a.start();
    b.start();
    for (let i = 0; i < 400 && (await a.backlog()) > 0; i++) await new Promise((r) => setTimeout(r, 25));
    await Promise.all([a.stop(), b.stop()]);
    const evs = bus.events().filter((e) => e.ticket_id === ticket.id);
    expect(evs).toHaveLength(32);
    expect(new Set(evs.map((e) => e.event_id)).size).toBe(32);
    const lengths = evs.filter((e) => e.type === 'message_in').map((e) => (e as Extract<SupportEvent, { type: 'message_in' }>).text_length);
    expect(lengths).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});
