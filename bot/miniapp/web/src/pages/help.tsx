/** Help centre: search over the knowledge base, popular solutions, article pages with "Did this help?". */
import { useEffect, useState } from 'preact/hooks';
import type { ArticleHit } from '../api.js';
import { Markdown } from '../markdown.js';
import { href } from '../router.js';
import { ErrorBox, Loading, Notice, Page, useApp, useLoad } from '../ui.js';

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
  const [query, setQuery] = useState('');
  const { hits, error } = useSearch(query);
  const [popular, reload] = useLoad(() => api.popular(), [i18n.lang]);
  return (
    <Page id="help" title={i18n.t('help_title')}>
      <form onSubmit={(e) => e.preventDefault()}>
        <label for="kb-search">{i18n.t('search_label')}</label>
        <input
          id="kb-search"
          type="search"
          value={query}
          placeholder={i18n.t('search_placeholder')}
          onInput={(e) => setQuery(e.currentTarget.value)}
          autoComplete="off"
          dir="auto"
        />
      </form>
      <div aria-live="polite">
        {error !== undefined && <ErrorBox error={error} />}
        {hits && (
          <section aria-labelledby="results-h">
            <h2 id="results-h">{i18n.t('search_results')}</h2>
            {hits.length ? <ArticleList articles={hits} id="search-results" /> : <p class="muted">{i18n.t('search_none')}</p>}
          </section>
        )}
      </div>
      <section aria-labelledby="popular-h">
        <h2 id="popular-h">{i18n.t('popular_title')}</h2>
        {popular.state === 'loading' && <Loading />}
        {popular.state === 'error' && <ErrorBox error={popular.error} retry={reload} />}
        {popular.state === 'ok' && <ArticleList articles={popular.data} id="popular" />}
      </section>
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
