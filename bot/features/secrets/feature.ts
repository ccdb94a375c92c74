/**
 * Secrets in chats (issue 17 item 4), installed after anti-spam:
 * - a customer's message (or edit) with a card number, CVV, 2FA code, password or seed phrase is masked
 *   (mask.ts) and marked; the desk's customer handler relays the masked text instead of the original
 *   (masked.ts), counted as `secret_masked`; the customer gets a short warning in their language;
 * - an agent's message (or edit) in a customer's topic that asks for one of them (requests.ts) is held: not
 *   relayed, the agent is told why in the topic, counted as `secret_request_held`.
 * No text is logged or stored.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../../context.js';
import { isAgentUpdate, topicTarget } from '../../telegram/update.js';
import { maskMessage, maskUpdate } from './masked.js';
import { asksForSecret } from './requests.js';

export function secretsFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.chatType('private').on(['message', 'edited_message'], async (ctx, next) => {
    const msg = ctx.msg;
    if (msg.text?.startsWith('/')) return next();
    const masked = maskMessage(msg);
    if (!masked) return next();
    maskUpdate(ctx, masked);
    await next();
    if (ctx.message) await ctx.reply(ctx.t('secrets-customer-warning'));
  });

  composer.chatType('supergroup').on(['message', 'edited_message'], async (ctx, next) => {
    const msg = ctx.msg;
    const text = msg.text ?? msg.caption;
    if (!text || text.startsWith('/') || !msg.is_topic_message || msg.chat.id !== ctx.desk.config.supportChatId) return next();
    const kind = asksForSecret(text);
    if (!kind) return next();
    const target = await topicTarget(ctx);
    if (!target?.ticket || !(await isAgentUpdate(ctx))) return next();
    const desk = ctx.desk;
    const ticket = target.ticket;
    // An edit has its own date; a message its sending time.
    const at = new Date((msg.edit_date ?? msg.date) * 1000).toISOString();
    await desk.db.transaction((tx) =>
      desk.outbox.appendForTicket(tx, ticket, [{ type: 'secret_request_held', occurred_at: at, agent_id: ctx.from.id, reason: kind }]),
    );
    await ctx.reply(ctx.t('secrets-agent-request-held', { secret: ctx.t(`secrets-kind-${kind.replace('_', '-')}`) }), {
      message_thread_id: target.threadId,
      reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true },
    });
  });

  return composer;
}
