/**
 * The dashboard in real headless Chromium against the real API over a seeded
 * desk in chDB: every panel gets data, filters change the numbers and live in
 * the URL, the token prompt works, no console errors. Screenshots go to
 * test-artifacts/ (light, dark, phone).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { deskEvents, seededDesk } from '../../test/analytics/history.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { buildDashboardServer } from '../server.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const PANELS = ['chart-volume', 'chart-frt', 'chart-frt-dist', 'chart-heatmap', 'chart-category', 'table-queue', 'table-agents', 'live'];

let db: AnalyticsDb;
let app: FastifyInstance;
let base: string;
let browser: BrowserContext;
const profile = tmpDataDir('desk-chromium-');
const webOut = tmpDataDir('desk-web-');

/** Chromium with a fresh profile directory (playwright passes it as --user-data-dir). */
async function launch(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile.dir, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    deviceScaleFactor: 1,
  });
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
  await ingest(db.ch, deskEvents(seededDesk({ tickets: 1500, days: 30, end: now, seed: 11 })), 3);
  app = await buildDashboardServer({ ch: db.ch, webRoot: webOut.dir });
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
      expect(await page.locator('.kpi .v').allInnerTexts()).not.toContain('—');

      const all = Number((await kpi(page, 'tickets')).replaceAll(',', ''));
      expect(all).toBeGreaterThan(1000);
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
