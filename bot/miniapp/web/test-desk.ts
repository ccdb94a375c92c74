/**
 * A real desk for the Mini App's browser test and its screenshot script: the sandbox over HTTP, the desk with
 * its features (the knowledge base the app searches), PGlite in a scratch directory, and the desk's HTTP
 * routes for the app (bot/miniapp/plugin.ts: the built web app at /app/, its API at /app/api). Customers open
 * the app with the launch data the sandbox signs for them (GET /sandbox/customers/{id}/webapp), as Telegram
 * would hand it over.
 */
import { createServer } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Features } from '../../features/features.js';
import { loadMiniAppConfig } from '../config.js';
import { miniAppPlugin } from '../plugin.js';
import { DEFAULT_SUPPORT_CHAT_ID } from '../../../sandbox/identities.js';
import { coreTestFeatures, startHarness, type Harness } from '../../../test/bot/harness.js';

export { CHROMIUM } from '../../../test/helpers/chromium.js';

export const SUPPORT_CHAT = DEFAULT_SUPPORT_CHAT_ID;
export const AGENT = { id: 9_100_001, first_name: 'Maria' };

export interface Person {
  id: number;
  first_name: string;
  language_code?: string;
}

export interface MiniAppDesk {
  h: Harness;
  features: Features;
  http: FastifyInstance;
  /** The app's address on the desk's server: http://127.0.0.1:<port>/app/ */
  appUrl: string;
  /**
   * The URL Telegram would open for `customer` (GET /sandbox/customers/{id}/webapp): the bot's menu button
   * (or `startapp`, a web_app button's URL) with the signed launch data and the sandbox's light theme in its
   * hash; `theme` replaces the theme ('none': no themeParams).
   */
  launchUrl(customer: Person, o?: { startParam?: string; startapp?: string; theme?: Record<string, string> | 'none' }): Promise<string>;
  /** The URL of the web_app button on the customer's latest bot message that has one (the receipt's Track status). */
  webAppButtonUrl(customerId: number): Promise<string>;
  close(): Promise<void>;
}

/** A port free right now on the loopback (the desk must know the app's URL before the app's server listens). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startMiniAppDesk(o: {
  webRoot: string /** The desk's own variables besides WEBAPP_URL (e.g. EXPERIMENTS_DIR). */;
  env?: Record<string, string>;
  /** The features' variables (e.g. CONSENT_VERSION: the trust feature's consent step). */
  featuresEnv?: Record<string, string>;
}): Promise<MiniAppDesk> {
  const features = coreTestFeatures(o.featuresEnv);
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}/app/`;
  // WEBAPP_URL as in production: the desk sets the menu button and puts Track status on receipts.
  const h = await startHarness({ features: () => features, env: { ...o.env, WEBAPP_URL: appUrl } });
  const config = loadMiniAppConfig({});
  const http = Fastify();
  await http.register(miniAppPlugin, {
    desk: h.desk.services,
    runtime: features.runtime,
    maxAgeSeconds: config.WEBAPP_AUTH_MAX_AGE,
    ratePerMinute: 10_000,
    webRoot: o.webRoot,
  });
  await http.listen({ host: '127.0.0.1', port });
  await h.client.setMember({ user_id: AGENT.id, status: 'member', first_name: AGENT.first_name });
  return {
    h,
    features,
    http,
    appUrl,
    async launchUrl(customer, lo = {}) {
      // The menu button the desk set (WEBAPP_URL), or a web_app button's URL with `?startapp=` (Track status).
      const { url } = await h.client.openWebApp(customer.id, {
        ...(lo.startapp ? { url: lo.startapp } : {}),
        ...(lo.startParam ? { start_param: lo.startParam } : {}),
      });
      if (!url) throw new Error('the sandbox gave no launch URL');
      if (lo.theme === undefined) return url;
      // Another theme than the sandbox's light one: Telegram's night colours, or none (the device's scheme).
      const u = new URL(url);
      const hash = new URLSearchParams(u.hash.slice(1));
      if (lo.theme === 'none') hash.delete('tgWebAppThemeParams');
      else hash.set('tgWebAppThemeParams', JSON.stringify(lo.theme));
      u.hash = hash.toString();
      return u.toString();
    },
    async webAppButtonUrl(customerId) {
      const messages = await h.client.getCustomerMessages(customerId);
      for (const m of [...messages].reverse()) {
        const found = /"web_app":\{"url":"([^"]+)"/.exec(JSON.stringify(m));
        if (found) return found[1]!;
      }
      throw new Error(`no web_app button in the chat of ${customerId}`);
    },
    async close() {
      await http.close();
      await h.close();
    },
  };
}

/**
 * A customer's history through the bot, as the app will show it: a question answered and resolved, then a
 * new one that waits for an agent (with its ETA). Returns the two ticket numbers and the open one's topic.
 */
export async function seedHistory(d: MiniAppDesk, c: Person): Promise<{ closed: number; open: number; openThread: number }> {
  const tg = d.h.client;
  await tg.sendCustomerMessage(c.id, { text: 'How do I change the e-mail on my account?', first_name: c.first_name, language_code: c.language_code ?? 'en' });
  await tg.waitForCustomerMessage(c.id, /What is your question about/, { timeoutMs: 15_000 });
  await tg.pressCustomerButton(c.id, '👤 Account');
  const first = await tg.waitForTopic((t) => t.name.includes(c.first_name) && t.name.includes('Account'), { timeoutMs: 15_000 });
  await tg.sendSupportMessage({ from_id: AGENT.id, thread_id: first.thread_id, text: 'Hi! Settings → Profile → E-mail; we send a code to the new address.' });
  await tg.waitForCustomerMessage(c.id, 'Settings → Profile', { timeoutMs: 15_000 });
  await tg.sendSupportMessage({ from_id: AGENT.id, thread_id: first.thread_id, text: '/resolve' });
  await tg.waitForTopic((t) => t.thread_id === first.thread_id && t.name.startsWith('🏁'), { timeoutMs: 15_000 });
  const closed = Number(/#(\d+)/.exec(first.name)![1]);

  // One topic per customer: the new ticket takes the same topic back, under its own number.
  const since = (await tg.getCustomerMessages(c.id)).at(-1)?.message_id ?? 0;
  await tg.sendCustomerMessage(c.id, { text: 'The October invoice shows the wrong amount', first_name: c.first_name, language_code: c.language_code ?? 'en' });
  await tg.waitForCustomerMessage(c.id, /What is your question about/, { timeoutMs: 15_000, after: since });
  const topic = await tg.waitForTopic((t) => t.thread_id === first.thread_id && t.name.startsWith('❗️') && !t.name.includes(`#${closed} `), {
    timeoutMs: 15_000,
  });
  const open = Number(/#(\d+)/.exec(topic.name)![1]);
  await tg.pressCustomerButton(c.id, '💳 Payment');
  await tg.waitForTopic((t) => t.thread_id === topic.thread_id && t.name.includes('Payment'), { timeoutMs: 15_000 });
  await d.h.settle();
  return { closed, open, openThread: topic.thread_id };
}
