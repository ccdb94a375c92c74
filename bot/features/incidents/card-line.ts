/** The ticket card's line for an incident the ticket is linked to (bot/features/ticket-card/card.ts shows it). */
import type { Desk } from '../../context.js';
import { IncidentStore } from '../../incidents/store.js';
import type { Ticket } from '../../store/types.js';
import { escapeHtml } from '../../telegram/present.js';

export async function cardIncidentLine(desk: Desk, ticket: Pick<Ticket, 'id'>): Promise<string> {
  const link = await new IncidentStore(desk.db).linkOf(ticket.id);
  return link ? desk.agentText('inc-card-line', { id: link.id, title: escapeHtml(link.title), status: link.status }) : '';
}
