/**
 * What an escalation does besides the ticket service's change: the customer told (in their language, with
 * the new ETA), the topic and the escalation chat told. Used by the feature's handlers, its sweep and the
 * agents' `/escalate <reason>`.
 */
import { InlineKeyboard } from 'grammy';
import { loadAlertsConfig } from '../../alerts/config.js';
import { CALLBACK_TAKE } from '../../alerts/format.js';
import type { BotContext, Desk } from '../../context.js';
import { withoutPersonalData } from '../../error-boundary.js';
import type { Customer, Ticket } from '../../store/types.js';
import { customerLocale, customerText, escapeHtml, formatDuration, formatInstant, topicLink } from '../../telegram/present.js';
import { inThread } from '../../telegram/update.js';
import { trackStatusButton } from '../miniapp/buttons.js';
import { DeskError, unlessRefused } from '../../tickets/errors.js';
import type { EscalationReason } from '../../tickets/service.js';
import type { StopWordMatch } from './matcher.js';

/** The ticket card's "🧠 Needs expert" button. */
export const CALLBACK_EXPERT = 'urgent:expert:';

/** Adds "🧠 Needs expert" under an open ticket's card when its queue escalates (SLA_TARGETS ">L2"). */
export function addExpertButton(keyboard: InlineKeyboard, desk: Pick<Desk, 'agentText' | 'sla'>, ticket: Ticket): InlineKeyboard {
  if (ticket.status === 'resolved' || !desk.sla.escalationTarget(ticket.queue)) return keyboard;
  return keyboard.row().text(desk.agentText('urgent-button-expert'), `${CALLBACK_EXPERT}${ticket.id}`);
}

/**
 * A stop word on an open ticket: to the phrase's queue (kept when that queue is unknown) marked urgent, the
 * customer told (for a new ticket instead of the receipt: `opening`), the topic and the escalation chat told.
 */
export async function markUrgent(desk: Desk, ticket: Ticket, customer: Customer, match: StopWordMatch, at: Date, opening = false): Promise<Ticket | undefined> {
  const queue = desk.sla.hasQueue(match.queue) ? match.queue : ticket.queue;
  const t = await unlessRefused(desk.tickets.escalate(ticket.id, queue, { at, reason: 'stop_word', urgent: true }));
  if (!t) return undefined;
  const text = customerText(desk, customer, t);
  const eta = await desk.tickets.eta(t);
  // As the receipt it replaces: the Mini App's "Track status" button when the app is set up.
  const track = opening ? trackStatusButton(desk, customerLocale(desk.locales, customer, t), t.id) : undefined;
  const told = text('urgent-customer', { number: t.id, eta: formatDuration(eta.seconds, text) });
  const sent = await desk.relay.sendToCustomer(customer.id, told, track ? { reply_markup: new InlineKeyboard().webApp(track.text, track.url) } : {});
  // With its text: the Mini App's conversation shows it as it shows a receipt.
  if (sent)
    await desk.tickets.recordBotReply(t.id, {
      replyKind: opening ? 'receipt' : 'auto',
      at: new Date(sent.date * 1000),
      text: told,
      messageId: sent.message_id,
    });
  await desk.relay
    .sendToTopic(customer.id, desk.agentText('urgent-topic-note', { phrase: match.phrase, queue: t.queue, from: ticket.queue }))
    .catch((err: unknown) => desk.log.warn({ err: withoutPersonalData(err), ticket: t.id }, 'urgent note to the topic failed'));
  await postToEscalationChat(desk, t, customer, match).catch((err: unknown) =>
    desk.log.error({ err: withoutPersonalData(err), ticket: t.id }, 'urgent ticket could not be posted to the escalation chat'),
  );
  return t;
}

async function postToEscalationChat(desk: Desk, t: Ticket, customer: Customer, match: StopWordMatch): Promise<void> {
  const cfg = loadAlertsConfig();
  const tr = desk.agentText;
  const ref = customer.thread_id !== null ? `<a href="${topicLink(desk.config.supportChatId, customer.thread_id)}">#${t.id}</a>` : `#${t.id}`;
  const zone = desk.sla.calendar(t.queue)?.zone;
  await desk.api.sendMessage(
    cfg.ESCALATION_CHAT_ID,
    tr('urgent-escalation-post', {
      ticket: ref,
      customer: escapeHtml(customer.first_name.trim() || String(customer.id)),
      queue: escapeHtml(t.queue),
      phrase: escapeHtml(match.phrase),
      due: formatInstant(t.first_response_due_at, zone),
    }),
    {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: new InlineKeyboard().text(tr('alert-take', { id: String(t.id) }), `${CALLBACK_TAKE}${t.id}`),
      ...(cfg.ESCALATION_THREAD_ID ? { message_thread_id: cfg.ESCALATION_THREAD_ID } : {}),
    },
  );
}

/**
 * Moves a ticket up to its queue's escalation target (reason needs_expert, or frt_risk from the sweep) and
 * tells the customer when to expect an answer now. A queue without a target: refused (same-queue).
 */
export async function needsExpert(desk: Desk, ticketId: number, o: { agentId?: number; at: Date; reason?: EscalationReason }): Promise<Ticket> {
  const ticket = await desk.tickets.get(ticketId);
  if (!ticket) throw new DeskError('ticket-not-found', { ticket: ticketId });
  const target = desk.sla.escalationTarget(ticket.queue);
  if (!target) throw new DeskError('same-queue', { queue: ticket.queue });
  const t = await desk.tickets.escalate(ticketId, target, {
    at: o.at,
    reason: o.reason ?? 'needs_expert',
    ...(o.agentId !== undefined ? { agentId: o.agentId } : {}),
  });
  await tellEscalated(desk, t, o.at);
  return t;
}

/** "Moved to an expert, we come back within …" in the customer's language. */
export async function tellEscalated(desk: Desk, t: Ticket, at: Date): Promise<void> {
  const customer = await desk.customers.get(t.customer_id);
  if (!customer) return;
  const text = customerText(desk, customer, t);
  const eta = await desk.tickets.eta(t, at);
  const sent = await desk.relay.sendToCustomer(customer.id, text('urgent-escalated-customer', { number: t.id, eta: formatDuration(eta.seconds, text) }));
  if (sent) await desk.tickets.recordBotReply(t.id, { replyKind: 'auto', at: new Date(sent.date * 1000) });
}

export function expertNote(desk: Desk, t: Ticket, agent: string): string {
  return desk.agentText('urgent-expert-note', {
    number: t.id,
    queue: t.queue,
    agent,
    firstDue: formatInstant(t.first_response_due_at, desk.sla.calendar(t.queue)?.zone),
  });
}

/** `/escalate <reason>` (not a queue name): the reason stays in the topic (the agent's own message); the ticket moves up. */
export async function escalateWithReason(ctx: BotContext, ticketId: number, at: Date): Promise<void> {
  const t = await needsExpert(ctx.desk, ticketId, { agentId: ctx.from!.id, at });
  await ctx.reply(expertNote(ctx.desk, t, ctx.from!.first_name), inThread(ctx));
}
