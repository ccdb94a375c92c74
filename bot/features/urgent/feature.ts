/**
 * Urgent requests and escalation (issue 15, items 1–2):
 * - a customer message with a stop word (matcher.ts; phrases in STOP_WORDS_FILE) — a new ticket's first
 *   message, or a later one of an open ticket that is not urgent yet; in the chat or the Mini App alike: both
 *   match with stopWordIn and the shared accept path (features/intake/accept.ts) calls markUrgent — skips the
 *   KB answer (this feature's intake step stops intake), moves the ticket to the phrase's queue marked urgent (`ticket_escalated`,
 *   reason stop_word), tells the customer its number and when a person answers (the queue's ETA), notes it in
 *   the topic and posts it to the escalation chat with Take (the alerts' Take button, bot/alerts);
 * - "🧠 Needs expert" on the ticket card and `/escalate <reason>` move a ticket to its queue's escalation
 *   target (SLA_TARGETS "L1=…>L2"), reason needs_expert; the customer is told the new ETA;
 * - a sweep of the feature scheduler: a ticket of an escalating queue, untaken and unanswered ESCALATION_LEAD
 *   before its first-response deadline, moves up once (reason frt_risk), the customer told; every open ticket's
 *   deadlines give `sla_warning` / `sla_breached` once per ticket, kind and notice (sla_notices, migration 120;
 *   the warnings' windows are the alerts' SLA_IMMINENT_WINDOW and SLA_RESOLUTION_IMMINENT_WINDOW).
 * The matched phrase comes from the configuration, never the message: no customer text is logged or posted.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../../context.js';
import type { IntakeStep } from '../../hooks.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import { ack, inThread } from '../../telegram/update.js';
import { CALLBACK_EXPERT, expertNote, markUrgent, needsExpert } from './escalate.js';
import type { StopWordMatch } from './matcher.js';
import { DEFAULT_STOP_WORDS_FILE, StopWords } from './stop-words.js';
import { sweepSla } from './sweep.js';

/** The stop word a customer's update matched (set before the desk opens or joins the ticket). */
const marks = new WeakMap<object, StopWordMatch>();
export const urgentOf = (ctx: BotContext): StopWordMatch | undefined => marks.get(ctx.update);

/** The stop words of a features runtime, loaded once (and watched) for the chat and the Mini App alike. */
const loaded = new WeakMap<FeatureRuntime, Promise<StopWords>>();
function stopWordsOf(rt: FeatureRuntime): Promise<StopWords> {
  let words = loaded.get(rt);
  if (!words) loaded.set(rt, (words = StopWords.open(rt.config.stopWordsFile ?? DEFAULT_STOP_WORDS_FILE, { watch: rt.watchFiles })));
  return words;
}

/**
 * The stop word a customer's text holds (none for a command, or with STOP_WORDS_ENABLED off): the one match
 * the chat (this feature's composer) and the Mini App (bot/miniapp/api/tickets.ts) make; the shared accept
 * path (features/intake/accept.ts) then marks the ticket urgent.
 */
export async function stopWordIn(rt: FeatureRuntime, text: string | undefined): Promise<StopWordMatch | undefined> {
  if (!rt.config.stopWordsEnabled || !text || text.startsWith('/')) return undefined;
  return (await stopWordsOf(rt)).matcher.match(text);
}

export interface UrgentFeature {
  composer: Composer<BotContext>;
  intakeStep: IntakeStep;
  onStop: () => Promise<void>;
}

export function urgentFeature(rt: FeatureRuntime): UrgentFeature {
  const stopWords = () => stopWordsOf(rt);

  rt.onScheduler((scheduler, _rt, desk) => {
    scheduler.sweep('urgent:sla', (now) => sweepSla(desk, now, rt.config));
    // At start: phrases that send to a queue without an SLA target keep their ticket's queue (marked urgent).
    void stopWords()
      .then((sw) => {
        const unknown = sw.queues().filter((q) => !desk.sla.hasQueue(q));
        if (unknown.length)
          desk.log.warn({ queues: unknown }, 'stop words send to queues without an SLA target: those tickets stay in their queue, marked urgent');
      })
      .catch((err: unknown) => desk.log.error({ err: (err as Error).message }, 'stop words could not be loaded'));
  });

  const composer = new Composer<BotContext>();

  composer.chatType('private').on('message', async (ctx, next) => {
    const match = await stopWordIn(rt, ctx.msg.text ?? ctx.msg.caption);
    if (!match) return next();
    marks.set(ctx.update, match);
    await next();
    // The intake's accept path made the ticket urgent (features/intake/accept.ts); one the message never reached it for becomes so now.
    const desk = ctx.desk;
    const ticket = await desk.tickets.findOpen(ctx.from.id);
    if (!ticket || ticket.urgent) return;
    const customer = await desk.customers.get(ctx.from.id);
    if (customer && !customer.banned) await markUrgent(desk, ticket, customer, match, new Date(ctx.msg.date * 1000));
  });

  const agents = composer.chatType('supergroup');
  // The role guard (bot/roles.ts) lets only agents press it; a refusal (resolved, no escalation target) is the boundary's toast.
  agents.callbackQuery(new RegExp(`^${CALLBACK_EXPERT}(\\d+)$`), async (ctx) => {
    const t = await needsExpert(ctx.desk, Number(ctx.match[1]), { agentId: ctx.from.id, at: rt.clock() });
    await ack(ctx);
    await ctx.reply(expertNote(ctx.desk, t, ctx.from.first_name), inThread(ctx));
  });

  const intakeStep: IntakeStep = {
    name: 'urgent',
    async run(ctx, { ticket }) {
      // The accept path marked it urgent and told the customer (markUrgent): intake ends here — no KB answer,
      // no category keyboard, a person takes it from the queue.
      return urgentOf(ctx) && ticket.urgent ? 'wait' : 'continue';
    },
  };

  return {
    composer,
    intakeStep,
    onStop: async () => {
      const words = loaded.get(rt);
      loaded.delete(rt);
      if (words) (await words).close();
    },
  };
}
