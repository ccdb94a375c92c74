/**
 * Incident broadcasts. `/broadcast <text>` (or `/broadcast --urgent <text>`)
 * by an agent in the support group outside a customer's topic shows a
 * preview with the audience and Confirm / Urgent / Cancel. On confirm the
 * message goes to every customer who has not opted out (/unsubscribe), is not
 * banned and has not blocked the bot, each in their language's frame.
 * Non-urgent broadcasts wait for the end of QUIET_HOURS. Who may broadcast is
 * bot/roles.ts (a team lead; the guard authorises /broadcast and every bc:
 * button). Two-person rule: Urgent (the button, or --urgent) by one team lead
 * only asks for it — the preview and their press say "waiting for a second
 * team lead" — and the broadcast becomes urgent when another team lead presses
 * Urgent; confirmed before that, it goes out as a normal one. Sending runs as a
 * scheduler job (durable: a restart resumes where it stopped, and the
 * per-recipient row written before each send means nobody gets it twice),
 * paced by the API's throttler, with progress edited into the status message
 * (time-based, so the support group's message budget stays for tickets).
 */
import { Composer, InlineKeyboard } from 'grammy';
import { DateTime } from 'luxon';
import type { Queryable } from '../../../core/postgres.js';
import { recordAudit, textHash } from '../../audit.js';
import type { BotContext, Desk } from '../../context.js';
import { isQuiet, nextAllowed } from '../../runtime/quiet-hours.js';
import { quietHoursFor, readPrefs } from '../../store/customer-prefs.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import type { Job } from '../../scheduler/scheduler.js';
import { customerText, escapeHtml } from '../../telegram/present.js';
import { ack, inThread, isAgentUpdate, topicTarget } from '../../telegram/update.js';
import { DeskError } from '../../tickets/errors.js';

export const BROADCAST_JOB = 'broadcast';
/** Sends in flight at once; the throttler below paces them to Telegram's limits. */
const CONCURRENCY = 8;
const MAX_TEXT = 3500;

interface BroadcastRow {
  id: number;
  text: string;
  urgent: boolean;
  urgent_requested_by: number | null;
  created_by: number;
  status: 'draft' | 'cancelled' | 'scheduled' | 'sending' | 'done';
  status_chat_id: number | null;
  status_thread_id: number | null;
  status_message_id: number | null;
  recipients: number;
  delivered: number;
  failed: number;
  opted_out: number;
  scheduled_for: Date | null;
  /** An incident's message (bot/features/incidents): its audience and text come from the incident's source. */
  incident_id: number | null;
  incident_message: 'opened' | 'updated' | 'resolved' | null;
}

export interface Audience {
  recipients: { id: number; language_code: string | null }[];
  optedOut: number;
}

/**
 * Where an incident message's audience and text come from (bot/features/incidents registers it): the
 * incident's linked customers, and the text rendered per customer in their language. Everything else — the
 * durable job, the per-recipient rows written before each send, quiet hours, pacing — is this feature's.
 */
export interface IncidentBroadcastSource {
  audience(desk: Desk, b: { incident_id: number; incident_message: 'opened' | 'updated' | 'resolved' }): Promise<Audience>;
  text(
    desk: Desk,
    b: { incident_id: number; incident_message: 'opened' | 'updated' | 'resolved' },
    customer: { id: number; language_code: string | null },
  ): Promise<string>;
}
const incidentSources = new WeakMap<FeatureRuntime, IncidentBroadcastSource>();

export function setIncidentBroadcastSource(rt: FeatureRuntime, source: IncidentBroadcastSource): void {
  incidentSources.set(rt, source);
}

/**
 * Queues an incident message as a broadcast, in the caller's transaction: sent by the broadcast job (now, or
 * when quiet hours end). `opened` and `resolved` exist once per incident: undefined when already queued.
 */
export async function scheduleIncidentBroadcast(
  rt: FeatureRuntime,
  tx: Queryable,
  o: { incidentId: number; message: 'opened' | 'updated' | 'resolved'; createdBy: number; at: Date },
): Promise<number | undefined> {
  const due = nextAllowed(rt.config.quietHours, o.at);
  const r = await tx.query<{ id: number }>(
    `INSERT INTO broadcasts (text, urgent, created_by, status, scheduled_for, incident_id, incident_message) VALUES ('', false, $1, $2, $3, $4, $5)
     ON CONFLICT (incident_id, incident_message) WHERE incident_message IN ('opened', 'resolved') DO NOTHING RETURNING id`,
    [o.createdBy, due > o.at ? 'scheduled' : 'sending', due, o.incidentId, o.message],
  );
  const id = r.rows[0]?.id;
  if (id === undefined) return undefined;
  await rt.scheduler.schedule({ kind: BROADCAST_JOB, dedupKey: `broadcast:${id}`, dueAt: due, payload: { broadcastId: Number(id) } }, tx);
  return Number(id);
}

async function audienceOf(desk: Desk, rt: FeatureRuntime, b: BroadcastRow): Promise<Audience> {
  if (b.incident_id === null || b.incident_message === null) return audience(desk);
  const source = incidentSources.get(rt);
  if (!source) throw new Error('incident broadcast without the incidents feature');
  return source.audience(desk, { incident_id: Number(b.incident_id), incident_message: b.incident_message });
}

async function audience(desk: Desk): Promise<Audience> {
  const r = await desk.db.query<{ id: number; language_code: string | null; opted_out: boolean }>(
    `SELECT c.id, c.language_code, coalesce(s.broadcast_opt_out, false) AS opted_out
     FROM customers c LEFT JOIN customer_settings s ON s.customer_id = c.id
     WHERE NOT c.banned AND NOT c.blocked_bot ORDER BY c.id`,
  );
  return { recipients: r.rows.filter((c) => !c.opted_out), optedOut: r.rows.filter((c) => c.opted_out).length };
}

export function broadcastsFeature(rt: FeatureRuntime): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  // ---- customers opt out and in --------------------------------------------
  const pm = composer.chatType('private');
  pm.command(['unsubscribe', 'subscribe'], async (ctx) => {
    const optOut = ctx.msg.text.startsWith('/unsubscribe');
    await ctx.desk.customers.upsert(ctx.from, ctx.desk.config.vipUserIds.has(ctx.from.id));
    await ctx.desk.db.query(
      `INSERT INTO customer_settings (customer_id, broadcast_opt_out) VALUES ($1, $2)
       ON CONFLICT (customer_id) DO UPDATE SET broadcast_opt_out = EXCLUDED.broadcast_opt_out, updated_at = now()`,
      [ctx.from.id, optOut],
    );
    await ctx.reply(ctx.t(optOut ? 'bc-unsubscribed' : 'bc-subscribed'));
  });

  // ---- agents compose, preview, confirm ------------------------------------
  const agents = composer.filter(isAgentUpdate);

  agents.command('broadcast', async (ctx) => {
    const desk = ctx.desk;
    if (await topicTarget(ctx)) return void (await ctx.reply(desk.agentText('bc-not-in-topic'), inThread(ctx)));
    let text = ctx.match.trim();
    const urgent = /^--urgent\b/.test(text);
    if (urgent) text = text.replace(/^--urgent\b\s*/, '');
    if (!text) return void (await ctx.reply(desk.agentText('bc-usage'), inThread(ctx)));
    // Header and footer must still fit in one Telegram message (4096 characters).
    if (text.length > MAX_TEXT) return void (await ctx.reply(desk.agentText('bc-too-long', { max: MAX_TEXT, length: text.length }), inThread(ctx)));
    // --urgent asks for it: urgent only once a second team lead presses Urgent.
    const requestedBy = urgent ? ctx.from!.id : null;
    const id = (
      await desk.db.query<{ id: number }>('INSERT INTO broadcasts (text, urgent, urgent_requested_by, created_by) VALUES ($1, false, $2, $3) RETURNING id', [
        text,
        requestedBy,
        ctx.from!.id,
      ])
    ).rows[0]!.id;
    const aud = await audience(desk);
    const msg = await ctx.reply(previewText(desk, rt, { id, text, urgent: false, urgent_requested_by: requestedBy }, aud), {
      ...inThread(ctx),
      parse_mode: 'HTML',
      reply_markup: previewKeyboard(desk, id, false),
    });
    await desk.db.query('UPDATE broadcasts SET status_chat_id = $2, status_thread_id = $3, status_message_id = $4 WHERE id = $1', [
      id,
      msg.chat.id,
      msg.message_thread_id ?? null,
      msg.message_id,
    ]);
  });

  agents.callbackQuery(/^bc:(ok|no|urgent):(\d+)$/, async (ctx) => {
    const desk = ctx.desk;
    const id = Number(ctx.match[2]);
    const action = ctx.match[1];
    const b = (await desk.db.query<BroadcastRow>('SELECT * FROM broadcasts WHERE id = $1', [id])).rows[0];
    if (b?.status !== 'draft') return void (await ack(ctx, { text: desk.agentText('bc-not-draft') }));
    if (action === 'no') {
      await desk.db.query(`UPDATE broadcasts SET status = 'cancelled' WHERE id = $1 AND status = 'draft'`, [id]);
      await ack(ctx);
      return void (await ctx.editMessageText(desk.agentText('bc-cancelled', { id })).catch(() => undefined));
    }
    if (action === 'urgent') {
      const by = ctx.from.id;
      // Off again: any team lead. On: the first press asks, a second team lead's press makes it urgent.
      const r = await desk.db.query<BroadcastRow>(
        `UPDATE broadcasts SET
           urgent = CASE WHEN urgent THEN false WHEN urgent_requested_by IS NOT NULL AND urgent_requested_by <> $2 THEN true ELSE false END,
           urgent_requested_by = CASE WHEN urgent THEN NULL ELSE coalesce(urgent_requested_by, $2) END
         WHERE id = $1 AND status = 'draft' RETURNING *`,
        [id, by],
      );
      const next = r.rows[0];
      if (!next) return void (await ack(ctx, { text: desk.agentText('bc-not-draft') }));
      const edit = ctx
        .editMessageText(previewText(desk, rt, next, await audience(desk)), { parse_mode: 'HTML', reply_markup: previewKeyboard(desk, id, next.urgent) })
        .catch(() => undefined);
      await edit;
      // Asked for, not yet confirmed by someone else: the refusal's reason goes under the button.
      if (!next.urgent && next.urgent_requested_by !== null) throw new DeskError('broadcast-second-lead', { broadcast: id });
      return void (await ack(ctx));
    }
    const now = rt.clock();
    const due = b.urgent ? now : nextAllowed(rt.config.quietHours, now);
    const deferred = due > now;
    const aud = await audience(desk);
    const claimed = await desk.db.transaction(async (tx) => {
      const r = await tx.query(`UPDATE broadcasts SET status = $2, scheduled_for = $3 WHERE id = $1 AND status = 'draft'`, [
        id,
        deferred ? 'scheduled' : 'sending',
        due,
      ]);
      if (r.rowCount === 0) return false;
      // The audit keeps the text's hash and the audience's size, never the text.
      await recordAudit(tx, desk.outbox, {
        actorId: ctx.from.id,
        action: 'broadcast',
        at: now,
        detail: { broadcast: id, text_sha256: textHash(b.text), audience: aud.recipients.length, urgent: b.urgent, second_lead: b.urgent_requested_by },
      });
      await rt.scheduler.schedule({ kind: BROADCAST_JOB, dedupKey: `broadcast:${id}`, dueAt: due, payload: { broadcastId: id } }, tx);
      return true;
    });
    await ack(ctx);
    if (!claimed) return;
    if (deferred) {
      const when = DateTime.fromJSDate(due, { zone: rt.config.quietHours!.zone }).toFormat('yyyy-LL-dd HH:mm ZZZZ');
      await ctx.editMessageText(desk.agentText('bc-scheduled', { id, when }), { reply_markup: new InlineKeyboard() }).catch(() => undefined);
    } else {
      await ctx.editMessageText(desk.agentText('bc-starting', { id }), { reply_markup: new InlineKeyboard() }).catch(() => undefined);
      // Start now instead of at the next poll.
      void rt.scheduler.tick().catch((err: unknown) => desk.log.error({ err }, 'broadcast start failed'));
    }
  });

  rt.onScheduler((scheduler, _rt, desk) => {
    scheduler.handle(BROADCAST_JOB, (job, now) => runBroadcast(desk, rt, job, now));
  });

  return composer;
}

function previewText(
  desk: Desk,
  rt: FeatureRuntime,
  b: { id: number; text: string; urgent: boolean; urgent_requested_by: number | null },
  aud: Audience,
): string {
  const quiet = !b.urgent && isQuiet(rt.config.quietHours, rt.clock());
  const urgent = b.urgent ? 'yes' : b.urgent_requested_by !== null ? 'pending' : 'no';
  return [
    desk.agentText('bc-preview', { id: b.id, recipients: aud.recipients.length, optedOut: aud.optedOut, urgent }),
    quiet ? desk.agentText('bc-preview-quiet') : '',
    '',
    escapeHtml(b.text),
  ]
    .filter((l, i) => l !== '' || i === 2)
    .join('\n');
}

function previewKeyboard(desk: Desk, id: number, urgent: boolean): InlineKeyboard {
  return new InlineKeyboard()
    .text(desk.agentText('bc-button-confirm'), `bc:ok:${id}`)
    .text(desk.agentText(urgent ? 'bc-button-urgent-on' : 'bc-button-urgent-off'), `bc:urgent:${id}`)
    .row()
    .text(desk.agentText('bc-button-cancel'), `bc:no:${id}`);
}

async function runBroadcast(desk: Desk, rt: FeatureRuntime, job: Job, now: Date): Promise<void | { retryAt: Date }> {
  const id = Number((job.payload as { broadcastId: number }).broadcastId);
  const b = (await desk.db.query<BroadcastRow>('SELECT * FROM broadcasts WHERE id = $1', [id])).rows[0];
  if (!b || b.status === 'cancelled' || b.status === 'done') return;
  if (!b.urgent) {
    const allowed = nextAllowed(rt.config.quietHours, now);
    if (allowed > now) return { retryAt: allowed };
  }
  const aud = await audienceOf(desk, rt, b);
  await desk.db.query(`UPDATE broadcasts SET status = 'sending', recipients = $2, opted_out = $3 WHERE id = $1`, [id, aud.recipients.length, aud.optedOut]);

  const editStatus = async (key: string, final: boolean) => {
    if (b.status_chat_id === null || b.status_message_id === null) return;
    const c = await counts(desk, id, final);
    const text = desk.agentText(key, {
      id,
      sent: c.delivered + c.failed,
      total: aud.recipients.length,
      delivered: c.delivered,
      failed: c.failed,
      optedOut: aud.optedOut,
    });
    await desk.api.editMessageText(b.status_chat_id, b.status_message_id, text).catch((err: unknown) => {
      if (final) desk.log.warn({ err, broadcast: id }, 'could not edit the broadcast status');
    });
  };
  // Progress edits go into the support group, whose budget (≈20 calls a minute, shared with
  // new tickets' topics) must not be spent on them: at most one per interval, never waited
  // for by the senders, and skipped while the previous one is still queued.
  let lastProgress = Date.now();
  let progressInFlight: Promise<void> | undefined;
  const progress = () => {
    if (progressInFlight || Date.now() - lastProgress < rt.config.broadcastProgressIntervalMs) return;
    lastProgress = Date.now();
    progressInFlight = editStatus('bc-progress', false).finally(() => (progressInFlight = undefined));
  };

  // A customer's own quiet hours (Mini App settings, in their time zone) hold a non-urgent broadcast for them
  // alone: the others get it now, they get it when their window ends (the job runs again then; the deliveries
  // table makes sure nobody gets it twice).
  const ownQuiet = b.urgent ? new Map<number, Date>() : await customersInQuietHours(desk, rt, aud.recipients, now);
  const queue = aud.recipients.filter((c) => !ownQuiet.has(c.id));
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      // Written before the send: a resumed broadcast skips everyone it already tried.
      const claimed = await desk.db.query(
        `INSERT INTO broadcast_deliveries (broadcast_id, customer_id, status) VALUES ($1, $2, 'sending') ON CONFLICT DO NOTHING`,
        [id, c.id],
      );
      if (claimed.rowCount === 0) continue;
      const t = customerText(desk, c);
      let ok = false;
      try {
        const text =
          b.incident_id !== null && b.incident_message !== null
            ? await incidentSources.get(rt)!.text(desk, { incident_id: Number(b.incident_id), incident_message: b.incident_message }, c)
            : `${t(b.urgent ? 'bc-header-urgent' : 'bc-header')}\n\n${escapeHtml(b.text)}\n\n<i>${t('bc-footer')}</i>`;
        ok = (await desk.relay.sendToCustomer(c.id, text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } })) !== null;
      } catch (err) {
        desk.log.warn({ err, broadcast: id, customer: c.id }, 'broadcast delivery failed');
      }
      await desk.db.query(`UPDATE broadcast_deliveries SET status = $3, updated_at = now() WHERE broadcast_id = $1 AND customer_id = $2`, [
        id,
        c.id,
        ok ? 'delivered' : 'failed',
      ]);
      progress();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await progressInFlight;
  if (ownQuiet.size > 0) {
    const held = await desk.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM unnest($2::bigint[]) AS c(id) WHERE NOT EXISTS (SELECT 1 FROM broadcast_deliveries d WHERE d.broadcast_id = $1 AND d.customer_id = c.id)`,
      [id, [...ownQuiet.keys()]],
    );
    if ((held.rows[0]?.n ?? 0) > 0) return { retryAt: new Date(Math.min(...[...ownQuiet.values()].map((d) => d.getTime()))) };
  }

  const c = await counts(desk, id, true);
  const finished = rt.clock();
  const wasDone = await desk.db.transaction(async (tx) => {
    const r = await tx.query(`UPDATE broadcasts SET status = 'done', delivered = $2, failed = $3, finished_at = $4 WHERE id = $1 AND status = 'sending'`, [
      id,
      c.delivered,
      c.failed,
      finished,
    ]);
    if (r.rowCount === 0) return false;
    await desk.outbox.append(tx, [
      {
        type: 'broadcast_sent',
        occurred_at: finished.toISOString(),
        agent_id: b.created_by,
        broadcast_id: String(id),
        recipients: aud.recipients.length,
        delivered: c.delivered,
        failed: c.failed,
        opted_out: aud.optedOut,
      },
    ]);
    return true;
  });
  if (wasDone) await editStatus('bc-done', true);
}

/** Recipients whose own quiet hours (customer_settings, bot/store/customer-prefs.ts) hold a message now, with when they end. */
async function customersInQuietHours(desk: Desk, rt: FeatureRuntime, recipients: readonly { id: number }[], now: Date): Promise<Map<number, Date>> {
  const out = new Map<number, Date>();
  const r = await desk.db.query<{ customer_id: number }>(
    'SELECT customer_id FROM customer_settings WHERE (quiet_start IS NOT NULL OR time_zone IS NOT NULL) AND customer_id = ANY($1::bigint[])',
    [recipients.map((c) => c.id)],
  );
  for (const { customer_id } of r.rows) {
    const id = Number(customer_id);
    const allowed = nextAllowed(quietHoursFor(await readPrefs(desk.db, id), rt.config.quietHours), now);
    if (allowed > now) out.set(id, allowed);
  }
  return out;
}

/**
 * Delivery counts. At the end, a row still 'sending' was cut off by a crash
 * mid-send and is not retried (at most once): it counts as failed.
 */
async function counts(desk: Desk, id: number, final = false): Promise<{ delivered: number; failed: number }> {
  const failed = final ? `status <> 'delivered'` : `status = 'failed'`;
  const r = await desk.db.query<{ delivered: number; failed: number }>(
    `SELECT count(*) FILTER (WHERE status = 'delivered')::int AS delivered, count(*) FILTER (WHERE ${failed})::int AS failed
     FROM broadcast_deliveries WHERE broadcast_id = $1`,
    [id],
  );
  return r.rows[0] ?? { delivered: 0, failed: 0 };
}
