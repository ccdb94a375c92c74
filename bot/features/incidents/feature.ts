/**
 * Incidents (issue 15, items 3–4): spikes of new tickets become a suspected incident in the escalation chat,
 * a team lead confirms it (or opens one with /incident), and from then on the desk answers the outage once:
 *
 * - intake step (before the KB's): the first message's cluster key and, once chosen, the category key are
 *   recorded (bot/incidents/store.ts) and the detector (bot/incidents/detector.ts) looks at the ticket's keys;
 *   a spike posts ONE "Suspected incident" message (masked examples, Confirm incident / Dismiss). A ticket
 *   whose key already has a waiting spike, an open incident or a spike dismissed within INCIDENT_WINDOW raises
 *   no new one.
 * - Confirm or `/incident <title>` opens the incident at once; the open tickets that match are linked and
 *   their customers get the announcement (through the broadcast machinery: durable, paced, quiet hours and
 *   opt-outs respected, nobody twice); pinned in STATUS_CHANNEL_ID when set.
 * - every new matching ticket while it is open is linked and gets the "known issue" reply with the ETA and
 *   "Notify me when fixed"; agents /link <incident> and /unlink in a topic.
 * - `/incident eta <45m|2h|18:30>` and `/incident text <what happened> | <who is affected> | <next steps>`
 *   fill the playbook's template; ETA changes reach linked customers at most once per
 *   INCIDENT_UPDATE_MIN_INTERVAL (the latest ETA goes out when it ends).
 * - `/incident resolve [--close-tickets]`: every linked customer (and whoever asked to be notified) is told
 *   once, their tickets optionally resolved (by the desk: no rating, no follow-up), the status post unpinned.
 *
 * Who may: /incident and the buttons are team leads' (bot/roles.ts 'incident'), /link and /unlink agents'.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { DateTime } from 'luxon';
import { parseDuration } from '../../../core/env.js';
import { loadAlertsConfig } from '../../alerts/config.js';
import { recordAudit } from '../../audit.js';
import type { BotContext, Desk } from '../../context.js';
import type { IntakeStep } from '../../hooks.js';
import { categoryKey, clusterKey, keyLabel } from '../../incidents/cluster.js';
import { detectSpike } from '../../incidents/detect.js';
import { DEFAULT_DETECTOR, type Assessment, type DetectorConfig } from '../../incidents/detector.js';
import { IncidentStore, type IncidentRow, type SpikeRow } from '../../incidents/store.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import type { Customer, Ticket } from '../../store/types.js';
import { customerLocale, customerText, escapeHtml, formatDurationWords, formatElapsed, hhmm, type Translate } from '../../telegram/present.js';
import { ack, inThread, isAgentUpdate, topicTarget } from '../../telegram/update.js';
import { unlessRefused } from '../../tickets/errors.js';
import { maskSecrets } from '../secrets/mask.js';
import { scheduleIncidentBroadcast, setIncidentBroadcastSource } from '../broadcasts/feature.js';
import { refreshCard } from '../ticket-card/card.js';

export const INCIDENT_UPDATE_JOB = 'incident_update';
export const INCIDENT_CLOSE_JOB = 'incident_close';
const SAMPLE_MAX = 160;
const SAMPLE_KEEP_MS = 24 * 3600 * 1000;
const SAMPLE_PRUNE_EVERY_MS = 10 * 60 * 1000;
/** Cards refreshed when an incident opens (the rest show the link at their next change). */
const CARD_REFRESH_MAX = 30;

export interface IncidentsFeature {
  composer: Composer<BotContext>;
  intakeStep: IntakeStep;
}

/** The detector's settings from the features' configuration. */
export function detectorConfig(rt: FeatureRuntime): DetectorConfig {
  const c = rt.config.incidents;
  return { ...DEFAULT_DETECTOR, windowSeconds: c.windowSeconds, minTickets: c.minTickets, minCustomers: c.minCustomers, spikeRatio: c.spikeRatio };
}

/** The example a suspected-incident post shows: secrets masked, the customer's names and @handles out, cut short. */
export function sampleOf(text: string, customer: Pick<Customer, 'first_name' | 'last_name' | 'username'>): string {
  let s = maskSecrets(text).text;
  for (const name of [customer.first_name, customer.last_name, customer.username]) {
    if (!name || name.length < 2) continue;
    s = s.split(name).join('…');
  }
  s = s
    .replace(/@[A-Za-z0-9_]{3,}/g, '@…')
    .replace(/\+?\d[\d\s()-]{7,}\d/g, '•••')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > SAMPLE_MAX ? `${s.slice(0, SAMPLE_MAX - 1)}…` : s;
}

/** Each runtime's new-ticket intake of this feature, for requests written in the Mini App (incidentsOnAppRequest). */
const appIntake = new WeakMap<FeatureRuntime, (desk: Desk, ticket: Ticket, customer: Customer | undefined, text: string) => Promise<boolean>>();

/**
 * A request created in the Mini App meets incidents exactly as a message to the bot does: counted for spike
 * detection, and linked with the known-issue (or just-fixed) reply in the chat when it matches an incident.
 */
export async function incidentsOnAppRequest(rt: FeatureRuntime, desk: Desk, ticket: Ticket, customer: Customer, text: string): Promise<boolean> {
  return (await appIntake.get(rt)?.(desk, ticket, customer, text)) ?? false;
}

export function incidentsFeature(rt: FeatureRuntime): IncidentsFeature {
  const store = (desk: Desk) => new IncidentStore(desk.db);
  const escalation = () => {
    const a = loadAlertsConfig();
    return { chatId: a.ESCALATION_CHAT_ID, threadId: a.ESCALATION_THREAD_ID };
  };

  // ---- the broadcast machinery sends the incident's messages ------------------------
  setIncidentBroadcastSource(rt, {
    async audience(desk, b) {
      const rows = await store(desk).audience(b.incident_id, b.incident_message);
      return { recipients: rows.filter((r) => !r.opted_out), optedOut: rows.filter((r) => r.opted_out).length };
    },
    async text(desk, b, customer) {
      const incident = (await store(desk).get(b.incident_id))!;
      return renderIncident(customerText(desk, customer), customerLocale(desk.locales, customer), incident, b.incident_message, rt.clock());
    },
  });

  // ---- detection and known-issue replies ----------------------------------------------
  /** Links the ticket to the incident it matches (true: the customer got its automatic reply), or looks for a spike. */
  const onKeys = async (desk: Desk, ticket: Ticket, customer: Customer | undefined, fresh: readonly string[]): Promise<boolean> => {
    const s = store(desk);
    const keys = await s.keysOf(ticket.id);
    if (keys.length === 0 || (await s.linkOf(ticket.id))) return false;
    const now = rt.clock();
    const open = await s.openFor(keys);
    if (open) return linkNewTicket(desk, open, ticket, customer, now);
    const cfg = detectorConfig(rt);
    // A ticket that comes just after the fix is the same outage, seen late: told it was fixed, not flagged again.
    const fixed = await s.resolvedFor(keys, new Date(now.getTime() - cfg.windowSeconds * 1000));
    if (fixed) return linkNewTicket(desk, fixed, ticket, customer, now);
    if (!rt.config.incidents.detection) return false;
    const found = await detectSpike(s, keys, fresh, now, cfg);
    if (found) {
      const { key, assessment: a } = found;
      const spike = await desk.db.transaction(async (tx) => {
        const row = await s.claimSpike(
          { key, tickets: a.tickets, customers: a.customers, baseline: a.baseline, first_ticket_at: a.firstAt ?? now, detected_at: now },
          tx,
        );
        if (!row) return undefined;
        const kind = key.startsWith('cat:') ? 'category' : key.startsWith('kb:') ? 'kb' : 'keywords';
        await desk.outbox.append(tx, [
          {
            type: 'incident_suspected',
            occurred_at: now.toISOString(),
            ticket_id: null,
            ticket_created_at: null,
            customer_id: null,
            agent_id: null,
            queue: null,
            category: kind === 'category' ? key.slice(4) : null,
            language: null,
            spike_id: row.id,
            key_kind: kind,
            kb_article_id: kind === 'kb' ? key.slice(3) : null,
            incident_tickets: a.tickets,
            incident_customers: a.customers,
            incident_baseline: Math.round(a.baseline * 1000) / 1000,
            detect_seconds: a.firstAt ? Math.max(0, (now.getTime() - a.firstAt.getTime()) / 1000) : null,
          },
        ]);
        return row;
      });
      if (spike) await postSuspected(desk, spike, a, cfg);
    }
    return false;
  };

  const postSuspected = async (desk: Desk, spike: SpikeRow, a: Assessment, cfg: DetectorConfig) => {
    const t = desk.agentText;
    const s = store(desk);
    const examples = await s.samples(spike.key, new Date(spike.detected_at.getTime() - cfg.windowSeconds * 1000));
    await s.pruneSamples(new Date(spike.detected_at.getTime() - SAMPLE_KEEP_MS));
    const text = [
      t('inc-suspected', {
        label: escapeHtml(label(desk, spike.key)),
        tickets: a.tickets,
        customers: a.customers,
        window: formatElapsed(cfg.windowSeconds, t),
        baseline: a.baseline.toFixed(1),
        basis: a.basis,
      }),
      ...(examples.length ? ['', t('inc-examples'), ...examples.map((e) => `• <i>${escapeHtml(e)}</i>`)] : []),
    ].join('\n');
    const target = escalation();
    const msg = await desk.api.sendMessage(target.chatId, text, {
      parse_mode: 'HTML',
      ...(target.threadId ? { message_thread_id: target.threadId } : {}),
      reply_markup: new InlineKeyboard().text(t('inc-button-confirm'), `inc:ok:${spike.id}`).text(t('inc-button-dismiss'), `inc:no:${spike.id}`),
    });
    await s.setSpikeMessage(spike.id, msg.chat.id, msg.message_id);
  };

  /**
   * Links a new ticket to the incident it matches and tells the customer: the known-issue reply while the
   * incident is open; after it was resolved, that it was just fixed and to try again (the ticket stays open
   * for an agent in case it was not).
   */
  const linkNewTicket = async (desk: Desk, matched: IncidentRow, ticket: Ticket, known: Customer | undefined, now: Date): Promise<boolean> => {
    const s = store(desk);
    let incident = matched;
    let afterFix = false;
    const linked = await desk.db.transaction(async (tx) => {
      // The incident as it is now, its row locked: a resolution racing this link comes either before it (the
      // ticket is then linked as after the fix) or after it (and its closing job finds this link). Decided on
      // the row read when the ticket matched, a ticket linked just after the resolution stayed open for good.
      incident = (await s.get(matched.id, tx, true)) ?? matched;
      afterFix = incident.status === 'resolved';
      // After the fix means linked after resolved_at — how the closing job and the resolution's audience tell
      // the two apart — even for a message older than the resolution that only now gets its link.
      const resolvedAt = incident.resolved_at;
      const linkedAt = afterFix && resolvedAt && now <= resolvedAt ? new Date(resolvedAt.getTime() + 1) : now;
      if (!(await s.link(tx, incident.id, ticket, null, linkedAt))) return false;
      const fresh = (await desk.tickets.get(ticket.id, tx)) ?? ticket;
      await desk.outbox.appendForTicket(tx, fresh, [
        {
          type: 'ticket_linked',
          occurred_at: now.toISOString(),
          agent_id: null,
          incident_id: incident.id,
          link_action: 'linked',
          link_source: afterFix ? 'after_fix' : 'new_ticket',
          known_issue_reply: !afterFix,
        },
      ]);
      return true;
    });
    if (!linked || !(await s.markKnownIssue(incident.id, ticket.id, now))) return false;
    const customer = known ?? (await desk.customers.get(ticket.customer_id));
    await showOnCard(desk, ticket.id);
    const t = customerText(desk, customer, ticket);
    const locale = customerLocale(desk.locales, customer, ticket);
    const ago = formatDurationWords(Math.max(60, (now.getTime() - (incident.resolved_at ?? now).getTime()) / 1000), locale);
    const sent = afterFix
      ? await desk.relay.sendToCustomer(ticket.customer_id, t('inc-fixed-recently', { title: escapeHtml(incident.title), ago, number: ticket.id }), {
          parse_mode: 'HTML',
        })
      : await desk.relay.sendToCustomer(ticket.customer_id, knownIssueText(t, locale, incident, ticket, rt.clock()), {
          parse_mode: 'HTML',
          reply_markup: new InlineKeyboard().text(t('inc-button-notify'), `inc:notify:${incident.id}`),
        });
    if (sent) await desk.tickets.recordBotReply(ticket.id, { replyKind: 'auto', at: new Date(sent.date * 1000) });
    const note = afterFix
      ? desk.agentText('inc-linked-topic-fixed', {
          id: incident.id,
          title: incident.title,
          ago: formatElapsed(Math.max(60, (now.getTime() - incident.resolved_at!.getTime()) / 1000), desk.agentText),
        })
      : desk.agentText('inc-linked-topic', { id: incident.id, title: incident.title, known: sent ? 'yes' : 'no' });
    await desk.relay.sendToTopic(ticket.customer_id, note).catch((err: unknown) => desk.log.warn({ err }, 'could not note the incident link in the topic'));
    return sent !== undefined;
  };

  /**
   * A new ticket, from the chat or the Mini App: its keys (keyword/KB cluster of the first message, and the
   * category once known) counted for the detector, a masked sample kept, and the incident it matches linked.
   */
  const newTicket = async (desk: Desk, ticket: Ticket, customer: Customer | undefined, text: string): Promise<boolean> => {
    const { kb } = await rt.files();
    const language = ticket.language ?? undefined;
    const cluster = clusterKey(text, (q) => kb.answer(q, rt.config.kbMinConfidence, { language })?.article.id, { language });
    // Another intake step (stop words) or the Mini App's form may have chosen the category already.
    const now = (await desk.tickets.get(ticket.id)) ?? ticket;
    const keys = [cluster, now.category ? categoryKey(now.category) : undefined].filter((k): k is string => k !== undefined);
    const s = store(desk);
    await s.recordKeys(now, keys);
    if (text.trim() && customer) await s.recordSample(ticket.id, sampleOf(text, customer), now.created_at);
    return onKeys(desk, now, customer, keys);
  };
  appIntake.set(rt, newTicket);

  const intakeStep: IntakeStep = {
    name: 'incidents',
    async run(ctx, { ticket, customer, message }) {
      return (await newTicket(ctx.desk, ticket, customer, message.text ?? message.caption ?? '')) ? 'answered' : 'continue';
    },
    // The category chosen on the keyboard: the ticket is counted under it too; this step runs before the KB's,
    // so a known-issue reply for the category comes instead of (not after) a deferred KB suggestion.
    async afterCategory(ctx, { ticket }) {
      if (!ticket.category || ticket.status === 'resolved') return undefined;
      const key = categoryKey(ticket.category);
      await store(ctx.desk).recordKeys(ticket, [key]);
      return (await onKeys(ctx.desk, ticket, undefined, [key])) ? 'answered' : undefined;
    },
  };

  const composer = new Composer<BotContext>();

  // ---- the customer asks to be told when it is fixed ------------------------------------
  composer.callbackQuery(/^inc:notify:(\d+)$/, async (ctx) => {
    const ok = await store(ctx.desk).setNotify(Number(ctx.match[1]), ctx.from.id);
    await ack(ctx, ok ? { text: ctx.t('inc-notify-ok') } : undefined);
    if (ok) await ctx.editMessageReplyMarkup().catch(() => undefined);
  });

  // ---- team leads: Confirm / Dismiss ----------------------------------------------------------
  composer.callbackQuery(/^inc:(ok|no):(\d+)$/, async (ctx) => {
    const desk = ctx.desk;
    const t = desk.agentText;
    const s = store(desk);
    const id = Number(ctx.match[2]);
    const now = rt.clock();
    const by = ctx.from.id;
    const cfg = detectorConfig(rt);
    if (ctx.match[1] === 'no') {
      const row = await desk.db.transaction(async (tx) => {
        const r = await s.decide(tx, id, 'dismissed', by, now);
        if (r) await recordAudit(tx, desk.outbox, { actorId: by, action: 'incident', at: now, detail: { what: 'dismiss', spike: r.id } });
        return r;
      });
      if (!row) return void (await ack(ctx, { text: t('inc-decided-already') }));
      await ack(ctx);
      await ctx
        .editMessageText(decided(ctx, t('inc-dismissed', { by, window: formatElapsed(cfg.windowSeconds, t) })), { parse_mode: 'HTML' })
        .catch(() => undefined);
      return;
    }
    const opened = await desk.db.transaction(async (tx) => {
      const row = await s.decide(tx, id, 'confirmed', by, now);
      if (!row) return undefined;
      const since = new Date(Math.min(row.first_ticket_at.getTime(), now.getTime() - cfg.windowSeconds * 1000));
      const r = await openIncident(desk, tx, { title: label(desk, row.key), key: row.key, by, now, since, spike: row });
      await s.setSpikeIncident(tx, row.id, r.incident.id);
      await recordAudit(tx, desk.outbox, {
        actorId: by,
        action: 'incident',
        at: now,
        detail: { what: 'confirm', spike: row.id, incident: r.incident.id, linked: r.linked },
      });
      return r;
    });
    if (!opened) return void (await ack(ctx, { text: t('inc-decided-already') }));
    await ack(ctx);
    await ctx
      .editMessageText(decided(ctx, t('inc-confirmed', { by, id: opened.incident.id, linked: opened.linked })), { parse_mode: 'HTML' })
      .catch(() => undefined);
    await afterOpen(desk, ctx, opened.incident, opened.linked);
  });

  /** In one transaction: the incident, its links, its events and its announcement's broadcast. */
  const openIncident = async (
    desk: Desk,
    tx: Parameters<Parameters<Desk['db']['transaction']>[0]>[0],
    o: { title: string; key: string | null; by: number; now: Date; since: Date; spike?: SpikeRow },
  ): Promise<{ incident: IncidentRow; linked: number }> => {
    const s = store(desk);
    const incident = await s.open(tx, { title: o.title, key: o.key, by: o.by, at: o.now });
    const linked = o.key ? await s.linkOpenTickets(tx, incident.id, o.key, o.since, o.now) : [];
    await desk.outbox.append(tx, [
      {
        type: 'incident_opened',
        occurred_at: o.now.toISOString(),
        ticket_id: null,
        ticket_created_at: null,
        customer_id: null,
        agent_id: o.by,
        queue: null,
        category: o.key?.startsWith('cat:') ? o.key.slice(4) : null,
        language: null,
        incident_id: incident.id,
        spike_id: o.spike?.id ?? null,
        ack_seconds: o.spike ? Math.max(0, (o.now.getTime() - o.spike.detected_at.getTime()) / 1000) : null,
        incident_tickets: linked.length,
      },
    ]);
    for (const l of linked) {
      const ticket = await desk.tickets.get(l.ticket_id, tx);
      if (ticket)
        await desk.outbox.appendForTicket(tx, ticket, [
          {
            type: 'ticket_linked',
            occurred_at: o.now.toISOString(),
            agent_id: null,
            incident_id: incident.id,
            link_action: 'linked',
            link_source: 'opening',
            known_issue_reply: false,
          },
        ]);
    }
    if (linked.length > 0) await scheduleIncidentBroadcast(rt, tx, { incidentId: incident.id, message: 'opened', createdBy: o.by, at: o.now });
    return { incident, linked: linked.length };
  };

  /** The ticket card shows the incident it is linked to (features/ticket-card). */
  const showOnCard = async (desk: Desk, ticketId: number) => {
    try {
      const ticket = await desk.tickets.get(ticketId);
      const customer = ticket && (await desk.customers.get(ticket.customer_id));
      if (ticket && customer) await refreshCard(desk, ticket, customer);
    } catch (err) {
      desk.log.warn({ err, ticket: ticketId }, 'could not show the incident on the ticket card');
    }
  };

  /** After the commit: the status channel's pinned post, the opening note, the broadcast started, the cards. */
  const afterOpen = async (desk: Desk, ctx: BotContext, incident: IncidentRow, linked: number) => {
    await ctx.reply(desk.agentText('inc-opened', { id: incident.id, title: incident.title, linked }), inThread(ctx)).catch(() => undefined);
    const channel = rt.config.incidents.statusChannelId;
    if (channel !== undefined) {
      try {
        const post = await desk.api.sendMessage(channel, renderIncident(desk.agentText, desk.config.agentLanguage, incident, 'opened', rt.clock()), {
          parse_mode: 'HTML',
        });
        await store(desk).setStatusPost(incident.id, post.chat.id, post.message_id);
        await desk.api.pinChatMessage(channel, post.message_id, { disable_notification: true });
      } catch (err) {
        desk.log.warn({ err, incident: incident.id }, 'could not post the incident to the status channel');
      }
    }
    void rt.scheduler.tick().catch((err: unknown) => desk.log.error({ err }, 'incident announcement start failed'));
    // The cards follow in the background: the support group's edit budget is shared with new tickets.
    if (linked > 0)
      void (async () => {
        for (const l of (await store(desk).linkedTickets(incident.id)).slice(0, CARD_REFRESH_MAX)) await showOnCard(desk, l.ticket_id);
      })().catch((err: unknown) => desk.log.warn({ err }, 'could not refresh the linked tickets’ cards'));
  };

  const editStatusPost = async (desk: Desk, incident: IncidentRow, message: 'opened' | 'resolved') => {
    if (incident.status_chat_id === null || incident.status_message_id === null) return;
    await desk.api
      .editMessageText(
        incident.status_chat_id,
        incident.status_message_id,
        renderIncident(desk.agentText, desk.config.agentLanguage, incident, message, rt.clock()),
        {
          parse_mode: 'HTML',
        },
      )
      .catch(() => undefined);
    if (message === 'resolved') await desk.api.unpinChatMessage(incident.status_chat_id, incident.status_message_id).catch(() => undefined);
  };

  // ---- /incident in the escalation chat (or the support group outside a topic) ---------------------
  composer.command('incident', async (ctx) => {
    const desk = ctx.desk;
    const t = desk.agentText;
    const chatId = ctx.chat.id;
    if (chatId !== escalation().chatId && chatId !== desk.config.supportChatId) return;
    if (chatId === desk.config.supportChatId && (await topicTarget(ctx))) return void (await ctx.reply(t('inc-not-in-topic'), inThread(ctx)));
    const s = store(desk);
    const now = rt.clock();
    const by = ctx.from!.id;
    let args = ctx.match.trim();
    // "#3 eta 2h": a given incident; else the newest open one.
    let chosen: number | undefined;
    const m = /^#(\d+)\s*/.exec(args);
    if (m) {
      chosen = Number(m[1]);
      args = args.slice(m[0].length);
    }
    const [verb = '', ...rest] = args.split(/\s+/);
    const tail = args.slice(verb.length).trim();
    const reply = (text: string) => ctx.reply(text, { ...inThread(ctx), parse_mode: 'HTML' });
    const target = async () => {
      const i = chosen !== undefined ? await s.get(chosen) : await s.latestOpen();
      return i?.status === 'open' ? i : undefined;
    };

    if (!args) {
      const open = await s.listOpen();
      const list = open.map((i) => `#${i.id} ${escapeHtml(i.title)}${i.eta_at ? ` — ETA ${hhmm(i.eta_at)}` : ''}`);
      return void (await reply([list.length ? list.join('\n') : t('inc-none-open'), '', t('inc-usage')].join('\n')));
    }

    if (verb === 'eta' || verb === 'text') {
      const incident = await target();
      if (!incident) return void (await reply(t('inc-none-open')));
      let set: Parameters<IncidentStore['update']>[2];
      if (verb === 'eta') {
        const eta = parseEta(tail, now, rt.config.quietHours?.zone ?? 'UTC');
        if (eta === undefined) return void (await reply(t('inc-eta-bad')));
        set = { eta_at: eta };
      } else {
        const [what, who, next] = tail.split('|').map((x) => x.trim());
        if (!what) return void (await reply(t('inc-text-usage')));
        set = { what_happened: what, ...(who ? { who_affected: who } : {}), ...(next ? { next_steps: next } : {}) };
      }
      const interval = rt.config.incidents.updateMinIntervalSeconds * 1000;
      const r = await desk.db.transaction(async (tx) => {
        const updated = await s.update(tx, incident.id, set);
        if (!updated) return undefined;
        await recordAudit(tx, desk.outbox, { actorId: by, action: 'incident', at: now, detail: { what: verb, incident: incident.id } });
        await desk.outbox.append(tx, [
          {
            type: 'incident_updated',
            occurred_at: now.toISOString(),
            ticket_id: null,
            ticket_created_at: null,
            customer_id: null,
            agent_id: by,
            queue: null,
            category: null,
            language: null,
            incident_id: incident.id,
            update_kind: verb === 'eta' ? 'eta' : 'text',
            eta_at: updated.eta_at ? updated.eta_at.toISOString() : null,
          },
        ]);
        // Linked customers hear of a new ETA (not of wording), at most once per interval: the latest goes out.
        let due: Date | undefined;
        if (verb === 'eta') {
          const at = new Date(Math.max(now.getTime(), (updated.last_update_at?.getTime() ?? 0) + interval));
          if (await s.requestUpdate(tx, incident.id, at)) {
            await rt.scheduler.schedule(
              { kind: INCIDENT_UPDATE_JOB, dedupKey: `incident-update:${incident.id}:${at.getTime()}`, dueAt: at, payload: { incidentId: incident.id } },
              tx,
            );
            due = at;
          } else due = updated.update_due_at ?? undefined;
        }
        return { updated, due };
      });
      if (!r) return void (await reply(t('inc-none-open')));
      await editStatusPost(desk, r.updated, 'opened');
      if (verb === 'text') return void (await reply(t('inc-text-set', { id: incident.id })));
      const later = r.due !== undefined && r.due.getTime() > now.getTime() + 1000;
      await reply(
        t('inc-eta-set', {
          id: incident.id,
          eta: r.updated.eta_at ? hhmm(r.updated.eta_at) : '—',
          when: later ? 'later' : 'now',
          at: r.due ? hhmm(r.due) : '',
          interval: formatElapsed(interval / 1000, t),
        }),
      );
      if (!later) void rt.scheduler.tick().catch((err: unknown) => desk.log.error({ err }, 'incident update failed'));
      return;
    }

    if (verb === 'resolve') {
      const incident = await target();
      if (!incident) return void (await reply(t('inc-none-open')));
      const close = rest.includes('--close-tickets');
      const resolved = await desk.db.transaction(async (tx) => {
        const row = await s.resolve(tx, incident.id, by, now, close);
        if (!row) return undefined;
        await recordAudit(tx, desk.outbox, {
          actorId: by,
          action: 'incident',
          at: now,
          detail: { what: 'resolve', incident: incident.id, close_tickets: close },
        });
        const linked = await s.linkedCount(incident.id, tx);
        await desk.outbox.append(tx, [
          {
            type: 'incident_resolved',
            occurred_at: now.toISOString(),
            ticket_id: null,
            ticket_created_at: null,
            customer_id: null,
            agent_id: by,
            queue: null,
            category: row.key?.startsWith('cat:') ? row.key.slice(4) : null,
            language: null,
            incident_id: incident.id,
            incident_seconds: Math.max(0, (now.getTime() - row.opened_at.getTime()) / 1000),
            incident_tickets: linked,
          },
        ]);
        await scheduleIncidentBroadcast(rt, tx, { incidentId: incident.id, message: 'resolved', createdBy: by, at: now });
        if (close)
          await rt.scheduler.schedule(
            { kind: INCIDENT_CLOSE_JOB, dedupKey: `incident-close:${incident.id}`, dueAt: now, payload: { incidentId: incident.id } },
            tx,
          );
        return { row, linked };
      });
      if (!resolved) return void (await reply(t('inc-none-open')));
      await reply(t('inc-resolved', { id: incident.id, linked: resolved.linked, closed: close ? 'yes' : 'no' }));
      await editStatusPost(desk, resolved.row, 'resolved');
      void rt.scheduler.tick().catch((err: unknown) => desk.log.error({ err }, 'incident resolution failed'));
      return;
    }

    // Anything else is a title: an incident opened at once. A category named in it is what new tickets match.
    const title = args.slice(0, 200);
    const lower = title.toLowerCase();
    const category = desk.config.categories.find((c) => lower.includes(c.key.toLowerCase()) || lower.includes(c.label.toLowerCase()));
    const key = category ? categoryKey(category.key) : null;
    if (key && (await s.openFor([key]))) return void (await reply(t('inc-already-open')));
    const opened = await desk.db.transaction(async (tx) => {
      const r = await openIncident(desk, tx, { title, key, by, now, since: new Date(now.getTime() - rt.config.incidents.windowSeconds * 1000) });
      await recordAudit(tx, desk.outbox, { actorId: by, action: 'incident', at: now, detail: { what: 'open', incident: r.incident.id, linked: r.linked } });
      return r;
    });
    await afterOpen(desk, ctx, opened.incident, opened.linked);
  });

  // ---- agents link and unlink a ticket in its topic ------------------------------------------------
  const agents = composer.filter(isAgentUpdate);
  agents.command(['link', 'unlink'], async (ctx) => {
    const desk = ctx.desk;
    const t = desk.agentText;
    const target = await topicTarget(ctx);
    if (!target?.ticket) return void (await ctx.reply(t('inc-link-usage'), inThread(ctx)));
    const s = store(desk);
    const now = rt.clock();
    const ticket = target.ticket;
    const unlink = ctx.msg.text.startsWith('/unlink');
    const id = Number(ctx.match.trim().replace(/^#/, ''));
    const incident = unlink ? undefined : Number.isInteger(id) && id > 0 ? await s.get(id) : undefined;
    if (!unlink && incident?.status !== 'open') return void (await ctx.reply(t('inc-link-unknown', { id: ctx.match.trim() || '?' }), inThread(ctx)));
    const done = await desk.db.transaction(async (tx) => {
      const incidentId = unlink ? await s.unlink(tx, ticket.id, now) : (await s.link(tx, incident!.id, ticket, ctx.from!.id, now)) ? incident!.id : undefined;
      if (incidentId === undefined) return undefined;
      const current = (await desk.tickets.get(ticket.id, tx)) ?? ticket;
      await recordAudit(
        tx,
        desk.outbox,
        {
          actorId: ctx.from!.id,
          action: 'incident',
          at: now,
          ticketId: ticket.id,
          customerId: ticket.customer_id,
          detail: { what: unlink ? 'unlink' : 'link', incident: incidentId },
        },
        current,
      );
      await desk.outbox.appendForTicket(tx, current, [
        {
          type: 'ticket_linked',
          occurred_at: now.toISOString(),
          agent_id: ctx.from!.id,
          incident_id: incidentId,
          link_action: unlink ? 'unlinked' : 'linked',
          link_source: 'manual',
          known_issue_reply: false,
        },
      ]);
      return incidentId;
    });
    if (done === undefined) return void (await ctx.reply(t(unlink ? 'inc-not-linked' : 'inc-already-linked'), inThread(ctx)));
    await showOnCard(desk, ticket.id);
    await ctx.reply(unlink ? t('inc-unlinked-topic', { id: done }) : t('inc-linked-topic', { id: done, title: incident!.title, known: 'no' }), inThread(ctx));
  });

  // ---- jobs: the throttled ETA update, closing the linked tickets -------------------------------------
  rt.onScheduler((scheduler, _rt, desk) => {
    // The examples of first messages are kept a day: pruned every few minutes, whatever spikes there are.
    let pruned = 0;
    scheduler.sweep('incident-samples', async (now) => {
      if (now.getTime() - pruned < SAMPLE_PRUNE_EVERY_MS) return;
      pruned = now.getTime();
      await store(desk).pruneSamples(new Date(now.getTime() - SAMPLE_KEEP_MS));
    });
    scheduler.handle(INCIDENT_UPDATE_JOB, async (job, now) => {
      const id = Number((job.payload as { incidentId: number }).incidentId);
      const s = store(desk);
      await desk.db.transaction(async (tx) => {
        if (await s.takeUpdate(tx, id, now))
          await scheduleIncidentBroadcast(rt, tx, { incidentId: id, message: 'updated', createdBy: (await s.get(id, tx))!.opened_by, at: now });
      });
      void scheduler.tick(now).catch((err: unknown) => desk.log.error({ err }, 'incident update start failed'));
    });
    scheduler.handle(INCIDENT_CLOSE_JOB, async (job, now) => {
      const id = Number((job.payload as { incidentId: number }).incidentId);
      for (const l of await store(desk).linkedTickets(id, true)) {
        const ticket = await desk.tickets.get(l.ticket_id);
        if (ticket && ticket.status !== 'resolved') await unlessRefused(desk.tickets.resolve(ticket.id, { by: 'auto_close', at: now }));
      }
    });
  });

  return { composer, intakeStep };
}

/** The suspected-incident post as it was (its text, escaped again), its buttons gone, the decision under it. */
function decided(ctx: BotContext, line: string): string {
  const before = ctx.callbackQuery?.message && 'text' in ctx.callbackQuery.message ? (ctx.callbackQuery.message.text ?? '') : '';
  return `${escapeHtml(before)}\n\n${line}`;
}

function label(desk: Desk, key: string): string {
  return keyLabel(key, (k) => desk.config.categories.find((c) => c.key === k)?.label);
}

/** "45m", "2h", "90" (minutes are the usual unit here), "18:30" (today or tomorrow, in `zone`), "unknown". */
export function parseEta(raw: string, now: Date, zone: string): Date | null | undefined {
  const s = raw.trim().toLowerCase();
  if (s === 'unknown' || s === '?' || s === '-') return null;
  const hm = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (hm) {
    const h = Number(hm[1]);
    const m = Number(hm[2]);
    if (h > 23 || m > 59) return undefined;
    let at = DateTime.fromJSDate(now, { zone }).set({ hour: h, minute: m, second: 0, millisecond: 0 });
    if (at.toMillis() <= now.getTime()) at = at.plus({ days: 1 });
    return at.toJSDate();
  }
  const seconds = parseDuration(/^\d+$/.test(s) ? `${s}m` : s);
  if (seconds === undefined || seconds <= 0 || seconds > 30 * 86400) return undefined;
  return new Date(now.getTime() + seconds * 1000);
}

function etaWords(t: Translate, locale: string, eta: Date | null, now: Date): string {
  if (!eta) return t('inc-field-eta-unknown');
  return t('inc-field-eta', { eta: formatDurationWords(Math.max(60, (eta.getTime() - now.getTime()) / 1000), locale), at: hhmm(eta) });
}

/** The playbook's incident template (what happened, who is affected, ETA, next steps), HTML. */
export function renderIncident(t: Translate, locale: string, i: IncidentRow, message: 'opened' | 'updated' | 'resolved', now: Date): string {
  const title = escapeHtml(i.title);
  const head = t(message === 'opened' ? 'inc-msg-opened' : message === 'updated' ? 'inc-msg-updated' : 'inc-msg-resolved', { title });
  const lines = [head, ''];
  if (i.what_happened) lines.push(t('inc-field-what', { text: escapeHtml(i.what_happened) }));
  if (i.who_affected) lines.push(t('inc-field-who', { text: escapeHtml(i.who_affected) }));
  if (message !== 'resolved') lines.push(etaWords(t, locale, i.eta_at, now));
  if (i.next_steps && message !== 'resolved') lines.push(t('inc-field-next', { text: escapeHtml(i.next_steps) }));
  lines.push('', t(message === 'resolved' ? (i.close_tickets ? 'inc-msg-footer-closed' : 'inc-msg-footer-resolved') : 'inc-msg-footer-open'));
  return lines.join('\n');
}

function knownIssueText(t: Translate, locale: string, i: IncidentRow, ticket: Ticket, now: Date): string {
  return [t('inc-known-issue', { title: escapeHtml(i.title), number: ticket.id }), etaWords(t, locale, i.eta_at, now)].join('\n');
}
