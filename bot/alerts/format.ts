/**
 * Escalation messages: pure functions from an alert (+ the tickets behind it)
 * to Telegram HTML text and buttons, worded by `Text` (locales/<lang>/alerts.ftl
 * in the agents' language). No I/O, so every shape is unit-tested.
 */
import { InlineKeyboard } from 'grammy';
import type { BreachKind, BreachingTicket, QueueSla } from '../../sla/exporter/snapshot.js';
import { clockTime, escapeHtml, formatElapsed, hhmm, topicLink, type Translate } from '../telegram/present.js';
import type { AmAlert } from './alertmanager-schema.js';
import { ALERT_CATALOG } from './catalog.js';

export const CALLBACK_TAKE = 'alerts:take:';
export const CALLBACK_MUTE = 'alerts:mute:';
export const CALLBACK_UNMUTE = 'alerts:unmute:';

/** A translation in the escalation chat's language (the desk's `agentText`). */
export type Text = Translate;

/** The title of a known alert, in the chat's language. */
export function alertTitle(alertname: string, t: Text): string {
  return t(`alert-${alertname}`);
}

export interface FormatContext {
  supportChatId: number;
  now: Date;
  t: Text;
  /** How long the Mute button silences a queue (ALERT_MUTE_DURATION); 1 h when not given. */
  muteSeconds?: number;
  /** IANA zone the message's times are shown in (the queue's business-hours zone); UTC when not given. */
  zone?: string;
}

/** A button-sized duration: "1 h", "30 min", "1 h 30 min". */
export function shortDuration(seconds: number, t: Text): string {
  return seconds >= 3600 && seconds % 3600 === 0 ? t('alert-duration-whole-hours', { h: String(seconds / 3600) }) : formatElapsed(seconds, t);
}

export interface RenderedMessage {
  text: string;
  keyboard: InlineKeyboard | undefined;
}

function ticketLine(ticket: BreachingTicket, kind: BreachKind | undefined, ctx: FormatContext): string {
  const { t } = ctx;
  const who = escapeHtml(ticket.customer_name?.trim() || t('alert-customer', { id: String(ticket.customer_id) }));
  const ref = ticket.thread_id !== null ? `<a href="${topicLink(ctx.supportChatId, ticket.thread_id)}">#${ticket.id}</a>` : `#${ticket.id}`;
  const due = kind === 'resolution_breached' || kind === 'resolution_imminent' ? ticket.resolution_due_at : ticket.first_response_due_at;
  const at = (d: Date) => clockTime(d, ctx.now, ctx.zone);
  const when =
    kind === 'frt_p90' || kind === 'waiting'
      ? t('alert-waiting-since', { since: at(ticket.created_at) })
      : due.getTime() > ctx.now.getTime()
        ? t('alert-due-at', { due: at(due) })
        : t('alert-overdue-since', { due: at(due) });
  const agent =
    ticket.agent_id === null ? '' : ticket.agent_name ? ` · ${t('alert-assigned-to', { agent: escapeHtml(ticket.agent_name) })}` : ` · ${t('alert-assigned')}`;
  return `• ${ref} ${who} — ${when}${agent}`;
}

/**
 * The header of a ticket alert, counted from the same store query as the list
 * under it. Prometheus' summary ("1 ticket(s) in VIP…") is its value at the last
 * evaluation and disagrees with the list as soon as one more ticket breaches.
 */
const COUNT_KEYS: Partial<Record<BreachKind, string>> = {
  first_response_breached: 'alert-count-first-response-breached',
  first_response_imminent: 'alert-count-first-response-imminent',
  resolution_breached: 'alert-count-resolution-breached',
  resolution_imminent: 'alert-count-resolution-imminent',
};

export interface FiringOptions {
  /** How many times the alert has fired in this flap chain (shown from 2). */
  refired?: number;
  /** How many tickets match in all, when `tickets` was cut at a limit; the list's length otherwise. */
  total?: number;
}

/** The firing message: what, where, which tickets, and the buttons. */
export function renderFiring(alert: AmAlert, tickets: readonly BreachingTicket[], ctx: FormatContext, opts: FiringOptions = {}): RenderedMessage {
  const name = alert.labels.alertname;
  const kind = ALERT_CATALOG[name];
  const queue = alert.labels.queue;
  const severity = alert.labels.severity;
  const countKey = kind?.tickets && COUNT_KEYS[kind.tickets];
  // A counted header replaces the summary (see COUNT_KEYS); other alerts keep what Prometheus wrote.
  const summary = countKey ? undefined : alert.annotations?.summary;
  const total = Math.max(opts.total ?? 0, tickets.length);
  const { t } = ctx;
  const lines: string[] = [];
  if (kind) {
    lines.push(`${kind.icon} <b>${escapeHtml(alertTitle(name, t))}</b>${queue ? ` · ${t('alert-queue', { queue: escapeHtml(queue) })}` : ''}`);
  } else {
    // Unknown alert: posted plainly from what Alertmanager sent.
    lines.push(`⚠️ <b>${escapeHtml(name)}</b>${severity ? ` [${escapeHtml(severity)}]` : ''}`);
  }
  if (countKey && total) lines.push(t(countKey, { count: total }));
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
      if (total > tickets.length) lines.push(t('alert-not-listed', { count: total - tickets.length }));
    } else if (kind.tickets !== 'frt_p90') {
      lines.push(`<i>${t('alert-no-tickets')}</i>`);
    }
  }
  const since = new Date(alert.startsAt);
  lines.push(
    '',
    `<i>${t('alert-firing-since', { since: hhmm(since, ctx.zone) })}${opts.refired ? ` · ${t('alert-fired-again', { count: String(opts.refired) })}` : ''}${severity && kind ? ` · ${escapeHtml(severity)}` : ''}</i>`,
  );

  const kb = new InlineKeyboard();
  let buttons = 0;
  for (const ticket of tickets.filter((x) => x.agent_id === null).slice(0, 6)) {
    kb.text(t('alert-take', { id: String(ticket.id) }), `${CALLBACK_TAKE}${ticket.id}`);
    if (++buttons % 3 === 0) kb.row();
  }
  if (queue) {
    if (buttons % 3 !== 0) kb.row();
    kb.text(t('alert-mute', { queue, duration: shortDuration(ctx.muteSeconds ?? 3600, t) }), `${CALLBACK_MUTE}${queue}`);
    buttons++;
  }
  return { text: lines.join('\n'), keyboard: buttons ? kb : undefined };
}

/** A reply under a firing breach message when more tickets breach while it fires. */
export function renderNewlyBreached(alert: AmAlert, tickets: readonly BreachingTicket[], ctx: FormatContext): RenderedMessage {
  const { t } = ctx;
  const kind = ALERT_CATALOG[alert.labels.alertname];
  const title = kind ? alertTitle(alert.labels.alertname, t) : alert.labels.alertname;
  const lines = [
    `${kind?.icon ?? '⚠️'} <b>${escapeHtml(title)}</b> · ${escapeHtml(alert.labels.queue ?? '')}: ${t('alert-more-tickets', { count: tickets.length })}`,
  ];
  for (const ticket of tickets) lines.push(ticketLine(ticket, kind?.tickets, ctx));
  const kb = new InlineKeyboard();
  const takeable = tickets.filter((x) => x.agent_id === null).slice(0, 3);
  for (const ticket of takeable) kb.text(t('alert-take', { id: String(ticket.id) }), `${CALLBACK_TAKE}${ticket.id}`);
  return { text: lines.join('\n'), keyboard: takeable.length ? kb : undefined };
}

export interface ResolvedOptions {
  /** IANA zone of the times (the queue's business-hours zone); UTC when not given. */
  zone?: string;
  /** The alert fired again and lives on in a newer message: when, and the link to it. */
  next?: { at: Date; link: string };
}

/** The original message once the alert resolved (buttons removed). */
export function renderResolved(
  alert: AmAlert,
  ticketIds: readonly number[],
  firedAt: Date,
  resolvedAt: Date,
  t: Text,
  opts: ResolvedOptions = {},
): RenderedMessage {
  const name = alert.labels.alertname;
  const queue = alert.labels.queue;
  const title = ALERT_CATALOG[name] ? alertTitle(name, t) : name;
  const lines = [
    `${t('alert-resolved-title', { title: escapeHtml(title) })}${queue ? ` · ${t('alert-queue', { queue: escapeHtml(queue) })}` : ''}`,
    ticketIds.length ? t('alert-resolved-tickets', { ids: ticketIds.map((id) => `#${id}`).join(', ') }) : '',
    `<i>${hhmm(firedAt, opts.zone)} → ${hhmm(resolvedAt, opts.zone)} (${formatElapsed((resolvedAt.getTime() - firedAt.getTime()) / 1000, t)})</i>`,
    opts.next ? t('alert-refired-below', { time: hhmm(opts.next.at, opts.zone), link: escapeHtml(opts.next.link) }) : '',
  ].filter(Boolean);
  return { text: lines.join('\n'), keyboard: undefined };
}

/** The short follow-up posted (as a reply) when an alert resolves. */
export function renderResolvedFollowup(alert: AmAlert, firedAt: Date, resolvedAt: Date, t: Text): string {
  const name = alert.labels.alertname;
  const queue = alert.labels.queue;
  const vars = {
    title: escapeHtml(ALERT_CATALOG[name] ? alertTitle(name, t) : name),
    duration: formatElapsed((resolvedAt.getTime() - firedAt.getTime()) / 1000, t),
  };
  return queue ? t('alert-resolved-followup-queue', { ...vars, queue: escapeHtml(queue) }) : t('alert-resolved-followup', vars);
}

/** `/sla`: the live state per queue. */
export function renderSlaOverview(
  queues: readonly QueueSla[],
  mutes: ReadonlyMap<string, Date>,
  firing: readonly { alertname: string; queue: string | null }[],
  now: Date,
  t: Text,
  zoneOf: (queue: string) => string | undefined = () => undefined,
): string {
  const lines = [t('sla-title', { time: hhmm(now) }), ''];
  for (const q of queues) {
    const open = Object.values(q.open).reduce((a, b) => a + b, 0);
    const waiting = q.oldestWaitingSeconds > 0 ? t('sla-oldest-waiting', { wait: formatElapsed(q.oldestWaitingSeconds, t) }) : '';
    const frt =
      q.frtP90Seconds !== null
        ? t('sla-frt', { p50: formatElapsed(q.frtP50Seconds ?? 0, t), p90: formatElapsed(q.frtP90Seconds, t), count: String(q.firstResponsesLastHour) })
        : t('sla-no-frt');
    const flag = q.firstResponseOverdue > 0 ? '🔴' : q.firstResponseDueSoon > 0 ? '🟠' : '🟢';
    const muted = mutes.get(q.queue);
    lines.push(
      `${t('sla-queue-open', { flag, queue: escapeHtml(q.queue), open: String(open) })}${waiting}`,
      `   ${t('sla-counts', { breached: String(q.firstResponseOverdue), soon: String(q.firstResponseDueSoon), late: String(q.resolutionOverdue) })}`,
      `   ${frt}${muted ? ` · ${t('sla-muted-until', { until: hhmm(muted, zoneOf(q.queue)) })}` : ''}`,
    );
  }
  const unrelated = firing.filter((f) => !f.queue);
  if (unrelated.length) lines.push('', t('sla-firing', { alerts: unrelated.map((f) => escapeHtml(f.alertname)).join(', ') }));
  return lines.join('\n');
}
