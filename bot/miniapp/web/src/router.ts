/**
 * A hash router of a few lines: `#/requests`, `#/requests/12`, `#/new?article=refunds`, `#/help`, `#/help/refunds`,
 * `#/settings`. The hash is the app's only after start-up: Telegram's launch data arrives in it and is read first.
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'requests' }
  | { page: 'ticket'; number: number }
  | { page: 'new'; article?: string; category?: string }
  | { page: 'solved' }
  | { page: 'help' }
  | { page: 'article'; id: string }
  | { page: 'settings' };

export type Tab = 'requests' | 'new' | 'help' | 'settings';

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const q = new URLSearchParams(query);
  switch (parts[0]) {
    case 'requests':
      return parts[1] && /^\d+$/.test(parts[1]) ? { page: 'ticket', number: Number(parts[1]) } : { page: 'requests' };
    case 'new':
      return { page: 'new', article: q.get('article') ?? undefined, category: q.get('category') ?? undefined };
    case 'help':
      return parts[1] ? { page: 'article', id: parts[1] } : { page: 'help' };
    case 'settings':
      return { page: 'settings' };
    case 'solved':
      return { page: 'solved' };
    default:
      return { page: 'requests' };
  }
}

export function href(route: Route): string {
  switch (route.page) {
    case 'ticket':
      return `#/requests/${route.number}`;
    case 'new': {
      const q = new URLSearchParams();
      if (route.article) q.set('article', route.article);
      if (route.category) q.set('category', route.category);
      const s = q.toString();
      return s ? `#/new?${s}` : '#/new';
    }
    case 'article':
      return `#/help/${encodeURIComponent(route.id)}`;
    default:
      return `#/${route.page}`;
  }
}

/** The tab a page belongs to (the bottom navigation marks it). */
export function tabOf(route: Route): Tab {
  if (route.page === 'ticket') return 'requests';
  if (route.page === 'article') return 'help';
  if (route.page === 'solved') return 'new';
  return route.page;
}

/** A deep link's start parameter: `ticket-12` → that request, `article-refunds` → that article. */
export function routeOfStartParam(param: string | undefined): Route | undefined {
  const ticket = /^ticket-(\d+)$/.exec(param ?? '');
  if (ticket) return { page: 'ticket', number: Number(ticket[1]) };
  const article = /^article-([A-Za-z0-9_-]+)$/.exec(param ?? '');
  if (article) return { page: 'article', id: article[1]! };
  if (param === 'new') return { page: 'new' };
  if (param === 'help') return { page: 'help' };
  if (param === 'settings') return { page: 'settings' };
  return undefined;
}

export function navigate(route: Route, replace = false): void {
  const target = href(route);
  if (replace) {
    history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else location.hash = target;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
