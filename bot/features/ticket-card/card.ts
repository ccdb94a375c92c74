/**
 * The ticket card: the first message of every ticket in the customer's topic —
 * who, which language, queue and category, SLA deadlines, earlier tickets —
 * with Take / Resolve buttons (Reopen once resolved), and a Release button
 * while anti-spam holds a newcomer's links or media. Edited in place when
 * the queue, category, agent, open/resolved state or held messages change. A topic holds one
 * card per ticket; when a new topic replaces a deleted one, the card posted
 * there replaces the old one, whose buttons are taken off.
 */
import { InlineKeyboard } from 'grammy';
import type { Desk } from '../../context.js';
import { heldForAgents } from '../antispam/held.js';
import type { Customer, Ticket } from '../../store/types.js';
import { isHarmlessEditError, isThreadGone } from '../../telegram/errors.js';
import { cardIncidentLine } from '../incidents/card-line.js';
import { customerLocale, escapeHtml, formatInstant, matchLocale } from '../../telegram/present.js';
import { addExpertButton } from '../urgent/escalate.js';
import { cardPriorityLine } from '../urgent/next-up.js';

/** `held`: the newcomer's links and media waiting for an agent (heldForAgents). */
export function cardKeyboard(desk: Desk, ticket: Ticket, held = 0): InlineKeyboard {
  const t = desk.agentText;
  const keyboard =
    ticket.status === 'resolved'
      ? new InlineKeyboard().text(t('agent-button-reopen'), `desk:reopen:${ticket.id}`)
      : new InlineKeyboard().text(t('agent-button-take'), `desk:take:${ticket.id}`).text(t('agent-button-resolve'), `desk:resolve:${ticket.id}`);
  // A queue that escalates (SLA_TARGETS ">L2"): an agent can hand the ticket to an expert (features/urgent/).
  addExpertButton(keyboard, desk, ticket);
  return held > 0 ? keyboard.row().text(t('agent-button-release', { count: held }), `desk:release:${ticket.id}`) : keyboard;
}

export async function renderCard(desk: Desk, ticket: Ticket, customer: Customer, held = 0): Promise<string> {
  const t = desk.agentText;
  const cal = desk.sla.calendar(ticket.queue);
  const earlier = (await desk.tickets.history(customer.id, 6)).filter((h) => h.id !== ticket.id).slice(0, 5);
  const history = earlier.length
    ? earlier
        .map((h) => `#${h.id} ${h.category ?? ''} ${h.status === 'resolved' ? '🏁' : '📝'} ${formatInstant(h.created_at).slice(0, 10)}`.replace(/\s+/g, ' '))
        .join(', ')
    : t('agent-card-none');
  const category = desk.config.categories.find((c) => c.key === ticket.category)?.label ?? ticket.category;
  let agent = t('agent-card-none');
  if (ticket.agent_id !== null) agent = `<a href="tg://user?id=${ticket.agent_id}">${ticket.agent_id}</a>`;
  // Urgent or not, and the ticket's place in the priority order when the card was drawn (features/urgent/).
  const priority = await cardPriorityLine(desk, ticket);
  const card = t('agent-card', {
    number: ticket.id,
    customer: escapeHtml([customer.first_name, customer.last_name].filter(Boolean).join(' ') || '—'),
    username: customer.username ? ` (@${escapeHtml(customer.username)})` : '',
    customerId: customer.id,
    language: escapeHtml(cardLanguage(desk, ticket, customer)),
    queue: escapeHtml(ticket.queue),
    category: category ? escapeHtml(category) : t('agent-card-none'),
    firstDue: formatInstant(ticket.first_response_due_at, cal?.zone),
    resolutionDue: formatInstant(ticket.resolution_due_at, cal?.zone),
    calendar: (cal ? `\n🕘 ${escapeHtml(cal.source)}` : '') + (ticket.is_repeat_contact ? `\n${t('agent-card-repeat')}` : ''),
    agent,
    history: escapeHtml(history),
    held: held > 0 ? `\n${t('agent-card-held', { count: held })}` : '',
  });
  // The incident it is linked to, if any (features/incidents/).
  const incident = await cardIncidentLine(desk, ticket);
  return [card, priority, incident].filter(Boolean).join('\n');
}

/**
 * The customer's own language (Telegram's, or the one they chose) and, when the desk has no texts in it, the
 * locale the bot answers them in: agents learn that a customer writes German though the receipts went out in English.
 */
function cardLanguage(desk: Desk, ticket: Ticket, customer: Customer): string {
  const own = customer.language_code ?? ticket.language;
  if (!own) return '—';
  const answersIn = customerLocale(desk.locales, customer, ticket);
  return matchLocale([answersIn], own) ? own : desk.agentText('agent-card-replies-in', { language: own, locale: answersIn });
}

/**
 * Puts the ticket's card into the customer's topic (creating or recreating the
 * topic as needed) unless that topic has it already: one card per ticket and
 * topic, however many paths ask at once.
 */
export async function postCard(desk: Desk, ticket: Ticket): Promise<void> {
  const title = async () => desk.topics.titleFor((await desk.tickets.get(ticket.id)) ?? ticket, (await desk.customers.get(ticket.customer_id))!);
  await desk.topics.withThread(ticket.customer_id, title, (thread) => placeCard(desk, ticket.id, thread));
}

interface CardPlace {
  chat_id: number | null;
  thread_id: number | null;
  message_id: number | null;
}

/**
 * Posts the card into `threadId`. The place is claimed in the ticket row first,
 * so of several callers for the same topic one posts; the card it replaces
 * loses its buttons. A send that fails gives the claim back (a deleted topic:
 * withThread recreates it and calls again).
 */
async function placeCard(desk: Desk, ticketId: number, threadId: number): Promise<void> {
  const chatId = desk.config.supportChatId;
  const prev = (
    await desk.db.query<CardPlace>(
      `WITH prev AS (SELECT id, card_chat_id, card_thread_id, card_message_id FROM tickets WHERE id = $1 FOR UPDATE)
       UPDATE tickets t SET card_chat_id = $2, card_thread_id = $3
       FROM prev WHERE t.id = prev.id AND (prev.card_chat_id IS DISTINCT FROM $2 OR prev.card_thread_id IS DISTINCT FROM $3)
       RETURNING prev.card_chat_id AS chat_id, prev.card_thread_id AS thread_id, prev.card_message_id AS message_id`,
      [ticketId, chatId, threadId],
    )
  ).rows[0];
  if (!prev) return; // this topic has the card (or another caller is posting it)
  let messageId: number;
  try {
    const ticket = (await desk.tickets.get(ticketId))!;
    const customer = (await desk.customers.get(ticket.customer_id))!;
    const held = await heldForAgents(desk.db, ticket.id);
    const sent = await desk.api.sendMessage(chatId, await renderCard(desk, ticket, customer, held), {
      message_thread_id: threadId,
      parse_mode: 'HTML',
      reply_markup: cardKeyboard(desk, ticket, held),
      link_preview_options: { is_disabled: true },
    });
    messageId = sent.message_id;
  } catch (e) {
    await desk.db.query(
      `UPDATE tickets SET card_chat_id = $4, card_thread_id = $5
       WHERE id = $1 AND card_chat_id = $2 AND card_thread_id = $3 AND card_message_id IS NOT DISTINCT FROM $6::int`,
      [ticketId, chatId, threadId, prev.chat_id, prev.thread_id, prev.message_id],
    );
    throw e;
  }
  const kept = await desk.db.query('UPDATE tickets SET card_message_id = $4 WHERE id = $1 AND card_chat_id = $2 AND card_thread_id = $3', [
    ticketId,
    chatId,
    threadId,
    messageId,
  ]);
  // Another topic claimed the card meanwhile: this one is already stale.
  if (kept.rowCount === 0) await disableCard(desk, messageId);
  // A card of an older support group is left alone: its id means nothing in this chat.
  else if (prev.message_id !== null && prev.chat_id === chatId) await disableCard(desk, prev.message_id);
}

/** Takes the buttons off a card that no longer acts on its ticket; a card deleted with its topic needs nothing. */
export async function disableCard(desk: Desk, messageId: number): Promise<void> {
  try {
    await desk.api.editMessageReplyMarkup(desk.config.supportChatId, messageId, { reply_markup: { inline_keyboard: [] } });
  } catch (e) {
    if (!isHarmlessEditError(e) && !isThreadGone(e)) desk.log.warn({ err: e, messageId }, 'could not take the buttons off a replaced ticket card');
  }
}

/**
 * Whether a pressed card was replaced: the ticket points at a later card (or one
 * in another support group). A card later than the recorded one is the one
 * being posted right now, so it counts as current.
 */
export function isStaleCard(ticket: Pick<Ticket, 'card_chat_id' | 'card_message_id'>, chatId: number, messageId: number): boolean {
  if (ticket.card_chat_id !== null && ticket.card_chat_id !== chatId) return true;
  return ticket.card_message_id !== null && messageId < ticket.card_message_id;
}

/** Brings an existing card up to date. */
export async function refreshCard(desk: Desk, ticket: Ticket, customer: Customer): Promise<void> {
  if (ticket.card_message_id === null) return;
  try {
    const held = await heldForAgents(desk.db, ticket.id);
    await desk.api.editMessageText(desk.config.supportChatId, ticket.card_message_id, await renderCard(desk, ticket, customer, held), {
      parse_mode: 'HTML',
      reply_markup: cardKeyboard(desk, ticket, held),
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
    prev.urgent !== next.urgent ||
    prev.category !== next.category ||
    prev.agent_id !== next.agent_id ||
    (prev.status === 'resolved') !== (next.status === 'resolved') ||
    prev.first_response_due_at.getTime() !== next.first_response_due_at.getTime()
  );
}
