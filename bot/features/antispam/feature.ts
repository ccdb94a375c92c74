/**
 * Anti-spam, installed before the desk's customer handlers: a held-back
 * message never reaches the desk (no ticket, no relay). Each held-back
 * message is a `spam_blocked` event with its reason:
 * - banned: the customer was banned by an agent;
 * - rate_limit: more than SPAM_RATE_LIMIT messages per SPAM_RATE_WINDOW (@grammyjs/ratelimiter);
 * - duplicate: the same text or file again within SPAM_DUPLICATE_WINDOW;
 * - link / media: from a newcomer (fewer than SPAM_NEWCOMER_MESSAGES accepted
 *   messages, or first seen less than SPAM_NEWCOMER_AGE ago), unless an agent
 *   has already replied in their ticket (then the agent may have asked for it).
 * The customer gets one polite explanation per window, not one per message.
 */
import { limit } from '@grammyjs/ratelimiter';
import { Composer, type Filter } from 'grammy';
import type { BotContext, Desk } from '../../context.js';
import type { FeatureRuntime } from '../runtime.js';
import { messageDate } from '../shared.js';
import { duplicateKey, hasLink, hasMedia, NoticeThrottle, RecentMessages } from './rules.js';

export type SpamReason = 'rate_limit' | 'link' | 'media' | 'duplicate' | 'banned';
type MessageCtx = Filter<BotContext, 'message'>;

export function antispamFeature(rt: FeatureRuntime): Composer<BotContext> {
  const cfg = rt.config.spam;
  const recent = new RecentMessages(cfg.duplicateWindowMs);
  const notices = new NoticeThrottle(Math.max(cfg.rateWindowMs, cfg.duplicateWindowMs));

  async function block(ctx: MessageCtx, reason: SpamReason, notice: string | undefined): Promise<void> {
    const desk = ctx.desk;
    const at = messageDate(ctx.msg);
    await record(desk, ctx.from.id, reason, at, await ctx.i18n.getLocale());
    if (notice && notices.shouldNotify(`${ctx.from.id}:${reason}`, at.getTime())) await ctx.reply(ctx.t(notice));
  }

  const composer = new Composer<BotContext>();
  const pm = composer.chatType('private').on('message');

  pm.use(async (ctx, next) => {
    const customer = await ctx.desk.customers.get(ctx.from.id);
    if (customer?.banned) return block(ctx, 'banned', undefined);
    return next();
  });

  pm.use(
    limit<MessageCtx, never>({
      timeFrame: cfg.rateWindowMs,
      limit: cfg.rateLimit,
      // Album parts arrive together by design; the album as a whole is one message for the limit.
      keyGenerator: (ctx) => (ctx.msg?.media_group_id ? undefined : String(ctx.from?.id)),
      keyPrefix: 'spam-rate:',
      alwaysReply: true, // every held-back message is an event, not only the first
      onLimitExceeded: (ctx) => block(ctx, 'rate_limit', 'spam-rate-limit'),
    }),
  );

  pm.use(async (ctx, next) => {
    const msg = ctx.msg;
    // Commands are for the bot and never relayed; /language or /status twice is not spam.
    if (msg.text?.startsWith('/')) return next();
    const desk = ctx.desk;
    const at = messageDate(msg);
    const key = duplicateKey(msg);
    if (key && !msg.media_group_id && recent.isRepeat(ctx.from.id, key, at.getTime())) return block(ctx, 'duplicate', 'spam-duplicate');

    const link = hasLink(msg);
    const media = hasMedia(msg);
    if ((link || media) && (await isNewcomer(desk, ctx.from.id, at))) return block(ctx, link ? 'link' : 'media', link ? 'spam-newcomer-link' : 'spam-newcomer-media');

    await desk.db.query(
      `INSERT INTO customer_settings (customer_id, real_messages) VALUES ($1, 1)
       ON CONFLICT (customer_id) DO UPDATE SET real_messages = customer_settings.real_messages + 1, updated_at = now()`,
      [ctx.from.id],
    );
    return next();
  });

  async function isNewcomer(desk: Desk, customerId: number, at: Date): Promise<boolean> {
    const r = await desk.db.query<{ created_at: Date | null; real_messages: number | null; agent_replies: number | null }>(
      `SELECT c.created_at, s.real_messages,
              (SELECT agent_replies FROM tickets t WHERE t.customer_id = $1 AND t.status <> 'resolved') AS agent_replies
       FROM (SELECT $1::bigint AS id) me
       LEFT JOIN customers c ON c.id = me.id
       LEFT JOIN customer_settings s ON s.customer_id = me.id`,
      [customerId],
    );
    const row = r.rows[0];
    if ((row?.agent_replies ?? 0) > 0) return false;
    const messages = row?.real_messages ?? 0;
    const ageMs = row?.created_at ? at.getTime() - row.created_at.getTime() : 0;
    // Message dates are whole seconds and created_at is not: with no minimum age configured, a
    // message from the customer's first second must not count as "too young".
    return messages < cfg.newcomerMessages || (cfg.newcomerAgeMs > 0 && ageMs < cfg.newcomerAgeMs);
  }

  return composer;
}

/** spam_blocked, attached to the customer's open ticket when there is one. */
async function record(desk: Desk, customerId: number, reason: SpamReason, at: Date, language: string): Promise<void> {
  const open = await desk.tickets.findOpen(customerId);
  await desk.db.transaction(async (tx) => {
    if (open) await desk.outbox.appendForTicket(tx, open, [{ type: 'spam_blocked', occurred_at: at.toISOString(), reason }]);
    else await desk.outbox.append(tx, [{ type: 'spam_blocked', occurred_at: at.toISOString(), customer_id: customerId, language, reason }]);
  });
}
