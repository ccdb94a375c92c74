/**
 * Alertmanager notifications → messages in the escalation chat.
 *
 * One Telegram message shows each alert (fingerprint), remembered in alert_messages
 * with the tickets it has named (the resolution lists them):
 *   firing, first time            → post (unless the queue is muted: recorded only)
 *   firing, already posted        → edit it with the current tickets (repeats never spam);
 *                                   tickets that newly breached get one short reply
 *   every ALERT_REFRESH_INTERVAL  → the same for firing alerts between notifications
 *   firing again after resolving  → a new post, which notifies; within the flap window it
 *                                   replies to the old message, which now links to it
 *   resolved                      → edit the message to "resolved" and reply with a short
 *                                   follow-up (at most once per flap window, none while muted)
 * A firing is never silent: an edit does not notify, and an edit of a message far up
 * the chat, under a newer "✅ Resolved", reads as "all clear" to whoever looks.
 *
 * A message can vanish (an admin deletes it; a restarted sandbox forgets every
 * message): wherever its edit fails for that reason, the alert is posted anew and
 * the new message remembered. Each firing message is checked once per process,
 * so alerts still firing across a restart come back.
 *
 * Notifications are handled one at a time, so a retried delivery racing the
 * original cannot post twice.
 */
import { createHash } from 'node:crypto';
import { GrammyError, type Api } from 'grammy';
import type { Logger } from '../../core/log.js';
import type { Queryable } from '../../core/postgres.js';
import { findBreachingTickets, type BreachingTicket } from '../../sla/exporter/snapshot.js';
import { isMessageGone } from '../telegram/errors.js';
import { messageLink } from '../telegram/present.js';
import type { AmAlert, AmWebhookPayload } from './alertmanager-schema.js';
import { ALERT_CATALOG } from './catalog.js';
import type { AlertsConfig } from './config.js';
import { renderFiring, renderNewlyBreached, renderResolved, renderResolvedFollowup, type FormatContext, type RenderedMessage, type Text } from './format.js';
import { AlertStore, type AlertMessageRow } from './store.js';

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
  /** The IANA zone a queue's times are shown in (its business-hours zone, as on ticket cards); UTC when undefined. */
  zoneOf?: (queue: string) => string | undefined;
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

/** The tickets behind an alert: the first `TICKETS_SHOWN`, and how many match in all. */
interface Tickets {
  list: BreachingTicket[];
  total: number;
}
const TICKETS_SHOWN = 10;

/** One firing of an alert as its message shows it: since when, and how often it fired in this flap chain. */
interface Episode {
  alert: AmAlert;
  startsAt: Date;
  fireCount: number;
}

type EditResult = 'edited' | 'unchanged' | 'gone';

/** A message's text and buttons, to tell whether a fresh rendering differs from what the chat shows. */
function contentOf(m: RenderedMessage): string {
  return JSON.stringify([m.text, m.keyboard?.inline_keyboard ?? []]);
}

export class Escalations {
  readonly store: AlertStore;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;
  /**
   * What this process last saw each firing alert's message show (posted, or edited
   * successfully). The refresher edits only when its rendering differs, so a
   * message it has not seen yet (after a restart) is checked once, and one that
   * vanished is noticed at the next change.
   */
  private readonly shown = new Map<string, string>();

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
   * when it would read differently (tickets, assignments), and reply once for each
   * ticket that newly breached its first-response deadline, so every breach is
   * announced. A message this process has not seen yet is checked too (after a
   * restart); one that is gone, or was never posted because the queue was muted,
   * is posted now (not while the queue is muted). Serialized with handle().
   * Returns how many messages changed or were posted.
   */
  refresh(): Promise<number> {
    const run = this.chain.then(() => this.refreshNow());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async refreshNow(): Promise<number> {
    let changed = 0;
    for (const { fingerprint } of await this.store.firing()) {
      // Read again: posting for one alert can show that another's remembered message is stale.
      const row = await this.store.get(fingerprint);
      if (row?.status === 'firing' && row.alert && (await this.refreshOne(row, row.alert))) changed++;
    }
    return changed;
  }

  private async refreshOne(row: AlertMessageRow, alert: AmAlert): Promise<boolean> {
    const now = this.now();
    const kind = ALERT_CATALOG[alert.labels.alertname];
    const tickets = await this.ticketsFor(alert);
    const ctx = this.context(row.queue, now);
    const message = renderFiring(...this.firingArgs({ alert, startsAt: new Date(row.starts_at), fireCount: row.fire_count }, tickets, ctx));
    const shownIn = this.messageOf(row);
    if (shownIn !== null && this.shown.get(row.fingerprint) === contentOf(message)) return false;

    const named = new Set(row.ticket_ids);
    const added = tickets.list.filter((t) => !named.has(t.id));
    const ticketIds = [...row.ticket_ids, ...added.map((t) => t.id)];
    const muted = row.queue ? await this.store.mutedUntil(row.queue, now) : undefined;
    if (shownIn !== null) {
      const edited = await this.edit(row.fingerprint, shownIn, message);
      if (edited !== 'gone') {
        if (added.length && kind?.tickets === 'first_response_breached' && !muted) await this.post(renderNewlyBreached(alert, added, ctx), shownIn);
        if (added.length) await this.store.setTickets(row.fingerprint, ticketIds);
        return edited === 'edited';
      }
    }
    // No message shows this firing alert: it is gone, or the queue was muted when it fired.
    // A muted queue stays quiet; a ticket alert with no tickets left is about to resolve.
    if (muted || (kind?.tickets && tickets.list.length === 0)) {
      if (shownIn !== null) await this.store.setMessage(row.fingerprint, this.o.config.ESCALATION_CHAT_ID, null, row.ticket_ids);
      return false;
    }
    const posted = await this.post(message);
    await this.store.setMessage(row.fingerprint, this.o.config.ESCALATION_CHAT_ID, posted, ticketIds);
    this.shown.set(row.fingerprint, contentOf(message));
    return true;
  }

  private async ticketsFor(alert: AmAlert): Promise<Tickets> {
    const kind = ALERT_CATALOG[alert.labels.alertname];
    const queue = alert.labels.queue;
    if (!kind?.tickets || !queue) return { list: [], total: 0 };
    const list = await findBreachingTickets(this.o.db, queue, kind.tickets, {
      now: this.now(),
      imminentWindowSeconds: this.o.imminentWindowSeconds,
      limit: TICKETS_SHOWN,
    });
    return { list, total: list[0]?.matching ?? 0 };
  }

  private context(queue: string | null, now: Date): FormatContext {
    return {
      supportChatId: this.o.supportChatId,
      now,
      t: this.o.t,
      muteSeconds: this.o.config.ALERT_MUTE_DURATION,
      zone: queue ? this.o.zoneOf?.(queue) : undefined,
    };
  }

  /** One rendering for the post, the repeat and the refresh, so an unchanged alert re-renders identically. */
  private firingArgs(e: Episode, tickets: Tickets, ctx: FormatContext): Parameters<typeof renderFiring> {
    // The start of the episode, not of this firing: a re-fire tells how long it has really been going on.
    const shown = { ...e.alert, startsAt: e.startsAt.toISOString() };
    return [shown, tickets.list, ctx, { refired: e.fireCount > 1 ? e.fireCount : undefined, total: tickets.total }];
  }

  /** The message id remembered for an alert, when it is in the chat alerts go to now. */
  private messageOf(row: AlertMessageRow): number | null {
    return row.message_id !== null && row.chat_id === this.o.config.ESCALATION_CHAT_ID ? row.message_id : null;
  }

  private async onFiring(alert: AmAlert, fingerprint: string): Promise<AlertOutcome> {
    const now = this.now();
    const queue = alert.labels.queue ?? null;
    const [tickets, existing, mutedUntil] = await Promise.all([
      this.ticketsFor(alert),
      this.store.get(fingerprint),
      queue ? this.store.mutedUntil(queue, now) : Promise.resolve(undefined),
    ]);
    const ctx = this.context(queue, now);
    const shownIn = existing ? this.messageOf(existing) : null;
    const stillFiring = existing?.status === 'firing';
    const refire =
      existing?.status === 'resolved' &&
      existing.resolved_at !== null &&
      now.getTime() - new Date(existing.resolved_at).getTime() < this.o.config.ALERT_FLAP_WINDOW * 1000;
    const episode: Episode =
      existing && (stillFiring || refire)
        ? { alert, startsAt: new Date(existing.starts_at), fireCount: existing.fire_count + (refire ? 1 : 0) }
        : { alert, startsAt: new Date(alert.startsAt), fireCount: 1 };
    const message = renderFiring(...this.firingArgs(episode, tickets, ctx));
    // The tickets this firing has named, for the resolution to list (a ticket answered meanwhile leaves the message, not the record).
    const current = tickets.list.map((t) => t.id);
    const ticketIds = stillFiring && existing ? [...existing.ticket_ids, ...current.filter((id) => !existing.ticket_ids.includes(id))] : current;
    const save = (messageId: number | null, postedNow: boolean) =>
      this.store.saveFiring({
        fingerprint,
        alertname: alert.labels.alertname,
        queue,
        severity: alert.labels.severity ?? null,
        chatId: this.o.config.ESCALATION_CHAT_ID,
        messageId,
        ticketIds,
        startsAt: episode.startsAt,
        fireCount: episode.fireCount,
        at: now,
        postedNow,
        alert,
      });

    if (existing && stillFiring && shownIn !== null) {
      const edited = await this.edit(fingerprint, shownIn, message);
      if (edited !== 'gone') {
        // Still firing with more breached tickets than the message showed: announce them.
        const known = new Set(existing.ticket_ids);
        const added = ALERT_CATALOG[alert.labels.alertname]?.tickets === 'first_response_breached' ? tickets.list.filter((t) => !known.has(t.id)) : [];
        if (added.length && !mutedUntil) await this.post(renderNewlyBreached(alert, added, ctx), shownIn);
        await save(shownIn, false);
        return 'edited';
      }
      // The message is gone: post a new one below.
    }
    if (mutedUntil) {
      await save(null, false);
      return 'muted';
    }
    // Flapping within the window: the new message replies to the old one, which links forward to it.
    const previous = refire && existing ? shownIn : null;
    const posted = await this.post(message, previous ?? undefined);
    await save(posted, true);
    this.shown.set(fingerprint, contentOf(message));
    if (existing && previous !== null && existing.resolved_at !== null) {
      const link = messageLink(this.o.config.ESCALATION_CHAT_ID, posted, this.o.config.ESCALATION_THREAD_ID);
      const old = renderResolved(existing.alert ?? alert, existing.ticket_ids, new Date(existing.starts_at), new Date(existing.resolved_at), this.o.t, {
        zone: ctx.zone,
        next: { at: now, link },
      });
      // Best effort: an old message that is gone needs no pointer.
      await this.edit(undefined, previous, old);
    }
    return 'posted';
  }

  private async onResolved(alert: AmAlert, fingerprint: string): Promise<AlertOutcome> {
    const existing = await this.store.get(fingerprint);
    if (!existing || existing.status === 'resolved') return 'ignored';
    const now = this.now();
    const endsAt = alert.endsAt ? new Date(alert.endsAt) : undefined;
    // Alertmanager sends the real end time; "0001-01-01…" or garbage means "now".
    const resolvedAt = endsAt && endsAt.getTime() > 0 && endsAt.getTime() <= now.getTime() + 60_000 ? endsAt : now;
    const firedAt = new Date(existing.starts_at);
    // A muted queue gets its message edited (silent) but no new post.
    const muted = existing.queue ? await this.store.mutedUntil(existing.queue, now) : undefined;
    const resolved = renderResolved(alert, existing.ticket_ids, firedAt, resolvedAt, this.o.t, {
      zone: existing.queue ? this.o.zoneOf?.(existing.queue) : undefined,
    });
    let messageId = this.messageOf(existing);
    let followup = false;
    if (messageId !== null) {
      if ((await this.edit(fingerprint, messageId, resolved)) === 'gone') {
        // The firing message is gone, so nobody reads the resolution there: it gets a message of
        // its own, which notifies and so stands in for the follow-up.
        messageId = muted ? null : await this.post(resolved);
        followup = messageId !== null;
      } else {
        const lastFollowup = existing.last_followup_at ? new Date(existing.last_followup_at).getTime() : 0;
        if (!muted && now.getTime() - lastFollowup >= this.o.config.ALERT_FLAP_WINDOW * 1000) {
          await this.post({ text: renderResolvedFollowup(alert, firedAt, resolvedAt, this.o.t), keyboard: undefined }, messageId);
          followup = true;
        }
      }
    }
    await this.store.saveResolved(fingerprint, resolvedAt, followup, messageId);
    this.shown.delete(fingerprint);
    return 'resolved';
  }

  /** Posts into the escalation chat; returns the new message's id. */
  private async post(m: RenderedMessage, replyTo?: number): Promise<number> {
    const chatId = this.o.config.ESCALATION_CHAT_ID;
    const sent = await this.o.api.sendMessage(chatId, m.text, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(this.o.config.ESCALATION_THREAD_ID !== undefined ? { message_thread_id: this.o.config.ESCALATION_THREAD_ID } : {}),
      ...(m.keyboard ? { reply_markup: m.keyboard } : {}),
      ...(replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
    });
    const stale = await this.store.forgetMessagesFrom(chatId, sent.message_id);
    if (stale) this.o.log.warn({ stale }, 'escalation chat numbers its messages anew (a restarted sandbox?): forgot the alert messages of its earlier life');
    return sent.message_id;
  }

  /** Edits an alert's message; 'gone' when it no longer exists (or can no longer be edited). */
  private async edit(fingerprint: string | undefined, messageId: number, m: RenderedMessage): Promise<EditResult> {
    try {
      await this.o.api.editMessageText(this.o.config.ESCALATION_CHAT_ID, messageId, m.text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_markup: m.keyboard ?? { inline_keyboard: [] },
      });
      if (fingerprint) this.shown.set(fingerprint, contentOf(m));
      return 'edited';
    } catch (e) {
      if (isNotModified(e)) {
        if (fingerprint) this.shown.set(fingerprint, contentOf(m));
        return 'unchanged';
      }
      if (isMessageGone(e)) {
        if (fingerprint) {
          this.shown.delete(fingerprint);
          this.o.log.info({ fingerprint, messageId }, 'alert message is gone: posting it anew');
        }
        return 'gone';
      }
      throw e;
    }
  }
}
