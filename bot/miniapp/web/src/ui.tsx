/** What every page shares: the app's context, loading data, the page frame, notices, status words. */
import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type Api, ApiError, type Meta, type Settings, type TicketStatus, type TicketSummary } from './api.js';
import type { I18n, Key } from './i18n.js';
import { href, navigate, type Route } from './router.js';
import { setBackButton, setMainButton, type TgWebApp } from './telegram.js';

export interface AppContext {
  api: Api;
  i18n: I18n;
  tg: TgWebApp | undefined;
  meta: Meta;
  settings: Settings;
  /** Saved settings: language and zone apply at once. */
  onSettings(s: Settings): void;
  /** The customer deleted their data: the app ends. */
  onDeleted(): void;
}

export const Ctx = createContext<AppContext>(null as unknown as AppContext);
export const useApp = () => useContext(Ctx);

/** Now, ticking every `everyMs` (countdowns). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: unknown } | { state: 'ok'; data: T };

/** Loads `load()` when `deps` change; `reload` loads again without showing the spinner. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => Promise<void>] {
  const [value, setValue] = useState<Loaded<T>>({ state: 'loading' });
  const seq = useRef(0);
  const run = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const data = await load();
      if (mine === seq.current) setValue({ state: 'ok', data });
    } catch (error) {
      if (mine === seq.current) setValue({ state: 'error', error });
    }
  }, deps);
  useEffect(() => {
    setValue({ state: 'loading' });
    void run();
  }, [run]);
  return [value, run];
}

/**
 * Calls `reload` every `everyMs` while the page is visible, and at once when it becomes visible again: an agent's
 * answer or a status change shows up while the customer watches.
 */
export function usePoll(reload: () => Promise<void>, everyMs: number): void {
  useEffect(() => {
    const tick = () => document.visibilityState === 'visible' && void reload();
    const id = setInterval(tick, everyMs);
    document.addEventListener('visibilitychange', tick);
    return () => {
      clearInterval(id);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [reload, everyMs]);
}

export function errorText(i18n: I18n, error: unknown): string {
  if (error instanceof ApiError) return i18n.t('error_generic', { reason: error.reason });
  if (error instanceof TypeError) return i18n.t('error_offline');
  return i18n.t('error_generic', { reason: String((error as Error)?.message ?? error) });
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  const { i18n } = useApp();
  return (
    <div class="notice error" role="alert">
      <p>{errorText(i18n, error)}</p>
      {retry && (
        <button type="button" class="button secondary" onClick={retry}>
          {i18n.t('retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { i18n } = useApp();
  return (
    <p class="loading" role="status">
      {i18n.t('loading')}
    </p>
  );
}

export function Notice({ children, kind = 'ok' }: { children: ComponentChildren; kind?: 'ok' | 'error' }) {
  return (
    <p class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

/**
 * A page: its heading (focused when the page opens, so a screen reader announces it), and, below a top tab,
 * the way back — Telegram's BackButton inside Telegram, a link in the page elsewhere.
 */
export function Page({ title, back, children, id }: { title: string; back?: Route; children: ComponentChildren; id: string }) {
  const { tg, i18n } = useApp();
  const heading = useRef<HTMLHeadingElement>(null);
  const hasTgBack = Boolean(tg?.BackButton);
  useLayoutEffect(() => {
    heading.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [id]);
  useEffect(() => setBackButton(tg, back ? () => (history.length > 1 ? history.back() : navigate(back)) : undefined), [tg, back && id]);
  return (
    <section class="page" id={`page-${id}`} aria-labelledby={`h-${id}`}>
      {back && !hasTgBack && (
        <a class="back" href={href(back)}>
          <span aria-hidden="true" class="arrow">
            ←
          </span>{' '}
          {i18n.t('back')}
        </a>
      )}
      <h1 id={`h-${id}`} tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </section>
  );
}

export const STATUS_EMOJI: Record<TicketStatus, string> = {
  new: '❗️',
  waiting_agent: '❗️',
  in_progress: '📝',
  waiting_customer: '📝',
  resolved: '🏁',
};

/** When an answer is expected: the ETA told to the customer, else the first-response deadline. */
export const expected = (t: TicketSummary): string | undefined => t.eta ?? t.first_response_due_at ?? undefined;
export const isWaiting = (s: TicketStatus) => s === 'new' || s === 'waiting_agent';
export const isOpen = (s: TicketStatus) => s !== 'resolved';

/** The status in words, with its mark (hidden from screen readers: the words carry it). */
export function StatusBadge({ status }: { status: TicketStatus }) {
  const { i18n } = useApp();
  return (
    <span class={`status status-${status}`} data-status={status}>
      <span aria-hidden="true">{STATUS_EMOJI[status] ?? '•'}</span> {i18n.t(`status_${status}` as Key)}
    </span>
  );
}

/** When an answer is expected, counting down while the customer waits. */
export function Eta({ eta, now }: { eta: string; now: number }) {
  const { i18n } = useApp();
  const late = Date.parse(eta) < now;
  return (
    <time dateTime={eta} class={late ? 'eta late' : 'eta'} data-eta={eta}>
      {late ? i18n.t('eta_late', { time: i18n.time(eta) }) : i18n.t('eta_in', { time: i18n.time(eta), relative: i18n.relative(eta, now) })}
    </time>
  );
}

/** Telegram's MainButton for a page's main action; false outside Telegram (the page renders its own button). */
export function useMainButton(o: { text: string; onClick: () => void; enabled: boolean; busy?: boolean } | undefined): boolean {
  const { tg } = useApp();
  const click = useRef(o?.onClick);
  click.current = o?.onClick;
  const stable = useCallback(() => click.current?.(), []);
  useEffect(() => {
    if (!o) return;
    return setMainButton(tg, { text: o.text, onClick: stable, enabled: o.enabled, busy: o.busy });
  }, [tg, o?.text, o?.enabled, o?.busy, Boolean(o)]);
  return Boolean(o && tg?.MainButton);
}
