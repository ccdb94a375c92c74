/**
 * The transactional outbox: events are inserted in the same transaction as
 * the state change that caused them, so either both happen or neither does.
 * bot/outbox-relay.ts publishes the rows to the bus.
 */
import type { Queryable } from '../../core/postgres.js';
import type { EventType, SupportEvent } from '../../schemas/events.js';
import { makeEvent, type EventInput } from '../../schemas/validate.js';
import { analyticsIds } from './pseudonyms.js';
import type { Ticket } from './types.js';

/** An event's own fields; the envelope (ids, ticket cohort fields, the order inside the ticket) is filled in. */
export type TicketEventInput = {
  [T in EventType]: Omit<EventInput<T>, 'ticket_id' | 'ticket_created_at' | 'ticket_seq' | 'customer_id' | 'queue' | 'category' | 'language'> & { type: T };
}[EventType];
export type AnyEventInput = { [T in EventType]: EventInput<T> & { type: T } }[EventType];

export class Outbox {
  constructor(readonly topic: string) {}

  /**
   * Writes events that belong to a ticket: ticket_id, ticket_created_at, customer, queue, category, language and agent
   * come from the ticket, and ticket_seq is its version — pass the row the event describes (after the change, when
   * the event is about one), so the order inside the ticket never depends on a clock (schemas/events.ts).
   */
  async appendForTicket(tx: Queryable, ticket: Ticket, inputs: readonly TicketEventInput[]): Promise<void> {
    if (inputs.length === 0) return;
    await this.insert(tx, this.build(await this.withAnalyticsId(tx, ticket), inputs));
  }

  /**
   * Builds and validates a ticket's events (makeEvent) without writing them. Their customer_id is the
   * ticket's customer pseudonym (tickets.analytics_id, bot/store/pseudonyms.ts), never the Telegram id:
   * a ticket row without one is refused (appendForTicket fills it in first).
   */
  build(ticket: Ticket, inputs: readonly TicketEventInput[]): SupportEvent[] {
    if (ticket.analytics_id === null || ticket.analytics_id === undefined)
      throw new Error(`ticket ${ticket.id} has no analytics id: its events would carry the Telegram id (use appendForTicket)`);
    const envelope = {
      ticket_id: ticket.id,
      ticket_created_at: ticket.created_at.toISOString(),
      ticket_seq: ticket.version,
      customer_id: ticket.analytics_id,
      agent_id: ticket.agent_id,
      queue: ticket.queue,
      category: ticket.category,
      language: ticket.language,
    };
    const now = new Date();
    return inputs.map((i) => makeEvent({ ...envelope, ...i } as EventInput<EventType>, now));
  }

  /**
   * Writes arbitrary events (desk-wide ones have ticket_id null). A `customer_id` given here is the
   * customer's Telegram id: it is written as their pseudonym (bot/store/pseudonyms.ts).
   */
  async append(tx: Queryable, inputs: readonly AnyEventInput[]): Promise<void> {
    const now = new Date();
    const customers = inputs.flatMap((i) => (typeof i.customer_id === 'number' ? [i.customer_id] : []));
    const pseudonyms = await analyticsIds(tx, customers);
    await this.insert(
      tx,
      inputs.map((i) =>
        makeEvent((typeof i.customer_id === 'number' ? { ...i, customer_id: pseudonyms.get(i.customer_id)! } : i) as EventInput<EventType>, now),
      ),
    );
  }

  /** The ticket with its customer's pseudonym: computed and stored once for a ticket from before migration 140. */
  private async withAnalyticsId(tx: Queryable, ticket: Ticket): Promise<Ticket> {
    if (ticket.analytics_id !== null && ticket.analytics_id !== undefined) return ticket;
    const analyticsId = (await analyticsIds(tx, [ticket.customer_id])).get(ticket.customer_id)!;
    await tx.query('UPDATE tickets SET analytics_id = $2 WHERE id = $1 AND analytics_id IS NULL', [ticket.id, analyticsId]);
    return { ...ticket, analytics_id: analyticsId };
  }

  private async insert(tx: Queryable, events: readonly SupportEvent[]): Promise<void> {
    if (events.length === 0) return;
    const values: string[] = [];
    const params: unknown[] = [];
    for (const ev of events) {
      params.push(this.topic, ev.ticket_id === null ? null : String(ev.ticket_id), JSON.stringify(ev));
      values.push(`($${params.length - 2}, $${params.length - 1}, $${params.length}::jsonb)`);
    }
    await tx.query(`INSERT INTO outbox (topic, key, payload) VALUES ${values.join(', ')}`, params);
  }
}

/** Rows not yet published (the relay's backlog, exported as a metric). */
export async function outboxBacklog(db: Queryable): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
  return r.rows[0]?.n ?? 0;
}
