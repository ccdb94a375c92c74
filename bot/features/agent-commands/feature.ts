/**
 * The agents' commands in a customer's topic: /take /resolve /reopen /note
 * /ban /unban /escalate (a queue, or a reason: needs an expert, features/urgent/) — and, for a command no handler took, a hint (the
 * closest command and the list, menu.ts) instead of silence. Installed behind
 * the agent gate (bot/app.ts: members of the support group only).
 *
 * A refusal of the ticket state machine (already resolved, unknown queue…)
 * is a DeskError: the desk's error boundary answers it in the thread. The
 * customer hears of a resolve or reopen from the desk's notifier.
 */
import { Composer } from 'grammy';
import { answerAudit } from '../../audit-command.js';
import { recordAudit } from '../../audit.js';
import type { BotContext, Desk } from '../../context.js';
import { formatInstant } from '../../telegram/present.js';
import { inThread, messageDate, topicTarget, type TopicTarget } from '../../telegram/update.js';
import { DeskError } from '../../tickets/errors.js';
import type { Ticket } from '../../store/types.js';
import { agentCommandList, closestAgentCommand } from './menu.js';
import { escalateWithReason } from '../urgent/escalate.js';

export function agentCommandsFeature(): Composer<BotContext> {
  const agents = new Composer<BotContext>();

  agents.command('take', (ctx) =>
    inTopic(ctx, async (desk, { ticket }) => {
      const t = await desk.tickets.assign(need(ticket).id, ctx.from!.id, { at: messageDate(ctx.msg) });
      await ctx.reply(desk.agentText('agent-taken', { agent: ctx.from!.first_name, number: t.id }), inThread(ctx));
    }),
  );

  agents.command('resolve', (ctx) =>
    inTopic(ctx, async (desk, { ticket }) => {
      const t = await desk.tickets.resolve(need(ticket).id, { by: 'agent', at: messageDate(ctx.msg), agentId: ctx.from!.id });
      await ctx.reply(desk.agentText('agent-resolved', { agent: ctx.from!.first_name, number: t.id }), inThread(ctx));
    }),
  );

  agents.command('reopen', (ctx) =>
    inTopic(ctx, async (desk, { ticket }) => {
      const t = await desk.tickets.reopen(need(ticket).id, { reason: 'agent', at: messageDate(ctx.msg), agentId: ctx.from!.id });
      await ctx.reply(desk.agentText('agent-reopened', { agent: ctx.from!.first_name, number: t.id }), inThread(ctx));
    }),
  );

  agents.command('note', (ctx) =>
    inTopic(ctx, async (desk, { ticket, customer }) => {
      const text = ctx.match.trim();
      if (!text) return void (await ctx.reply(desk.agentText('agent-note-usage'), inThread(ctx)));
      await desk.db.transaction(async (tx) => {
        await tx.query('INSERT INTO notes (ticket_id, agent_id, message_id, text) VALUES ($1, $2, $3, $4)', [
          ticket?.id ?? null,
          ctx.from!.id,
          ctx.msg.message_id,
          text,
        ]);
        await recordAudit(tx, desk.outbox, { actorId: ctx.from!.id, action: 'note', customerId: customer.id, at: messageDate(ctx.msg) }, ticket);
      });
      await ctx.reply(desk.agentText('agent-note-saved'), inThread(ctx));
    }),
  );

  agents.command(['ban', 'unban'], (ctx) =>
    inTopic(ctx, async (desk, { customer, ticket }) => {
      const ban = ctx.msg.text.startsWith('/ban');
      await desk.db.transaction(async (tx) => {
        await desk.customers.setBanned(customer.id, ban, tx);
        const entry = { actorId: ctx.from!.id, action: ban ? 'ban' : 'unban', customerId: customer.id, at: messageDate(ctx.msg) } as const;
        await recordAudit(tx, desk.outbox, entry, ticket);
      });
      await ctx.reply(desk.agentText(ban ? 'agent-banned' : 'agent-unbanned'), inThread(ctx));
    }),
  );

  agents.command('escalate', (ctx) =>
    inTopic(ctx, async (desk, { ticket }) => {
      const queue = ctx.match.trim();
      if (!queue) return void (await ctx.reply(desk.agentText('agent-escalate-usage', { queues: desk.sla.queues().join(', ') }), inThread(ctx)));
      const t0 = need(ticket);
      // Words, not a queue name: why it needs an expert (they stay in the topic as the agent's message); up to its queue's escalation target.
      if (!desk.sla.hasQueue(queue) && /\s/.test(queue)) return escalateWithReason(ctx, t0.id, messageDate(ctx.msg));
      const t = await desk.tickets.escalate(t0.id, queue, { at: messageDate(ctx.msg), agentId: ctx.from!.id });
      const zone = desk.sla.calendar(t.queue)?.zone;
      await ctx.reply(
        desk.agentText('agent-escalated', {
          number: t.id,
          from: t0.queue,
          to: t.queue,
          agent: ctx.from!.first_name,
          firstDue: formatInstant(t.first_response_due_at, zone),
          resolutionDue: formatInstant(t.resolution_due_at, zone),
        }),
        inThread(ctx),
      );
    }),
  );

  // The audit trail, for admins (the role guard refuses anyone else): in the General topic, not a customer's.
  agents.command('audit', async (ctx) => {
    if (await topicTarget(ctx)) return void (await ctx.reply(ctx.desk.agentText('audit-not-in-topic'), inThread(ctx)));
    await answerAudit(ctx, ctx.match);
  });

  // Every command of the features and the core was handled before this point: anything left is none of the desk's.
  agents.on('message:text', async (ctx, next) => (ctx.msg.text.startsWith('/') ? answerUnknownCommand(ctx, ctx.msg.text) : next()));

  return agents;
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
  await ctx.reply(desk.agentText('agent-unknown-command', { command, suggestion, commands: agentCommandList(desk) }), inThread(ctx));
}

/** Runs a command for the topic's customer and ticket; outside a customer's topic, says there is no ticket. */
async function inTopic(ctx: BotContext, fn: (desk: Desk, target: TopicTarget) => Promise<void>): Promise<void> {
  const target = await topicTarget(ctx);
  if (!target) return void (await ctx.reply(ctx.desk.agentText('agent-no-ticket'), inThread(ctx)));
  await fn(ctx.desk, target);
}

function need(ticket: Ticket | undefined): Ticket {
  if (!ticket) throw new DeskError('ticket-not-found');
  return ticket;
}
