/**
 * No customer left without an answer (issue 18, item 2). When a customer's message cannot reach the support
 * group — the topic cannot be created (wrong SUPPORT_CHAT_ID, topics disabled, the bot lost
 * can_manage_topics) or the copy failed for any reason but the original being gone — the customer still gets
 * the receipt (the intake goes on), and here:
 *  - the message is kept in pending_deliveries (ids only, never the text), a ticket whose card could not be
 *    posted is marked (tickets.topic_pending), and every later message of that customer waits behind them;
 *    a message written in the Mini App waits the same way, its text kept in ticket_messages (history_id);
 *  - the escalation chat is told once per outage ("topics cannot be created in the support group: <reason> —
 *    N customers waiting"; the count is kept up to date by editing that message) and again when it is over;
 *  - a repair loop with back-off (1 s … 2 min; restarted from the table after a restart) creates the topic
 *    and the card, then copies the waiting messages in order, each once: message_pairs skips one copied
 *    already, a row goes only after its copy is recorded. "message to copy not found" (the customer deleted
 *    it) is the one permanent failure: the agents get a note instead; anything else is retried.
 * The gauge desk_messages_awaiting_delivery counts the rows (alert MessagesAwaitingDelivery).
 */
import { GrammyError } from 'grammy';
import type { Message } from 'grammy/types';
import type { Logger } from '../core/log.js';
import type { Desk } from './context.js';
import { withoutPersonalData } from './error-boundary.js';
import { postCard } from './features/ticket-card/card.js';
import { trackAwaitingDelivery } from './metrics.js';
import type { Ticket } from './store/types.js';
import { isUncopyable } from './telegram/errors.js';
import { messageKind } from './telegram/message-kind.js';
import type { DeliveryHolds } from './telegram/relay.js';

const MIN_DELAY_MS = 1_000;
const MAX_DELAY_MS = 120_000;

export interface EscalationTarget {
  chatId: number;
  threadId?: number;
}

export interface DeliveryRepairOptions {
  desk: Desk;
  /** Where the outage is announced (ESCALATION_CHAT_ID/ESCALATION_THREAD_ID); read when first needed. */
  escalation: () => EscalationTarget | undefined;
  log: Logger;
  minDelayMs?: number;
  maxDelayMs?: number;
}

interface Row {
  id: string;
  /** Null for a message written in the Mini App (history_id). */
  message_id: number | null;
  ticket_id: number;
  kind: string;
  reply_to_message_id: number | null;
  history_id: string | null;
}

/** The reason a failure gives, without anything a message carried: Telegram's description or the error type. */
function reasonOf(e: unknown): string {
  if (e instanceof GrammyError) return e.description.replace(/^Bad Request: /, '');
  return e instanceof Error ? e.name : 'unknown error';
}

export class DeliveryRepair implements DeliveryHolds {
  private readonly waiting = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private delayMs: number;
  private stopped = true;
  private untrack: (() => void) | undefined;
  /** The outage announcement in the escalation chat (one per outage). */
  private announced: { messageId: number | undefined; text: string } | undefined;

  constructor(private readonly o: DeliveryRepairOptions) {
    this.delayMs = o.minDelayMs ?? MIN_DELAY_MS;
  }

  /** Picks up what an earlier run left waiting and repairs it at once. */
  async start(): Promise<void> {
    this.stopped = false;
    this.untrack = trackAwaitingDelivery(() => this.count());
    const rows = await this.o.desk.db.query<{ customer_id: string }>(
      `SELECT DISTINCT customer_id FROM pending_deliveries
       UNION SELECT customer_id FROM tickets WHERE topic_pending AND status <> 'resolved'`,
    );
    for (const r of rows.rows) this.waiting.add(Number(r.customer_id));
    if (this.waiting.size) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    this.untrack?.();
  }

  isWaiting(customerId: number): boolean {
    return this.waiting.has(customerId);
  }

  /** Messages waiting for delivery (the gauge). */
  async count(): Promise<number> {
    const r = await this.o.desk.db.query<{ n: string }>('SELECT count(*) AS n FROM pending_deliveries');
    return Number(r.rows[0]?.n ?? 0);
  }

  async hold(customerId: number, ticketId: number, msgs: Message[], cause?: unknown): Promise<void> {
    for (const m of msgs) {
      await this.o.desk.db.query(
        `INSERT INTO pending_deliveries (customer_id, message_id, ticket_id, kind, reply_to_message_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (customer_id, message_id) DO NOTHING`,
        [customerId, m.message_id, ticketId, messageKind(m), m.reply_to_message?.message_id ?? null],
      );
    }
    await this.held(customerId, ticketId, cause);
  }

  /** A message written in the Mini App: its text stays in ticket_messages (`historyId`), the row points at it. */
  async holdWritten(customerId: number, ticketId: number, historyId: number, cause?: unknown): Promise<void> {
    await this.o.desk.db.query(`INSERT INTO pending_deliveries (customer_id, ticket_id, kind, history_id) VALUES ($1, $2, 'text', $3)`, [
      customerId,
      ticketId,
      historyId,
    ]);
    await this.held(customerId, ticketId, cause);
  }

  private async held(customerId: number, ticketId: number, cause: unknown): Promise<void> {
    const first = !this.waiting.has(customerId);
    this.waiting.add(customerId);
    if (cause !== undefined)
      this.o.log.warn({ err: withoutPersonalData(cause), customerId, ticket: ticketId }, 'customer message held: it cannot reach the support group yet');
    if (cause !== undefined || first) await this.announce(cause);
    this.schedule(this.delayMs);
  }

  /** A new ticket's card could not be posted (its topic could not be created): the repair posts it. */
  async cardFailed(ticket: Ticket, cause: unknown): Promise<void> {
    await this.o.desk.db.query('UPDATE tickets SET topic_pending = true WHERE id = $1', [ticket.id]);
    this.waiting.add(ticket.customer_id);
    this.o.log.warn({ err: withoutPersonalData(cause), ticket: ticket.id }, 'ticket card could not be posted: its topic cannot be created yet');
    await this.announce(cause);
    this.schedule(this.delayMs);
  }

  /** Runs the repair now (tests, and a kick once the support group was fixed). */
  async repairNow(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.run();
  }

  private schedule(ms: number): void {
    if (this.stopped || this.timer || this.waiting.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, ms);
    this.timer.unref?.();
  }

  private run(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.repairAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async repairAll(): Promise<void> {
    let failure: unknown;
    for (const customerId of [...this.waiting]) {
      if (this.stopped) return;
      try {
        await this.o.desk.relay.exclusive(customerId, () => this.repairCustomer(customerId));
      } catch (e) {
        failure = e;
        break; // the support group is still broken: the others would fail the same way
      }
    }
    if (failure !== undefined) {
      this.o.log.warn({ err: withoutPersonalData(failure), retryInMs: this.delayMs }, 'held customer messages still cannot be delivered; retrying');
      await this.announce(failure);
      const delay = this.delayMs;
      this.delayMs = Math.min(this.delayMs * 2, this.o.maxDelayMs ?? MAX_DELAY_MS);
      this.schedule(delay);
      return;
    }
    this.delayMs = this.o.minDelayMs ?? MIN_DELAY_MS;
    if (this.waiting.size) return this.schedule(0); // some arrived meanwhile
    await this.recovered();
  }

  /** The customer's card and then their waiting messages, in order; runs in the customer's relay order. */
  private async repairCustomer(customerId: number): Promise<void> {
    const { desk } = this.o;
    const marked = await desk.db.query<{ id: string }>('SELECT id FROM tickets WHERE customer_id = $1 AND topic_pending ORDER BY id', [customerId]);
    for (const { id } of marked.rows) {
      const ticket = await desk.tickets.get(Number(id));
      // postCard creates the topic if needed; the card is claimed per topic, so a card posted already is not repeated.
      if (ticket && ticket.status !== 'resolved') await postCard(desk, ticket);
      await desk.db.query('UPDATE tickets SET topic_pending = false WHERE id = $1', [Number(id)]);
    }
    for (;;) {
      const rows = await desk.db.query<Row>(
        'SELECT id, message_id, ticket_id, kind, reply_to_message_id, history_id FROM pending_deliveries WHERE customer_id = $1 ORDER BY id LIMIT 50',
        [customerId],
      );
      if (rows.rows.length === 0) break;
      for (const row of rows.rows) {
        // Written in the Mini App: the text kept in ticket_messages, sent once (the row records its copy).
        if (row.history_id !== null) {
          await desk.relay.sendWritten(customerId, Number(row.history_id));
          await desk.db.query('DELETE FROM pending_deliveries WHERE id = $1', [row.id]);
          continue;
        }
        try {
          await desk.relay.copyWaiting(customerId, Number(row.ticket_id), row.message_id!, row.reply_to_message_id);
        } catch (e) {
          if (!isUncopyable(e)) throw e;
          desk.log.warn({ err: withoutPersonalData(e), customerId }, 'held customer message can no longer be copied');
          await desk.relay.sendToTopic(customerId, desk.agentText('agent-uncopyable', { kind: row.kind }));
        }
        await desk.db.query('DELETE FROM pending_deliveries WHERE id = $1', [row.id]);
      }
    }
    this.waiting.delete(customerId);
  }

  /** Tells the escalation chat once per outage; later calls keep its count of waiting customers current. */
  private async announce(cause: unknown): Promise<void> {
    const target = this.target();
    if (!target) return;
    const reason = cause === undefined ? (this.announced ? undefined : 'unknown') : reasonOf(cause);
    const text = this.o.desk.agentText('agent-delivery-blocked', { reason: reason ?? this.lastReason ?? 'unknown', count: this.waiting.size });
    if (reason) this.lastReason = reason;
    try {
      if (!this.announced) {
        this.announced = { messageId: undefined, text };
        const sent = await this.o.desk.api.sendMessage(target.chatId, text, target.threadId ? { message_thread_id: target.threadId } : {});
        this.announced.messageId = sent.message_id;
      } else if (this.announced.text !== text && this.announced.messageId !== undefined) {
        this.announced.text = text;
        await this.o.desk.api.editMessageText(target.chatId, this.announced.messageId, text);
      }
    } catch (err) {
      this.o.log.error({ err: withoutPersonalData(err) }, 'could not tell the escalation chat that customer messages are held');
    }
  }

  private lastReason: string | undefined;

  private async recovered(): Promise<void> {
    if (!this.announced) return;
    this.announced = undefined;
    this.lastReason = undefined;
    const target = this.target();
    if (!target) return;
    await this.o.desk.api
      .sendMessage(target.chatId, this.o.desk.agentText('agent-delivery-recovered'), target.threadId ? { message_thread_id: target.threadId } : {})
      .catch((err: unknown) => this.o.log.error({ err: withoutPersonalData(err) }, 'could not tell the escalation chat that held messages were delivered'));
  }

  private target(): EscalationTarget | undefined {
    try {
      return this.o.escalation();
    } catch (err) {
      this.o.log.error({ err: withoutPersonalData(err) }, 'escalation chat not configured');
      return undefined;
    }
  }
}
