/**
 * The dashboard in real headless Chromium against the real API over a seeded
 * desk in chDB: every panel gets data, filters change the numbers and live in
 * the URL, "24 h" is the last 24 hours, queues and categories show by their
 * configured labels, the token prompt works, no console errors. Screenshots go to
 * test-artifacts/ (light, dark, phone).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from '../../test/helpers/chromium.js';
import { insertRows } from '../../core/clickhouse.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { appActivity, deskEvents, seededDesk } from '../../test/analytics/history.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { loadDashboardConfig } from '../config.js';
import { buildDashboardServer } from '../server.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const HOUR = 3_600_000;
/**
 * The desk's categories as configured for this test: a label that looks like
 * markup (it must show as text), and "complaint" no longer configured (its
 * tickets are stored as "legacy_complaints", a renamed category: humanised).
 */
const CONFIG = loadDashboardConfig({ CATEGORIES: 'Payment:payments,Account:L1,Features:L1,Ideas <i>beta</i>:L1' });
const IDEAS = CONFIG.categories.find((c) => c.label.startsWith('Ideas'))!.key;
const RENAMED: Record<string, string> = { ideas: IDEAS, complaint: 'legacy_complaints' };
const PANELS = ['chart-volume', 'chart-frt', 'chart-frt-dist', 'chart-heatmap', 'chart-category', 'table-queue', 'table-agents', 'live'];

let db: AnalyticsDb;
let app: FastifyInstance;
let base: string;
let browser: BrowserContext;
const profile = tmpDataDir('desk-chromium-');
const webOut = tmpDataDir('desk-web-');

/** Chromium with a fresh profile directory (playwright passes it as --user-data-dir). */
async function launch(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile.dir, { ...CHROMIUM, deviceScaleFactor: 1 });
}

/** A page that records console errors; closing it forgets what the app stored (theme, token). */
async function openPage(viewport = { width: 1366, height: 768 }, colorScheme: 'light' | 'dark' = 'light') {
  const page = await browser.newPage();
  await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    page,
    errors,
    close: async () => {
      await page.evaluate(() => localStorage.clear()).catch(() => undefined);
      await page.close();
    },
  };
}

async function waitForPanels(page: Page): Promise<void> {
  await page.waitForFunction(
    (ids) => ids.every((id) => document.getElementById(id)?.dataset.state === 'data') && !document.querySelector('.card.loading'),
    PANELS,
    { timeout: 30_000 },
  );
}

const kpi = (page: Page, id: string) => page.locator(`[data-kpi="${id}"] .v`).innerText();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await build({ configFile: join(process.cwd(), 'dashboard/web/vite.config.ts'), logLevel: 'error', build: { outDir: webOut.dir, emptyOutDir: true } });
  db = await openAnalyticsDb();
  const now = Date.now();
  const specs = seededDesk({ tickets: 1500, days: 30, end: now, seed: 11 }).map((t) =>
    t.category && RENAMED[t.category.value] ? { ...t, category: { ...t.category, value: RENAMED[t.category.value]! } } : t,
  );
  await ingest(db.ch, [...deskEvents(specs), ...appActivity(specs)], 3);
  // one agent the desk has seen act (its name synced to `staff`); the others are known by id only
  await insertRows(db.ch, 'staff', [{ id: 500, display_name: 'Anna <b>K.', updated_at: new Date().toISOString() }]);
  app = await buildDashboardServer({ ch: db.ch, webRoot: webOut.dir, categories: CONFIG.categories, defaultQueue: CONFIG.DEFAULT_QUEUE });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.close();
  profile.cleanup();
  webOut.cleanup();
});

describe('dashboard in Chromium', () => {
  it('loads a seeded history with data in every panel, filters change the numbers', async () => {
    const { page, errors, close } = await openPage();
    try {
      await page.goto(`${base}/`);
      await page.locator('#presets button[data-preset="30d"]').click();
      await waitForPanels(page);
      expect(page.url()).toMatch(/from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);

      for (const id of PANELS) {
        const points = Number(await page.locator(`#${id}`).getAttribute('data-points'));
        expect(points, `${id} has data`).toBeGreaterThan(0);
      }
      expect(await page.locator('#chart-heatmap canvas').count()).toBeGreaterThan(0);
      expect(await page.locator('#table-agents tbody tr').count()).toBeGreaterThan(3);
      // agents by name where the staff table has one (as text, not markup), else by id
      const agentNames = await page.locator('#table-agents tbody tr td:first-child').allInnerTexts();
      expect(agentNames).toContain('Anna <b>K.');
      expect(agentNames).toContain('agent 501');
      expect(agentNames).not.toContain('agent 500');
      expect(await page.locator('.kpi .v').allInnerTexts()).not.toContain('—');

      const all = Number((await kpi(page, 'tickets')).replaceAll(',', ''));
      expect(all).toBeGreaterThan(1000);
      // the Mini App: the channel split (3 in 10 seeded tickets) and the deflection rate (1 deflection per 2 app tickets: 1/3)
      expect(await kpi(page, 'channel')).toMatch(/^(2[5-9]|3[0-5]) %$/);
      expect(await kpi(page, 'deflection')).toMatch(/^3[0-6] %$/);
      expect(await page.locator('[data-kpi="deflection"] .target').innerText()).toMatch(/solved by an article before sending/);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-desktop-light.png'), fullPage: true });

      // queue filter: in the URL, and the tiles show the API's number for that queue
      await page.locator('#queue').selectOption('L2');
      await page.waitForURL(/queue=L2/);
      await waitForPanels(page);
      const l2 = Number((await kpi(page, 'tickets')).replaceAll(',', ''));
      expect(l2).toBeLessThan(all);
      const url = new URL(page.url());
      const from = new Date(`${url.searchParams.get('from')}T00:00:00`);
      const apiTickets = await page.evaluate(async () => {
        const u = new URL(location.href);
        const start = new Date(`${u.searchParams.get('from')}T00:00:00`);
        const end = new Date(`${u.searchParams.get('to')}T00:00:00`);
        end.setDate(end.getDate() + 1);
        const r = await fetch(`api/v1/summary?from=${start.toISOString()}&to=${end.toISOString()}&queue=L2`);
        return ((await r.json()) as { tickets_created: number }).tickets_created;
      });
      expect(l2).toBe(apiTickets);
      expect(from.getTime()).toBeLessThan(Date.now());

      // category filter narrows further; a reload keeps both filters
      await page.locator('#category').selectOption('payment');
      await page.waitForURL(/category=payment/);
      await waitForPanels(page);
      const l2payment = Number((await kpi(page, 'tickets')).replaceAll(',', ''));
      expect(l2payment).toBeLessThan(l2);
      await page.reload();
      await waitForPanels(page);
      expect(await page.locator('#queue').inputValue()).toBe('L2');
      expect(await page.locator('#category').inputValue()).toBe('payment');
      expect(Number((await kpi(page, 'tickets')).replaceAll(',', ''))).toBe(l2payment);

      // a shorter range changes the numbers too
      await page.locator('#category').selectOption('');
      await page.locator('#presets button[data-preset="7d"]').click();
      await page.waitForURL((u) => !u.search.includes('category='));
      await waitForPanels(page);
      expect(Number((await kpi(page, 'tickets')).replaceAll(',', ''))).toBeLessThan(l2);

      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 180_000);

  it('"24 h" is the last 24 hours up to now, shared as ?range=24h; a date input makes it fixed days', async () => {
    const { page, errors, close } = await openPage();
    const summaries: URL[] = [];
    const series: URL[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.endsWith('/api/v1/summary')) summaries.push(u);
      if (u.pathname.endsWith('/api/v1/timeseries')) series.push(u);
    });
    const pressed = () => page.locator('#presets button[aria-pressed="true"]').allInnerTexts();
    try {
      await page.goto(`${base}/?${new URLSearchParams({ from: isoDay(-6), to: isoDay(0) })}`);
      await waitForPanels(page);
      expect(await pressed()).toEqual(['7 d']);
      const week = Number((await kpi(page, 'tickets')).replaceAll(',', ''));

      summaries.length = 0;
      series.length = 0;
      await page.getByRole('button', { name: '24 h' }).click();
      await page.waitForURL((u) => u.searchParams.get('range') === '24h');
      await waitForPanels(page);
      expect(new URL(page.url()).searchParams.has('from')).toBe(false);
      const asked = summaries.at(-1)!;
      const from = Date.parse(asked.searchParams.get('from')!);
      const to = Date.parse(asked.searchParams.get('to')!);
      expect(to - from).toBe(24 * HOUR);
      expect(Math.abs(to - Date.now())).toBeLessThan(60_000);
      expect(new Set(series.map((u) => u.searchParams.get('interval')))).toEqual(new Set(['hour']));
      expect(await pressed()).toEqual(['24 h']);
      expect(await page.locator('#range-label').innerText()).toMatch(/^Last 24 hours \(since .+\) · /);
      expect([await page.locator('#from').inputValue(), await page.locator('#to').inputValue()]).toEqual([isoDay(-1), isoDay(0)]);
      const day = Number((await kpi(page, 'tickets')).replaceAll(',', ''));
      expect(day).toBeGreaterThan(0);
      expect(day).toBeLessThan(week);

      // the shared link is the same rolling window
      await page.reload();
      await waitForPanels(page);
      expect(await pressed()).toEqual(['24 h']);
      expect(new URL(page.url()).searchParams.get('range')).toBe('24h');

      // a date picked by hand is a fixed range of days again
      await page.locator('#from').fill(isoDay(-3));
      await page.waitForURL((u) => u.searchParams.get('from') === isoDay(-3) && u.searchParams.get('to') === isoDay(0) && !u.searchParams.has('range'));
      await waitForPanels(page);
      expect(await pressed()).toEqual([]);
      expect(await page.locator('#range-label').innerText()).not.toMatch(/Last 24 hours/);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);

  it('names queues and categories by their configured labels: selects, range label, category chart, queue table', async () => {
    const { page, errors, close } = await openPage();
    const options = (id: string) => page.locator(`#${id} option`).evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    try {
      await page.goto(`${base}/?${new URLSearchParams({ from: isoDay(-29), to: isoDay(0) })}`);
      await waitForPanels(page);
      expect(await options('category')).toEqual([
        ['', 'All categories'],
        ['account', 'Account'],
        ['features', 'Features'],
        [IDEAS, 'Ideas <i>beta</i>'],
        ['legacy_complaints', 'Legacy complaints'],
        ['payment', 'Payment'],
      ]);
      expect(await options('queue')).toEqual([
        ['', 'All queues'],
        ['L1', 'L1'],
        ['L2', 'L2'],
        ['payments', 'Payments'],
        ['VIP', 'VIP'],
      ]);
      const queueNames = await page.locator('#table-queue tbody td:first-child').allInnerTexts();
      expect(queueNames.map((n) => n.trim()).sort()).toEqual(['L1', 'L2', 'Payments', 'VIP']);

      // the category chart's tooltip, bar by bar: labels as text, never markup
      await page.locator('#chart-category').scrollIntoViewIfNeeded();
      const box = (await page.locator('#chart-category canvas').first().boundingBox())!;
      const names = new Set<string>();
      for (let y = box.y + 4; y < box.y + box.height - 4; y += box.height / 40) {
        await page.mouse.move(box.x + box.width * 0.6, y);
        const name = page.locator('#chart-category .tooltip-name');
        if (await name.isVisible()) names.add(await name.innerText());
      }
      expect([...names].sort()).toEqual(['Account', 'Features', 'Ideas <i>beta</i>', 'Legacy complaints', 'Payment', 'uncategorised']);
      expect(await page.locator('#chart-category i').count()).toBe(0);

      await page.locator('#category').selectOption(IDEAS);
      await page.locator('#queue').selectOption('payments');
      await page.waitForURL((u) => u.searchParams.get('category') === IDEAS && u.searchParams.get('queue') === 'payments');
      expect(await page.locator('#range-label').innerText()).toMatch(/ · queue Payments · Ideas <i>beta<\/i>$/);
      expect(await page.locator('#range-label i').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);

  it('dark theme via the toggle and on a phone, without console errors', async () => {
    const { page, errors, close } = await openPage({ width: 1366, height: 768 }, 'light');
    try {
      await page.goto(`${base}/?${new URLSearchParams({ from: isoDay(-29), to: isoDay(0) })}`);
      await waitForPanels(page);
      await page.locator('#theme').click();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe('rgb(11, 16, 32)');
      await page.waitForTimeout(600); // let the charts' re-render animation settle for the screenshot
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-desktop-dark.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }

    const phone = await openPage({ width: 390, height: 844 }, 'dark');
    try {
      await phone.page.goto(`${base}/?${new URLSearchParams({ from: isoDay(-29), to: isoDay(0) })}`);
      await waitForPanels(phone.page);
      expect(await phone.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark'); // prefers-color-scheme
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await phone.page.screenshot({ path: join(ARTIFACTS, 'dashboard-phone-dark.png'), fullPage: true });
      await phone.page.screenshot({ path: join(ARTIFACTS, 'dashboard-phone-dark-top.png') });
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  }, 120_000);

  it('shows an empty state for a range without tickets', async () => {
    const { page, errors, close } = await openPage();
    try {
      await page.goto(`${base}/?from=2001-01-01&to=2001-01-07`);
      await page.waitForFunction(() => document.getElementById('chart-volume')?.dataset.state === 'empty');
      expect(await page.locator('#chart-volume .state').innerText()).toMatch(/No tickets/);
      expect(await kpi(page, 'tickets')).toBe('0');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('asks for the token when the API requires one', async () => {
    const secured = await buildDashboardServer({ ch: db.ch, webRoot: webOut.dir, token: 'let-me-in', host: '0.0.0.0' });
    const securedBase = await secured.listen({ host: '127.0.0.1', port: 0 });
    const { page, errors, close } = await openPage();
    try {
      await page.goto(`${securedBase}/?${new URLSearchParams({ from: isoDay(-6), to: isoDay(0) })}`);
      await page.locator('#token-dialog[open]').waitFor();
      await page.locator('#token-input').fill('let-me-in');
      await page.locator('#token-form button.primary').click();
      await waitForPanels(page);
      expect(Number((await kpi(page, 'tickets')).replaceAll(',', ''))).toBeGreaterThan(0);
      // the 401s before the token was given are the only console errors (failed fetches)
      expect(errors.every((e) => /401/.test(e))).toBe(true);
    } finally {
      await close();
      await secured.close();
    }
  });
});

function isoDay(offsetDays: number): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  const z = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`;
}
