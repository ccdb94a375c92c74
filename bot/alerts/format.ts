/**
 * Escalation messages: pure functions from an alert (+ the tickets behind it)
 * to Telegram HTML text and buttons. No I/O, so every shape is unit-tested.
 */
import { InlineKeyboard } from 'grammy';
import type { BreachingTicket, QueueSla } from '../../monitoring/sla-snapshot.js';
import type { AmAlert } from './alertmanager-schema.js';
import { ALERT_CATALOG } from './catalog.js';

export const CALLBACK_TAKE = 'alerts:take:';
export const CALLBACK_MUTE = 'alerts:mute:';
export const CALLBACK_UNMUTE = 'alerts:unmute:';

/** Telegram HTML needs &, < and > escaped in text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** https://t.me/c/<internal id>/<thread> — the supergroup id without its -100 prefix. */
export function topicLink(supportChatId: number, threadId: number): string {
  const internal = String(supportChatId).replace(/^-100/, '').replace(/^-/, '');
  return `https://t.me/c/${internal}/${threadId}`;
}

/** "3 min", "1 h 05 min", "2 d 4 h" */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

function hhmm(d: Date): string {
  return `${d.toISOString().slice(11, 16)} UTC`;
}

export interface FormatContext {
  supportChatId: number;
  now: Date;
  /** How long the Mute button silences a queue (ALERT_MUTE_DURATION); 1 h when not given. */
  muteSeconds?: number;
}

/** A button-sized duration: "1 h", "30 min", "1 h 30 min". */
export function shortDuration(seconds: number): string {
  return seconds >= 3600 && seconds % 3600 === 0 ? `${seconds / 3600} h` : humanDuration(seconds);
}

export interface RenderedMessage {
  text: string;
  keyboard: InlineKeyboard | undefined;
}

function ticketLine(t: BreachingTicket, kind: string | undefined, ctx: FormatContext): string {
  const who = escapeHtml(t.customer_name?.trim() || `customer ${t.customer_id}`);
  const ref = t.thread_id !== null ? `<a href="${topicLink(ctx.supportChatId, t.thread_id)}">#${t.id}</a>` : `#${t.id}`;
  const due = kind === 'resolution_breached' ? t.resolution_due_at : t.first_response_due_at;
  const delta = (ctx.now.getTime() - due.getTime()) / 1000;
  const when =
    kind === 'first_response_imminent' || delta < 0
      ? `due in ${humanDuration(-delta)} (${hhmm(due)})`
      : kind === 'frt_p90'
        ? `waiting ${humanDuration((ctx.now.getTime() - t.created_at.getTime()) / 1000)}`
        : `overdue ${humanDuration(delta)} (due ${hhmm(due)})`;
  const agent = t.agent_id !== null ? ' · assigned' : '';
  return `• ${ref} ${who} — ${when}${agent}`;
}

/** The firing message: what, where, which tickets, and the buttons. */
export function renderFiring(alert: AmAlert, tickets: readonly BreachingTicket[], ctx: FormatContext, opts: { refired?: number } = {}): RenderedMessage {
  const name = alert.labels.alertname;
  const kind = ALERT_CATALOG[name];
  const queue = alert.labels.queue;
  const severity = alert.labels.severity;
  const summary = alert.annotations?.summary;
  const lines: string[] = [];
  if (kind) {
    lines.push(`${kind.icon} <b>${escapeHtml(kind.title)}</b>${queue ? ` · queue <b>${escapeHtml(queue)}</b>` : ''}`);
  } else {
    // Unknown alert: posted plainly from what Alertmanager sent.
    lines.push(`⚠️ <b>${escapeHtml(name)}</b>${severity ? ` [${escapeHtml(severity)}]` : ''}`);
  }
  if (summary) lines.push(escapeHtml(summary));
  if (!kind && alert.annotations?.description) lines.push(escapeHtml(alert.annotations.description));
  if (!kind) {
    const extra = Object.entries(alert.labels).filter(([k]) => k !== 'alertname' && k !== 'severity');
    if (extra.length) lines.push(extra.map(([k, v]) => `${escapeHtml(k)}=${escapeHtml(v)}`).join(' · '));
  }
  if (kind?.tickets) {
    if (tickets.length) {
      lines.push('');
      for (const t of tickets) lines.push(ticketLine(t, kind.tickets, ctx));
    } else if (kind.tickets !== 'frt_p90') {
      lines.push('<i>No matching tickets right now (answered since the alert fired).</i>');
    }
  }
  const since = new Date(alert.startsAt);
  lines.push('', `<i>Firing since ${hhmm(since)}${opts.refired ? ` · fired again (${opts.refired}×)` : ''}${severity && kind ? ` · ${escapeHtml(severity)}` : ''}</i>`);

  const kb = new InlineKeyboard();
  let buttons = 0;
  for (const t of tickets.filter((t) => t.agent_id === null).slice(0, 6)) {
    kb.text(`Take #${t.id}`, `${CALLBACK_TAKE}${t.id}`);
    if (++buttons % 3 === 0) kb.row();
  }
  if (queue) {
    if (buttons % 3 !== 0) kb.row();
    kb.text(`🔕 Mute ${queue} ${shortDuration(ctx.muteSeconds ?? 3600)}`, `${CALLBACK_MUTE}${queue}`);
    buttons++;
  }
  return { text: lines.join('\n'), keyboard: buttons ? kb : undefined };
}

/** A reply under a firing breach message when more tickets breach while it fires. */
export function renderNewlyBreached(alert: AmAlert, tickets: readonly BreachingTicket[], ctx: FormatContext): RenderedMessage {
  const kind = ALERT_CATALOG[alert.labels.alertname];
  const lines = [`${kind?.icon ?? '⚠️'} <b>${escapeHtml(kind?.title ?? alert.labels.alertname)}</b> · ${escapeHtml(alert.labels.queue ?? '')}: ${tickets.length === 1 ? 'one more ticket' : `${tickets.length} more tickets`}`];
  for (const t of tickets) lines.push(ticketLine(t, kind?.tickets, ctx));
  const kb = new InlineKeyboard();
  const takeable = tickets.filter((t) => t.agent_id === null).slice(0, 3);
  for (const t of takeable) kb.text(`Take #${t.id}`, `${CALLBACK_TAKE}${t.id}`);
  return { text: lines.join('\n'), keyboard: takeable.length ? kb : undefined };
}

/** The original message once the alert resolved (buttons removed). */
export function renderResolved(alert: AmAlert, ticketIds: readonly number[], firedAt: Date, resolvedAt: Date): RenderedMessage {
  const name = alert.labels.alertname;
  const kind = ALERT_CATALOG[name];
  const queue = alert.labels.queue;
  const title = kind ? kind.title : name;
  const lines = [
    `✅ <b>Resolved</b> · ${escapeHtml(title)}${queue ? ` · queue <b>${escapeHtml(queue)}</b>` : ''}`,
    ticketIds.length ? `Tickets: ${ticketIds.map((id) => `#${id}`).join(', ')}` : '',
    `<i>${hhmm(firedAt)} → ${hhmm(resolvedAt)} (${humanDuration((resolvedAt.getTime() - firedAt.getTime()) / 1000)})</i>`,
  ].filter(Boolean);
  return { text: lines.join('\n'), keyboard: undefined };
}

/** The short follow-up posted (as a reply) when an alert resolves. */
export function renderResolvedFollowup(alert: AmAlert, firedAt: Date, resolvedAt: Date): string {
  const kind = ALERT_CATALOG[alert.labels.alertname];
  const queue = alert.labels.queue;
  return `✅ Resolved: ${escapeHtml(kind?.title ?? alert.labels.alertname)}${queue ? ` in ${escapeHtml(queue)}` : ''} after ${humanDuration((resolvedAt.getTime() - firedAt.getTime()) / 1000)}.`;
}

/** `/sla`: the live state per queue. */
export function renderSlaOverview(queues: readonly QueueSla[], mutes: ReadonlyMap<string, Date>, firing: readonly { alertname: string; queue: string | null }[], now: Date): string {
  const lines = [`<b>SLA now</b> · ${hhmm(now)}`, ''];
  for (const q of queues) {
    const open = Object.values(q.open).reduce((a, b) => a + b, 0);
    const waiting = q.oldestWaitingSeconds > 0 ? `, oldest waiting ${humanDuration(q.oldestWaitingSeconds)}` : '';
    const frt = q.frtP90Seconds !== null ? `FRT P50 ${humanDuration(q.frtP50Seconds ?? 0)} / P90 ${humanDuration(q.frtP90Seconds)} (${q.firstResponsesLastHour} in 1 h)` : 'no first responses in 1 h';
    const flag = q.firstResponseOverdue > 0 ? '🔴' : q.firstResponseDueSoon > 0 ? '🟠' : '🟢';
    const muted = mutes.get(q.queue);
    lines.push(
      `${flag} <b>${escapeHtml(q.queue)}</b>: ${open} open${waiting}`,
      `   breached ${q.firstResponseOverdue} · due ≤ 5 min ${q.firstResponseDueSoon} · past resolution ${q.resolutionOverdue}`,
      `   ${frt}${muted ? ` · 🔕 muted until ${hhmm(muted)}` : ''}`,
    );
  }
  const unrelated = firing.filter((f) => !f.queue);
  if (unrelated.length) lines.push('', `Firing: ${unrelated.map((f) => escapeHtml(f.alertname)).join(', ')}`);
  return lines.join('\n');
}
