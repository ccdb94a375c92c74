/**
 * Knowledge base in the conversation:
 * - intake step: a new ticket's first message that an article clearly answers
 *   (confidence ≥ KB_MIN_SCORE %, confidence.ts) is answered with the article and "✅ Solved" / "👤 Talk to a
 *   human". Solved resolves the ticket with no agent (resolved_by 'kb');
 *   human resumes intake (the category keyboard). Two experiment surfaces
 *   (bot/experiments/): question_order = category_first keeps the articles
 *   found and shows them once the category is picked (afterCategory);
 *   kb_format = search lists the matching questions as buttons, a tap shows
 *   that article as the card.
 * - agents: `/find_kb <query>` in a topic lists the best articles, one button
 *   each; a tap sends that article to the customer in their language.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext, Desk } from '../../context.js';
import type { IntakeResult, IntakeStep } from '../../hooks.js';
import type { Ticket } from '../../store/types.js';
import { unlessRefused } from '../../tickets/errors.js';
import type { FeatureRuntime } from '../../runtime/runtime.js';
import { customerLocale, escapeHtml } from '../../telegram/present.js';
import { ack, inThread, isAgentUpdate, topicTarget } from '../../telegram/update.js';
import { markdownToTelegramHtml } from '../../telegram/markdown.js';
import type { KbArticle } from './article.js';
import { capKbQuery, type KbHit } from './search.js';

/** Telegram's message limit, less room for the header and question around the article. */
const MAX_INLINE_ARTICLE = 3600;

export function articleHtml(a: KbArticle): string {
  return `<b>${escapeHtml(a.title)}</b>\n\n${markdownToTelegramHtml(a.body)}`;
}

export function kbFeature(rt: FeatureRuntime): { composer: Composer<BotContext>; intakeStep: IntakeStep } {
  const intakeStep: IntakeStep = {
    name: 'knowledge-base',
    async run(ctx, { ticket, message, answered }) {
      if (!rt.config.kbAutoAnswer || answered) return 'continue';
      const text = message.text ?? message.caption ?? '';
      if (text.trim().length < 3) return 'continue';
      const { kb } = await rt.files();
      const language = ticket.language ?? undefined;
      const top = kb.answer(text, rt.config.kbMinConfidence, { language });
      if (!top) return 'continue';
      const desk = ctx.desk;
      const at = new Date(message.date * 1000);
      // The best article first, then other matches for kb_format = search (at most LIST_SIZE).
      const hits = [top, ...kb.search(text, { language, limit: LIST_SIZE + 1 }).filter((h) => h.article.id !== top.article.id)].slice(0, LIST_SIZE);
      // Experiment surface `question_order` (bot/experiments/): the suggestion before the category (control), or after it (category_first).
      if ((await desk.experiments.variantFor('question_order', ticket, { at })) === 'category_first') {
        await keepCandidates(desk, ticket, hits, true);
        return 'continue';
      }
      return suggest(ctx, ticket, hits, at);
    },
    // question_order = category_first: the suggestion found at intake, now that the category is picked.
    async afterCategory(ctx, { ticket, answered }) {
      const desk = ctx.desk;
      const row = (
        await desk.db.query<{ article_ids: string[]; scores: number[] }>(
          'DELETE FROM kb_candidates WHERE ticket_id = $1 AND deferred RETURNING article_ids, scores',
          [ticket.id],
        )
      ).rows[0];
      // Answered already (the known-issue reply): the candidates go, unshown.
      if (!row || ticket.status === 'resolved' || answered) return undefined;
      const { kb } = await rt.files();
      const hits = row.article_ids.flatMap((id, i) => {
        const article = kb.get(id, ticket.language ?? undefined);
        return article ? [{ article, score: row.scores[i] ?? 0 }] : [];
      });
      return hits.length > 0 ? suggest(ctx, ticket, hits, rt.clock()) : undefined;
    },
  };

  /** Experiment surface `kb_format` (bot/experiments/): the best article as a card (control), or the matching questions to pick from (search). */
  async function suggest(ctx: BotContext, ticket: Ticket, hits: Candidate[], at: Date): Promise<IntakeResult> {
    const desk = ctx.desk;
    if ((await desk.experiments.variantFor('kb_format', ticket, { at })) !== 'search') return suggestArticle(ctx, ticket, hits[0]!);
    const keyboard = new InlineKeyboard();
    for (const h of hits) keyboard.text(`❓ ${h.article.title}`.slice(0, 64), `kb:pick:${ticket.id}:${h.article.id}`).row();
    keyboard.text(ctx.t('kb-button-none'), `kb:none:${ticket.id}`);
    await keepCandidates(desk, ticket, hits, false);
    const sent = await desk.relay.sendToCustomer(ticket.customer_id, ctx.t('kb-search-header'), { reply_markup: keyboard });
    if (!sent) return 'continue';
    await desk.tickets.recordBotReply(ticket.id, { replyKind: 'kb', at: new Date(sent.date * 1000) });
    return 'wait';
  }

  /** The article as a card with Solved / Talk to a human (the suggestion as it always was). */
  async function suggestArticle(ctx: BotContext, ticket: Ticket, top: Candidate): Promise<IntakeResult> {
    {
      const desk = ctx.desk;
      const article = top.article;
      // The words around the article are in the article's language: a customer whose Telegram says "en" but who
      // wrote (and so gets the article) in Persian reads the question and buttons in Persian too.
      const t = (key: string) => (desk.locales.includes(article.lang) ? desk.translate(article.lang, key) : ctx.t(key));
      const keyboard = new InlineKeyboard().text(t('kb-button-solved'), `kb:ok:${ticket.id}`).text(t('kb-button-human'), `kb:human:${ticket.id}`);
      const body = articleHtml(article);
      let sent: Awaited<ReturnType<Desk['relay']['sendToCustomer']>>;
      if (body.length <= MAX_INLINE_ARTICLE) {
        sent = await desk.relay.sendToCustomer(ticket.customer_id, `${t('kb-suggest-header')}\n\n${body}\n\n${t('kb-suggest-question')}`, {
          parse_mode: 'HTML',
          reply_markup: keyboard,
          link_preview_options: { is_disabled: true },
        });
      } else {
        await desk.relay.sendToCustomer(ticket.customer_id, `${t('kb-suggest-header')}\n\n${body}`, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
        });
        sent = await desk.relay.sendToCustomer(ticket.customer_id, t('kb-suggest-question'), { reply_markup: keyboard });
      }
      if (!sent) return 'continue'; // blocked the bot: nothing to wait for
      const at = new Date(sent.date * 1000);
      await desk.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO kb_suggestions (ticket_id, article_id, language, score, message_id, suggested_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (ticket_id) DO NOTHING`,
          [ticket.id, article.id, article.lang, top.score, sent.message_id, at],
        );
        await desk.outbox.appendForTicket(tx, ticket, [
          { type: 'kb_suggested', occurred_at: at.toISOString(), kb_article_id: article.id, kb_score: round(top.score) },
        ]);
      });
      await desk.tickets.recordBotReply(ticket.id, { replyKind: 'kb', kbArticleId: article.id, at });
      await desk.relay
        .sendToTopic(ticket.customer_id, desk.agentText('kb-agent-suggested', { title: article.title, id: article.id, score: Math.round(top.score) }))
        .catch((err: unknown) => desk.log.warn({ err }, 'could not note the KB suggestion in the topic'));
      return 'wait';
    }
  }

  const composer = new Composer<BotContext>();

  // ---- kb_format = search: the customer picks a question, or none ------------
  composer.callbackQuery(/^kb:pick:(\d+):([\w-]+)$/, async (ctx) => {
    const desk = ctx.desk;
    const ticket = await desk.tickets.get(Number(ctx.match[1]));
    if (!ticket || ticket.customer_id !== ctx.from.id || ticket.status === 'resolved') return void (await ack(ctx));
    // First pick wins: the offer's row goes with it.
    const row = (
      await desk.db.query<{ article_ids: string[]; scores: number[] }>(
        'DELETE FROM kb_candidates WHERE ticket_id = $1 AND NOT deferred RETURNING article_ids, scores',
        [ticket.id],
      )
    ).rows[0];
    await ack(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const i = row?.article_ids.indexOf(ctx.match[2]!) ?? -1;
    const { kb } = await rt.files();
    const article = i >= 0 ? kb.get(ctx.match[2]!, ticket.language ?? undefined) : undefined;
    if (!row || !article) return;
    await suggestArticle(ctx, ticket, { article, score: row.scores[i] ?? 0 });
  });

  composer.callbackQuery(/^kb:none:(\d+)$/, async (ctx) => {
    const desk = ctx.desk;
    const ticket = await desk.tickets.get(Number(ctx.match[1]));
    if (!ticket || ticket.customer_id !== ctx.from.id) return void (await ack(ctx));
    const offered = await desk.db.query('DELETE FROM kb_candidates WHERE ticket_id = $1 AND NOT deferred', [ticket.id]);
    await ack(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    if (offered.rowCount === 0) return;
    await humanWanted(ctx, ticket);
  });

  // ---- the customer answers the suggestion ----------------------------------
  composer.callbackQuery(/^kb:(ok|human):(\d+)$/, async (ctx) => {
    const desk = ctx.desk;
    const ticketId = Number(ctx.match[2]);
    const solved = ctx.match[1] === 'ok';
    const ticket = await desk.tickets.get(ticketId);
    if (!ticket || ticket.customer_id !== ctx.from.id) return void (await ack(ctx));
    // First answer wins: a second tap (or a double tap: one chat's updates run one at a time) changes nothing.
    const open = await desk.db.query('SELECT 1 FROM kb_suggestions WHERE ticket_id = $1 AND outcome IS NULL', [ticketId]);
    await ack(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    if (open.rows.length === 0) return;
    // A press carries no date in Telegram, but our answer to it does: "Solved" is stamped with the date Telegram gives
    // the reply (the press's second live; the replayed moment when a history is replayed), not the desk's clock.
    const reply = solved ? await ctx.reply(ctx.t('kb-solved-reply', { number: ticketId })) : undefined;
    const at = reply ? new Date(reply.date * 1000) : rt.clock();
    const answered = await desk.db.transaction(async (tx) => {
      const r = await tx.query<{ article_id: string }>(
        `UPDATE kb_suggestions SET outcome = $2, answered_at = $3 WHERE ticket_id = $1 AND outcome IS NULL RETURNING article_id`,
        [ticketId, solved ? 'solved' : 'human', at],
      );
      const row = r.rows[0];
      if (row)
        await desk.outbox.appendForTicket(tx, ticket, [
          { type: 'kb_outcome', occurred_at: at.toISOString(), kb_article_id: row.article_id, outcome: solved ? 'solved' : 'human' },
        ]);
      return row;
    });
    if (!answered) return;
    if (solved) {
      await unlessRefused(desk.tickets.resolve(ticketId, { by: 'kb', at })); // refused: an agent resolved it meanwhile
      await desk.relay.sendToTopic(ticket.customer_id, desk.agentText('kb-agent-solved', { number: ticketId })).catch(() => undefined);
    } else {
      await humanWanted(ctx, ticket);
    }
  });

  // ---- agents search and send -----------------------------------------------
  const agents = composer.filter(isAgentUpdate);

  agents.command('find_kb', async (ctx) => {
    const desk = ctx.desk;
    // Capped here too, so the "nothing found for …" reply never echoes a 4096-character query.
    const query = capKbQuery(ctx.match.trim());
    if (!query) return void (await ctx.reply(desk.agentText('kb-find-usage'), inThread(ctx)));
    const target = await topicTarget(ctx);
    const { kb } = await rt.files();
    const language = target ? customerLocale(desk.locales, target.customer, target.ticket) : undefined;
    const hits = kb.search(query, { language, limit: 5 });
    if (hits.length === 0) return void (await ctx.reply(desk.agentText('kb-find-none', { query }), inThread(ctx)));
    const keyboard = new InlineKeyboard();
    for (const h of hits) keyboard.text(`📄 ${h.article.title}`.slice(0, 64), target ? `kbs:${h.article.id}` : `kbv:${h.article.id}`).row();
    const lines = hits.map((h, i) => `${i + 1}. ${h.article.title} (${h.article.id}, ${Math.round(h.score)})`);
    await ctx.reply(`${desk.agentText(target ? 'kb-find-results' : 'kb-find-results-general', { query })}\n${lines.join('\n')}`, {
      ...inThread(ctx),
      reply_markup: keyboard,
    });
  });

  // A tap in a customer's topic: send the article to that customer.
  agents.callbackQuery(/^kbs:([\w-]+)$/, async (ctx) => {
    const desk = ctx.desk;
    const target = await topicTarget(ctx);
    const { kb } = await rt.files();
    if (!target?.ticket) return void (await ack(ctx, { text: desk.agentText('agent-no-ticket') }));
    const locale = customerLocale(desk.locales, target.customer, target.ticket);
    const article = kb.get(ctx.match[1]!, locale);
    if (!article) return void (await ack(ctx, { text: desk.agentText('kb-find-gone') }));
    const sent = await desk.relay.sendToCustomer(target.customer.id, articleHtml(article), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    if (!sent) return void (await ack(ctx, { text: desk.agentText('agent-customer-blocked') }));
    await recordAgentArticle(desk, target.ticket, ctx.from.id, article.id, new Date(sent.date * 1000));
    await ack(ctx, { text: desk.agentText('kb-find-sent', { title: article.title }) });
    await ctx.reply(desk.agentText('kb-find-sent', { title: article.title }), inThread(ctx));
  });

  // Outside a topic there is no customer: show the article to the agent.
  agents.callbackQuery(/^kbv:([\w-]+)$/, async (ctx) => {
    const { kb } = await rt.files();
    const article = kb.get(ctx.match[1]!, ctx.desk.config.agentLanguage);
    await ack(ctx);
    if (article) await ctx.reply(articleHtml(article), { ...inThread(ctx), parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  });

  return { composer, intakeStep };
}

/** A candidate article: the one to show and its search score. */
type Candidate = Pick<KbHit, 'article' | 'score'>;

/** kb_format = search lists this many questions at most. */
const LIST_SIZE = 3;

/** The articles to show later (question_order = category_first) or offered as a list (kb_format = search). */
async function keepCandidates(desk: Desk, ticket: Ticket, hits: Candidate[], deferred: boolean): Promise<void> {
  await desk.db.query(
    `INSERT INTO kb_candidates (ticket_id, article_ids, scores, deferred) VALUES ($1, $2, $3, $4)
     ON CONFLICT (ticket_id) DO UPDATE SET article_ids = $2, scores = $3, deferred = $4`,
    [ticket.id, hits.map((h) => h.article.id), hits.map((h) => round(h.score)), deferred],
  );
}

/** The customer wants a person: the agents are told and the intake goes on (the category keyboard, unless picked already). */
async function humanWanted(ctx: BotContext, ticket: Ticket): Promise<void> {
  const desk = ctx.desk;
  await ctx.reply(ctx.t(ticket.category === null ? 'kb-human-reply' : 'kb-human-reply-routed'));
  await desk.relay.sendToTopic(ticket.customer_id, desk.agentText('kb-agent-human', { number: ticket.id })).catch(() => undefined);
  await desk.intake.continue(ticket.id);
}

/**
 * An article an agent chose is the agent's answer: message_out (it counts as
 * a human response) plus macro_used "kb:<id>", so analytics see which
 * articles agents reach for.
 */
async function recordAgentArticle(desk: Desk, ticket: Ticket, agentId: number, articleId: string, at: Date): Promise<void> {
  const updated = await desk.tickets.recordAgentReply(ticket.id, { agentId, kind: 'text', at });
  await desk.db.transaction((tx) =>
    desk.outbox.appendForTicket(tx, updated, [{ type: 'macro_used', occurred_at: at.toISOString(), agent_id: agentId, macro: `kb:${articleId}`.slice(0, 64) }]),
  );
}

const round = (x: number) => Math.round(x * 1000) / 1000;
