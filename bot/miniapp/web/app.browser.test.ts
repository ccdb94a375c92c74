/**
 * The customer Mini App in real headless Chromium (a 360×640 phone) against a real desk and the sandbox: the
 * customer opens it with the launch data the sandbox signs, sees their requests with status and ETA, reads a
 * whole conversation, replies (the agents see it in the topic), attaches a photo (a wrong type or too large a file
 * is refused before anything is sent), is deflected by a KB article, creates a request with a screenshot
 * (topic, card, photo and receipt appear), uses the help centre, switches to Persian (right to left) and another
 * time zone (the dates change); light and dark themes, Telegram's own theme colours, its BackButton and
 * MainButton; axe-core finds no serious or critical violation on any page in either theme.
 */
import { DEFAULT_ESCALATION_CHAT_ID } from '../../../sandbox/identities.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../../test/helpers/tmp.js';
import { AGENT, CHROMIUM, type MiniAppDesk, type Person, SUPPORT_CHAT, seedHistory, startMiniAppDesk } from './test-desk.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const PHONE = { width: 360, height: 640 };
const ANNA: Person = { id: 424_242, first_name: 'Anna', language_code: 'en' };
const ESCALATION_CHAT = DEFAULT_ESCALATION_CHAT_ID;
const ZED: Person = { id: 515_151, first_name: 'Zed', language_code: 'en' };
/** Telegram's own night palette (tdesktop), as a client passes it in tgWebAppThemeParams. */
const TELEGRAM_DARK = {
  bg_color: '#17212b',
  text_color: '#f5f5f5',
  hint_color: '#708499',
  link_color: '#6ab3f3',
  button_color: '#5288c1',
  button_text_color: '#ffffff',
  secondary_bg_color: '#232e3c',
  section_bg_color: '#17212b',
  destructive_text_color: '#ec3942',
};

const web = tmpDataDir('miniapp-web-');
let d: MiniAppDesk;
let browser: Browser;
let history: Awaited<ReturnType<typeof seedHistory>>;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await build({ configFile: join(process.cwd(), 'bot/miniapp/web/vite.config.ts'), logLevel: 'error', build: { outDir: web.dir, emptyOutDir: true } });
  d = await startMiniAppDesk({ webRoot: web.dir, featuresEnv: { OFFICIAL_ACCOUNTS: '@acme_support, @acme' } });
  history = await seedHistory(d, ANNA);
  // Zed has only said hello to the bot: no request yet.
  await d.h.client.sendCustomerMessage(ZED.id, { text: '/start', first_name: ZED.first_name, language_code: 'en' });
  await d.h.client.waitForCustomerMessage(ZED.id, /Hi, Zed/, { timeoutMs: 15_000 });
  browser = await chromium.launch(CHROMIUM);
});

afterAll(async () => {
  await browser?.close();
  await d?.close();
  web.cleanup();
});

interface Phone {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

async function phone(colorScheme: 'light' | 'dark' = 'light', timezoneId = 'UTC'): Promise<Phone> {
  const context = await browser.newContext({ viewport: PHONE, colorScheme, timezoneId, locale: 'en-GB', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Serious and critical axe-core findings on the page as it is now (WCAG 2.1 A/AA rules and best practice). */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const heading = (page: Page) => page.locator('main h1');
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('the Mini App in Chromium against a real desk', () => {
  it('opens from the sandbox launch data and lists the requests with status words, queue, ETA and the closed one under Closed', async () => {
    const { page, errors, context } = await phone();
    try {
      await page.goto(await d.launchUrl(ANNA));
      await page.locator('#ticket-list').waitFor();
      expect(await heading(page).innerText()).toBe('My requests');
      // The launch data is read and the hash is the router's now.
      expect(new URL(page.url()).hash).toBe('#/requests');
      const open = page.locator(`li.ticket[data-number="${history.open}"]`);
      expect(await open.locator('.card-title').innerText()).toContain(`Request #${history.open}`);
      expect(await open.locator('.card-title').innerText()).toContain('Payment');
      expect(await open.locator('.status').innerText()).toMatch(/❗️ (Received, waiting for an agent|Waiting for an agent)/);
      expect(await open.locator('.queue').innerText()).toBe('payments');
      const eta = open.locator('time.eta');
      expect(await eta.getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await eta.innerText()).toMatch(/in \d+ (minute|hour)s?|late/);
      expect(await page.locator('li.ticket').count()).toBe(1);
      expect(await page.locator('.legend').innerText()).toContain('❗️ waiting for us · 📝 in progress · 🏁 solved');

      await page.getByLabel('Closed').check();
      const closed = page.locator(`li.ticket[data-number="${history.closed}"]`);
      await closed.waitFor();
      expect(await closed.locator('.status').innerText()).toBe('🏁 Solved');
      expect(await closed.locator('.agent').innerText()).toBe('Maria');
      expect(await page.locator('li.ticket').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('opens a closed request and reads the whole conversation in order; the back link returns to the list', async () => {
    const { page, errors, context } = await phone();
    try {
      await page.goto(await d.launchUrl(ANNA));
      await page.getByLabel('Closed').check();
      await page.locator(`li.ticket[data-number="${history.closed}"] a`).click();
      await page.locator('#conversation').waitFor();
      expect(await heading(page).innerText()).toBe(`Request #${history.closed}`);
      const messages = await page
        .locator('#conversation li.msg')
        .evaluateAll((els) => els.map((e) => ({ from: (e as HTMLElement).dataset.from, text: e.querySelector('.text')?.textContent ?? '' })));
      const customer = messages.findIndex((m) => m.from === 'customer' && m.text.includes('How do I change the e-mail'));
      const agent = messages.findIndex((m) => m.from === 'agent' && m.text.includes('Settings → Profile → E-mail'));
      expect(customer).toBeGreaterThanOrEqual(0);
      expect(agent).toBeGreaterThan(customer);
      expect(await page.locator('#conversation li.msg[data-from="agent"] .who').first().innerText()).toMatch(/^Maria · /);
      // Resolved: Reopen instead of the reply box.
      expect(await page.locator('#reopen').isVisible()).toBe(true);
      expect(await page.locator('#reply-form').count()).toBe(0);
      await page.getByRole('link', { name: 'Back' }).click();
      await page.locator('#ticket-list').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a reply from the app reaches the agents in the ticket’s topic, like a message to the bot', async () => {
    const { page, errors, context } = await phone();
    try {
      // Opened by the receipt's Track status button: the page comes as ?startapp= in the app's URL.
      const track = await d.webAppButtonUrl(ANNA.id);
      expect(track).toBe(`${d.appUrl}?startapp=ticket-${history.open}`);
      await page.goto(await d.launchUrl(ANNA, { startapp: track }));
      await page.locator('#reply-form').waitFor();
      expect(new URL(page.url()).search).toBe('');
      expect(await heading(page).innerText()).toBe(`Request #${history.open}`);
      expect(await page.locator('#conversation').innerText()).toContain('The October invoice shows the wrong amount');
      await page.getByLabel('Your reply').fill('The order number is 5521, paid by Visa');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.locator('.notice.ok', { hasText: 'Sent.' }).waitFor();
      const inTopic = await d.h.client.waitForChatMessage(SUPPORT_CHAT, 'The order number is 5521', {
        threadId: history.openThread,
        from: 'any',
        timeoutMs: 15_000,
      });
      expect(inTopic.thread_id).toBe(history.openThread);
      // The conversation shows it as the customer's.
      await page.locator('#conversation li.msg[data-from="customer"]', { hasText: 'The order number is 5521' }).waitFor();
      // The agent answers in the topic: the open page shows it without a reload.
      await d.h.client.sendSupportMessage({ from_id: AGENT.id, thread_id: history.openThread, text: 'Thanks! I see order 5521, refunding the difference.' });
      await page.locator('#conversation li.msg[data-from="agent"]', { hasText: 'refunding the difference' }).waitFor({ timeout: 20_000 });
      expect(await page.locator('.facts .status').innerText()).toMatch(/📝/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('attach: a small PNG from the reply box reaches the agents’ topic as a photo; a wrong type or too large a file is refused with the reason and nothing is sent', async () => {
    const { page, errors, context } = await phone();
    const uploads: string[] = [];
    page.on('request', (r) => r.url().includes('/attachments') && uploads.push(r.method()));
    const photosInTopic = async () =>
      (await d.h.client.getChatMessages(SUPPORT_CHAT, { threadId: history.openThread })).filter((m) => m.media === 'photo').length;
    try {
      const before = await photosInTopic();
      await page.goto(await d.launchUrl(ANNA, { startParam: `ticket-${history.open}` }));
      await page.locator('#reply-form').waitFor();
      const input = page.getByLabel('Attach a photo or file (optional)');
      expect(await input.getAttribute('type')).toBe('file');
      const send = page.locator('#reply-form button[type="submit"]');

      await input.setInputFiles({ name: 'virus.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
      await page.locator('#reply-file-error').waitFor();
      expect(await page.locator('#reply-file-error').innerText()).toBe('“virus.exe” cannot be sent: photos (JPEG, PNG, WebP), PDF, text or ZIP files can.');
      expect(await input.getAttribute('aria-describedby')).toBe('reply-file-hint reply-file-error');
      expect(await input.evaluate((el) => (el as HTMLInputElement).files?.length)).toBe(0);
      expect(await send.isDisabled()).toBe(true);

      await input.setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(20 * 1024 * 1024 + 1, 0x25) });
      await page.locator('#reply-file-error', { hasText: 'huge.pdf' }).waitFor();
      expect(await page.locator('#reply-file-error').innerText()).toBe('“huge.pdf” is too large (20.1 MB): it may be at most 20 MB.');
      expect(await send.isDisabled()).toBe(true);
      expect(uploads).toEqual([]);

      await input.setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
      expect(await page.locator('#reply-file-error').count()).toBe(0);
      expect(await page.locator('.attach-chosen').innerText()).toContain('screen.png');
      await page.getByLabel('Your reply').fill('This is what the invoice page shows');
      await send.click();
      await page.locator('.notice.ok', { hasText: 'Sent.' }).waitFor();
      expect(uploads).toEqual(['POST']);
      const photo = await d.h.client.waitForChatMessage(SUPPORT_CHAT, (m) => m.media === 'photo' && (m.caption ?? '').includes('what the invoice page shows'), {
        threadId: history.openThread,
        from: 'any',
        timeoutMs: 15_000,
      });
      expect(photo.thread_id).toBe(history.openThread);
      expect(await photosInTopic()).toBe(before + 1);
      // Sent: the box is empty again, and the conversation shows it as the customer's.
      expect(await input.evaluate((el) => (el as HTMLInputElement).files?.length)).toBe(0);
      expect(await page.locator('.attach-chosen').count()).toBe(0);
      await page.locator('#conversation li.msg[data-from="customer"]', { hasText: 'what the invoice page shows' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a new customer is deflected by a KB article, then creates a request with a screenshot: topic, card, photo and receipt appear', async () => {
    const { page, errors, context } = await phone();
    try {
      await page.goto(await d.launchUrl(ZED));
      await page.locator('.empty').waitFor();
      expect(await page.locator('.empty').innerText()).toContain('You have no open requests.');
      await page.locator('nav a[data-tab="new"]').click();
      await page.locator('#new-request').waitFor();
      expect(await heading(page).innerText()).toBe('New request');
      // Validation before anything is sent.
      await page.locator('#send-request').click();
      expect(await page.locator('#category-error').innerText()).toBe('Please choose a topic.');
      expect(await page.locator('#text-error').innerText()).toBe('Please write at least 10 characters.');

      await page.getByLabel('Describe the problem').fill('My payment failed, the card was declined at checkout');
      const suggestion = page.locator('#suggestions li[data-article="payment-failed"]');
      await suggestion.waitFor({ timeout: 10_000 });
      await suggestion.getByRole('button', { name: 'Read' }).click();
      await suggestion.locator('.inline-article').waitFor();
      expect(await suggestion.locator('.inline-article').innerText()).toContain('Check the card details');
      await suggestion.getByRole('button', { name: 'Solved by this article' }).click();
      await page.locator('#h-deflected').waitFor();
      expect(await heading(page).innerText()).toBe('Glad it is solved!');
      expect((await d.h.client.getTopics()).some((t) => t.name.includes('Zed'))).toBe(false);

      await page.locator('nav a[data-tab="new"]').click();
      await page.locator('#new-request').waitFor();
      expect(await page.getByLabel('Describe the problem').inputValue()).toBe('');
      await page.getByLabel('Account').check();
      await page.getByLabel('Describe the problem').fill('I cannot log in since yesterday, the code never arrives');
      // A screenshot is pictures only.
      const screenshot = page.getByLabel('Screenshot (optional)');
      await screenshot.setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
      expect(await page.locator('#request-screenshot-error').innerText()).toBe('“notes.pdf” is not a picture: choose a JPEG, PNG or WebP image.');
      await screenshot.setInputFiles({ name: 'login.png', mimeType: 'image/png', buffer: PNG });
      await page.locator('#send-request').click();
      await page.waitForURL(/#\/requests\/\d+$/);
      const number = Number(/(\d+)$/.exec(page.url())![1]);
      await page.locator('.notice.ok', { hasText: `Request #${number} is created` }).waitFor();
      await page.locator('#conversation').waitFor();

      const topic = await d.h.client.waitForTopic((t) => t.name.includes('Zed') && t.name.includes(`#${number}`), { timeoutMs: 15_000 });
      expect(topic.name).toContain('Account');
      const card = await d.h.client.waitForChatMessage(SUPPORT_CHAT, `#${number}`, { threadId: topic.thread_id, timeoutMs: 15_000 });
      expect(card.from).toBe('bot');
      await d.h.client.waitForChatMessage(SUPPORT_CHAT, 'I cannot log in since yesterday', { threadId: topic.thread_id, from: 'any', timeoutMs: 15_000 });
      await d.h.client.waitForChatMessage(SUPPORT_CHAT, (m) => m.media === 'photo', { threadId: topic.thread_id, from: 'any', timeoutMs: 15_000 });
      const receipt = await d.h.client.waitForCustomerMessage(ZED.id, `#${number}`, { timeoutMs: 15_000 });
      expect(receipt.text).toMatch(/created|queue/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('help centre: search, an article, “Did this help?”, and “ask a human” opens a request about it', async () => {
    const { page, errors, context } = await phone();
    try {
      await page.goto(await d.launchUrl(ANNA));
      await page.locator('nav a[data-tab="help"]').click();
      await page.locator('#popular li').first().waitFor();
      await page.getByLabel('Search the help centre').fill('refund');
      const hit = page.locator('#search-results li[data-article="refunds"]');
      await hit.waitFor({ timeout: 10_000 });
      await hit.locator('a').click();
      await page.locator('.article-body').waitFor();
      expect(await heading(page).innerText()).toMatch(/refund/i);
      await page.getByRole('button', { name: 'Yes' }).click();
      await page.locator('.notice.ok', { hasText: 'Thank you for telling us.' }).waitFor();
      await page.getByRole('link', { name: 'Ask a human about this' }).click();
      await page.waitForURL(/#\/new\?article=refunds$/);
      await page.waitForFunction(() => (document.getElementById('request-text') as HTMLTextAreaElement | null)?.value.startsWith('About the article'));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('settings: another time zone changes the dates shown; Persian turns the layout right to left', async () => {
    const { page, errors, context } = await phone();
    try {
      const url = await d.launchUrl(ANNA, { startParam: `ticket-${history.open}` });
      await page.goto(url);
      const created = page.locator('.facts time.created');
      await created.waitFor();
      const before = await created.innerText();

      await page.locator('nav a[data-tab="settings"]').click();
      await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
      await page.locator('#save-settings').click();
      await page.locator('.notice.ok', { hasText: 'Saved.' }).waitFor();
      await page.goBack();
      await created.waitFor();
      const after = await created.innerText();
      expect(after).not.toBe(before);
      // The same instant, now as Tokyo's clocks show it (the device stays in UTC).
      const instant = (await created.getAttribute('datetime'))!;
      const inZone = (zone: string) =>
        page.evaluate(
          ([iso, tz]) => new Intl.DateTimeFormat('en', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso!)),
          [instant, zone],
        );
      expect(before).toBe(await inZone('UTC'));
      expect(after).toBe(await inZone('Asia/Tokyo'));
      // The zone is the customer's, kept by the server: a fresh launch shows it too.
      expect((await (await fetch(`${d.appUrl}api/settings`, { headers: { authorization: `tma ${initDataOf(url)}` } })).json()).time_zone).toBe('Asia/Tokyo');

      await page.locator('nav a[data-tab="settings"]').click();
      await page.getByLabel('Language').selectOption('fa');
      await page.locator('#save-settings').click();
      await page.waitForFunction(() => document.documentElement.dir === 'rtl');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fa');
      expect(await heading(page).innerText()).toBe('تنظیمات');
      expect(await page.locator('nav a[data-tab="requests"]').innerText()).toBe('درخواست‌های من');
      // Right to left: the first tab sits at the right edge.
      const first = await page.locator('nav li').first().boundingBox();
      const last = await page.locator('nav li').last().boundingBox();
      expect(first!.x).toBeGreaterThan(last!.x);
      expect(await seriousViolations(page), 'settings in Persian').toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'miniapp-rtl-settings.png') });
      expect(errors).toEqual([]);
    } finally {
      // Back to English for the tests after this one.
      await context.close();
      const url = await d.launchUrl(ANNA);
      const auth = { authorization: `tma ${initDataOf(url)}`, 'content-type': 'application/json' };
      const current = await (await fetch(`${d.appUrl}api/settings`, { headers: auth })).json();
      await fetch(`${d.appUrl}api/settings`, { method: 'PUT', headers: auth, body: JSON.stringify({ ...current, language: 'en', time_zone: 'UTC' }) });
    }
  });

  it('themes: light and dark follow prefers-color-scheme; Telegram’s themeParams become the CSS colours, with AA contrast kept', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, context } = await phone(scheme);
      try {
        await page.goto(await d.launchUrl(ANNA, { theme: 'none' }));
        await page.locator('#ticket-list').waitFor();
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(bg).toBe(scheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(17, 24, 32)');
        await page.screenshot({ path: join(ARTIFACTS, `miniapp-${scheme}.png`) });
      } finally {
        await context.close();
      }
    }
    const { page, context } = await phone('light');
    try {
      await page.goto(await d.launchUrl(ANNA, { theme: TELEGRAM_DARK }));
      await page.locator('#ticket-list').waitFor();
      const vars = await page.evaluate(() => {
        const s = getComputedStyle(document.documentElement);
        return { bg: s.getPropertyValue('--bg'), hint: s.getPropertyValue('--hint'), theme: document.documentElement.dataset.theme };
      });
      expect(vars.bg).toBe('#17212b');
      expect(vars.theme).toBe('dark');
      // Telegram's hint colour (#708499 on #17212b, 4.0:1) is lightened to reach 4.5:1.
      expect(vars.hint).not.toBe('#708499');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('inside Telegram: ready() and expand(), the BackButton on inner pages and the MainButton sends a request', async () => {
    const { page, context, errors } = await phone();
    try {
      const url = await d.launchUrl(ZED);
      const initData = initDataOf(url);
      // What telegram-web-app.js would give the page, recording what the app asks of it.
      await page.addInitScript((data: string) => {
        const calls: string[] = [];
        const handlers: Record<string, () => void> = {};
        const button = (name: string) => {
          const b = {
            text: '',
            isVisible: false,
            active: true,
            setText: (t: string) => ((b.text = t), b),
            onClick: (cb: () => void) => ((handlers[name] = cb), b),
            offClick: () => (delete handlers[name], b),
            show: () => ((b.isVisible = true), calls.push(`${name}.show`), b),
            hide: () => ((b.isVisible = false), b),
            enable: () => ((b.active = true), b),
            disable: () => ((b.active = false), b),
            showProgress: () => b,
            hideProgress: () => b,
          };
          return b;
        };
        const w = window as unknown as Record<string, unknown>;
        w.Telegram = {
          WebApp: {
            initData: data,
            initDataUnsafe: {},
            colorScheme: 'light',
            themeParams: {
              bg_color: '#ffffff',
              text_color: '#000000',
              hint_color: '#999999',
              link_color: '#2481cc',
              button_color: '#2481cc',
              button_text_color: '#ffffff',
            },
            ready: () => calls.push('ready'),
            expand: () => calls.push('expand'),
            onEvent: () => undefined,
            BackButton: button('BackButton'),
            MainButton: button('MainButton'),
          },
        };
        w.__tg = { calls, press: (name: string) => handlers[name]?.() };
      }, initData);
      await page.goto(d.appUrl);
      await page.locator('main h1').waitFor();
      const tg = () => page.evaluate(() => (window as unknown as { __tg: { calls: string[] } }).__tg.calls);
      expect(await tg()).toEqual(expect.arrayContaining(['ready', 'expand']));
      // Telegram's button blue (#2481cc, 4.3:1 with white) darkened to AA.
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent'))).not.toBe('#2481cc');

      await page.locator('nav a[data-tab="new"]').click();
      await page.locator('#new-request').waitFor();
      // Shown by an effect after the page renders.
      await page.waitForFunction(() => {
        const b = (window as unknown as { Telegram: { WebApp: { MainButton: { text: string; isVisible: boolean } } } }).Telegram.WebApp.MainButton;
        return b.isVisible && b.text === 'Send request';
      });
      expect(await page.locator('#send-request').count()).toBe(0);
      await page.getByLabel('Payment').check();
      await page.getByLabel('Describe the problem').fill('Please send me the invoice for November');
      await page.evaluate(() => (window as unknown as { __tg: { press(n: string): void } }).__tg.press('MainButton'));
      await page.waitForURL(/#\/requests\/\d+$/);
      const number = Number(/(\d+)$/.exec(page.url())![1]);
      // Zed's request from before is still open: the text joined it, as a message to the bot would.
      await page.locator('.notice.ok', { hasText: `You already had request #${number} open` }).waitFor();
      await page.locator('#conversation li.msg[data-from="customer"]', { hasText: 'Please send me the invoice for November' }).waitFor();
      await d.h.client.waitForCustomerMessage(ZED.id, `#${number}`, { timeoutMs: 15_000 });
      // An inner page: Telegram's BackButton instead of the page's link; it goes back.
      expect(await page.getByRole('link', { name: 'Back' }).count()).toBe(0);
      await page.waitForFunction(
        () => (window as unknown as { Telegram: { WebApp: { BackButton: { isVisible: boolean } } } }).Telegram.WebApp.BackButton.isVisible,
      );
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  const themes = [
    ['light', undefined, 'Telegram’s light theme (the sandbox’s)'],
    ['light', TELEGRAM_DARK, 'Telegram’s dark theme'],
    ['light', 'none' as const, 'no themeParams, a light device'],
    ['dark', 'none' as const, 'no themeParams, a dark device'],
  ] as const;
  for (const [scheme, theme, what] of themes) {
    it(`axe-core: no serious or critical violation on any page or the deletion dialog — ${what}`, { timeout: 180_000 }, async () => {
      const { page, context } = await phone(scheme);
      try {
        const pages: Array<[string, string, string]> = [
          ['requests', '', '#ticket-list'],
          ['ticket', `ticket-${history.open}`, '#reply-form'],
          ['closed ticket', `ticket-${history.closed}`, '#reopen'],
          ['new request', 'new', '#new-request'],
          ['help centre', 'help', '#popular li'],
          ['article', 'article-payment-failed', '.article-body'],
          ['settings', 'settings', '#settings-form'],
        ];
        for (const [name, startParam, ready] of pages) {
          await page.goto('about:blank');
          await page.goto(await d.launchUrl(ANNA, { ...(startParam ? { startParam } : {}), ...(theme ? { theme } : {}) }));
          await page.locator(ready).first().waitFor();
          if (name === 'new request') {
            await page.getByLabel('Describe the problem').fill('payment failed');
            await page.locator('#send-request').click();
          }
          expect(await seriousViolations(page), `${name}, ${what}`).toEqual([]);
        }
        await page.locator('#delete').click();
        await page.locator('#delete-dialog[open]').waitFor();
        expect(await seriousViolations(page), `deletion dialog, ${what}`).toEqual([]);
        await page.getByRole('button', { name: 'Cancel' }).click();
      } finally {
        await context.close();
      }
    });
  }

  it('text scales: with the text at 200 % nothing on any page is wider than the phone', async () => {
    const { page, context } = await phone();
    try {
      for (const [startParam, ready] of [
        ['', '#ticket-list'],
        [`ticket-${history.open}`, '#reply-form'],
        ['new', '#new-request'],
        ['article-payment-failed', '.article-body'],
        ['settings', '#settings-form'],
      ] as const) {
        await page.goto('about:blank');
        await page.goto(await d.launchUrl(ANNA, startParam ? { startParam } : {}));
        await page.locator(ready).first().waitFor();
        // The stylesheet sizes everything in rem: a larger root font is what a customer's text-size setting does.
        await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
        const overflow = await page.evaluate(() => ({
          width: document.documentElement.scrollWidth,
          wider: [...document.querySelectorAll('main *, nav *')]
            .filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
            .map((e) => e.outerHTML.slice(0, 80)),
        }));
        expect(overflow, startParam || 'requests').toEqual({ width: PHONE.width, wider: [] });
      }
    } finally {
      await context.close();
    }
  });

  it('settings: the official accounts are named, and a fake account reported by its link reaches the team leads', async () => {
    const { page, context, errors } = await phone();
    try {
      await page.goto(await d.launchUrl(ANNA, { startParam: 'settings' }));
      await page.locator('#settings-form').waitFor();
      const official = page.locator('section.official');
      expect(await official.locator('bdi').allTextContents()).toEqual(['@acme_support', '@acme']);
      const send = page.getByRole('button', { name: 'Report', exact: true });
      expect(await send.isDisabled()).toBe(true);
      await page.getByLabel('Report a fake account').fill('t.me/acme_supp0rt');
      await send.click();
      await official.getByText('Thank you — our team has been told').waitFor();
      expect(await page.getByLabel('Report a fake account').inputValue()).toBe('');
      await d.h.client.waitForChatMessage(ESCALATION_CHAT, /Fake account reported[\s\S]*@acme_supp0rt/);
      // A text that names no account: the reason, and nothing sent.
      await page.getByLabel('Report a fake account').fill('someone weird');
      await send.click();
      await official.getByRole('alert').waitFor();
      expect(await official.getByRole('alert').textContent()).toContain("give the fake account's @username or its t.me link");
      expect((await d.h.client.getChatMessages(ESCALATION_CHAT)).filter((m) => /Fake account reported/.test(m.text ?? '')).length).toBe(1);
      expect(errors.filter((e) => !/400/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('privacy: the customer downloads their data, then deletes it after confirming; the app ends', async () => {
    const { page, context, errors } = await phone();
    try {
      await page.goto(await d.launchUrl(ZED, { startParam: 'settings' }));
      await page.locator('#settings-form').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
      expect(download.suggestedFilename()).toBe('my-support-data.json');
      const exported = JSON.parse(await streamText(await download.createReadStream()));
      expect(JSON.stringify(exported)).toContain('I cannot log in since yesterday');

      await page.getByRole('button', { name: 'Delete my data' }).click();
      await page.locator('#delete-dialog[open]').waitFor();
      // Cancel keeps everything.
      await page.getByRole('button', { name: 'Cancel' }).click();
      expect(await page.locator('#delete-dialog[open]').count()).toBe(0);
      await page.getByRole('button', { name: 'Delete my data' }).click();
      await page.getByRole('button', { name: 'Delete for good' }).click();
      await page.locator('main.closed h1', { hasText: 'Your data is deleted' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

function initDataOf(url: string): string {
  return new URLSearchParams(new URL(url).hash.slice(1)).get('tgWebAppData')!;
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
