/**
 * Ratings after an agent resolves a ticket: a CSAT keyboard (1 … 5), then,
 * when NPS_ENABLED, an NPS keyboard (0 … 10). Every press is an event
 * (csat_rated / nps_rated) and the latest answer counts; the keyboard stays,
 * so a customer can change their mind. The thank-you fits the score; a CSAT
 * of 3 or less offers a human follow-up that reopens the ticket (or, when the
 * customer has opened another one since, pings that topic).
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext, Desk } from '../../context.js';
import type { TicketResolvedHookEvent } from '../../hooks.js';
import type { Ticket } from '../../store/types.js';
import { unlessRefused } from '../../tickets/errors.js';
import { nextAllowed } from '../../runtime/quiet-hours.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import { customerText } from '../../telegram/present.js';
import { ack } from '../../telegram/update.js';

export type Survey = 'csat' | 'nps';
const RANGE: Record<Survey, [number, number]> = { csat: [1, 5], nps: [0, 10] };
const LOW_CSAT = 3;
/** The scheduler job of a delayed survey (experiment surface survey_timing). */
export const SURVEY_JOB = 'survey';
export const NOT_OFFERED = Symbol('not offered');

/**
 * Records an answer to a survey the desk sent for this ticket (its ratings row is written when it is sent):
 * a crafted answer for a ticket that got none changes nothing (NOT_OFFERED). The previous score (null: the
 * first answer). The chat's keyboard and the Mini App's rating both come here.
 */
export async function recordRating(desk: Desk, ticket: Ticket, survey: Survey, score: number, at: Date): Promise<number | null | typeof NOT_OFFERED> {
  const [lo, hi] = RANGE[survey];
  if (!Number.isInteger(score) || score < lo || score > hi) return NOT_OFFERED;
  return desk.db.transaction(async (tx) => {
    const prev = await tx.query<{ score: number | null }>('SELECT score FROM ratings WHERE ticket_id = $1 AND survey = $2 FOR UPDATE', [ticket.id, survey]);
    if (prev.rows.length === 0) return NOT_OFFERED;
    await tx.query('UPDATE ratings SET score = $3, rated_at = $4 WHERE ticket_id = $1 AND survey = $2', [ticket.id, survey, score, at]);
    const event =
      survey === 'csat'
        ? { type: 'csat_rated' as const, occurred_at: at.toISOString(), score }
        : { type: 'nps_rated' as const, occurred_at: at.toISOString(), score };
    await desk.outbox.appendForTicket(tx, ticket, [event]);
    return prev.rows[0]?.score ?? null;
  });
}

/** Whether a CSAT score asks for a human follow-up (the agents are told). */
export const isLowCsat = (score: number) => score <= LOW_CSAT;

export function surveyKeyboard(survey: Survey, ticketId: number): InlineKeyboard {
  const [lo, hi] = RANGE[survey];
  const kb = new InlineKeyboard();
  for (let s = lo; s <= hi; s++) {
    kb.text(String(s), `rate:${survey}:${ticketId}:${s}`);
    // NPS: 0–5 on the first row, 6–10 on the second, so the buttons stay tappable on a phone.
    if (survey === 'nps' && s === 5) kb.row();
  }
  return kb;
}

export function ratingsFeature(rt: FeatureRuntime): { composer: Composer<BotContext>; onResolved: (e: TicketResolvedHookEvent, desk: Desk) => Promise<void> } {
  /** Sends a survey once per ticket (the ratings row is the guard). */
  async function sendSurvey(desk: Desk, ticket: Ticket, survey: Survey): Promise<void> {
    const customer = await desk.customers.get(ticket.customer_id);
    if (!customer || customer.banned) return;
    const t = customerText(desk, customer, ticket);
    const at = rt.clock();
    const fresh = await desk.db.query(
      `INSERT INTO ratings (ticket_id, survey, customer_id, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT (ticket_id, survey) DO NOTHING`,
      [ticket.id, survey, customer.id, at],
    );
    if (fresh.rowCount === 0) return;
    const sent = await desk.relay.sendToCustomer(customer.id, t(`rate-${survey}-question`, { number: ticket.id }), {
      reply_markup: surveyKeyboard(survey, ticket.id),
    });
    if (!sent) {
      // Not delivered: not offered either, so no press can count against it.
      await desk.db.query('DELETE FROM ratings WHERE ticket_id = $1 AND survey = $2 AND score IS NULL', [ticket.id, survey]);
      return;
    }
    await desk.db.transaction((tx) =>
      desk.outbox.appendForTicket(tx, ticket, [{ type: 'survey_sent', occurred_at: new Date(sent.date * 1000).toISOString(), survey }]),
    );
  }

  const onResolved = async ({ ticket, by }: TicketResolvedHookEvent, desk: Desk): Promise<void> => {
    // Only a human's resolution is rated: the KB's was confirmed by the customer, auto-close had no answer.
    if (by !== 'agent' || !rt.config.csatEnabled) return;
    // Experiment surface `survey_timing` (bot/experiments/): at resolution (control), or SURVEY_DELAY later on the scheduler.
    const resolvedAt = ticket.resolved_at ?? rt.clock();
    const timing = await desk.experiments.variantFor('survey_timing', ticket, { at: resolvedAt });
    if (timing === 'delayed' && rt.config.surveyDelaySeconds > 0) {
      await rt.scheduler.schedule({
        kind: SURVEY_JOB,
        // One survey per resolution; a ticket resolved again after a reopen is still rated once (the ratings row).
        dedupKey: `survey:${ticket.id}:${resolvedAt.getTime()}`,
        ticketId: ticket.id,
        dueAt: nextAllowed(rt.config.quietHours, new Date(resolvedAt.getTime() + rt.config.surveyDelaySeconds * 1000)),
        payload: { resolvedAt: resolvedAt.toISOString() },
      });
      return;
    }
    await sendSurvey(desk, ticket, 'csat');
  };

  // survey_timing = delayed: the survey is due; a ticket reopened (or resolved again) since gets none from this job.
  rt.onScheduler((scheduler, _rt, desk) => {
    scheduler.handle(SURVEY_JOB, async (job, now) => {
      const ticket = job.ticket_id === null ? undefined : await desk.tickets.get(job.ticket_id);
      if (ticket?.status !== 'resolved' || ticket.resolved_at?.toISOString() !== job.payload.resolvedAt) return;
      const allowed = nextAllowed(rt.config.quietHours, now);
      if (allowed > now) return { retryAt: allowed };
      await sendSurvey(desk, ticket, 'csat');
      return undefined;
    });
  });

  const composer = new Composer<BotContext>();

  composer.callbackQuery(/^rate:(csat|nps):(\d+):(\d+)$/, async (ctx) => {
    const desk = ctx.desk;
    const survey = ctx.match[1] as Survey;
    const ticketId = Number(ctx.match[2]);
    const score = Number(ctx.match[3]);
    const [lo, hi] = RANGE[survey];
    const ticket = await desk.tickets.get(ticketId);
    if (!ticket || ticket.customer_id !== ctx.from.id || score < lo || score > hi) return void (await ack(ctx));
    // Only a survey the desk sent for this ticket can be answered: a crafted `rate:csat:<id>:5` for a ticket that got none changes nothing.
    const previous = await recordRating(desk, ticket, survey, score, rt.clock());

    if (previous === NOT_OFFERED) return void (await ack(ctx, { text: ctx.t('rate-not-offered') }));
    const changed = previous !== null;
    await ack(ctx, { text: ctx.t(changed ? 'rate-changed' : 'rate-recorded', { score }) });
    // The question stays with its keyboard (to change the answer); it shows the current choice.
    await ctx
      .editMessageText(`${ctx.t(`rate-${survey}-question`, { number: ticketId })}\n\n${ctx.t('rate-your-answer', { score })}`, {
        reply_markup: surveyKeyboard(survey, ticketId),
      })
      .catch(() => undefined);

    if (survey === 'csat') {
      const wasLow = previous !== null && previous <= LOW_CSAT;
      const isLow = score <= LOW_CSAT;
      if (!changed || (isLow && !wasLow)) {
        const reply = isLow
          ? {
              text: ctx.t('rate-thanks-low', { score }),
              other: { reply_markup: new InlineKeyboard().text(ctx.t('rate-button-followup'), `rate:help:${ticketId}`) },
            }
          : { text: ctx.t('rate-thanks-high', { score }), other: {} };
        await ctx.reply(reply.text, reply.other);
      }
      if (isLow) await desk.relay.sendToTopic(ticket.customer_id, desk.agentText('rate-agent-low', { number: ticketId, score })).catch(() => undefined);
      if (!changed && rt.config.npsEnabled) await sendSurvey(desk, ticket, 'nps');
    } else if (!changed) {
      await ctx.reply(ctx.t(score >= 9 ? 'rate-nps-thanks-promoter' : score >= 7 ? 'rate-nps-thanks-passive' : 'rate-nps-thanks-detractor'));
    }
  });

  // "Please follow up with me" after a low score.
  composer.callbackQuery(/^rate:help:(\d+)$/, async (ctx) => {
    const desk = ctx.desk;
    const ticketId = Number(ctx.match[1]);
    const ticket = await desk.tickets.get(ticketId);
    if (!ticket || ticket.customer_id !== ctx.from.id) return void (await ack(ctx));
    const score = (await desk.db.query<{ score: number | null }>(`SELECT score FROM ratings WHERE ticket_id = $1 AND survey = 'csat'`, [ticketId])).rows[0]
      ?.score;
    // The button is offered only after a low CSAT answer: anything else is a stale or crafted press.
    if (score === null || score === undefined || score > LOW_CSAT) return void (await ack(ctx, { text: ctx.t('rate-not-offered') }));
    await ack(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    // Refused when another ticket is open: the agents hear about it in the topic instead.
    const reopened = ticket.status === 'resolved' && (await unlessRefused(desk.tickets.reopen(ticketId, { reason: 'customer', at: rt.clock() }))) !== undefined;
    await desk.relay.sendToTopic(
      ticket.customer_id,
      desk.agentText(reopened ? 'rate-agent-followup-reopened' : 'rate-agent-followup', { number: ticketId, score }),
    );
    await ctx.reply(ctx.t('rate-followup-requested'));
  });

  return { composer, onResolved };
}
