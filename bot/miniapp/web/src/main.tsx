/**
 * The customer's Mini App: start-up (Telegram or not, launch data, theme, language, settings), the page frame
 * and the bottom navigation. Pages live in pages/; the API in api.ts; Telegram in telegram.ts.
 */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, ApiError, type Meta, type Settings } from './api.js';
import { applyLanguage, asLang, deviceZone, type I18n, type Lang, makeI18n, validZone } from './i18n.js';
import { ArticlePage, HelpPage } from './pages/help.js';
import { NewRequestPage, SolvedPage } from './pages/new-request.js';
import { RequestsPage } from './pages/requests.js';
import { SettingsPage } from './pages/settings.js';
import { TicketPage } from './pages/ticket.js';
import { href, navigate, parseRoute, type Route, routeOfStartParam, type Tab, tabOf, useRoute } from './router.js';
import { applyTheme, forgetLaunch, type Launch, loadTelegram, readLaunch, type TgWebApp } from './telegram.js';
import { Ctx, type AppContext } from './ui.js';

const TABS: { tab: Tab; key: 'nav_requests' | 'nav_new' | 'nav_help' | 'nav_settings'; icon: string }[] = [
  { tab: 'requests', key: 'nav_requests', icon: 'M4 6h16M4 12h16M4 18h10' },
  { tab: 'new', key: 'nav_new', icon: 'M12 5v14M5 12h14' },
  { tab: 'help', key: 'nav_help', icon: 'M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14M12 17.5v.5M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18z' },
  {
    tab: 'settings',
    key: 'nav_settings',
    icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM4 12h2M18 12h2M12 4v2M12 18v2M6.3 6.3l1.4 1.4M16.3 16.3l1.4 1.4M6.3 17.7l1.4-1.4M16.3 7.7l1.4-1.4',
  },
];

function Nav({ current, i18n }: { current: Tab; i18n: I18n }) {
  return (
    <nav class="tabs" aria-label={i18n.t('nav_label')}>
      <ul>
        {TABS.map(({ tab, key, icon }) => (
          <li key={tab}>
            <a href={href({ page: tab } as Route)} aria-current={tab === current ? 'page' : undefined} data-tab={tab}>
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d={icon} />
              </svg>
              <span>{i18n.t(key)}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Routed({ route }: { route: Route }) {
  switch (route.page) {
    case 'requests':
      return <RequestsPage />;
    case 'ticket':
      return <TicketPage number={route.number} />;
    case 'new':
      return <NewRequestPage article={route.article} category={route.category} />;
    case 'help':
      return <HelpPage />;
    case 'article':
      return <ArticlePage id={route.id} />;
    case 'settings':
      return <SettingsPage />;
    case 'solved':
      return <SolvedPage />;
  }
}

/** A page with no navigation: not signed in, banned, deleted, or the start-up failed. */
function Closed({ title, text, i18n }: { title: string; text: string; i18n: I18n }) {
  useEffect(() => applyLanguage(i18n), [i18n]);
  return (
    <main class="closed">
      <h1>{title}</h1>
      <p>{text}</p>
    </main>
  );
}

type Start = { state: 'ok'; settings: Settings; meta: Meta } | { state: 'error'; error: unknown } | { state: 'loading' };

function App({ launch, tg, api }: { launch: Launch; tg: TgWebApp | undefined; api: Api }) {
  const route = useRoute();
  const fallbackLang: Lang = asLang(launch.languageCode) ?? asLang(navigator.language) ?? 'en';
  const [start, setStart] = useState<Start>({ state: 'loading' });
  const [deleted, setDeleted] = useState(false);
  const load = () => {
    setStart({ state: 'loading' });
    Promise.all([api.settings(), api.meta()]).then(
      ([settings, meta]) => setStart({ state: 'ok', settings, meta }),
      (error) => setStart({ state: 'error', error }),
    );
  };
  useEffect(load, []);

  const settings = start.state === 'ok' ? start.settings : undefined;
  const i18n = useMemo(() => {
    const lang = asLang(settings?.language) ?? fallbackLang;
    return makeI18n(lang, validZone(settings?.time_zone) ? settings!.time_zone! : deviceZone());
  }, [settings?.language, settings?.time_zone]);
  useEffect(() => applyLanguage(i18n), [i18n]);

  if (deleted) return <Closed i18n={i18n} title={i18n.t('deleted_title')} text={i18n.t('deleted_text')} />;
  if (start.state === 'error') {
    const status = start.error instanceof ApiError ? start.error.status : 0;
    if (status === 401) return <Closed i18n={i18n} title={i18n.t('signin_title')} text={i18n.t('signin_text')} />;
    if (status === 403) return <Closed i18n={i18n} title={i18n.t('banned_title')} text={i18n.t('banned_text')} />;
    return (
      <main class="closed">
        <h1>{i18n.t('app_title')}</h1>
        <div class="notice error" role="alert">
          <p>{i18n.t('error_offline')}</p>
          <button type="button" class="button" onClick={load}>
            {i18n.t('retry')}
          </button>
        </div>
      </main>
    );
  }
  if (start.state === 'loading') {
    return (
      <main class="closed">
        <p class="loading" role="status">
          {i18n.t('loading')}
        </p>
      </main>
    );
  }
  const ctx: AppContext = {
    api,
    i18n,
    tg,
    meta: start.meta,
    settings: start.settings,
    onSettings: (s) => setStart({ ...start, settings: s }),
    onDeleted: () => {
      forgetLaunch();
      setDeleted(true);
    },
  };
  return (
    <Ctx.Provider value={ctx}>
      <main id="main">
        <Routed route={route} />
      </main>
      <Nav current={tabOf(route)} i18n={i18n} />
    </Ctx.Provider>
  );
}

async function boot(): Promise<void> {
  const tg = await loadTelegram();
  const launch = readLaunch(tg);
  applyTheme(launch.theme, launch.colorScheme);
  tg?.onEvent('themeChanged', () => applyTheme(tg.themeParams, tg.colorScheme));
  // The launch data is read: the hash is the router's now (a deep link opens its page), and a `?startapp=`
  // has done its job (a reload stays on the page it is on).
  if (new URLSearchParams(location.search).has('startapp')) history.replaceState(null, '', location.pathname + location.hash);
  const first = routeOfStartParam(launch.startParam) ?? (location.hash.startsWith('#/') ? parseRoute(location.hash) : { page: 'requests' as const });
  navigate(first, true);
  const root = document.getElementById('app')!;
  root.replaceChildren();
  if (!launch.initData) {
    const i18n = makeI18n(asLang(navigator.language) ?? 'en', deviceZone());
    render(<Closed i18n={i18n} title={i18n.t('signin_title')} text={i18n.t('signin_text')} />, root);
  } else {
    const api = new Api(launch.initData);
    render(<App launch={launch} tg={tg} api={api} />, root);
    api.opened(launch.startParam).catch(() => undefined);
  }
  tg?.ready();
  tg?.expand();
}

void boot();
