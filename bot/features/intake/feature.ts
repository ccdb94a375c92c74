/**
 * The customer intake, in private chats: /start, /status, /help (and the help
 * for any command nobody handled), messages (open or join a ticket and relay
 * to the topic — or hold it when anti-spam says so), edits, a new ticket's
 * intake (the features' intake steps, then the category keyboard), and the bot
 * being blocked or unblocked.
 */
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { BotContext } from '../../context.js';
import { currentCustomer, customerContext } from '../../current-customer.js';
import { withoutPersonalData } from '../../error-boundary.js';
import type { IntakeResult, IntakeStep } from '../../hooks.js';
import type { Customer, Ticket } from '../../store/types.js';
import { messageKind, textLength } from '../../telegram/message-kind.js';
import { formatDuration } from '../../telegram/present.js';
import { unlessRefused } from '../../tickets/errors.js';
import { announceHold, holdOf, isHeld, storeHold } from '../antispam/held.js';
import { maskedEdit, maskedOf, relayMasked } from '../secrets/masked.js';
import { acceptCustomerMessage, promisedEta, resumeOpening } from './accept.js';
import { urgentOf } from '../urgent/feature.js';

/** `steps`: the features' intake steps (FeatureHooks.intakeSteps), run in order on a new ticket before the category keyboard. */
export function intakeFeature(steps: readonly IntakeStep[]): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType('private');

  pm.command('start', async (ctx) => {
    await currentCustomer(ctx);
    await ctx.reply(ctx.t('start-welcome', { name: ctx.from.first_name }));
  });

  pm.command('status', (ctx) => replyStatus(ctx));
  pm.command('help', (ctx) => ctx.reply(ctx.t('help-customer')));
  pm.callbackQuery('desk:status', async (ctx) => {
    await ctx.answerCallbackQuery().catch(() => undefined);
    await replyStatus(ctx);
  });

  pm.on('message', async (ctx) => {
    const msg = ctx.msg;
    // Commands are for the bot, never for the agents: one that no handler took gets the help, not silence.
    if (msg.text?.startsWith('/')) return void (await ctx.reply(`${ctx.t('help-unknown-command')}\n\n${ctx.t('help-customer')}`));
    if (messageKind(msg) === 'other' && !msg.text) return; // service messages
    await onCustomerMessage(ctx, msg, steps);
  });

  pm.on('edited_message', async (ctx) => {
    const c = await ctx.desk.customers.get(ctx.from.id);
    if (!c || c.banned) return;
    // An edit that holds a secret edits the copy with its masked text (features/secrets/).
    const masked = maskedOf(ctx);
    await ctx.desk.relay.editInTopic(c.id, masked ? maskedEdit(ctx.desk, ctx.editedMessage, masked) : ctx.editedMessage);
  });

  pm.callbackQuery(/^desk:cat:(\d+):(\w+)$/, async (ctx) => {
    const desk = ctx.desk;
    // Answer at once (stops the button's spinner); a press Telegram considers too old must not stop the work.
    await ctx.answerCallbackQuery().catch(() => undefined);
    const ticketId = Number(ctx.match[1]);
    const ticket = await desk.tickets.get(ticketId);
    if (!ticket || ticket.customer_id !== ctx.from.id) return;
    // A press has no Telegram date (the keyboard's is when it was sent): processing time, per the clock rule in schemas/events.ts.
    const updated = await unlessRefused(desk.tickets.setCategory(ticketId, ctx.match[2]!, { at: new Date(), isVip: desk.config.vipUserIds.has(ctx.from.id) }));
    // Picked already (a second press, another device) or closed meanwhile: the keyboard just goes.
    if (!updated) return void (await ctx.editMessageReplyMarkup().catch(() => undefined));
    const cat = desk.config.categories.find((c) => c.key === updated.category)!;
    const label = desk.intake.categoryLabel(await ctx.i18n.getLocale(), cat.key, cat.label);
    await ctx.editMessageText(ctx.t('category-chosen', { category: label })).catch(() => undefined);
    if (updated.queue !== ticket.queue) {
      const text = ctx.t('ticket-routed', { number: updated.id, queue: updated.queue, ...(await promisedEta(desk, updated, ctx.t)) });
      const sent = await ctx.reply(text);
      await desk.tickets.recordBotReply(updated.id, { replyKind: 'receipt', at: new Date(sent.date * 1000), text, messageId: sent.message_id });
    }
    await desk.relay.sendToTopic(updated.customer_id, desk.agentText('agent-category', { category: cat.label, queue: updated.queue }));
    // What the intake steps put off until the category: the incidents' known-issue reply for the category, then
    // (question_order = category_first) the KB suggestion — unless the customer was answered already.
    let answered = false;
    for (const step of steps) {
      const r: IntakeResult | undefined = await step.afterCategory?.(ctx, { ticket: updated, answered }).catch((err: unknown) => {
        desk.log.error({ error: withoutPersonalData(err), step: step.name, ticket: updated.id }, 'intake step after the category failed');
        return undefined;
      });
      answered ||= r === 'answered';
    }
  });

  pm.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    const desk = ctx.desk;
    if (!(await desk.customers.get(ctx.from.id))) return;
    const blocked = status === 'kicked';
    if (await desk.customers.setBlockedBot(ctx.from.id, blocked))
      await desk.relay.sendToTopic(ctx.from.id, desk.agentText(blocked ? 'agent-customer-blocked' : 'agent-customer-unblocked')).catch(() => undefined);
  });

  return composer;
}

async function onCustomerMessage(ctx: BotContext, msg: Message, steps: readonly IntakeStep[]): Promise<void> {
  const desk = ctx.desk;
  const { customer, openTicket, relayed } = await customerContext(ctx);
  // A redelivered update (restart, retry) was relayed (or held) already: do nothing twice — but a ticket's
  // opening message still finishes its intake below (a crash may have cut it off after the copy).
  const opening = openTicket !== undefined && openTicket.opening_message_id === msg.message_id;
  if ((relayed && !opening) || customer.banned) return;
  // A message with a secret is masked (features/secrets/) and never held: a held message is later copied as it was.
  const masked = maskedOf(ctx);
  const hold = masked ? undefined : holdOf(ctx);
  if (hold && (await isHeld(desk.db, customer.id, msg.message_id))) return;
  if (customer.blocked_bot && (await desk.customers.setBlockedBot(customer.id, false)))
    await desk.relay.sendToTopic(customer.id, desk.agentText('agent-customer-unblocked')).catch(() => undefined);
  let held: Awaited<ReturnType<typeof storeHold>> | undefined;
  // The message that opened the open ticket, redelivered after a crash mid-intake (bot/telegram/polling.ts):
  // finish what the crash cut off — card, message_in, copy, receipt, keyboard — each once.
  if (openTicket && opening && !hold && !masked) {
    const ticket = await resumeOpening(desk, {
      customer,
      openTicket,
      at: new Date(msg.date * 1000),
      language: await ctx.i18n.getLocale(),
      messageId: msg.message_id,
      kind: messageKind(msg),
      textLength: textLength(msg),
      channel: 'chat',
      receipt: urgentOf(ctx) === undefined,
      deliver: (t) => desk.relay.toTopic(customer.id, t.id, msg, { threadId: customer.thread_id }),
    });
    await desk.intake.continue(ticket.id);
    return;
  }
  const { ticket, created } = await acceptCustomerMessage(desk, {
    customer,
    openTicket,
    at: new Date(msg.date * 1000),
    language: await ctx.i18n.getLocale(),
    messageId: msg.message_id,
    kind: messageKind(msg),
    textLength: textLength(msg),
    channel: 'chat',
    // A stop word (features/urgent/): the ticket turns urgent and the customer is told who comes and when, instead of the receipt.
    stopWord: urgentOf(ctx),
    // A held message joins the ticket like any other; only its copy into the topic waits (held.ts).
    // The hold is stored first, so a new ticket's card shows it from the start.
    beforeCard: async (t) => {
      held = hold && (await storeHold(desk, t, msg, hold));
      return held && held.release_at === null ? 'refresh' : undefined;
    },
    deliver: async (t) => {
      if (held && hold) await announceHold(desk, held, msg, hold);
      else if (masked) await relayMasked(desk, t, msg, masked, customer.thread_id);
      else if (!hold) await desk.relay.toTopic(customer.id, t.id, msg, { threadId: customer.thread_id, checked: true });
    },
  });
  if (!created) return;
  await runIntake(ctx, steps, { ticket, customer, message: msg });
}

/**
 * A new ticket's intake: the features' steps in order (a step that fails is
 * logged and skipped), then the category keyboard — unless a step waits for
 * the customer (its button handler calls `desk.intake.continue` later) or
 * resolved the ticket (the customer said the article helped).
 */
async function runIntake(ctx: BotContext, steps: readonly IntakeStep[], input: { ticket: Ticket; customer: Customer; message: Message }): Promise<void> {
  const desk = ctx.desk;
  let answered = false;
  for (const step of steps) {
    let result: IntakeResult = 'continue';
    try {
      result = await step.run(ctx, { ...input, answered });
    } catch (err) {
      desk.log.error({ error: withoutPersonalData(err), step: step.name, ticket: input.ticket.id }, 'intake step failed; continuing');
    }
    if (result === 'wait') return;
    answered ||= result === 'answered';
    const now = await desk.tickets.get(input.ticket.id);
    if (!now || now.status === 'resolved') return;
  }
  await desk.intake.continue(input.ticket.id);
}

async function replyStatus(ctx: BotContext): Promise<void> {
  const desk = ctx.desk;
  const ticket = ctx.from ? await desk.tickets.latest(ctx.from.id) : undefined;
  if (!ticket) {
    await ctx.reply(ctx.t('status-none'));
    return;
  }
  if (ticket.status === 'resolved') {
    await ctx.reply(ctx.t('status-resolved', { number: ticket.id }));
    return;
  }
  const eta = ticket.first_response_at ? undefined : await desk.tickets.eta(ticket);
  await ctx.reply(
    ctx.t('status-open', {
      number: ticket.id,
      status: ctx.t(`ticket-status-${ticket.status}`),
      queue: ticket.queue,
      eta: eta ? formatDuration(eta.seconds, ctx.t) : 'none',
    }),
  );
}
