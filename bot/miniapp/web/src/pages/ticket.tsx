/** One request: its facts, the whole conversation in the customer's time zone, a reply box (with a photo or file), Reopen and Rate. */
import { useState } from 'preact/hooks';
import { ApiError, type Message, type TicketPage as TicketData } from '../api.js';
import { asUpload, CAPTION_MAX, type Chosen, FilePicker } from '../attach.js';
import type { I18n, Key } from '../i18n.js';
import { ErrorBox, Eta, expected, isWaiting, Loading, Notice, Page, StatusBadge, useApp, useLoad, useNow, usePoll } from '../ui.js';
import { categoryLabel } from './requests.js';

export const MAX_TEXT = 4000;
/** How often an open ticket page asks for news (new messages, status). */
export const TICKET_POLL_MS = 10_000;
const CREATED_KEY = 'miniapp.created';
const SCREENSHOT_FAILED_KEY = 'miniapp.screenshot-failed';

const MEDIA_KEYS: Record<string, Key> = {
  photo: 'media_photo',
  document: 'media_document',
  voice: 'media_voice',
  audio: 'media_voice',
  video: 'media_video',
  video_note: 'media_video',
  animation: 'media_video',
  sticker: 'media_sticker',
};

function MediaLine({ media, i18n }: { media: NonNullable<Message['media']>; i18n: I18n }) {
  const what = i18n.t(MEDIA_KEYS[media.kind] ?? 'media_other');
  const label = media.name ? `${what}: ${media.name}` : what;
  if (media.url && media.kind === 'photo') return <img class="media-photo" src={media.url} alt={label} loading="lazy" />;
  return (
    <p class="media">
      <span aria-hidden="true">📎 </span>
      {media.url ? (
        <a href={media.url} target="_blank" rel="noopener noreferrer">
          {label}
        </a>
      ) : (
        label
      )}
    </p>
  );
}

function Conversation({ messages, i18n }: { messages: Message[]; i18n: I18n }) {
  if (messages.length === 0) return <p class="muted">{i18n.t('no_messages')}</p>;
  let lastDay = '';
  return (
    <ol class="conversation" id="conversation" aria-live="polite" aria-relevant="additions">
      {messages.map((m, i) => {
        const day = i18n.day(m.date);
        const heading = day !== lastDay ? day : undefined;
        lastDay = day;
        const who = m.from === 'customer' ? i18n.t('from_customer') : m.from === 'agent' ? (m.agent_first_name ?? i18n.t('from_agent')) : i18n.t('from_bot');
        return (
          <li key={i} class={`msg from-${m.from}`} data-from={m.from}>
            {heading && <p class="day">{heading}</p>}
            <div class="bubble">
              <p class="who">
                {who} ·{' '}
                <time dateTime={m.date} class="msg-time">
                  {i18n.time(m.date)}
                </time>
              </p>
              {m.media && <MediaLine media={m.media} i18n={i18n} />}
              {m.text && <p class="text">{m.text}</p>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function Reply({ number, onSent }: { number: number; onSent: () => Promise<void> }) {
  const { api, i18n } = useApp();
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<Chosen>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const send = async (e: Event) => {
    e.preventDefault();
    const value = text.trim();
    if ((!value && !chosen) || busy) return;
    setBusy(true);
    setResult(undefined);
    try {
      if (!chosen) await api.reply(number, value);
      else {
        // The text goes as the file's caption; a longer one as a message of its own first.
        const caption = value.length <= CAPTION_MAX ? value : '';
        if (value && !caption) await api.reply(number, value);
        await api.attach(number, asUpload(chosen), caption, chosen.as);
        setChosen(undefined);
      }
      setText('');
      setResult({ ok: true, text: i18n.t('reply_sent') });
      await onSent();
    } catch (error) {
      setResult({ ok: false, text: error instanceof ApiError ? i18n.t('error_generic', { reason: error.reason }) : i18n.t('error_offline') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="reply" onSubmit={send} id="reply-form">
      <label for="reply-text">{i18n.t('reply_label')}</label>
      <textarea
        id="reply-text"
        rows={3}
        maxLength={MAX_TEXT}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        aria-describedby="reply-hint"
        dir="auto"
      />
      <p id="reply-hint" class="hint">
        {i18n.t('reply_hint')}
      </p>
      <FilePicker id="reply-file" label={i18n.t('attach_label')} hint={i18n.t('attach_hint')} chosen={chosen} onChange={setChosen} />
      <button type="submit" class="button" disabled={busy || (!text.trim() && !chosen)}>
        {i18n.t('reply_send')}
      </button>
      {result && <Notice kind={result.ok ? 'ok' : 'error'}>{result.text}</Notice>}
    </form>
  );
}

function Rate({ number, onRated }: { number: number; onRated: () => Promise<void> }) {
  const { api, i18n } = useApp();
  const [score, setScore] = useState<number>();
  const [state, setState] = useState<'idle' | 'busy' | 'done' | { error: unknown }>('idle');
  const send = async (e: Event) => {
    e.preventDefault();
    if (!score) return;
    setState('busy');
    try {
      await api.rate(number, score);
      setState('done');
      await onRated();
    } catch (error) {
      setState({ error });
    }
  };
  if (state === 'done') return <Notice>{i18n.t('rated')}</Notice>;
  return (
    <form class="rate" onSubmit={send} id="rate-form">
      <fieldset>
        <legend>{i18n.t('rate_title')}</legend>
        <div class="stars">
          {[1, 2, 3, 4, 5].map((s) => (
            <label key={s} class={score !== undefined && s <= score ? 'star on' : 'star'}>
              <input type="radio" name="score" value={s} checked={score === s} onChange={() => setScore(s)} />
              <span aria-hidden="true">★</span>
              <span class="visually-hidden">{i18n.t('rate_label', { score: s })}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" class="button" disabled={!score || state === 'busy'}>
        {i18n.t('rate_send')}
      </button>
      {typeof state === 'object' && <ErrorBox error={state.error} />}
    </form>
  );
}

function Facts({ data, now }: { data: TicketData; now: number }) {
  const { i18n, meta } = useApp();
  const t = data.ticket;
  return (
    <dl class="facts card">
      <div>
        <dt>{i18n.t('field_status')}</dt>
        <dd>
          <StatusBadge status={t.status} />
        </dd>
      </div>
      {isWaiting(t.status) && expected(t) && (
        <div>
          <dt>{i18n.t('field_eta')}</dt>
          <dd>
            <Eta eta={expected(t)!} now={now} />
          </dd>
        </div>
      )}
      {t.agent_first_name && (
        <div>
          <dt>{i18n.t('field_agent')}</dt>
          <dd class="agent">{t.agent_first_name}</dd>
        </div>
      )}
      <div>
        <dt>{i18n.t('field_category')}</dt>
        <dd>{categoryLabel(meta, t.category) ?? i18n.t('no_category')}</dd>
      </div>
      <div>
        <dt>{i18n.t('field_queue')}</dt>
        <dd>{t.queue}</dd>
      </div>
      <div>
        <dt>{i18n.t('field_created')}</dt>
        <dd>
          <time dateTime={t.created_at} class="created">
            {i18n.dateTime(t.created_at)}
          </time>
        </dd>
      </div>
    </dl>
  );
}

/** Remembers "request #N is created" (or "joined #N") for the ticket page the new-request form opens next. */
export function noteCreated(number: number, created = true): void {
  sessionStorage.setItem(CREATED_KEY, `${created ? 'created' : 'joined'}:${number}`);
}

/** The screenshot sent with the new request #N did not arrive: its page says so. */
export function noteScreenshotFailed(number: number): void {
  sessionStorage.setItem(SCREENSHOT_FAILED_KEY, String(number));
}

export function TicketPage({ number }: { number: number }) {
  const { api, i18n } = useApp();
  const now = useNow();
  const [data, reload] = useLoad(() => api.ticket(number), [number]);
  usePoll(reload, TICKET_POLL_MS);
  const [created] = useState(() => {
    const [kind, n] = (sessionStorage.getItem(CREATED_KEY) ?? '').split(':');
    sessionStorage.removeItem(CREATED_KEY);
    return n === String(number) ? (kind as 'created' | 'joined') : undefined;
  });
  const [screenshotFailed] = useState(() => {
    const n = sessionStorage.getItem(SCREENSHOT_FAILED_KEY);
    sessionStorage.removeItem(SCREENSHOT_FAILED_KEY);
    return n === String(number);
  });
  const [reopen, setReopen] = useState<'idle' | 'busy' | 'done' | { error: unknown }>('idle');
  const doReopen = async () => {
    setReopen('busy');
    try {
      await api.reopen(number);
      setReopen('done');
      await reload();
    } catch (error) {
      setReopen({ error });
    }
  };
  return (
    <Page id={`ticket-${number}`} title={i18n.t('ticket_number', { number })} back={{ page: 'requests' }}>
      {created && <Notice>{i18n.t(created === 'joined' ? 'joined_note' : 'created_note', { number })}</Notice>}
      {screenshotFailed && <Notice kind="error">{i18n.t('screenshot_failed')}</Notice>}
      {data.state === 'loading' && <Loading />}
      {data.state === 'error' &&
        (data.error instanceof ApiError && data.error.status === 404 ? (
          <Notice kind="error">{i18n.t('not_found')}</Notice>
        ) : (
          <ErrorBox error={data.error} retry={reload} />
        ))}
      {data.state === 'ok' && (
        <>
          <Facts data={data.data} now={now} />
          <h2>
            {i18n.t('conversation')} <span class="muted">({i18n.t('messages_count', { count: data.data.messages.length })})</span>
          </h2>
          <Conversation messages={data.data.messages} i18n={i18n} />
          {data.data.ticket.survey_open && <Rate number={number} onRated={reload} />}
          {data.data.ticket.status === 'resolved' ? (
            <div class="actions">
              <button type="button" class="button" id="reopen" onClick={doReopen} disabled={reopen === 'busy'}>
                {i18n.t('reopen')}
              </button>
              {reopen === 'done' && <Notice>{i18n.t('reopened')}</Notice>}
              {typeof reopen === 'object' && <ErrorBox error={reopen.error} />}
            </div>
          ) : (
            <Reply number={number} onSent={reload} />
          )}
        </>
      )}
    </Page>
  );
}
