/**
 * Agents' replies: a message an agent writes in a customer's topic is copied
 * to the customer (and counted as the agent's reply), an edit edits the copy.
 * The General topic and plain (non-forum) messages are for discussion among
 * agents and are never relayed, nor are service messages (topic edits, pins).
 * Installed behind the agent gate (bot/app.ts), after every command.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../../context.js';
import { messageKind } from '../../telegram/message-kind.js';
import { topicTarget } from '../../telegram/update.js';

export function topicRepliesFeature(): Composer<BotContext> {
  const agents = new Composer<BotContext>();

  agents.on('message', async (ctx) => {
    const msg = ctx.msg;
    if (!msg.is_topic_message || msg.message_thread_id === undefined) return;
    if (messageKind(msg) === 'other') return;
    const target = await topicTarget(ctx);
    if (!target?.ticket) return;
    await ctx.desk.relay.toCustomer(target.customer.id, target.ticket.id, msg);
  });

  agents.on('edited_message', async (ctx) => {
    const msg = ctx.editedMessage;
    if (!msg.is_topic_message || msg.message_thread_id === undefined) return;
    const c = await ctx.desk.customers.byThread(msg.message_thread_id);
    if (c) await ctx.desk.relay.editAtCustomer(c.id, msg);
  });

  return agents;
}
