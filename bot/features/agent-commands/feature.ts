/**
 * The agent side, in the support forum: messages in a customer's topic go to
 * the customer; commands and the card's buttons change the ticket.
 *
 * Only members of the support group act (getChatMember, cached), and their
 * display name is recorded for the analytics (bot/store/staff.ts); updates from
 * any other group are left alone; the General topic is never relayed, and
 * neither is anything starting with "/": a command no handler took gets a
 * hint (the closest command and the list) instead of silence.
 */
import { Composer, type Filter } from 'grammy';
import type { Message } from 'grammy/types';
import type { BotContext, Desk } from '../../context.js';
import { releaseForAgents } from '../antispam/held.js';
import { agentCommandList, closestAgentCommand } from './menu.js';
import { formatInstant } from '../../format.js';
import { pick } from '../../i18n.js';
import { recordStaff } from '../../store/staff.js';
import type { Customer, Ticket } from '../../store/types.js';
import { messageKind } from '../../telegram/message-kind.js';
import { DeskError } from '../../tickets/errors.js';
import { disableCard, isStaleCard, refreshCard } from '../ticket-card/card.js';

type TopicTarget = { customer: Customer; ticket: Ticket | undefined };

export function agentHandlers(supportChatId: number): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const group = composer.filter((ctx) => ctx.chat?.id === supportChatId);

  // Everything below requires an agent (a member of the support group).
  const agents = group.filter(async (ctx) => {
    const from = ctx.from;
    if (!from || from.is_bot || ctx.msg?.sender_chat) return false;
    return ctx.desk.agents.isAgent(from.id);
  });
  // The acting agent's display name for dashboards, Grafana and the digest (written only when new or changed).
  agents.use(async (ctx, next) => {
    await recordStaff(ctx.desk.db, ctx.desk.outbox, ctx.from!);
    await next();
  });

  agents.command('take', (ctx) => inTopic(ctx, async (desk, { ticket }) => {
    const t = await desk.tickets.assign(need(ticket).id, ctx.from!.id, { at: msgDate(ctx.msg!) });
    await ctx.reply(desk.agentText('agent-taken', { agent: ctx.from!.first_name, number: t.id }), replyInThread(ctx));
  }));

  agents.command('resolve', (ctx) => inTopic(ctx, async (desk, { ticket, customer }) => {
    const t = await resolveTicket(desk, need(ticket).id, ctx.from!.id, msgDate(ctx.msg!), customer);
    await ctx.reply(desk.agentText('agent-resolved', { agent: ctx.from!.first_name, number: t.id }), replyInThread(ctx));
  }));

  agents.command('reopen', (ctx) => inTopic(ctx, async (desk, { ticket, customer }) => {
    const t = await reopenTicket(desk, need(ticket).id, ctx.from!.id, msgDate(ctx.msg!), customer);
    await ctx.reply(desk.agentText('agent-reopened', { agent: ctx.from!.first_name, number: t.id }), replyInThread(ctx));
  }));

  agents.command('note', (ctx) => inTopic(ctx, async (desk, { ticket }) => {
    const text = ctx.match.trim();
    if (!text) return void (await ctx.reply(desk.agentText('agent-note-usage'), replyInThread(ctx)));
    await desk.db.query('INSERT INTO notes (ticket_id, agent_id, message_id, text) VALUES ($1, $2, $3, $4)', [ticket?.id ?? null, ctx.from!.id, ctx.msg!.message_id, text]);
    await ctx.reply(desk.agentText('agent-note-saved'), replyInThread(ctx));
  }));

  agents.command(['ban', 'unban'], (ctx) => inTopic(ctx, async (desk, { customer }) => {
    const ban = ctx.msg!.text!.startsWith('/ban');
    await desk.customers.setBanned(customer.id, ban);
    await ctx.reply(desk.agentText(ban ? 'agent-banned' : 'agent-unbanned'), replyInThread(ctx));
  }));

  agents.command('escalate', (ctx) => inTopic(ctx, async (desk, { ticket }) => {
    const queue = ctx.match.trim();
    if (!queue) return void (await ctx.reply(desk.agentText('agent-escalate-usage', { queues: desk.sla.queues().join(', ') }), replyInThread(ctx)));
    const t0 = need(ticket);
    const t = await desk.tickets.escalate(t0.id, queue, { at: msgDate(ctx.msg!), agentId: ctx.from!.id });
    const zone = desk.sla.calendar(t.queue)?.zone;
    await ctx.reply(
      desk.agentText('agent-escalated', {
        number: t.id, from: t0.queue, to: t.queue, agent: ctx.from!.first_name,
        firstDue: formatInstant(t.first_response_due_at, zone), resolutionDue: formatInstant(t.resolution_due_at, zone),
      }),
      replyInThread(ctx),
    );
  }));

  agents.callbackQuery(/^desk:(take|resolve|reopen):(\d+)$/, async (ctx) => {
    const desk = ctx.desk;
    const id = Number(ctx.match[2]);
    const agent = ctx.from;
    // A press carries no date (the card's is the ticket's creation): processing time, per the clock rule in schemas/events.ts.
    const at = new Date();
    try {
      const ticket = await desk.tickets.get(id);
      if (!ticket) throw new DeskError('ticket-not-found', { ticket: id });
      const card = ctx.callbackQuery.message;
      if (card && isStaleCard(ticket, card.chat.id, card.message_id)) {
        // A card a newer one replaced (its buttons could not be taken off then): point to the current card.
        await ctx.answerCallbackQuery({ text: desk.agentText('agent-card-stale', { number: id }) }).catch(() => undefined);
        await disableCard(desk, card.message_id);
        return;
      }
      const customer = (await desk.customers.get(ticket.customer_id))!;
      let text: string;
      if (ctx.match[1] === 'take') {
        await desk.tickets.assign(id, agent.id, { at });
        text = desk.agentText('agent-taken', { agent: agent.first_name, number: id });
      } else if (ctx.match[1] === 'resolve') {
        await resolveTicket(desk, id, agent.id, at, customer);
        text = desk.agentText('agent-resolved', { agent: agent.first_name, number: id });
      } else {
        await reopenTicket(desk, id, agent.id, at, customer);
        text = desk.agentText('agent-reopened', { agent: agent.first_name, number: id });
      }
      // An answer Telegram refuses (the press is too old) must not undo or hide the change.
      await ctx.answerCallbackQuery().catch(() => undefined);
      await desk.relay.sendToTopic(customer.id, text);
    } catch (e) {
      if (!(e instanceof DeskError)) throw e;
      await ctx.answerCallbackQuery({ text: desk.agentText(`agent-error-${e.code}`, e.detail) }).catch(() => undefined);
    }
  });

  // The card's Release button: what anti-spam held from a newcomer goes to the topic, as relayed copies.
  agents.callbackQuery(/^desk:release:(\d+)$/, async (ctx) => {
    const desk = ctx.desk;
    const ticket = await desk.tickets.get(Number(ctx.match[1]));
    if (!ticket) return void (await ctx.answerCallbackQuery({ text: desk.agentText('agent-error-ticket-not-found') }).catch(() => undefined));
    await ctx.answerCallbackQuery().catch(() => undefined);
    const count = await releaseForAgents(desk, ticket.id);
    const customer = (await desk.customers.get(ticket.customer_id))!;
    await refreshCard(desk, (await desk.tickets.get(ticket.id)) ?? ticket, customer);
    if (count > 0) await desk.relay.sendToTopic(customer.id, desk.agentText('agent-released-held', { agent: ctx.from.first_name, count }));
  });

  agents.on('message', async (ctx) => {
    const msg = ctx.msg;
    if (msg.text?.startsWith('/')) return answerUnknownCommand(ctx, msg.text);
    // General topic and plain (non-forum) messages are for discussion among agents.
    if (!msg.is_topic_message || msg.message_thread_id === undefined) return;
    if (messageKind(msg) === 'other') return; // topic edits, pins and other service messages
    const target = await topicTarget(ctx.desk, msg.message_thread_id);
    if (!target?.ticket) return;
    await ctx.desk.relay.toCustomer(target.customer.id, target.ticket.id, msg);
  });

  agents.on('edited_message', async (ctx) => {
    const msg = ctx.editedMessage;
    if (!msg.is_topic_message || msg.message_thread_id === undefined) return;
    const c = await ctx.desk.customers.byThread(msg.message_thread_id);
    if (c) await ctx.desk.relay.editAtCustomer(c.id, msg);
  });

  return composer;
}

/**
 * A command that reached the core is none of the desk's (theirs were handled
 * before): say so, with the closest command and the list. A command for
 * another bot in the group (/x@other_bot) is left to it.
 */
async function answerUnknownCommand(ctx: BotContext, text: string): Promise<void> {
  const m = /^\/([^\s@]+)(?:@(\S+))?/.exec(text);
  if (!m || (m[2] !== undefined && m[2].toLowerCase() !== ctx.me.username.toLowerCase())) return;
  const command = m[1]!.slice(0, 64); // Telegram's longest command: a longer word is no command to echo in full
  const desk = ctx.desk;
  const suggestion = closestAgentCommand(command) ?? 'none';
  await ctx.reply(desk.agentText('agent-unknown-command', { command, suggestion, commands: agentCommandList(desk) }), replyInThread(ctx));
}

/** The customer of a topic and their open ticket, else their latest one. */
async function topicTarget(desk: Desk, threadId: number): Promise<TopicTarget | undefined> {
  const customer = await desk.customers.byThread(threadId);
  if (!customer) return undefined;
  const ticket = (await desk.tickets.findOpen(customer.id)) ?? (await desk.tickets.latest(customer.id));
  return { customer, ticket };
}

async function inTopic(ctx: Filter<BotContext, 'message'> | BotContext, fn: (desk: Desk, target: TopicTarget) => Promise<void>): Promise<void> {
  const desk = ctx.desk;
  const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
  const target = thread === undefined ? undefined : await topicTarget(desk, thread);
  if (!target) {
    await ctx.reply(desk.agentText('agent-no-ticket'), replyInThread(ctx));
    return;
  }
  try {
    await fn(desk, target);
  } catch (e) {
    if (!(e instanceof DeskError)) throw e;
    await ctx.reply(desk.agentText(`agent-error-${e.code}`, e.detail), replyInThread(ctx));
  }
}

async function resolveTicket(desk: Desk, ticketId: number, agentId: number, at: Date, customer: Customer): Promise<Ticket> {
  return desk.tickets.resolve(ticketId, {
    by: 'agent', at, agentId,
    announce: (t) => desk.relay.sendToCustomer(customer.id, desk.translate(customerLocale(desk, t, customer), 'ticket-resolved-customer', { number: t.id })),
  });
}

async function reopenTicket(desk: Desk, ticketId: number, agentId: number, at: Date, customer: Customer): Promise<Ticket> {
  return desk.tickets.reopen(ticketId, {
    reason: 'agent', at, agentId,
    announce: (t) => desk.relay.sendToCustomer(customer.id, desk.translate(customerLocale(desk, t, customer), 'ticket-reopened-customer', { number: t.id })),
  });
}

function customerLocale(desk: Desk, t: Ticket, c: Customer): string {
  return pick({ locales: desk.locales }, t.language ?? c.language_code ?? undefined);
}

function need(ticket: Ticket | undefined): Ticket {
  if (!ticket) throw new DeskError('ticket-not-found');
  return ticket;
}

function msgDate(m: Message): Date {
  return new Date(m.date * 1000);
}

function replyInThread(ctx: BotContext): { message_thread_id?: number } {
  const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
  return thread === undefined ? {} : { message_thread_id: thread };
}
