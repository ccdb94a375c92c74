/**
 * Anti-spam, installed before the desk's customer handlers. Nothing a customer
 * means for the agents is thrown away: what is suspicious or too fast is held
 * (held.ts) — the message still opens or joins the ticket, only its copy into
 * the topic waits. Every held-back message is a `spam_blocked` event with its reason:
 * - banned: the customer was banned by an agent — dropped, silently;
 * - duplicate: the same text or file again within SPAM_DUPLICATE_WINDOW —
 *   dropped: the agents have the first copy (relayed or queued) already;
 * - link / media: from a newcomer (fewer than SPAM_NEWCOMER_MESSAGES accepted
 *   messages, or first seen less than SPAM_NEWCOMER_AGE ago), unless an agent
 *   has already replied in their ticket (then the agent may have asked for it) —
 *   held until an agent taps Release on the ticket card;
 * - rate_limit: more than SPAM_RATE_LIMIT messages per SPAM_RATE_WINDOW —
 *   queued and relayed in order as the window allows (rules.ts RelayWindow).
 *   Commands over the limit are dropped: they ask the bot, nothing waits for them.
 * The customer gets one polite explanation per window, not one per message.
 */
import { Composer, type Filter } from 'grammy';
import type { BotContext, Desk } from '../../context.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import { messageDate } from '../../telegram/update.js';
import { holdUpdate, queuedCount, releaseQueued, waitingQueues, type HoldReason } from './held.js';
import { duplicateKey, hasLink, hasMedia, NoticeThrottle, RecentMessages, RelayWindow, SlidingLimit } from './rules.js';

export type SpamReason = HoldReason | 'duplicate' | 'banned';
type MessageCtx = Filter<BotContext, 'message'>;

/** Scheduler job: relay a customer's queued messages whose slot has come. */
export const RELEASE_JOB = 'antispam-release';

export function antispamFeature(rt: FeatureRuntime): Composer<BotContext> {
  const cfg = rt.config.spam;
  const recent = new RecentMessages(cfg.duplicateWindowMs);
  const notices = new NoticeThrottle(Math.max(cfg.rateWindowMs, cfg.duplicateWindowMs));
  const window = new RelayWindow(cfg.rateLimit, cfg.rateWindowMs);
  const commands = new SlidingLimit(cfg.rateLimit, cfg.rateWindowMs);
  // What waited before a restart, put back into the window before its first decision.
  let restored: Promise<void> | undefined;
  const restore = (desk: Desk) =>
    (restored ??= waitingQueues(desk.db).then(
      (queues) => {
        for (const q of queues) window.restore(q.customerId, q.slots, q.messages);
      },
      (err: unknown) => {
        restored = undefined; // a failed read is tried again with the next message
        throw err;
      },
    ));

  rt.onScheduler((scheduler, _rt, desk) => {
    scheduler.handle(RELEASE_JOB, async (job, now) => {
      const customerId = Number(job.payload.customerId);
      await releaseQueued(desk, customerId, now);
      window.setWaiting(customerId, await queuedCount(desk.db, customerId));
    });
  });

  async function notify(ctx: MessageCtx, reason: SpamReason, notice: string): Promise<void> {
    if (notices.shouldNotify(`${ctx.from.id}:${reason}`, messageDate(ctx.msg).getTime())) await ctx.reply(ctx.t(notice));
  }

  /** Dropped: only the event is kept. */
  async function drop(ctx: MessageCtx, reason: SpamReason, notice: string | undefined): Promise<void> {
    await record(ctx.desk, ctx.from.id, reason, messageDate(ctx.msg), await ctx.i18n.getLocale());
    if (notice) await notify(ctx, reason, notice);
  }

  const composer = new Composer<BotContext>();
  const pm = composer.chatType('private').on('message');

  pm.use(async (ctx, next) => {
    const customer = await ctx.desk.customers.get(ctx.from.id);
    if (customer?.banned) return drop(ctx, 'banned', undefined);
    return next();
  });

  pm.use(async (ctx, next) => {
    const msg = ctx.msg;
    const desk = ctx.desk;
    const customerId = ctx.from.id;
    const at = messageDate(msg);
    // Commands are for the bot and never relayed; /language or /status twice is not spam.
    if (msg.text?.startsWith('/')) return commands.allow(customerId, at.getTime()) ? next() : drop(ctx, 'rate_limit', 'spam-rate-limit');

    // An exact duplicate within the window is dropped, not held: the agents have the first copy (relayed or queued).
    const key = duplicateKey(msg);
    if (key && !msg.media_group_id && recent.isRepeat(customerId, key, at.getTime())) return drop(ctx, 'duplicate', 'spam-duplicate');

    const link = hasLink(msg);
    if ((link || hasMedia(msg)) && (await isNewcomer(desk, customerId, at))) {
      // Not relayed until an agent says so, so it takes no slot of the rate limit.
      const reason = link ? 'link' : 'media';
      holdUpdate(ctx, { reason, releaseAt: null, after: () => notify(ctx, reason, link ? 'spam-newcomer-link' : 'spam-newcomer-media') });
      return next();
    }

    await restore(desk);
    const release = window.admit(customerId, at.getTime(), msg.media_group_id);
    if (release !== undefined) {
      const dueAt = new Date(release);
      holdUpdate(ctx, {
        reason: 'rate_limit',
        releaseAt: dueAt,
        // One job per held message (a job releases every due message of the customer; later ones find none left).
        inTx: (tx, held) =>
          rt.scheduler.schedule({ kind: RELEASE_JOB, dedupKey: `${RELEASE_JOB}:${held.id}`, dueAt, payload: { customerId } }, tx).then(() => undefined),
        after: async () => {
          window.setWaiting(customerId, await queuedCount(desk.db, customerId));
          await notify(ctx, 'rate_limit', 'spam-rate-limit');
        },
      });
    }

    // Queued messages count too: they reach the agents, only later.
    await desk.db.query(
      `INSERT INTO customer_settings (customer_id, real_messages) VALUES ($1, 1)
       ON CONFLICT (customer_id) DO UPDATE SET real_messages = customer_settings.real_messages + 1, updated_at = now()`,
      [customerId],
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

/** spam_blocked for a dropped message, attached to the customer's open ticket when there is one. */
async function record(desk: Desk, customerId: number, reason: SpamReason, at: Date, language: string): Promise<void> {
  const open = await desk.tickets.findOpen(customerId);
  await desk.db.transaction(async (tx) => {
    if (open) await desk.outbox.appendForTicket(tx, open, [{ type: 'spam_blocked', occurred_at: at.toISOString(), reason }]);
    else await desk.outbox.append(tx, [{ type: 'spam_blocked', occurred_at: at.toISOString(), customer_id: customerId, language, reason }]);
  });
}
