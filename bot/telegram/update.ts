/**
 * What an update is about, for the core and the features alike: the customer
 * and ticket of the topic an agent acts in (`topicTarget`), whether it comes
 * from an agent, the thread to answer in, the message's date, and answering a
 * button press.
 */
import { GrammyError } from 'grammy';
import type { BotContext } from '../context.js';
import type { Customer, Ticket } from '../store/types.js';

export interface TopicTarget {
  customer: Customer;
  /** The open ticket, else the latest. */
  ticket: Ticket | undefined;
  threadId: number;
}

/** The customer whose topic a support-group message or button belongs to. */
export async function topicTarget(ctx: BotContext): Promise<TopicTarget | undefined> {
  const msg = ctx.msg ?? ctx.callbackQuery?.message;
  if (!msg || msg.chat.id !== ctx.desk.config.supportChatId) return undefined;
  const threadId = 'is_topic_message' in msg && msg.is_topic_message ? msg.message_thread_id : undefined;
  if (threadId === undefined) return undefined;
  const customer = await ctx.desk.customers.byThread(threadId);
  if (!customer) return undefined;
  const ticket = (await ctx.desk.tickets.findOpen(customer.id)) ?? (await ctx.desk.tickets.latest(customer.id));
  return { customer, ticket, threadId };
}

/** Whether an update comes from an agent: a person (not a bot or a channel) who is a member of the support group, in that group. */
export async function isAgentUpdate(ctx: BotContext): Promise<boolean> {
  const from = ctx.from;
  const chatId = ctx.chat?.id ?? ctx.callbackQuery?.message?.chat.id;
  if (!from || from.is_bot || chatId !== ctx.desk.config.supportChatId) return false;
  if (ctx.msg?.sender_chat) return false;
  return ctx.desk.agents.isAgent(from.id);
}

/** Reply options that keep the answer in the thread the command came from. */
export function inThread(ctx: BotContext): { message_thread_id?: number } {
  const msg = ctx.msg ?? ctx.callbackQuery?.message;
  return msg && 'is_topic_message' in msg && msg.is_topic_message && msg.message_thread_id !== undefined ? { message_thread_id: msg.message_thread_id } : {};
}

/** The Telegram date of a message as a Date. */
export const messageDate = (m: { date: number }) => new Date(m.date * 1000);

/**
 * Answers a button press. Telegram refuses answers to presses older than ~15
 * minutes (a backlog after downtime, a replay): the toast is lost, but the
 * press must still take effect, so that refusal is not an error.
 */
export async function ack(ctx: BotContext, other?: Parameters<BotContext['answerCallbackQuery']>[0]): Promise<void> {
  try {
    await ctx.answerCallbackQuery(other);
  } catch (err) {
    if (!(err instanceof GrammyError && err.error_code === 400)) throw err;
  }
}
