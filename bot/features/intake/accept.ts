/**
 * A customer's message joining the desk — the one path a message to the bot (features/intake/feature.ts)
 * and a request or reply written in the Mini App (bot/miniapp/api/) both take: the ticket opened (or the
 * open one joined), for a new one its category when the customer chose it already, the card in the topic,
 * message_in, the message delivered to the topic (the caller's way: a copy, a masked text, a hold, the
 * app's text), and for a new ticket the receipt with its ETA (and the "Track status" Mini App button) — or,
 * when the message holds a stop word (features/urgent/), the ticket marked urgent in its queue (security,
 * payments), the customer told its number and ETA instead, and the escalation chat's post with Take.
 */
import { InlineKeyboard } from 'grammy';
import type { Desk } from '../../context.js';
import { withoutPersonalData } from '../../error-boundary.js';
import { etaOverTarget } from '../../metrics.js';
import type { Channel, MessageKind } from '../../../schemas/events.js';
import type { Customer, Ticket } from '../../store/types.js';
import { customerLocale, customerText, formatDuration } from '../../telegram/present.js';
import { trackStatusButton } from '../miniapp/buttons.js';
import { postCard, refreshCard } from '../ticket-card/card.js';
import { markUrgent } from '../urgent/escalate.js';
import type { StopWordMatch } from '../urgent/matcher.js';

export interface CustomerMessageInput {
  customer: Customer;
  /** The customer's open ticket as just read (undefined: a new one is opened). */
  openTicket: Ticket | undefined;
  /** The message's date (Telegram's, or the app's request time). */
  at: Date;
  /** The customer's locale, stored on a new ticket. */
  language: string;
  /** The message in the customer's chat that opened the ticket (chat only). */
  messageId?: number;
  kind: MessageKind;
  textLength: number;
  channel: Channel;
  /** The category the customer chose already (the app's form): a new ticket is routed before its receipt. */
  category?: string;
  /**
   * Before the card (chat: anti-spam's hold is stored first, so a new ticket's card shows it). 'refresh':
   * an existing ticket's card must show something new.
   */
  beforeCard?: (ticket: Ticket) => Promise<'refresh' | undefined>;
  /** Delivers the message to the topic, after message_in is recorded. */
  deliver: (ticket: Ticket) => Promise<void>;
  /** The stop word the message holds (features/urgent/ stopWordIn): the ticket is marked urgent unless it is already. */
  stopWord?: StopWordMatch | undefined;
  /** False: a new ticket gets no receipt here (the customer was told otherwise, e.g. a stop word's urgent message). */
  receipt?: boolean;
}

export async function acceptCustomerMessage(desk: Desk, m: CustomerMessageInput): Promise<{ ticket: Ticket; created: boolean }> {
  const { customer, at } = m;
  const opened = m.openTicket
    ? { ticket: m.openTicket, created: false }
    : await desk.tickets.open({ customer, at, language: m.language, channel: m.channel, ...(m.messageId !== undefined ? { messageId: m.messageId } : {}) });
  let { ticket } = opened;
  const { created } = opened;
  if (created && m.category !== undefined)
    ticket = await desk.tickets.setCategory(ticket.id, m.category, { at, isVip: desk.config.vipUserIds.has(customer.id) });
  const card = m.beforeCard ? await m.beforeCard(ticket) : undefined;
  // A card that cannot be posted (the topic cannot be created) is the repair's job: the customer still gets the receipt.
  if (created) await postCard(desk, ticket).catch((e: unknown) => desk.relay.cardFailed(ticket, e));
  else if (card === 'refresh') await refreshCard(desk, ticket, customer);
  // Keyed by the chat message (relay_event_keys): a redelivered update (a crash before its copy was recorded) records it once.
  ticket = await desk.tickets.recordCustomerMessage(ticket.id, { kind: m.kind, textLength: m.textLength, at, ...sourceOf(m) }, created ? undefined : ticket);
  await m.deliver(ticket);
  // A stop word: the urgent message (number, ETA) is the receipt; a refused escalation leaves the ordinary one.
  const urgent = m.stopWord && !ticket.urgent ? await markUrgent(desk, ticket, customer, m.stopWord, at, created) : undefined;
  if (urgent) ticket = urgent;
  // A receipt Telegram refuses (it is down) stops nothing: the message is in (or waits for) the topic.
  else if (created && m.receipt !== false)
    await sendReceipt(desk, customer, ticket).catch((err: unknown) =>
      desk.log.warn({ err: withoutPersonalData(err), ticket: ticket.id }, 'the receipt could not be sent'),
    );
  return { ticket, created };
}

/**
 * The message that opened `ticket`, delivered again after a crash cut its intake short (the ticket was
 * opened, then the process died): what is missing is done, nothing twice — the card if none was
 * posted, message_in if not recorded (customer_messages still 0), the copy (the relay skips one made),
 * the receipt if none was recorded. The caller then shows the category keyboard if it is still due.
 */
export async function resumeOpening(desk: Desk, m: CustomerMessageInput & { openTicket: Ticket }): Promise<Ticket> {
  const { customer, at } = m;
  let ticket = m.openTicket;
  if (ticket.card_message_id === null) await postCard(desk, ticket).catch((e: unknown) => desk.relay.cardFailed(ticket, e));
  if (ticket.customer_messages === 0)
    ticket = await desk.tickets.recordCustomerMessage(ticket.id, { kind: m.kind, textLength: m.textLength, at, ...sourceOf(m) }, ticket);
  await m.deliver(ticket);
  const receipted = await desk.db.query('SELECT 1 FROM ticket_messages WHERE ticket_id = $1 AND sender = $2 LIMIT 1', [ticket.id, 'bot']);
  if (receipted.rows.length === 0 && m.receipt !== false) await sendReceipt(desk, customer, ticket);
  return ticket;
}

/** A chat message's idempotency key for its message_in (the customer's private chat id is theirs). */
function sourceOf(m: CustomerMessageInput): { source?: { chatId: number; messageId: number } } {
  return m.channel === 'chat' && m.messageId !== undefined ? { source: { chatId: m.customer.id, messageId: m.messageId } } : {};
}

/**
 * The ETA a receipt promises, in words, and whether the queue is slower than its target — then the
 * copy says so honestly ("busier than usual") instead of reading as a promise already broken, and
 * the QueueEtaAboveTarget alert counts it.
 */
export async function promisedEta(
  desk: Desk,
  ticket: Ticket,
  t: (key: string, vars?: Record<string, string | number>) => string,
): Promise<{ eta: string; busy: 'yes' | 'no' }> {
  const eta = await desk.tickets.eta(ticket);
  if (eta.overTarget) etaOverTarget.inc({ queue: ticket.queue });
  return { eta: formatDuration(eta.seconds, t), busy: eta.overTarget ? 'yes' : 'no' };
}

async function sendReceipt(desk: Desk, customer: Customer, ticket: Ticket): Promise<void> {
  const locale = customerLocale(desk.locales, customer, ticket);
  const t = customerText(desk, customer, ticket);
  // Experiment surface `receipt` (bot/experiments/): short, with the ETA and a status button (control), or what happens next, step by step.
  const steps = (await desk.experiments.variantFor('receipt', ticket, { at: ticket.created_at })) === 'steps';
  const text = t(steps ? 'ticket-receipt-steps' : 'ticket-receipt', { number: ticket.id, queue: ticket.queue, ...(await promisedEta(desk, ticket, t)) });
  const keyboard = new InlineKeyboard();
  if (!steps) keyboard.text('ℹ️ /status', 'desk:status');
  const track = trackStatusButton(desk, locale, ticket.id);
  if (track) keyboard.webApp(track.text, track.url);
  const sent = await desk.relay.sendToCustomer(ticket.customer_id, text, keyboard.inline_keyboard.flat().length > 0 ? { reply_markup: keyboard } : {});
  if (sent) await desk.tickets.recordBotReply(ticket.id, { replyKind: 'receipt', at: new Date(sent.date * 1000), text, messageId: sent.message_id });
}
