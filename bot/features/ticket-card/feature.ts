/**
 * The ticket card's buttons (the card itself: card.ts): Take, Resolve, Reopen,
 * and Release for what anti-spam held from a newcomer. A press on a card that
 * a newer one replaced points to the current card. Installed behind the agent
 * gate (bot/app.ts); a refusal (already resolved…) is a DeskError, answered
 * under the button by the desk's error boundary.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../../context.js';
import { DeskError } from '../../tickets/errors.js';
import { releaseForAgents } from '../antispam/held.js';
import { disableCard, isStaleCard, refreshCard } from './card.js';

const DONE = { take: 'agent-taken', resolve: 'agent-resolved', reopen: 'agent-reopened' } as const;

export function ticketCardFeature(): Composer<BotContext> {
  const agents = new Composer<BotContext>();

  agents.callbackQuery(/^desk:(take|resolve|reopen):(\d+)$/, async (ctx) => {
    const desk = ctx.desk;
    const action = ctx.match[1] as keyof typeof DONE;
    const id = Number(ctx.match[2]);
    const agent = ctx.from;
    // A press carries no date (the card's is the ticket's creation): processing time, per the clock rule in schemas/events.ts.
    const at = new Date();
    const ticket = await desk.tickets.get(id);
    if (!ticket) throw new DeskError('ticket-not-found', { ticket: id });
    const card = ctx.callbackQuery.message;
    if (card && isStaleCard(ticket, card.chat.id, card.message_id)) {
      // A card a newer one replaced (its buttons could not be taken off then): point to the current card.
      await ctx.answerCallbackQuery({ text: desk.agentText('agent-card-stale', { number: id }) }).catch(() => undefined);
      await disableCard(desk, card.message_id);
      return;
    }
    if (action === 'take') await desk.tickets.assign(id, agent.id, { at });
    else if (action === 'resolve') await desk.tickets.resolve(id, { by: 'agent', at, agentId: agent.id });
    else await desk.tickets.reopen(id, { reason: 'agent', at, agentId: agent.id });
    // An answer Telegram refuses (the press is too old) must not undo or hide the change.
    await ctx.answerCallbackQuery().catch(() => undefined);
    await desk.relay.sendToTopic(ticket.customer_id, desk.agentText(DONE[action], { agent: agent.first_name, number: id }));
  });

  // Release: what anti-spam held from a newcomer goes to the topic, as relayed copies.
  agents.callbackQuery(/^desk:release:(\d+)$/, async (ctx) => {
    const desk = ctx.desk;
    const id = Number(ctx.match[1]);
    const ticket = await desk.tickets.get(id);
    if (!ticket) throw new DeskError('ticket-not-found', { ticket: id });
    await ctx.answerCallbackQuery().catch(() => undefined);
    const count = await releaseForAgents(desk, ticket.id);
    const customer = (await desk.customers.get(ticket.customer_id))!;
    await refreshCard(desk, (await desk.tickets.get(ticket.id)) ?? ticket, customer);
    if (count > 0) await desk.relay.sendToTopic(customer.id, desk.agentText('agent-released-held', { agent: ctx.from.first_name, count }));
  });

  return agents;
}
