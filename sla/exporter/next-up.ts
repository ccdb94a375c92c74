/**
 * "Next up": the desk's open tickets in the order to work them (sla/priority.ts),
 * read from the desk's store — behind `/sla` and the ticket card's place in line.
 * The dashboard's live panel orders its own list (over ticket_facts) with the
 * same function. Open tickets are the store's small, hot subset (a partial index,
 * bot/store/migrations/120): the rows are read whole and ordered here, so the one
 * definition of the order is the function's, not an SQL restatement of it.
 */
import type { Queryable } from '../../core/postgres.js';
import { prioritize, type PriorityOptions, type PriorityTicket } from '../priority.js';

export interface NextUpTicket extends PriorityTicket {
  customer_id: number;
  status: string;
  agent_id: number | null;
  created_at: Date;
}

/** Every open ticket, in priority order. */
export async function readNextUp(db: Queryable, o: PriorityOptions = {}): Promise<NextUpTicket[]> {
  const r = await db.query<NextUpTicket>(
    `SELECT id, customer_id, status, queue, category, agent_id, urgent, created_at, first_response_at, first_response_due_at, resolution_due_at
     FROM tickets WHERE status <> 'resolved'`,
  );
  return prioritize(
    r.rows.map((t) => ({
      ...t,
      id: Number(t.id),
      customer_id: Number(t.customer_id),
      agent_id: t.agent_id === null ? null : Number(t.agent_id),
      created_at: new Date(t.created_at),
      first_response_at: t.first_response_at === null ? null : new Date(t.first_response_at),
      first_response_due_at: new Date(t.first_response_due_at),
      resolution_due_at: new Date(t.resolution_due_at),
    })),
    o,
  );
}
