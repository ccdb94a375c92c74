/**
 * After the resolution:
 * - follow-up: FOLLOWUP_DELAY after an agent resolved a ticket (moved out of
 *   quiet hours), "Did it help?" Yes/No. No reopens the ticket
 *   (ticket_reopened reason 'followup'), which puts ❗️ back on the topic.
 * - auto-close: a ticket waiting on the customer (an agent asked something,
 *   e.g. the need_details macro) for AUTO_CLOSE_AFTER is closed with a note
 *   (resolved_by 'auto_close').
 * Both run on the durable scheduler, so restarts neither lose nor repeat them.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext, Desk } from '../../context.js';
import type { TicketResolvedHookEvent } from '../../hooks.js';
import type { Ticket } from '../../store/types.js';
import { unlessRefused } from '../../tickets/errors.js';
import { nextAllowed } from '../../runtime/quiet-hours.js';
import { quietHoursFor, readPrefs } from '../../store/customer-prefs.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import type { Job } from '../../scheduler/scheduler.js';
import { customerText } from '../../telegram/present.js';
import { ack } from '../../telegram/update.js';

export const FOLLOWUP_JOB = 'followup';

interface FollowupPayload {
  resolvedAt: string;
}

export function followupsFeature(rt: FeatureRuntime): {
  composer: Composer<BotContext>;
  onResolved: (e: TicketResolvedHookEvent, desk: Desk) => Promise<void>;
  onReopened: (e: { ticket: Ticket }, desk: Desk) => Promise<void>;
} {
  const cfg = rt.config;

  /** The quiet hours that hold this customer's follow-up: their own, in their time zone (Mini App settings), else the desk's. */
  const quietFor = async (desk: Desk, customerId: number) => quietHoursFor(await readPrefs(desk.db, customerId), cfg.quietHours);

  const onResolved = async ({ ticket, by }: TicketResolvedHookEvent, desk: Desk): Promise<void> => {
    if (by !== 'agent' || cfg.followupDelaySeconds <= 0 || !ticket.resolved_at) return;
    const due = nextAllowed(await quietFor(desk, ticket.customer_id), new Date(ticket.resolved_at.getTime() + cfg.followupDelaySeconds * 1000));
    await rt.scheduler.schedule({
      kind: FOLLOWUP_JOB,
      // One follow-up per resolution: a ticket resolved again after a reopen gets its own.
      dedupKey: `followup:${ticket.id}:${ticket.resolved_at.getTime()}`,
      ticketId: ticket.id,
      dueAt: due,
      payload: { resolvedAt: ticket.resolved_at.toISOString() } satisfies FollowupPayload,
    });
  };

  /** A reopened ticket no longer needs its pending follow-up. */
  const onReopened = async ({ ticket }: { ticket: Ticket }): Promise<void> => {
    await rt.scheduler.cancel(FOLLOWUP_JOB, ticket.id);
  };

  async function sendFollowup(desk: Desk, job: Job, now: Date) {
    const payload = job.payload as unknown as FollowupPayload;
    const ticket = job.ticket_id === null ? undefined : await desk.tickets.get(job.ticket_id);
    // Reopened (or resolved again later) since: this follow-up is stale.
    if (ticket?.status !== 'resolved' || ticket.resolved_at?.toISOString() !== payload.resolvedAt) return;
    const allowed = nextAllowed(await quietFor(desk, ticket.customer_id), now);
    if (allowed > now) return { retryAt: allowed };
    const customer = await desk.customers.get(ticket.customer_id);
    if (!customer || customer.banned || customer.blocked_bot) return;
    // The row is the guard against a second send if this job is ever run again.
    const row = await desk.db.query<{ id: number }>(
      `INSERT INTO followups (ticket_id, resolved_at) VALUES ($1, $2) ON CONFLICT (ticket_id, resolved_at) DO NOTHING RETURNING id`,
      [ticket.id, ticket.resolved_at],
    );
    const id = row.rows[0]?.id;
    if (id === undefined) return;
    const t = customerText(desk, customer, ticket);
    const keyboard = new InlineKeyboard().text(t('fu-button-yes'), `fu:${id}:y`).text(t('fu-button-no'), `fu:${id}:n`);
    const sent = await desk.relay.sendToCustomer(customer.id, t('fu-question', { name: customer.first_name, number: ticket.id }), { reply_markup: keyboard });
    if (!sent) return;
    const at = new Date(sent.date * 1000);
    await desk.db.transaction(async (tx) => {
      await tx.query('UPDATE followups SET sent_at = $2 WHERE id = $1', [id, at]);
      await desk.outbox.appendForTicket(tx, ticket, [{ type: 'followup_sent', occurred_at: at.toISOString() }]);
    });
    return undefined;
  }

  /**
   * Closes tickets that waited on the customer for AUTO_CLOSE_AFTER (checked at most every 30 s of scheduler time).
   * The wait counts from the conversation's last message (the agent's question, by its Telegram date), not from the
   * row's last write: an unrelated update (a card refresh, a priority change) must not postpone it, and a replayed
   * conversation dated last week waited a week. The ticket is closed as of the moment its wait ran out.
   */
  let lastSweep = Number.NEGATIVE_INFINITY;
  async function autoClose(desk: Desk, now: Date): Promise<void> {
    // scheduler time that went backwards (a clock set back) sweeps again
    if (cfg.autoCloseAfterSeconds <= 0 || (now.getTime() >= lastSweep && now.getTime() - lastSweep < 30_000)) return;
    lastSweep = now.getTime();
    const afterMs = cfg.autoCloseAfterSeconds * 1000;
    const stale = await desk.db.query<Ticket & { quiet_since: Date }>(
      `SELECT t.*, q.quiet_since FROM tickets t
       CROSS JOIN LATERAL (
         SELECT coalesce(
           (SELECT max(m.sent_at) FROM ticket_messages m WHERE m.ticket_id = t.id AND m.sender IN ('customer', 'agent')),
           t.updated_at) AS quiet_since) q
       WHERE t.status = 'waiting_customer' AND q.quiet_since < $1 ORDER BY q.quiet_since LIMIT 100`,
      [new Date(now.getTime() - afterMs)],
    );
    for (const ticket of stale.rows) {
      const at = new Date(Math.min(now.getTime(), new Date(ticket.quiet_since).getTime() + afterMs));
      const closed = await unlessRefused(desk.tickets.resolve(ticket.id, { by: 'auto_close', at }));
      if (!closed) continue; // resolved meanwhile
      const customer = await desk.customers.get(ticket.customer_id);
      const t = customerText(desk, customer, ticket);
      const hours = Math.round(cfg.autoCloseAfterSeconds / 3600);
      if (customer && !customer.banned) await desk.relay.sendToCustomer(customer.id, t('autoclose-customer', { number: closed.id, hours }));
      await desk.relay.sendToTopic(ticket.customer_id, desk.agentText('autoclose-agent', { number: closed.id, hours })).catch(() => undefined);
    }
  }

  rt.onScheduler((scheduler, _rt, desk) => {
    scheduler.handle(FOLLOWUP_JOB, (job, now) => sendFollowup(desk, job, now));
    scheduler.sweep('auto-close', (now) => autoClose(desk, now));
  });

  const composer = new Composer<BotContext>();

  composer.callbackQuery(/^fu:(\d+):([yn])$/, async (ctx) => {
    const desk = ctx.desk;
    const id = Number(ctx.match[1]);
    const helped = ctx.match[2] === 'y';
    const at = rt.clock();
    // Only a follow-up that actually went out (sent_at set after delivery) can be answered; a crafted or stale `fu:<id>:n` changes nothing.
    const row = (await desk.db.query<{ ticket_id: number }>('SELECT ticket_id FROM followups WHERE id = $1 AND sent_at IS NOT NULL', [id])).rows[0];
    const ticket = row ? await desk.tickets.get(row.ticket_id) : undefined;
    if (!ticket || ticket.customer_id !== ctx.from.id) return void (await ack(ctx, { text: ctx.t('fu-not-offered') }));
    // The first answer counts; a second tap changes nothing.
    const first = await desk.db.transaction(async (tx) => {
      const r = await tx.query('UPDATE followups SET helped = $2, answered_at = $3 WHERE id = $1 AND answered_at IS NULL', [id, helped, at]);
      if (r.rowCount > 0) await desk.outbox.appendForTicket(tx, ticket, [{ type: 'followup_answered', occurred_at: at.toISOString(), helped }]);
      return r.rowCount > 0;
    });
    await ack(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    if (!first) return;
    if (helped) return void (await ctx.reply(ctx.t('fu-thanks')));
    // Refused when another ticket of the customer is open: the agents hear about it in the topic instead.
    const reopened = ticket.status === 'resolved' && (await unlessRefused(desk.tickets.reopen(ticket.id, { reason: 'followup', at }))) !== undefined;
    await ctx.reply(ctx.t('fu-reopened', { number: ticket.id }));
    await desk.relay.sendToTopic(ticket.customer_id, desk.agentText(reopened ? 'fu-agent-reopened' : 'fu-agent-not-helped', { number: ticket.id }));
  });

  return { composer, onResolved, onReopened };
}
