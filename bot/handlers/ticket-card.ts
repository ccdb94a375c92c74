/**
 * The ticket card: the first message of every ticket in the customer's topic —
 * who, which language, queue and category, SLA deadlines, earlier tickets —
 * with Take / Resolve buttons (Reopen once resolved). Edited in place when
 * the queue, category, agent or open/resolved state changes.
 */
import { InlineKeyboard } from 'grammy';
import type { Desk } from '../context.js';
import { escapeHtml, formatInstant } from '../format.js';
import type { Customer, Ticket } from '../store/types.js';
import { isHarmlessEditError, isThreadGone } from '../telegram/errors.js';

export function cardKeyboard(desk: Desk, ticket: Ticket): InlineKeyboard {
  const t = desk.agentText;
  return ticket.status === 'resolved'
    ? new InlineKeyboard().text(t('agent-button-reopen'), `desk:reopen:${ticket.id}`)
    : new InlineKeyboard().text(t('agent-button-take'), `desk:take:${ticket.id}`).text(t('agent-button-resolve'), `desk:resolve:${ticket.id}`);
}

export async function renderCard(desk: Desk, ticket: Ticket, customer: Customer): Promise<string> {
  const t = desk.agentText;
  const cal = desk.sla.calendar(ticket.queue);
  const earlier = (await desk.tickets.history(customer.id, 6)).filter((h) => h.id !== ticket.id).slice(0, 5);
  const history = earlier.length
    ? earlier.map((h) => `#${h.id} ${h.category ?? ''} ${h.status === 'resolved' ? '🏁' : '📝'} ${formatInstant(h.created_at).slice(0, 10)}`.replace(/\s+/g, ' ')).join(', ')
    : t('agent-card-none');
  const category = desk.config.categories.find((c) => c.key === ticket.category)?.label ?? ticket.category;
  let agent = t('agent-card-none');
  if (ticket.agent_id !== null) agent = `<a href="tg://user?id=${ticket.agent_id}">${ticket.agent_id}</a>`;
  return t('agent-card', {
    number: ticket.id,
    customer: escapeHtml([customer.first_name, customer.last_name].filter(Boolean).join(' ') || '—'),
    username: customer.username ? ` (@${escapeHtml(customer.username)})` : '',
    customerId: customer.id,
    language: ticket.language ?? customer.language_code ?? '—',
    queue: escapeHtml(ticket.queue),
    category: category ? escapeHtml(category) : t('agent-card-none'),
    firstDue: formatInstant(ticket.first_response_due_at, cal?.zone),
    resolutionDue: formatInstant(ticket.resolution_due_at, cal?.zone),
    calendar: (cal ? `\n🕘 ${escapeHtml(cal.source)}` : '') + (ticket.is_repeat_contact ? `\n${t('agent-card-repeat')}` : ''),
    agent,
    history: escapeHtml(history),
  });
}

/** Posts the card of a new ticket into the customer's topic (creating the topic). */
export async function postCard(desk: Desk, ticket: Ticket): Promise<void> {
  const customer = (await desk.customers.get(ticket.customer_id))!;
  const text = await renderCard(desk, ticket, customer);
  const sent = await desk.relay.sendToTopic(customer.id, text, { parse_mode: 'HTML', reply_markup: cardKeyboard(desk, ticket), link_preview_options: { is_disabled: true } });
  await desk.tickets.setCardMessage(ticket.id, sent.message_id);
}

/** Brings an existing card up to date. */
export async function refreshCard(desk: Desk, ticket: Ticket, customer: Customer): Promise<void> {
  if (ticket.card_message_id === null) return;
  try {
    await desk.api.editMessageText(desk.config.supportChatId, ticket.card_message_id, await renderCard(desk, ticket, customer), {
      parse_mode: 'HTML',
      reply_markup: cardKeyboard(desk, ticket),
      link_preview_options: { is_disabled: true },
    });
  } catch (e) {
    if (!isHarmlessEditError(e) && !isThreadGone(e)) throw e;
  }
}

/** Whether a change shows on the card (status flips between waiting states do not). */
export function cardChanged(prev: Ticket, next: Ticket): boolean {
  return (
    prev.queue !== next.queue ||
    prev.category !== next.category ||
    prev.agent_id !== next.agent_id ||
    (prev.status === 'resolved') !== (next.status === 'resolved') ||
    prev.first_response_due_at.getTime() !== next.first_response_due_at.getTime()
  );
}
