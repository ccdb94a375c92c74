/**
 * The ticket state machine. Each method is one transaction that updates the
 * ticket and writes the events describing the change into the outbox; after
 * commit it hands the change (`TicketChange`) to its one subscriber, the desk's
 * notifier (bot/notifier.ts), which tells the bus, the topic, the customer and
 * the features. The service itself sends nothing to Telegram.
 *
 * Status flow: new → (category picked) waiting_agent → (/take) in_progress
 * → (agent reply) waiting_customer → (customer writes) waiting_agent … → resolved.
 *
 * Events follow the clock rule of schemas/events.ts: callers pass the Telegram
 * date of the action (processing time for a button press or a timer);
 * `eventTime` keeps it from preceding the ticket; the outbox stamps each event
 * with the ticket's version (`ticket_seq`), which orders a ticket's events
 * whatever their dates say.
 */
import type { Db, Queryable } from '../../core/postgres.js';
import type { Logger } from '../../core/log.js';
import type { Channel, MessageKind, TicketStatus } from '../../schemas/events.js';
import { routeQueue, type Category } from '../routing.js';
import { estimateEtaSeconds, etaPromise } from '../../sla/eta.js';
import { addBusinessSeconds } from '../../sla/business-hours.js';
import type { SlaPolicy } from '../../sla/policy.js';
import type { Outbox, TicketEventInput } from '../store/outbox.js';
import { batchingFor, GroupCommit } from '../store/group-commit.js';
import { MessagePairRepo, type MessagePair } from '../store/message-pairs.js';
import { TicketMessageRepo } from '../store/ticket-messages.js';
import type { Customer, Ticket } from '../store/types.js';
import { analyticsIdOf } from '../store/pseudonyms.js';
import { recordAudit, type AuditAction } from '../audit.js';
import { DeskError, isUniqueViolation } from './errors.js';

export type ResolvedBy = 'agent' | 'kb' | 'auto_close' | 'customer';
export type ReopenReason = 'agent' | 'followup' | 'customer';
/** Why a ticket was escalated (ticket_escalated.reason). */
export type EscalationReason = 'frt_risk' | 'needs_expert' | 'stop_word' | 'manual';

/** What a change of an existing ticket was: resolved (by whom), reopened (why), or any other update (category, agent, queue, messages). */
export type ChangeKind = { kind: 'updated' } | { kind: 'resolved'; by: ResolvedBy } | { kind: 'reopened'; reason: ReopenReason };

/** A committed change of one ticket: what happened, the ticket after it and before it (none when it was opened). */
export type TicketChange = { ticket: Ticket } & ({ kind: 'opened'; previous: undefined; customer: Customer } | (ChangeKind & { previous: Ticket }));

/** Receives every committed change, in the order of the calls; what it throws is logged, never the caller's. */
export type TicketSubscriber = (change: TicketChange) => Promise<void>;

export interface TicketServiceOptions {
  db: Db;
  outbox: Outbox;
  sla: SlaPolicy;
  categories: readonly Category[];
  defaultQueue: string;
  repeatContactWindowSeconds: number;
  log: Logger;
}

/** A relayed message (its chat and id): the idempotency key of the ticket event it produces (relay_event_keys). */
export interface RelaySource {
  chatId: number;
  messageId: number;
}

/** Records `source`'s key in `tx`; false when it was recorded before (its event exists: record nothing). */
async function claimEventKey(tx: Queryable, source: RelaySource, ticketId: number): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO relay_event_keys (source_chat_id, source_message_id, ticket_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
    [source.chatId, source.messageId, ticketId],
  );
  return r.rows.length > 0;
}

const iso = (d: Date) => d.toISOString();
const UPDATED: ChangeKind = { kind: 'updated' };
const seconds = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 1000);

/**
 * When an action on the ticket happened, for its events and the ticket's own
 * times: the caller's time, but never before the ticket was created (a reply
 * or a press dated earlier — a clock behind Telegram's, a replay — would give
 * negative response and resolution times). Order is not derived from it.
 */
function eventTime(t: Pick<Ticket, 'created_at'>, at: Date): Date {
  return at < t.created_at ? t.created_at : at;
}

/** What a customer message changes on a ticket read moments ago (recordCustomerMessage's hot path). */
type KnownSet = { customer_messages: number; status: TicketStatus };

/** One ticket's change for the grouped statement (changeKnown). */
interface KnownChange {
  known: Ticket;
  set: KnownSet;
  /** The events, built and validated, as the outbox stores them. */
  payloads: unknown[];
  key: (RelaySource & { ticketId: number }) | undefined;
}

export class TicketService {
  private subscriber: TicketSubscriber | undefined;
  /** Concurrent customers' message_in writes, one statement per tick (bot/store/group-commit.ts). */
  private readonly known: GroupCommit<KnownChange, Ticket | undefined>;

  constructor(private readonly o: TicketServiceOptions) {
    this.known = new GroupCommit((items) => this.writeKnown(items), {
      ...(batchingFor(o.db) ?? { maxInFlight: 1 }),
      // One change per ticket a statement (its version decides), one per source message.
      keys: (c) => [`t:${c.known.id}`, ...(c.key ? [`k:${c.key.chatId}:${c.key.messageId}`] : [])],
    });
  }

  /** The one receiver of committed changes (the desk's notifier); changes before it subscribed are not replayed. */
  subscribe(subscriber: TicketSubscriber): void {
    if (this.subscriber) throw new Error('TicketService has a subscriber already: one notifier tells everyone');
    this.subscriber = subscriber;
  }

  // ---- reads -------------------------------------------------------------

  async get(id: number, q: Queryable = this.o.db): Promise<Ticket | undefined> {
    return (await q.query<Ticket>('SELECT * FROM tickets WHERE id = $1', [id])).rows[0];
  }

  async findOpen(customerId: number, q: Queryable = this.o.db): Promise<Ticket | undefined> {
    return (await q.query<Ticket>(`SELECT * FROM tickets WHERE customer_id = $1 AND status <> 'resolved'`, [customerId])).rows[0];
  }

  /** The customer's tickets, newest first. */
  async history(customerId: number, limit = 5, q: Queryable = this.o.db): Promise<Ticket[]> {
    return (await q.query<Ticket>('SELECT * FROM tickets WHERE customer_id = $1 ORDER BY id DESC LIMIT $2', [customerId, limit])).rows;
  }

  /** The latest ticket of a customer, open or not. */
  async latest(customerId: number): Promise<Ticket | undefined> {
    return (await this.history(customerId, 1))[0];
  }

  /**
   * What to tell the customer about their first response: the estimate from
   * the queue's recent first-response times and its load (sla/eta.ts), kept
   * within the SLA target while the queue keeps pace (`etaPromise`), then mapped
   * through the queue's business hours into calendar seconds from `now`.
   */
  async eta(ticket: Ticket, now: Date = new Date()): Promise<{ seconds: number; overTarget: boolean }> {
    const { queue } = ticket;
    const [ahead, recent, agents] = await Promise.all([
      this.o.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM tickets WHERE queue = $1 AND status <> 'resolved' AND first_response_at IS NULL AND id < $2`,
        [queue, ticket.id],
      ),
      this.o.db.query<{ created_at: Date; first_response_at: Date }>(
        `SELECT created_at, first_response_at FROM tickets WHERE queue = $1 AND first_response_at IS NOT NULL
         ORDER BY first_response_at DESC LIMIT 20`,
        [queue],
      ),
      this.o.db.query<{ n: number }>(`SELECT count(DISTINCT agent_id)::int AS n FROM tickets WHERE queue = $1 AND first_response_at > $2`, [
        queue,
        new Date(now.getTime() - 3600_000),
      ]),
    ]);
    const targetSeconds = this.o.sla.target(queue).firstResponseSeconds;
    const business = estimateEtaSeconds({
      targetSeconds,
      waitingAhead: ahead.rows[0]?.n ?? 0,
      recentFirstResponses: recent.rows.map((r) => this.o.sla.businessSeconds(queue, r.created_at, r.first_response_at)),
      activeAgents: agents.rows[0]?.n ?? 0,
    });
    const promise = etaPromise(business, targetSeconds);
    return { seconds: seconds(now, addBusinessSeconds(this.o.sla.calendar(queue), now, promise.seconds)), overTarget: promise.overTarget };
  }

  /** Calendar seconds of `eta` alone (macros' {eta}). */
  async etaSeconds(ticket: Ticket, now: Date = new Date()): Promise<number> {
    return (await this.eta(ticket, now)).seconds;
  }

  // ---- changes -----------------------------------------------------------

  /**
   * Opens a ticket for the customer, or returns the open one. The partial
   * unique index on tickets(customer_id) WHERE status <> 'resolved' makes this
   * safe even when several processes race.
   */
  async open(input: {
    customer: Customer;
    at: Date;
    language: string | null;
    messageId?: number;
    channel?: Channel;
  }): Promise<{ ticket: Ticket; created: boolean }> {
    const existing = await this.findOpen(input.customer.id);
    if (existing) return { ticket: existing, created: false };
    const { customer, at } = input;
    const { queue } = routeQueue({ isVip: customer.is_vip, category: undefined, defaultQueue: this.o.defaultQueue });
    const due = this.o.sla.deadlines(queue, at);
    let ticket: Ticket | undefined;
    try {
      ticket = await this.o.db.transaction(async (tx) => {
        const repeat = await tx.query(
          `SELECT 1 FROM tickets WHERE customer_id = $1 AND resolved_at IS NOT NULL AND resolved_at >= $2 AND resolved_at <= $3 LIMIT 1`,
          [customer.id, new Date(at.getTime() - this.o.repeatContactWindowSeconds * 1000), at],
        );
        // The customer's pseudonym, cached on the ticket: every event of the ticket carries it (bot/store/pseudonyms.ts).
        const analyticsId = await analyticsIdOf(tx, customer.id);
        const t = (
          await tx.query<Ticket>(
            `INSERT INTO tickets (customer_id, status, queue, language, created_at, first_response_due_at, resolution_due_at, is_repeat_contact, opening_message_id, analytics_id)
             VALUES ($1, 'new', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
            [customer.id, queue, input.language, at, due.firstResponseDueAt, due.resolutionDueAt, repeat.rows.length > 0, input.messageId ?? null, analyticsId],
          )
        ).rows[0]!;
        await this.o.outbox.appendForTicket(tx, t, [
          {
            type: 'ticket_opened',
            occurred_at: iso(at),
            agent_id: null,
            first_response_due_at: iso(due.firstResponseDueAt),
            resolution_due_at: iso(due.resolutionDueAt),
            is_repeat_contact: t.is_repeat_contact,
            channel: input.channel ?? 'chat',
          },
          { type: 'status_changed', occurred_at: iso(at), agent_id: null, from_status: null, to_status: 'new' },
        ]);
        return t;
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const other = await this.findOpen(customer.id);
      if (!other) throw e;
      return { ticket: other, created: false };
    }
    await this.notify({ kind: 'opened', ticket, previous: undefined, customer });
    return { ticket, created: true };
  }

  /** The customer picked a category (once per ticket): routes the ticket and ends intake. */
  async setCategory(ticketId: number, categoryKey: string, o: { at: Date; isVip: boolean }): Promise<Ticket> {
    const category = this.o.categories.find((c) => c.key === categoryKey);
    if (!category) throw new DeskError('unknown-category', { category: categoryKey });
    return this.change(ticketId, UPDATED, async (tx, t) => {
      if (t.category !== null) throw new DeskError('category-already-set', { ticket: t.id });
      if (t.status === 'resolved') throw new DeskError('ticket-resolved', { ticket: t.id });
      const at = iso(eventTime(t, o.at));
      // An urgent ticket (a stop word sent it to its queue) stays there whatever the customer picks.
      const route = t.urgent ? { queue: t.queue, reason: 'routing' as const } : routeQueue({ isVip: o.isVip, category, defaultQueue: this.o.defaultQueue });
      const due =
        route.queue === t.queue
          ? { firstResponseDueAt: t.first_response_due_at, resolutionDueAt: t.resolution_due_at }
          : this.o.sla.deadlines(route.queue, t.created_at);
      const status: TicketStatus = t.status === 'new' ? 'waiting_agent' : t.status;
      const next = await this.update(tx, t.id, {
        category: category.key,
        queue: route.queue,
        first_response_due_at: due.firstResponseDueAt,
        resolution_due_at: due.resolutionDueAt,
        status,
        intake_state: 'done',
      });
      const events: TicketEventInput[] = [{ type: 'category_selected', occurred_at: at }];
      if (route.queue !== t.queue)
        events.push({
          type: 'queue_changed',
          occurred_at: at,
          from_queue: t.queue,
          to_queue: route.queue,
          reason: route.reason,
          first_response_due_at: iso(due.firstResponseDueAt),
          resolution_due_at: iso(due.resolutionDueAt),
        });
      if (status !== t.status) events.push({ type: 'status_changed', occurred_at: at, from_status: t.status, to_status: status });
      return { next, events };
    });
  }

  /** Marks where intake stands (features' steps waiting, keyboard shown, done). */
  async setIntakeState(ticketId: number, state: Ticket['intake_state']): Promise<void> {
    await this.o.db.query('UPDATE tickets SET intake_state = $2, updated_at = now() WHERE id = $1', [ticketId, state]);
  }

  async assign(ticketId: number, agentId: number, o: { at: Date }): Promise<Ticket> {
    return this.change(
      ticketId,
      UPDATED,
      async (tx, t) => {
        if (t.status === 'resolved') throw new DeskError('ticket-resolved', { ticket: t.id });
        const status: TicketStatus = 'in_progress';
        const next = await this.update(tx, t.id, { agent_id: agentId, status, intake_state: t.intake_state === 'done' ? 'done' : t.intake_state });
        const at = iso(eventTime(t, o.at));
        const events: TicketEventInput[] = [];
        if (t.agent_id !== agentId) events.push({ type: 'ticket_assigned', occurred_at: at, agent_id: agentId, previous_agent_id: t.agent_id });
        if (t.status !== status) events.push({ type: 'status_changed', occurred_at: at, agent_id: agentId, from_status: t.status, to_status: status });
        return { next, events };
      },
      { actorId: agentId, action: 'take', at: o.at },
    );
  }

  async resolve(ticketId: number, o: { by: ResolvedBy; at: Date; agentId?: number }): Promise<Ticket> {
    return this.change(
      ticketId,
      { kind: 'resolved', by: o.by },
      async (tx, t) => {
        if (t.status === 'resolved') throw new DeskError('ticket-already-resolved', { ticket: t.id });
        const at = eventTime(t, o.at);
        const next = await this.update(tx, t.id, { status: 'resolved', resolved_at: at, resolved_by: o.by, agent_id: t.agent_id ?? o.agentId ?? null });
        const agent = o.agentId ?? t.agent_id;
        return {
          next,
          events: [
            {
              type: 'ticket_resolved',
              occurred_at: iso(at),
              agent_id: agent,
              resolved_by: o.by,
              resolution_seconds: seconds(t.created_at, at),
              resolution_bh_seconds: this.o.sla.businessSeconds(t.queue, t.created_at, at),
              agent_replies: t.agent_replies,
            },
            { type: 'status_changed', occurred_at: iso(at), agent_id: agent, from_status: t.status, to_status: 'resolved' },
          ],
        };
      },
      o.by === 'agent' && o.agentId !== undefined ? { actorId: o.agentId, action: 'resolve', at: o.at } : undefined,
    );
  }

  async reopen(ticketId: number, o: { reason: ReopenReason; at: Date; agentId?: number }): Promise<Ticket> {
    try {
      return await this.change(
        ticketId,
        { kind: 'reopened', reason: o.reason },
        async (tx, t) => {
          if (t.status !== 'resolved') throw new DeskError('ticket-not-resolved', { ticket: t.id });
          const next = await this.update(tx, t.id, { status: 'waiting_agent', resolved_at: null, resolved_by: null, reopened_count: t.reopened_count + 1 });
          const agent = o.agentId ?? t.agent_id;
          const at = iso(eventTime(t, o.at));
          return {
            next,
            events: [
              { type: 'ticket_reopened', occurred_at: at, agent_id: agent, reason: o.reason },
              { type: 'status_changed', occurred_at: at, agent_id: agent, from_status: 'resolved', to_status: 'waiting_agent' },
            ],
          };
        },
        o.reason === 'agent' && o.agentId !== undefined ? { actorId: o.agentId, action: 'reopen', at: o.at } : undefined,
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new DeskError('customer-has-open-ticket', { ticket: ticketId });
      throw e;
    }
  }

  /**
   * Moves the ticket to another queue; deadlines are recomputed from the ticket's creation under the new queue's SLA.
   * `reason` (default manual) goes into ticket_escalated with the queue change; `urgent` also marks the ticket
   * urgent (a stop word) — then staying in its queue is allowed, and a ticket still in intake leaves it (no
   * category keyboard: it waits for an agent). The first escalation's time is kept (`escalated_at`).
   */
  async escalate(ticketId: number, queue: string, o: { at: Date; agentId?: number; reason?: EscalationReason; urgent?: boolean }): Promise<Ticket> {
    if (!this.o.sla.hasQueue(queue)) throw new DeskError('unknown-queue', { queue, queues: this.o.sla.queues().join(', ') });
    return this.change(
      ticketId,
      UPDATED,
      async (tx, t) => {
        if (t.status === 'resolved') throw new DeskError('ticket-resolved', { ticket: t.id });
        if (t.queue === queue && (!o.urgent || t.urgent)) throw new DeskError('same-queue', { queue });
        const at = eventTime(t, o.at);
        const moved = t.queue !== queue;
        const due = moved ? this.o.sla.deadlines(queue, t.created_at) : { firstResponseDueAt: t.first_response_due_at, resolutionDueAt: t.resolution_due_at };
        const status: TicketStatus = o.urgent && t.status === 'new' ? 'waiting_agent' : t.status;
        const next = await this.update(tx, t.id, {
          queue,
          first_response_due_at: due.firstResponseDueAt,
          resolution_due_at: due.resolutionDueAt,
          escalated_at: t.escalated_at ?? at,
          ...(o.urgent ? { urgent: true, status, intake_state: 'done' as const } : {}),
        });
        const agent = o.agentId ?? t.agent_id;
        const events: TicketEventInput[] = [];
        if (moved)
          events.push({
            type: 'queue_changed',
            occurred_at: iso(at),
            agent_id: agent,
            from_queue: t.queue,
            to_queue: queue,
            reason: 'escalation',
            first_response_due_at: iso(due.firstResponseDueAt),
            resolution_due_at: iso(due.resolutionDueAt),
          });
        events.push({
          type: 'ticket_escalated',
          occurred_at: iso(at),
          agent_id: agent,
          reason: o.reason ?? 'manual',
          from_queue: t.queue,
          to_queue: queue,
          urgent: next.urgent,
        });
        if (status !== t.status) events.push({ type: 'status_changed', occurred_at: iso(at), agent_id: agent, from_status: t.status, to_status: status });
        return { next, events };
      },
      o.agentId !== undefined ? { actorId: o.agentId, action: 'escalate', at: o.at } : undefined,
    );
  }

  /**
   * A customer message joined the ticket: message_in; a ticket waiting for the customer waits for an agent again.
   * `known`: the ticket as just read — the hot path then writes in one statement (see changeKnown).
   * `source`: the message in the customer's chat — its idempotency key (relay_event_keys, migration 185) is
   * written with the event, so a redelivered update (a crash before Telegram was confirmed) records nothing
   * twice: the ticket comes back as it is.
   */
  async recordCustomerMessage(ticketId: number, m: { kind: MessageKind; textLength: number; at: Date; source?: RelaySource }, known?: Ticket): Promise<Ticket> {
    const step = (t: Ticket) => {
      const status: TicketStatus = t.status === 'waiting_customer' ? 'waiting_agent' : t.status;
      const at = iso(eventTime(t, m.at));
      const events: TicketEventInput[] = [{ type: 'message_in', occurred_at: at, message_kind: m.kind, text_length: m.textLength }];
      if (status !== t.status) events.push({ type: 'status_changed', occurred_at: at, from_status: t.status, to_status: status });
      return { set: { customer_messages: t.customer_messages + 1, status }, events };
    };
    if (known) {
      const done = await this.changeKnown(known, step(known), m.source && { ...m.source, ticketId: known.id });
      if (done) return done;
    }
    return this.change(ticketId, UPDATED, async (tx, t) => {
      if (m.source && !(await claimEventKey(tx, m.source, t.id))) return { next: t, events: [], unchanged: true };
      const { set, events } = step(t);
      return { next: await this.update(tx, t.id, set), events };
    });
  }

  /**
   * An agent's reply reached the customer: message_out with the first-response
   * measures computed now, from the ticket's own creation time and its queue's calendar.
   * The first replier is assigned when nobody took the ticket.
   * `o.source`: the agent's message in the topic — its idempotency key (relay_event_keys) is written with the
   * event, so a redelivered update records nothing twice (the ticket comes back as it is); `o.pairs`: the
   * relay's record of the copy (message_pairs, ending its claim) and `o.history` its row in the ticket's
   * history, in the same transaction — a crash never leaves the copy recorded without its event.
   */
  async recordAgentReply(
    ticketId: number,
    m: { agentId: number; kind: MessageKind; at: Date },
    o: { source?: RelaySource; pairs?: readonly MessagePair[]; history?: Parameters<TicketMessageRepo['record']>[0] } = {},
  ): Promise<Ticket> {
    return this.change(
      ticketId,
      UPDATED,
      async (tx, t) => {
        if (o.pairs?.length) await new MessagePairRepo(tx).save(o.pairs, tx);
        if (o.source && !(await claimEventKey(tx, o.source, t.id))) return { next: t, events: [], unchanged: true };
        if (o.history?.length) await new TicketMessageRepo(tx).record(o.history);
        const first = t.first_response_at === null;
        const at = eventTime(t, m.at);
        const status: TicketStatus = t.status === 'resolved' ? 'resolved' : 'waiting_customer';
        const next = await this.update(tx, t.id, {
          agent_replies: t.agent_replies + 1,
          first_response_at: first ? at : t.first_response_at,
          agent_id: t.agent_id ?? m.agentId,
          status,
        });
        const events: TicketEventInput[] = [];
        if (t.agent_id === null) events.push({ type: 'ticket_assigned', occurred_at: iso(at), agent_id: m.agentId, previous_agent_id: null });
        events.push({
          type: 'message_out',
          occurred_at: iso(at),
          agent_id: m.agentId,
          message_kind: m.kind,
          is_first_response: first,
          first_response_seconds: first ? seconds(t.created_at, at) : null,
          first_response_bh_seconds: first ? this.o.sla.businessSeconds(t.queue, t.created_at, at) : null,
        });
        if (status !== t.status) events.push({ type: 'status_changed', occurred_at: iso(at), agent_id: m.agentId, from_status: t.status, to_status: status });
        return { next, events };
      },
      { actorId: m.agentId, action: 'reply', at: m.at, detail: { kind: m.kind } },
    );
  }

  /**
   * An automatic answer the customer saw (receipt, KB, macro): never stops the first-response clock.
   * `text` (what the customer read) and `messageId` (the sent message) go into the ticket's history
   * (ticket_messages, the Mini App's ticket page) in the same transaction.
   */
  async recordBotReply(
    ticketId: number,
    r: { replyKind: 'kb' | 'receipt' | 'auto' | 'macro'; kbArticleId?: string | null; at: Date; text?: string; messageId?: number },
  ): Promise<void> {
    await this.o.db.transaction(async (tx) => {
      const t = await this.get(ticketId, tx);
      if (!t) throw new DeskError('ticket-not-found', { ticket: ticketId });
      await this.o.outbox.appendForTicket(tx, t, [
        { type: 'bot_reply', occurred_at: iso(eventTime(t, r.at)), reply_kind: r.replyKind, kb_article_id: r.kbArticleId ?? null },
      ]);
      if (r.text !== undefined)
        await new TicketMessageRepo(tx).record([
          { ticketId, customerId: t.customer_id, sender: 'bot', text: r.text, chatId: t.customer_id, messageId: r.messageId ?? null, at: r.at },
        ]);
    });
  }

  // ---- internals ---------------------------------------------------------

  /**
   * One change in one transaction: the ticket locked, `fn` updates it and
   * returns its events, the events go into the outbox; after commit, the
   * change (`what` it was) goes to the subscriber.
   */
  private async change(
    ticketId: number,
    what: ChangeKind,
    fn: (tx: Queryable, t: Ticket) => Promise<{ next: Ticket; events: TicketEventInput[]; unchanged?: boolean }>,
    /** A staff member's action: its audit row and staff_action event go into the same transaction (bot/audit.ts). */
    audit?: { actorId: number; action: AuditAction; at: Date; detail?: Record<string, string | number | boolean | null> },
  ): Promise<Ticket> {
    const { previous, next } = await this.o.db.transaction(async (tx) => {
      const t = (await tx.query<Ticket>('SELECT * FROM tickets WHERE id = $1 FOR UPDATE', [ticketId])).rows[0];
      if (!t) throw new DeskError('ticket-not-found', { ticket: ticketId });
      const r = await fn(tx, t);
      // Nothing happened (a redelivered message whose event is recorded already): no event, no audit, no notice.
      if (r.unchanged) return { previous: undefined, next: r.next };
      await this.o.outbox.appendForTicket(tx, r.next, r.events);
      if (audit) await recordAudit(tx, this.o.outbox, { ...audit, at: eventTime(t, audit.at) }, r.next);
      return { previous: t, next: r.next };
    });
    if (previous) await this.notify({ ...what, ticket: next, previous });
    return next;
  }

  private async update(tx: Queryable, id: number, set: Partial<Omit<Ticket, 'id'>>): Promise<Ticket> {
    const keys = Object.keys(set) as (keyof typeof set)[];
    const assignments = keys.map((k, i) => `${k} = $${i + 2}`);
    const r = await tx.query<Ticket>(`UPDATE tickets SET ${assignments.join(', ')}, version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`, [
      id,
      ...keys.map((k) => set[k]),
    ]);
    return r.rows[0]!;
  }

  /**
   * The one-statement form of change() for a ticket read moments ago: the
   * update applies only if the ticket's version is still the one read, and
   * the events go into the outbox in the same statement (so still atomically).
   * Concurrent customers' changes share the statement (group commit): each is
   * applied or not on its own, as if alone.
   * Undefined when someone changed the ticket meanwhile: the caller falls back to change().
   */
  private async changeKnown(
    known: Ticket,
    r: { set: KnownSet; events: TicketEventInput[] },
    key?: RelaySource & { ticketId: number },
  ): Promise<Ticket | undefined> {
    // a ticket from before pseudonyms (migration 140) gets its analytics id in change()'s transaction first
    if (known.analytics_id === null || known.analytics_id === undefined) return undefined;
    // the row this statement writes: the change's events carry the version it produces
    const envelope = { ...known, ...r.set, version: known.version + 1 } as Ticket;
    const payloads = this.o.outbox.build(envelope, r.events);
    const next = await this.known.run({ known, set: r.set, payloads, key });
    if (next) await this.notify({ kind: 'updated', ticket: next, previous: known });
    return next;
  }

  /**
   * changeKnown's statement for several tickets: each ticket's update applies only at the version read and —
   * with an idempotency key — while the key is not recorded (the version check serialises two statements for
   * the same key); the applied ones' events go into the outbox (in order: by item, then by event) and their
   * keys are recorded. Returns each item's updated row, or undefined where it did not apply.
   */
  private async writeKnown(items: readonly KnownChange[]): Promise<(Ticket | undefined)[]> {
    const params: unknown[] = [this.o.outbox.topic];
    const values = items.map((c, n) => {
      params.push(
        n,
        c.known.id,
        c.known.version,
        c.set.customer_messages,
        c.set.status,
        JSON.stringify(c.payloads),
        c.key?.chatId ?? null,
        c.key?.messageId ?? null,
      );
      const p = params.length;
      return `($${p - 7}::int, $${p - 6}::bigint, $${p - 5}::int, $${p - 4}::int, $${p - 3}::text, $${p - 2}::jsonb, $${p - 1}::bigint, $${p}::int)`;
    });
    const res = await this.o.db.query<Ticket>(
      `WITH v (n, id, version, customer_messages, status, events, key_chat, key_msg) AS (VALUES ${values.join(', ')}),
       upd AS (
         UPDATE tickets t SET customer_messages = v.customer_messages, status = v.status, version = t.version + 1, updated_at = now()
         FROM v
         WHERE t.id = v.id AND t.version = v.version
           AND (v.key_chat IS NULL OR NOT EXISTS (SELECT 1 FROM relay_event_keys k WHERE k.source_chat_id = v.key_chat AND k.source_message_id = v.key_msg))
         RETURNING t.*),
       ins AS (
         INSERT INTO outbox (topic, key, payload)
         SELECT $1::text, upd.id::text, e.payload
         FROM upd JOIN v ON v.id = upd.id, jsonb_array_elements(v.events) WITH ORDINALITY AS e(payload, i)
         ORDER BY v.n, e.i),
       k AS (
         INSERT INTO relay_event_keys (source_chat_id, source_message_id, ticket_id)
         SELECT v.key_chat, v.key_msg, upd.id FROM upd JOIN v ON v.id = upd.id WHERE v.key_chat IS NOT NULL ON CONFLICT DO NOTHING)
       SELECT * FROM upd`,
      params,
    );
    const byId = new Map(res.rows.map((t) => [Number(t.id), t]));
    return items.map((c) => byId.get(Number(c.known.id)));
  }

  /** After commit: a failing notification is logged; it never undoes or fails the committed change. */
  private async notify(change: TicketChange): Promise<void> {
    try {
      await this.subscriber?.(change);
    } catch (err) {
      this.o.log.error({ err, ticket: change.ticket.id, change: change.kind }, 'ticket change notification failed');
    }
  }
}
