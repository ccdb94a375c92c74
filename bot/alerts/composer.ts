/**
 * Telegram side of escalations, installed by createDesk({ composers }):
 *   /sla                  — live SLA state per queue (escalation chat only)
 *   /audit                — the staff's audit trail (admins; bot/audit.ts)
 *   /experiments          — the A/B tests on one screen (team leads; experiments-command.ts)
 *   alerts:take:<ticket>  — "Take #N" under an alert: assigns the ticket to the agent who pressed it
 * Who may press what is bot/roles.ts (roleGuard): Take needs an agent, Mute and Unmute a team lead.
 *   alerts:mute:<queue>   — "Mute 1 h": the queue's alerts are recorded but not posted for ALERT_MUTE_DURATION
 *   alerts:unmute:<queue> — "Unmute", under the mute notice: the queue's alerts are posted again now
 */
import { Composer, InlineKeyboard } from 'grammy';
import { readSlaSnapshot } from '../../sla/exporter/snapshot.js';
import { renderNextUp } from '../features/urgent/next-up.js';
import { answerAudit } from '../audit-command.js';
import { answerExperiments } from './experiments-command.js';
import { recordAudit } from '../audit.js';
import type { BotContext } from '../context.js';
import { replyWithDeskError } from '../error-boundary.js';
import { isMessageGone } from '../telegram/errors.js';
import { loadAlertsConfig, type AlertsConfig } from './config.js';
import { escapeHtml, formatElapsed, hhmm } from '../telegram/present.js';
import { CALLBACK_MUTE, CALLBACK_TAKE, CALLBACK_UNMUTE, renderSlaOverview } from './format.js';
import { AlertStore } from './store.js';

export function createAlertsComposer(cfg: AlertsConfig = loadAlertsConfig(), now: () => Date = () => new Date()): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const inEscalationChat = composer.filter((ctx) => ctx.chat?.id === cfg.ESCALATION_CHAT_ID);

  inEscalationChat.command('sla', async (ctx) => {
    const store = new AlertStore(ctx.desk.db);
    const at = now();
    const [queues, mutes, firing, nextUp] = await Promise.all([
      readSlaSnapshot(ctx.desk.db, { now: at, extraQueues: ctx.desk.config.sla.keys() }),
      store.activeMutes(at),
      store.firing(),
      // The order to work in (sla/priority.ts): urgent, VIP, deadline, category.
      renderNextUp(ctx.desk, at),
    ]);
    await ctx.reply(`${renderSlaOverview(queues, mutes, firing, at, ctx.desk.agentText, (q) => ctx.desk.sla.calendar(q)?.zone)}\n\n${nextUp}`, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(ctx.msg.message_thread_id !== undefined ? { message_thread_id: ctx.msg.message_thread_id } : {}),
    });
  });

  // The audit trail, for admins (bot/roles.ts refuses anyone else).
  inEscalationChat.command('audit', (ctx) => answerAudit(ctx, ctx.match));

  // The experiments on one screen, for team leads (bot/roles.ts action `config`).
  inEscalationChat.command('experiments', (ctx) => answerExperiments(ctx, now()));

  // A take the desk refuses (no such ticket, resolved) is answered in the escalation chat's words, as a dialog.
  const takeRefused = replyWithDeskError(
    (ctx, e) => {
      const t = ctx.desk.agentText;
      const why =
        e.code === 'ticket-not-found'
          ? t('alert-take-why-not-found')
          : e.code.startsWith('ticket-') && e.code.includes('resolved')
            ? t('alert-take-why-resolved')
            : e.code;
      return t('alert-take-failed', { id: String(e.detail.ticket ?? ''), why });
    },
    { showAlert: true },
  );

  inEscalationChat.errorBoundary(takeRefused).callbackQuery(new RegExp(`^${CALLBACK_TAKE}(\\d+)$`), async (ctx) => {
    const ticketId = Number(ctx.match[1]);
    const t = ctx.desk.agentText;
    await ctx.desk.tickets.assign(ticketId, ctx.from.id, { at: now() });
    await ctx.answerCallbackQuery({ text: t('alert-take-done', { id: String(ticketId) }) });
    await ctx.reply(t('alert-taken-by', { id: String(ticketId), name: escapeHtml(ctx.from.first_name) }), {
      parse_mode: 'HTML',
      ...(ctx.callbackQuery.message?.message_id
        ? { reply_parameters: { message_id: ctx.callbackQuery.message.message_id, allow_sending_without_reply: true } }
        : {}),
    });
  });

  const QUEUE = '([A-Za-z0-9_-]{1,32})';
  inEscalationChat.callbackQuery(new RegExp(`^${CALLBACK_MUTE}${QUEUE}$`), async (ctx) => {
    const queue = ctx.match[1]!;
    const t = ctx.desk.agentText;
    const until = new Date(now().getTime() + cfg.ALERT_MUTE_DURATION * 1000);
    await ctx.desk.db.transaction(async (tx) => {
      await new AlertStore(tx).mute(queue, until, ctx.from.id);
      await recordAudit(tx, ctx.desk.outbox, { actorId: ctx.from.id, action: 'mute', at: now(), detail: { queue, seconds: cfg.ALERT_MUTE_DURATION } });
    });
    await ctx.answerCallbackQuery({ text: t('alert-muted-answer', { queue, duration: formatElapsed(cfg.ALERT_MUTE_DURATION, t) }) });
    await ctx.reply(
      t('alert-muted-notice', { queue: escapeHtml(queue), until: hhmm(until, ctx.desk.sla.calendar(queue)?.zone), name: escapeHtml(ctx.from.first_name) }),
      {
        parse_mode: 'HTML',
        reply_markup: new InlineKeyboard().text(t('alert-unmute', { queue }), `${CALLBACK_UNMUTE}${queue}`),
        ...(ctx.callbackQuery.message?.message_id
          ? { reply_parameters: { message_id: ctx.callbackQuery.message.message_id, allow_sending_without_reply: true } }
          : {}),
      },
    );
  });

  inEscalationChat.callbackQuery(new RegExp(`^${CALLBACK_UNMUTE}${QUEUE}$`), async (ctx) => {
    const queue = ctx.match[1]!;
    const t = ctx.desk.agentText;
    await ctx.desk.db.transaction(async (tx) => {
      await new AlertStore(tx).unmute(queue);
      await recordAudit(tx, ctx.desk.outbox, { actorId: ctx.from.id, action: 'unmute', at: now(), detail: { queue } });
    });
    await ctx.answerCallbackQuery({ text: t('alert-unmuted-answer', { queue }) });
    // the notice loses its button and says who lifted the mute
    const notice = t('alert-unmuted-notice', {
      queue: escapeHtml(queue),
      time: hhmm(now(), ctx.desk.sla.calendar(queue)?.zone),
      name: escapeHtml(ctx.from.first_name),
    });
    try {
      await ctx.editMessageText(notice, { parse_mode: 'HTML' });
    } catch (e) {
      if (!isMessageGone(e)) throw e;
      // The notice was deleted meanwhile (or can no longer be edited): the chat still learns the queue is loud again.
      await ctx.reply(notice, { parse_mode: 'HTML' });
    }
  });

  return composer;
}
