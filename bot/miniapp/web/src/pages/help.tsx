/**
 * Help centre: search over the knowledge base, popular solutions, article pages with "Did this help?". Its format is
 * the A/B surface kb_format (GET /kb/format, the bot's own variant of the customer): article cards (control) or
 * search by question — the question first, the matching and common questions to pick from, "none of these" to a
 * human, as the bot's `search` variant offers them in the chat.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ArticleHit } from '../api.js';
import { Markdown } from '../markdown.js';
import { href } from '../router.js';
import type { ComponentChildren } from 'preact';
import { ErrorBox, type Loaded, Loading, Notice, Page, useApp, useLoad } from '../ui.js';

export const SEARCH_DEBOUNCE_MS = 300;

/** `value`, settled for `ms` (the KB is searched as the customer types, not on every key). */
export function useDebounced<T>(value: T, ms = SEARCH_DEBOUNCE_MS): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}

/** Search results for `query` (empty under 2 letters), the previous request cancelled when a new one starts. */
export function useSearch(query: string): { hits: ArticleHit[] | undefined; error?: unknown } {
  const { api } = useApp();
  const q = useDebounced(query.trim());
  const [state, setState] = useState<{ hits: ArticleHit[] | undefined; error?: unknown }>({ hits: undefined });
  useEffect(() => {
    if (q.length < 2) {
      setState({ hits: undefined });
      return;
    }
    const abort = new AbortController();
    api.search(q, abort.signal).then(
      (hits) => setState({ hits }),
      (error) => !abort.signal.aborted && setState({ hits: undefined, error }),
    );
    return () => abort.abort();
  }, [q]);
  return state;
}

export function ArticleList({ articles, id }: { articles: ArticleHit[]; id: string }) {
  return (
    <ul class="cards articles" id={id}>
      {articles.map((a) => (
        <li key={a.id} class="card" data-article={a.id}>
          <a href={href({ page: 'article', id: a.id })} class="card-link">
            <h3 class="card-title">{a.title}</h3>
          </a>
          {a.snippet && <p class="snippet">{a.snippet}</p>}
        </li>
      ))}
    </ul>
  );
}

export function HelpPage() {
  const { api, i18n } = useApp();
  // The customer's format: asked once per visit to the help centre (the server exposes them the first time).
  const [format, reload] = useLoad(() => api.kbFormat(), []);
  if (format.state === 'ok' && format.data === 'search') return <QuestionSearch />;
  if (format.state === 'ok') return <ArticleCards />;
  return (
    <Page id="help" title={i18n.t('help_title')}>
      {format.state === 'loading' ? <Loading /> : <ErrorBox error={format.error} retry={reload} />}
    </Page>
  );
}

/** kb_format = control: a search box, the results and the popular solutions as article cards with their first words. */
function ArticleCards() {
  const { api, i18n } = useApp();
  const [query, setQuery] = useState('');
  const { hits, error } = useSearch(query);
  const [popular, reload] = useLoad(() => api.popular(), [i18n.lang]);
  return (
    <Page id="help" title={i18n.t('help_title')}>
      <div class="kb-format" data-kb-format="control">
        <SearchForm id="kb-search" label={i18n.t('search_label')} placeholder={i18n.t('search_placeholder')} query={query} onQuery={setQuery} />
        <Results hits={hits} error={error} heading={i18n.t('search_results')} headingId="results-h" none={i18n.t('search_none')}>
          {(articles) => <ArticleList articles={articles} id="search-results" />}
        </Results>
        <Popular heading={i18n.t('popular_title')} headingId="popular-h" popular={popular} reload={reload}>
          {(articles) => <ArticleList articles={articles} id="popular" />}
        </Popular>
      </div>
    </Page>
  );
}

/** Questions to pick from: each an article's title, the whole row a link to it. */
export function QuestionList({ articles, id }: { articles: ArticleHit[]; id: string }) {
  return (
    <ul class="questions" id={id}>
      {articles.map((a) => (
        <li key={a.id} data-article={a.id}>
          <a href={href({ page: 'article', id: a.id })} class="question-link" dir="auto">
            <span aria-hidden="true">❓ </span>
            {a.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** kb_format = search: the customer's question first; the matching questions (or the common ones) to pick from, or a human. */
function QuestionSearch() {
  const { api, i18n } = useApp();
  const [query, setQuery] = useState('');
  const { hits, error } = useSearch(query);
  const [popular, reload] = useLoad(() => api.popular(), [i18n.lang]);
  return (
    <Page id="help" title={i18n.t('help_title')}>
      <div class="kb-format" data-kb-format="search">
        <SearchForm id="kb-question" ask label={i18n.t('kb_q_label')} placeholder={i18n.t('kb_q_placeholder')} query={query} onQuery={setQuery} />
        <Results hits={hits} error={error} heading={i18n.t('kb_q_matching')} headingId="matching-h" none={i18n.t('kb_q_none')}>
          {(articles) => <QuestionList articles={articles} id="matching-questions" />}
        </Results>
        {!hits && (
          <Popular heading={i18n.t('kb_q_common')} headingId="common-h" popular={popular} reload={reload}>
            {(articles) => <QuestionList articles={articles} id="common-questions" />}
          </Popular>
        )}
        <a class="button secondary" id="none-of-these" href={href({ page: 'new' })}>
          {i18n.t('kb_q_none_of_these')}
        </a>
      </div>
    </Page>
  );
}

export function ArticlePage({ id }: { id: string }) {
  const { api, i18n } = useApp();
  const [article, reload] = useLoad(() => api.article(id), [id, i18n.lang]);
  const [vote, setVote] = useState<'idle' | 'done' | { error: unknown }>('idle');
  const send = async (helpful: boolean) => {
    try {
      await api.helpful(id, helpful);
      setVote('done');
    } catch (error) {
      setVote({ error });
    }
  };
  const title = article.state === 'ok' ? article.data.title : i18n.t('help_title');
  return (
    <Page id={`article-${id}`} title={title} back={{ page: 'help' }}>
      {article.state === 'loading' && <Loading />}
      {article.state === 'error' && <ErrorBox error={article.error} retry={reload} />}
      {article.state === 'ok' && (
        <>
          <article lang={article.data.lang} dir="auto">
            <Markdown source={article.data.body} />
          </article>
          <section class="card helpful" aria-labelledby="helpful-h">
            <h2 id="helpful-h">{i18n.t('article_helpful')}</h2>
            {vote === 'done' ? (
              <Notice>{i18n.t('helpful_thanks')}</Notice>
            ) : (
              <div class="row">
                <button type="button" class="button secondary" onClick={() => send(true)}>
                  {i18n.t('yes')}
                </button>
                <button type="button" class="button secondary" onClick={() => send(false)}>
                  {i18n.t('no')}
                </button>
              </div>
            )}
            {typeof vote === 'object' && <ErrorBox error={vote.error} />}
          </section>
          <a class="button" id="ask-human" href={href({ page: 'new', article: id })}>
            {i18n.t('ask_human')}
          </a>
        </>
      )}
    </Page>
  );
}

/** The help centre's search field (both formats): `ask` styles it as the question that comes first. */
function SearchForm(p: { id: string; label: string; placeholder: string; query: string; onQuery: (q: string) => void; ask?: boolean }) {
  return (
    <form class={p.ask ? 'ask' : undefined} onSubmit={(e) => e.preventDefault()}>
      <label for={p.id} class={p.ask ? 'ask-label' : undefined}>
        {p.label}
      </label>
      <input
        id={p.id}
        type="search"
        value={p.query}
        placeholder={p.placeholder}
        onInput={(e) => p.onQuery(e.currentTarget.value)}
        autoComplete="off"
        dir="auto"
      />
    </form>
  );
}

/** What the search found, announced politely as it changes: the format's list, or "nothing found". */
function Results(p: {
  hits: ArticleHit[] | undefined;
  error: unknown;
  heading: string;
  headingId: string;
  none: string;
  children: (articles: ArticleHit[]) => ComponentChildren;
}) {
  return (
    <div aria-live="polite">
      {p.error !== undefined && <ErrorBox error={p.error} />}
      {p.hits && (
        <section aria-labelledby={p.headingId}>
          <h2 id={p.headingId}>{p.heading}</h2>
          {p.hits.length ? p.children(p.hits) : <p class="muted">{p.none}</p>}
        </section>
      )}
    </div>
  );
}

/** The popular solutions (from real KB usage) in the format's list, with their loading and error states. */
function Popular(p: {
  heading: string;
  headingId: string;
  popular: Loaded<ArticleHit[]>;
  reload: () => unknown;
  children: (articles: ArticleHit[]) => ComponentChildren;
}) {
  return (
    <section aria-labelledby={p.headingId}>
      <h2 id={p.headingId}>{p.heading}</h2>
      {p.popular.state === 'loading' && <Loading />}
      {p.popular.state === 'error' && <ErrorBox error={p.popular.error} retry={p.reload} />}
      {p.popular.state === 'ok' && p.children(p.popular.data)}
    </section>
  );
}
