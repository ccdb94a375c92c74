/**
 * New request: the bot's categories, the details with validation and hints, and — while the customer types —
 * knowledge-base articles that may already answer it ("Solved by this article" sends no request: deflection).
 * Sending creates the ticket the way a message to the bot does (the server's one intake path); an optional
 * screenshot goes to the new ticket as a photo right after.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Article, ArticleHit } from '../api.js';
import { asUpload, type Chosen, FilePicker } from '../attach.js';
import { ConsentGate } from '../consent.js';
import { Markdown } from '../markdown.js';
import { href, navigate } from '../router.js';
import { ErrorBox, Page, useApp, useMainButton } from '../ui.js';
import { useSearch } from './help.js';
import { MAX_TEXT, noteCreated, noteScreenshotFailed } from './ticket.js';

export const MIN_TEXT = 10;
const DRAFT_KEY = 'miniapp.draft';

function Suggestion({ hit, onSolved }: { hit: ArticleHit; onSolved: (id: string) => void }) {
  const { api, i18n } = useApp();
  const [open, setOpen] = useState(false);
  const [article, setArticle] = useState<Article | { error: unknown }>();
  const toggle = async () => {
    setOpen(!open);
    if (!article) api.article(hit.id).then(setArticle, (error) => setArticle({ error }));
  };
  const bodyId = `suggestion-${hit.id}`;
  return (
    <li class="card suggestion" data-article={hit.id}>
      <h3 class="card-title">{hit.title}</h3>
      {hit.snippet && <p class="snippet">{hit.snippet}</p>}
      {open && article && (
        <div id={bodyId} class="inline-article">
          {'error' in article ? <ErrorBox error={article.error} /> : <Markdown source={article.body} />}
        </div>
      )}
      <div class="row">
        <button type="button" class="button secondary" aria-expanded={open} aria-controls={bodyId} onClick={toggle}>
          {i18n.t(open ? 'hide_article' : 'read_article')}
        </button>
        <button type="button" class="button" onClick={() => onSolved(hit.id)}>
          {i18n.t('solved_by_article')}
        </button>
      </div>
    </li>
  );
}

interface Draft {
  category: string;
  text: string;
}

function loadDraft(): Draft | undefined {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

/** New request: the privacy notice first while consent is required and not given (CONSENT_VERSION), then the form. */
export function NewRequestPage(props: { article?: string; category?: string }) {
  return (
    <ConsentGate>
      <RequestForm {...props} />
    </ConsentGate>
  );
}

function RequestForm({ article, category: preset }: { article?: string; category?: string }) {
  const { api, i18n, meta, tg } = useApp();
  const draft = loadDraft();
  const [category, setCategory] = useState(preset ?? draft?.category ?? '');
  const [text, setText] = useState(draft?.text ?? '');
  const [touched, setTouched] = useState(false);
  const [screenshot, setScreenshot] = useState<Chosen>();
  const [state, setState] = useState<'idle' | 'busy' | { error: unknown }>('idle');
  const { hits } = useSearch(text.trim().length >= 8 ? text : '');

  // "Ask a human about this article": the text starts with the article's title.
  useEffect(() => {
    if (!article) return;
    api.article(article).then(
      (a) => setText((t) => (t.trim() ? t : i18n.t('about_article', { title: a.title }))),
      () => undefined,
    );
  }, [article]);
  useEffect(() => sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ category, text })), [category, text]);

  const length = text.trim().length;
  const textError =
    length < MIN_TEXT ? i18n.t('text_too_short', { count: MIN_TEXT }) : length > MAX_TEXT ? i18n.t('text_too_long', { max: MAX_TEXT }) : undefined;
  const categoryError = category ? undefined : i18n.t('category_missing');
  const valid = !textError && !categoryError;

  const submit = async (e?: Event) => {
    e?.preventDefault();
    setTouched(true);
    if (!valid || state === 'busy') {
      document.getElementById(categoryError ? 'category-0' : 'request-text')?.focus();
      return;
    }
    setState('busy');
    try {
      const { number, created } = await api.createTicket(category, text.trim());
      sessionStorage.removeItem(DRAFT_KEY);
      noteCreated(number, created !== false);
      if (screenshot) await api.attach(number, asUpload(screenshot), '', screenshot.as).catch(() => noteScreenshotFailed(number));
      tg?.HapticFeedback?.notificationOccurred('success');
      navigate({ page: 'ticket', number }, true);
    } catch (error) {
      setState({ error });
    }
  };
  const solved = async (id: string) => {
    try {
      await api.solved(id);
    } catch {
      // the customer is helped either way; the count is the server's business
    }
    sessionStorage.removeItem(DRAFT_KEY);
    navigate({ page: 'solved' }, true);
  };
  const inTelegram = useMainButton({
    text: i18n.t(state === 'busy' ? 'sending' : 'send_request'),
    onClick: submit,
    enabled: state !== 'busy',
    busy: state === 'busy',
  });

  const suggestions = hits?.slice(0, 3) ?? [];
  return (
    <Page id="new" title={i18n.t('new_title')}>
      <form id="new-request" onSubmit={submit} noValidate>
        <fieldset class="choices" aria-describedby={touched && categoryError ? 'category-error' : undefined}>
          <legend>{i18n.t('category_label')}</legend>
          {meta.categories.map((c, i) => (
            <label key={c.key} class={category === c.key ? 'choice on' : 'choice'}>
              <input
                type="radio"
                name="category"
                id={`category-${i}`}
                value={c.key}
                checked={category === c.key}
                onChange={() => setCategory(c.key)}
                required
              />
              {c.label}
            </label>
          ))}
          {touched && categoryError && (
            <p id="category-error" class="field-error">
              {categoryError}
            </p>
          )}
        </fieldset>
        <label for="request-text">{i18n.t('text_label')}</label>
        <textarea
          id="request-text"
          rows={6}
          value={text}
          maxLength={MAX_TEXT}
          onInput={(e) => setText(e.currentTarget.value)}
          onBlur={() => length > 0 && setTouched(true)}
          aria-invalid={touched && Boolean(textError)}
          aria-describedby={touched && textError ? 'text-hint text-error' : 'text-hint'}
          required
          dir="auto"
        />
        <p id="text-hint" class="hint">
          {i18n.t('text_hint')} <span class="counter">{i18n.t('text_count', { count: length, max: MAX_TEXT })}</span>
        </p>
        {touched && textError && (
          <p id="text-error" class="field-error">
            {textError}
          </p>
        )}
        <FilePicker
          id="request-screenshot"
          label={i18n.t('screenshot_label')}
          hint={i18n.t('screenshot_hint')}
          picturesOnly
          chosen={screenshot}
          onChange={setScreenshot}
        />
        <div aria-live="polite">
          {suggestions.length > 0 && (
            <section class="suggestions" aria-labelledby="suggestions-h">
              <h2 id="suggestions-h">{i18n.t('suggestions_title')}</h2>
              <ul class="cards" id="suggestions">
                {suggestions.map((h) => (
                  <Suggestion key={h.id} hit={h} onSolved={solved} />
                ))}
              </ul>
            </section>
          )}
        </div>
        {typeof state === 'object' && <ErrorBox error={state.error} />}
        {!inTelegram && (
          <button type="submit" class="button wide" id="send-request" disabled={state === 'busy'}>
            {i18n.t(state === 'busy' ? 'sending' : 'send_request')}
          </button>
        )}
      </form>
    </Page>
  );
}

/** After "Solved by this article": no request was sent (the server counted the self-service resolution). */
export function SolvedPage() {
  const { i18n } = useApp();
  return (
    <Page id="deflected" title={i18n.t('deflected_title')}>
      <p>{i18n.t('deflected_text')}</p>
      <a class="button" href={href({ page: 'requests' })}>
        {i18n.t('nav_requests')}
      </a>
    </Page>
  );
}
