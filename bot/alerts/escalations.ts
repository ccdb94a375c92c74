/**
 * Alertmanager notifications → messages in the escalation chat.
 *
 * One Telegram message per alert (fingerprint), remembered in alert_messages:
 *   firing, first time            → post (unless the queue is muted: recorded only)
 *   firing, already posted        → edit it with the current tickets (repeats never spam);
 *                                   tickets that newly breached get one short reply
 *   every ALERT_REFRESH_INTERVAL  → the same for firing alerts between notifications
 *   firing, resolved < flap window → edit the old message back to firing (flap damping)
 *   resolved                      → edit the message to "resolved" and reply with a short
 *                                   follow-up (at most once per flap window, none while muted)
 * Notifications are handled one at a time, so a retried delivery racing the
 * original cannot post twice.
 */
import { createHash } from 'node:crypto';
import { GrammyError, type Api } from 'grammy';
import type { Logger } from '../../core/log.js';
import type { Queryable } from '../../core/postgres.js';
import { findBreachingTickets, type BreachingTicket } from '../../monitoring/sla-snapshot.js';
import type { AmAlert, AmWebhookPayload } from './alertmanager-schema.js';
import { ALERT_CATALOG } from './catalog.js';
import type { AlertsConfig } from './config.js';
import { renderFiring, renderNewlyBreached, renderResolved, renderResolvedFollowup, type RenderedMessage, type Text } from './format.js';
import { AlertStore } from './store.js';

export interface EscalationsOptions {
  db: Queryable;
  /** The desk's flood-controlled Api (auto-retry + throttler). */
  api: Api;
  supportChatId: number;
  config: Pick<AlertsConfig, 'ESCALATION_CHAT_ID' | 'ESCALATION_THREAD_ID' | 'ALERT_FLAP_WINDOW' | 'ALERT_MUTE_DURATION'>;
  log: Logger;
  /** Wording in the escalation chat's language (the desk's agentText). */
  t: Text;
  now?: () => Date;
  /** Seconds before a deadline a ticket counts as "imminent" (the exporter's SLA_IMMINENT_WINDOW). */
  imminentWindowSeconds?: number;
}

export type AlertOutcome = 'posted' | 'edited' | 'muted' | 'resolved' | 'ignored';

export interface HandleResult {
  outcomes: { fingerprint: string; alertname: string; outcome: AlertOutcome }[];
}

/** Alertmanager's fingerprint, or the same idea (hash of the sorted labels) when a sender omits it. */
export function fingerprintOf(alert: AmAlert): string {
  if (alert.fingerprint) return alert.fingerprint;
  const labels = Object.entries(alert.labels).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16);
}

function isNotModified(e: unknown): boolean {
  return e instanceof GrammyError && /message is not modified/i.test(e.description);
}
function isGone(e: unknown): boolean {
  return e instanceof GrammyError && /message to edit not found|message can't be edited|MESSAGE_ID_INVALID/i.test(e.description);
}

export class Escalations {
  readonly store: AlertStore;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly o: EscalationsOptions) {
    this.store = new AlertStore(o.db);
    this.now = o.now ?? (() => new Date());
  }

  /** Handles one webhook notification; serialized with every other. */
  handle(payload: AmWebhookPayload): Promise<HandleResult> {
    const run = this.chain.then(() => this.handleNow(payload));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async handleNow(payload: AmWebhookPayload): Promise<HandleResult> {
    const outcomes: HandleResult['outcomes'] = [];
    // Resolutions first: a group that both resolves and fires reads in order.
    const ordered = [...payload.alerts].sort((a, b) => (a.status === b.status ? 0 : a.status === 'resolved' ? -1 : 1));
    for (const alert of ordered) {
      const fingerprint = fingerprintOf(alert);
      const outcome = alert.status === 'firing' ? await this.onFiring(alert, fingerprint) : await this.onResolved(alert, fingerprint);
      outcomes.push({ fingerprint, alertname: alert.labels.alertname, outcome });
      this.o.log.info({ alertname: alert.labels.alertname, queue: alert.labels.queue, fingerprint, outcome }, 'alert notification');
    }
    return { outcomes };
  }

  /**
   * Between notifications the tickets behind a firing alert change (Alertmanager
   * re-notifies only when the alert set changes): re-read them, edit the message
   * when the list differs, and reply once for each ticket that newly breached its
   * first-response deadline, so every breach is announced. Serialized with handle().
   */
  refresh(): Promise<number> {
    const run = this.chain.then(() => this.refreshNow());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async refreshNow(): Promise<number> {
    let changed = 0;
    const now = this.now();
    for (const row of await this.store.firing()) {
      const alert = row.alert;
      const kind = alert ? ALERT_CATALOG[alert.labels.alertname] : undefined;
      if (!alert || !row.message_id || !kind?.tickets || !row.queue) continue;
      const tickets = await this.ticketsFor(alert);
      const ids = tickets.map((t) => t.id);
      const before = new Set(row.ticket_ids);
      if (ids.length === before.size && ids.every((id) => before.has(id))) continue;
      const ctx = { supportChatId: this.o.supportChatId, now, t: this.o.t, muteSeconds: this.o.config.ALERT_MUTE_DURATION };
      const shown = { ...alert, startsAt: new Date(row.starts_at).toISOString() };
      if (!(await this.edit(row.message_id, renderFiring(shown, tickets, ctx, { refired: row.fire_count > 1 ? row.fire_count : undefined })))) continue;
      const added = tickets.filter((t) => !before.has(t.id));
      if (added.length && kind.tickets === 'first_response_breached' && !(await this.store.mutedUntil(row.queue, now))) {
        await this.post(renderNewlyBreached(alert, added, ctx), row.message_id);
      }
      await this.store.setTickets(row.fingerprint, ids);
      changed++;
    }
    return changed;
  }

  private async ticketsFor(alert: AmAlert): Promise<BreachingTicket[]> {
    const kind = ALERT_CATALOG[alert.labels.alertname];
    const queue = alert.labels.queue;
    if (!kind?.tickets || !queue) return [];
    return findBreachingTickets(this.o.db, queue, kind.tickets, { now: this.now(), imminentWindowSeconds: this.o.imminentWindowSeconds, limit: 10 });
  }

  private async onFiring(alert: AmAlert, fingerprint: string): Promise<AlertOutcome> {
    const now = this.now();
    const queue = alert.labels.queue ?? null;
    const [tickets, existing, mutedUntil] = await Promise.all([
      this.ticketsFor(alert),
      this.store.get(fingerprint),
      queue ? this.store.mutedUntil(queue, now) : Promise.resolve(undefined),
    ]);
    const ctx = { supportChatId: this.o.supportChatId, now, t: this.o.t, muteSeconds: this.o.config.ALERT_MUTE_DURATION };
    const base = {
      fingerprint,
      alertname: alert.labels.alertname,
      queue,
      severity: alert.labels.severity ?? null,
      chatId: this.o.config.ESCALATION_CHAT_ID,
      ticketIds: tickets.map((t) => t.id),
      startsAt: new Date(alert.startsAt),
      at: now,
      alert,
    };

    const recentlyResolved =
      existing?.status === 'resolved' && existing.resolved_at !== null && now.getTime() - new Date(existing.resolved_at).getTime() < this.o.config.ALERT_FLAP_WINDOW * 1000;
    if (existing?.message_id && (existing.status === 'firing' || recentlyResolved)) {
      const refired = existing.status === 'resolved' ? existing.fire_count + 1 : existing.fire_count > 1 ? existing.fire_count : undefined;
      // A re-fire keeps the original start, so the message tells how long it has really been going on.
      const shown = recentlyResolved ? { ...alert, startsAt: new Date(existing.starts_at).toISOString() } : alert;
      const edited = await this.edit(existing.message_id, renderFiring(shown, tickets, ctx, { refired }));
      if (edited) {
        // Still firing with more breached tickets than the message showed: announce them.
        const known = new Set(existing.ticket_ids);
        const added = existing.status === 'firing' && ALERT_CATALOG[alert.labels.alertname]?.tickets === 'first_response_breached' ? tickets.filter((t) => !known.has(t.id)) : [];
        if (added.length && !mutedUntil) await this.post(renderNewlyBreached(alert, added, ctx), existing.message_id);
        await this.store.saveFiring({ ...base, startsAt: recentlyResolved ? new Date(existing.starts_at) : base.startsAt, messageId: existing.message_id, postedNow: false });
        return 'edited';
      }
      // The old message is gone: fall through and post a new one.
    }
    if (mutedUntil) {
      await this.store.saveFiring({ ...base, messageId: null, postedNow: false });
      return 'muted';
    }
    const msg = await this.post(renderFiring(alert, tickets, ctx));
    await this.store.saveFiring({ ...base, messageId: msg.message_id, postedNow: true });
    return 'posted';
  }

  private async onResolved(alert: AmAlert, fingerprint: string): Promise<AlertOutcome> {
    const existing = await this.store.get(fingerprint);
    if (!existing || existing.status === 'resolved') return 'ignored';
    const now = this.now();
    const endsAt = alert.endsAt ? new Date(alert.endsAt) : undefined;
    // Alertmanager sends the real end time; "0001-01-01…" or garbage means "now".
    const resolvedAt = endsAt && endsAt.getTime() > 0 && endsAt.getTime() <= now.getTime() + 60_000 ? endsAt : now;
    let followup = false;
    if (existing.message_id) {
      const firedAt = new Date(existing.starts_at);
      await this.edit(existing.message_id, renderResolved(alert, existing.ticket_ids, firedAt, resolvedAt, this.o.t));
      const lastFollowup = existing.last_followup_at ? new Date(existing.last_followup_at).getTime() : 0;
      // A muted queue gets its message edited (silent) but no new post.
      const muted = existing.queue ? await this.store.mutedUntil(existing.queue, now) : undefined;
      if (!muted && now.getTime() - lastFollowup >= this.o.config.ALERT_FLAP_WINDOW * 1000) {
        await this.post({ text: renderResolvedFollowup(alert, firedAt, resolvedAt, this.o.t), keyboard: undefined }, existing.message_id);
        followup = true;
      }
    }
    await this.store.saveResolved(fingerprint, resolvedAt, followup);
    return 'resolved';
  }

  private post(m: RenderedMessage, replyTo?: number) {
    return this.o.api.sendMessage(this.o.config.ESCALATION_CHAT_ID, m.text, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(this.o.config.ESCALATION_THREAD_ID !== undefined ? { message_thread_id: this.o.config.ESCALATION_THREAD_ID } : {}),
      ...(m.keyboard ? { reply_markup: m.keyboard } : {}),
      ...(replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
    });
  }

  /** Edits a message; false when it no longer exists. */
  private async edit(messageId: number, m: RenderedMessage): Promise<boolean> {
    try {
      await this.o.api.editMessageText(this.o.config.ESCALATION_CHAT_ID, messageId, m.text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_markup: m.keyboard ?? { inline_keyboard: [] },
      });
      return true;
    } catch (e) {
      if (isNotModified(e)) return true;
      if (isGone(e)) return false;
      throw e;
    }
  }
}
