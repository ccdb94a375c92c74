/**
 * The Weekly report section in headless Chromium against the real API over chDB: the chosen week's reasons with
 * their change, the KB-unanswered categories, the queues against target, the hardest cases and incidents — the
 * API's numbers as the page shows them; a week with nothing says so. A category key with markup stays text.
 * No console errors. Screenshot test-artifacts/dashboard-weekly.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { deskEvents, quietTicket } from '../../test/analytics/history.js';
import { CHROMIUM } from '../../test/helpers/chromium.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { buildDashboardServer } from '../server.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const MIN = 60_000;
const MON = Date.parse('2026-03-30T00:00:00Z');
const NOW = new Date('2026-04-08T12:00:00Z');
let db: AnalyticsDb;
let app: FastifyInstance;
let base: string;
let browser: BrowserContext;
const profile = tmpDataDir('desk-chromium-weekly-');
const webOut = tmpDataDir('desk-web-weekly-');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await build({ configFile: join(process.cwd(), 'dashboard/web/vite.config.ts'), logLevel: 'error', build: { outDir: webOut.dir, emptyOutDir: true } });
  db = await openAnalyticsDb();
  const specs = [
    quietTicket({
      id: 1,
      customer: 1,
      createdAt: MON + 60 * MIN,
      category: { at: 1, value: 'payment' },
      lifecycle: [600, 610, 900],
      csat: [{ at: 905, score: 1 }],
    }),
    quietTicket({ id: 2, customer: 2, createdAt: MON + 120 * MIN, category: { at: 1, value: 'payment' }, lifecycle: [30], csat: [{ at: 40, score: 5 }] }),
    quietTicket({ id: 3, customer: 3, createdAt: MON + 180 * MIN, category: { at: 1, value: '<b>x</b>' }, queue: 'payments' }),
    quietTicket({ id: 4, customer: 4, createdAt: MON - 86_400_000, category: { at: 1, value: 'payment' } }),
  ];
  await ingest(db.ch, deskEvents(specs));
  app = await buildDashboardServer({ ch: db.ch, webRoot: webOut.dir, now: () => NOW });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launchPersistentContext(profile.dir, { ...CHROMIUM, deviceScaleFactor: 1 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.close();
  for (const t of [profile, webOut]) t.cleanup();
});

describe('Weekly report section in Chromium', () => {
  it('shows the week’s reasons, queues, hardest cases and incidents as the API computes them', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.getElementById('weekly')?.dataset.state === 'data', undefined, { timeout: 30_000 });
      expect(await page.inputValue('#weekly-week')).toBe('2026-W14');
      expect(await page.locator('#weekly-hint').innerText()).toContain('3 tickets, the week before 1');
      const rows = async (id: string) =>
        page.locator(`#${id} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      expect(await rows('table-weekly-categories')).toEqual([
        ['payment', '2', '1', '+100.0 %'],
        ['<b>x</b>', '1', '0', 'new'],
      ]);
      expect(await page.locator('#table-weekly-categories b').count()).toBe(0);
      expect(await rows('table-weekly-unanswered')).toEqual([
        ['payment', '2'],
        ['<b>x</b>', '1'],
      ]);
      const queues = await rows('table-weekly-queues');
      expect(queues.map((q) => q[0])).toEqual(['L1', 'payments']);
      expect(queues[0]![4]).toBe('3.00 / 4.50');
      expect(await page.locator('#table-weekly-queues tbody tr').first().locator('td').nth(4).locator('span').getAttribute('class')).toBe('missed');
      const hardest = await rows('table-weekly-hardest');
      expect(hardest).toContainEqual(['Longest resolution', '#1', 'L1', 'payment', '10 h']);
      expect(hardest).toContainEqual(['Lowest CSAT', '#1', 'L1', 'payment', '1 ★']);
      expect(hardest).toContainEqual(['Most reopens', '#1', 'L1', 'payment', '× 1']);
      expect(await page.locator('#table-weekly-incidents').innerText()).toContain('No incidents this week');
      await page.locator('#weekly').screenshot({ path: join(ARTIFACTS, 'dashboard-weekly.png') });

      // another week chosen: an empty one says so
      await page.fill('#weekly-week', '2025-W10');
      await page.locator('#weekly-week').dispatchEvent('change');
      await page.waitForFunction(() => /^2025-W10:/.test(document.getElementById('weekly-hint')?.textContent ?? ''), undefined, { timeout: 30_000 });
      expect(await page.locator('#table-weekly-categories').innerText()).toContain('No tickets this week');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
