/**
 * Erasure in the chats (issue 14 privacy, issue 17 item 8); the work itself is bot/store/privacy.ts.
 *
 * - Customer: `/deletemydata` explains what goes and what stays, with **Delete my data** / **Cancel**.
 *   The press (within 15 minutes, from the customer themselves, in their private chat) erases them in one
 *   transaction; the answer is written in their language before their language is forgotten.
 * - Admin: `/forget` in a customer's topic asks for confirmation (**Erase this customer's data**); the
 *   press erases the customer of that topic and says so in the General topic. Both are admin-only
 *   (bot/roles.ts: action `privacy`, checked by the one role guard) and audited (`data_deletion`).
 * - The erased customer's topic in the support group holds copies of their messages and the card with
 *   their name: the job `privacy:forget-topic` deletes it (deleteForumTopic, which needs the
 *   can_delete_messages right); without that right it is renamed "Deleted customer", closed, and the
 *   agents are told to delete it by hand.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext, Desk } from '../../context.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import type { Job } from '../../scheduler/scheduler.js';
import { eraseCustomer, FORGET_TOPIC_JOB } from '../../store/privacy.js';
import { isThreadGone } from '../../telegram/errors.js';
import { ack, inThread, topicTarget } from '../../telegram/update.js';

/** A confirmation button older than this asks again: the customer decides with the warning fresh in mind. */
const CONFIRM_WINDOW_SECONDS = 15 * 60;

export function privacyFeature(rt: FeatureRuntime): Composer<BotContext> {
  rt.onScheduler((scheduler, _rt, desk) => {
    scheduler.handle(FORGET_TOPIC_JOB, (job) => forgetTopic(desk, job));
  });

  const composer = new Composer<BotContext>();
  const pm = composer.chatType('private');

  pm.command('deletemydata', async (ctx) => {
    const keyboard = new InlineKeyboard().text(ctx.t('privacy-erase-button'), 'privacy:erase').row().text(ctx.t('privacy-cancel-button'), 'privacy:cancel');
    await ctx.reply(ctx.t('privacy-erase-confirm'), { reply_markup: keyboard });
  });

  pm.callbackQuery('privacy:cancel', async (ctx) => {
    await ack(ctx);
    await ctx.editMessageText(ctx.t('privacy-erase-cancelled')).catch(() => undefined);
  });

  pm.callbackQuery('privacy:erase', async (ctx) => {
    const sent = ctx.callbackQuery.message?.date ?? 0;
    if (rt.clock().getTime() / 1000 - sent > CONFIRM_WINDOW_SECONDS) {
      await ack(ctx);
      return void (await ctx.editMessageText(ctx.t('privacy-erase-expired')).catch(() => undefined));
    }
    // In their language, while the desk still knows it.
    const done = ctx.t('privacy-erased');
    await ack(ctx);
    await eraseCustomer(ctx.desk.db, ctx.from.id, { outbox: ctx.desk.outbox, sla: ctx.desk.sla, at: rt.clock() });
    ctx.desk.log.info({ event: 'customer_erased', by: 'customer' }, 'customer data erased');
    await ctx.editMessageText(done).catch(() => ctx.reply(done));
  });

  // ---- admins, in a customer's topic (the role guard lets only admins through) -----------------------
  const group = composer.filter((ctx) => (ctx.chat?.id ?? ctx.callbackQuery?.message?.chat.id) === ctx.desk.config.supportChatId);

  group.command('forget', async (ctx) => {
    const target = await topicTarget(ctx);
    if (!target) return void (await ctx.reply(ctx.desk.agentText('agent-no-ticket'), inThread(ctx)));
    const keyboard = new InlineKeyboard()
      .text(ctx.desk.agentText('privacy-forget-button'), 'privacy:forget')
      .text(ctx.desk.agentText('privacy-forget-cancel'), 'privacy:keep');
    await ctx.reply(ctx.desk.agentText('privacy-forget-confirm'), { ...inThread(ctx), reply_markup: keyboard });
  });

  group.callbackQuery('privacy:keep', async (ctx) => {
    await ack(ctx);
    await ctx.editMessageText(ctx.desk.agentText('privacy-forget-kept')).catch(() => undefined);
  });

  group.callbackQuery('privacy:forget', async (ctx) => {
    const target = await topicTarget(ctx);
    await ack(ctx);
    if (!target) return void (await ctx.editMessageText(ctx.desk.agentText('privacy-forget-gone')).catch(() => undefined));
    const r = await eraseCustomer(ctx.desk.db, target.customer.id, { actorId: ctx.from.id, outbox: ctx.desk.outbox, sla: ctx.desk.sla, at: rt.clock() });
    ctx.desk.log.info({ event: 'customer_erased', by: ctx.from.id }, 'customer data erased');
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.api
      .sendMessage(ctx.desk.config.supportChatId, ctx.desk.agentText('privacy-forget-done', { admin: ctx.from.first_name, tickets: r.tickets }))
      .catch(() => undefined);
  });

  return composer;
}

/** Deletes the erased customer's topic, or renames and closes it when the bot may not delete it. */
async function forgetTopic(desk: Desk, job: Job): Promise<void> {
  const threadId = Number((job.payload as { threadId?: number }).threadId);
  if (!Number.isInteger(threadId)) return;
  const chat = desk.config.supportChatId;
  try {
    await desk.api.deleteForumTopic(chat, threadId);
    return;
  } catch (err) {
    if (isThreadGone(err)) return;
    desk.log.warn({ err, thread: threadId }, 'could not delete an erased customer’s topic: renaming and closing it');
  }
  await desk.api.editForumTopic(chat, threadId, { name: desk.agentText('privacy-topic-title') }).catch(() => undefined);
  await desk.api.sendMessage(chat, desk.agentText('privacy-topic-kept'), { message_thread_id: threadId }).catch(() => undefined);
  await desk.api.closeForumTopic(chat, threadId).catch(() => undefined);
}
