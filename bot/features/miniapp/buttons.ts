/**
 * The Mini App's buttons and links (WEBAPP_URL): which page a button opens travels as the `startapp`
 * query parameter of the app's URL (a web_app button carries no start_param of its own; a t.me direct link
 * would put it in initData's start_param — the app reads either). Payloads: `ticket-<number>`,
 * `article-<id>`, `new`, `settings`.
 */
import type { Desk } from '../../context.js';

/** A page of the app: the payload `/start <payload>` and `startapp` carry. */
export const START_PAYLOAD = /^(ticket-\d{1,12}|article-[\w-]{1,48}|new|settings)$/;

/** The app's URL opening `payload` (none: the app's start page). */
export function webAppLink(base: string, payload?: string): string {
  const url = new URL(base);
  if (payload) url.searchParams.set('startapp', payload);
  return url.toString();
}

/** A web_app button's text and URL, in the customer's language; undefined without WEBAPP_URL. */
export function webAppButton(desk: Desk, locale: string, key: string, payload?: string): { text: string; url: string } | undefined {
  const base = desk.config.webAppUrl;
  if (!base) return undefined;
  return { text: desk.translate(locale, key), url: webAppLink(base, payload) };
}

/** The receipt's "Track status" button: the ticket's page in the app. */
export function trackStatusButton(desk: Desk, locale: string, ticketId: number): { text: string; url: string } | undefined {
  return webAppButton(desk, locale, 'miniapp-track-status', `ticket-${ticketId}`);
}
