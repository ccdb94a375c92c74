/**
 * The help centre: search with the bot's own ranking (the KB snapshot the auto-answer uses, in the
 * customer's language), articles, "Did this help?", "Solved by this article" (a self-service resolution
 * before any request was sent: kb_outcome solved, channel app) and popular solutions from real usage
 * (kb_article_usage counts plus the chat's solved suggestions). `/kb/format`: the customer's variant of the A/B
 * surface kb_format (article cards or search by question), through the bot's own lookup (bot/experiments/).
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { Queryable } from '../../../core/postgres.js';
import type { KbArticle } from '../../features/kb/article.js';
import { capKbQuery } from '../../features/kb/search.js';
import { customerLocale } from '../../telegram/present.js';
import type { Customer } from '../../store/types.js';
import { callerOf } from '../auth.js';
import { AppError, appEventEnvelope, type AppApiContext } from './context.js';
import * as S from './schemas.js';

const SEARCH_LIMIT = 8;
const POPULAR_LIMIT = 6;

/** The first words of an article's body, without Markdown, for a result list. */
export function snippetOf(a: KbArticle, max = 160): string {
  const plain = a.body
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1).trimEnd()}…` : plain;
}

const hit = (a: KbArticle) => ({ id: a.id, title: a.title, snippet: snippetOf(a) });

async function count(q: Queryable, articleId: string, column: 'views' | 'helpful' | 'not_helpful' | 'solved'): Promise<void> {
  await q.query(
    `INSERT INTO kb_article_usage (article_id, ${column}) VALUES ($1, 1)
     ON CONFLICT (article_id) DO UPDATE SET ${column} = kb_article_usage.${column} + 1, updated_at = now()`,
    [articleId],
  );
}

export function kbRoutes(api: FastifyInstance, c: AppApiContext): void {
  const { desk } = c;
  const kbOf = async () => (await c.runtime.files()).kb;
  const localeOf = (customer: Customer) => customerLocale(desk.locales, customer);

  async function article(id: string, customer: Customer): Promise<KbArticle> {
    const a = (await kbOf()).get(id, localeOf(customer));
    if (!a) throw new AppError(404, `no article "${id}"`);
    return a;
  }

  /** A desk-wide event of the caller (no ticket), in the same transaction as its count. */
  const appEvent = (customer: Customer) => appEventEnvelope(c, customer);

  api.get<{ Querystring: Static<typeof S.KbSearchQuery> }>(
    '/kb/search',
    { schema: { summary: 'Search the knowledge base (the ranking the bot answers with)', querystring: S.KbSearchQuery, response: { 200: S.ArticleHits } } },
    async (req) => {
      const { customer } = callerOf(req);
      const q = capKbQuery(req.query.q).trim();
      if (q.length < 2) return { articles: [] };
      return { articles: (await kbOf()).search(q, { language: localeOf(customer), limit: SEARCH_LIMIT }).map((h) => hit(h.article)) };
    },
  );

  api.get(
    '/kb/format',
    {
      schema: {
        summary:
          "The help centre's format for the caller: A/B surface kb_format — article cards (control) or search by question; the first call exposes the customer to a running experiment (once)",
        response: { 200: S.KbFormat },
      },
    },
    async (req) => {
      const { customer } = callerOf(req);
      // The bot's one lookup (bot/experiments/): the customer's stored variant, or assigned and exposed now, once.
      const variant = await desk.experiments.variantForCustomer('kb_format', { id: customer.id, language: localeOf(customer) }, { at: c.now() });
      return { variant: variant === 'search' ? ('search' as const) : ('control' as const) };
    },
  );

  api.get(
    '/kb/popular',
    { schema: { summary: 'Popular solutions: the articles customers read, found helpful and solved their problem with', response: { 200: S.ArticleHits } } },
    async (req) => {
      const { customer } = callerOf(req);
      const kb = await kbOf();
      const ranked = await desk.db.query<{ article_id: string }>(
        `SELECT article_id FROM (
           SELECT article_id, views + 2 * helpful - not_helpful + 3 * solved AS score FROM kb_article_usage
           UNION ALL
           SELECT article_id, 3 * count(*) AS score FROM kb_suggestions WHERE outcome = 'solved' GROUP BY article_id) u
         GROUP BY article_id ORDER BY sum(score) DESC, article_id LIMIT 50`,
      );
      const locale = localeOf(customer);
      const seen = new Set<string>();
      const out: KbArticle[] = [];
      const add = (a: KbArticle | undefined) => {
        if (a && !seen.has(a.id) && out.length < POPULAR_LIMIT) {
          seen.add(a.id);
          out.push(a);
        }
      };
      for (const r of ranked.rows) add(kb.get(r.article_id, locale));
      // A new desk has no usage yet: the articles in the customer's language fill the list.
      for (const a of kb.current.articles) if (a.lang === locale) add(kb.get(a.id, locale));
      for (const a of kb.current.articles) add(kb.get(a.id, locale));
      return { articles: out.map(hit) };
    },
  );

  api.get<{ Params: Static<typeof S.ArticleParams> }>(
    '/kb/articles/:id',
    { schema: { summary: 'An article, in the caller’s language when translated', params: S.ArticleParams, response: { 200: S.ArticleBody } } },
    async (req) => {
      const { customer } = callerOf(req);
      const a = await article(req.params.id, customer);
      await desk.db.transaction(async (tx) => {
        await count(tx, a.id, 'views');
        await desk.outbox.append(tx, [{ type: 'kb_article_viewed', ...appEvent(customer), kb_article_id: a.id, channel: 'app' }]);
      });
      return { article: { id: a.id, title: a.title, body: a.body, lang: a.lang } };
    },
  );

  api.post<{ Params: Static<typeof S.ArticleParams>; Body: Static<typeof S.HelpfulBody> }>(
    '/kb/articles/:id/helpful',
    { schema: { summary: 'Did this article help?', params: S.ArticleParams, body: S.HelpfulBody, response: { 200: S.Accepted } } },
    async (req) => {
      const { customer } = callerOf(req);
      const a = await article(req.params.id, customer);
      await desk.db.transaction(async (tx) => {
        await count(tx, a.id, req.body.helpful ? 'helpful' : 'not_helpful');
        await desk.outbox.append(tx, [{ type: 'kb_article_helpful', ...appEvent(customer), kb_article_id: a.id, helpful: req.body.helpful, channel: 'app' }]);
      });
      return { ok: true as const };
    },
  );

  api.post<{ Params: Static<typeof S.ArticleParams> }>(
    '/kb/articles/:id/solved',
    {
      schema: {
        summary: 'Solved by this article before sending a request: a self-service resolution (deflection)',
        params: S.ArticleParams,
        response: { 200: S.Accepted },
      },
    },
    async (req) => {
      const { customer } = callerOf(req);
      const a = await article(req.params.id, customer);
      await desk.db.transaction(async (tx) => {
        await count(tx, a.id, 'solved');
        await desk.outbox.append(tx, [{ type: 'kb_outcome', ...appEvent(customer), kb_article_id: a.id, outcome: 'solved', channel: 'app' }]);
      });
      return { ok: true as const };
    },
  );
}
