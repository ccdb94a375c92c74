/**
 * The Audit trail section in headless Chromium against the real API over chDB, behind the analytics token: the
 * newest page of staff actions with staff by name and customers by pseudonym, "Older"/"Newest" paging by the
 * API's cursor, the action/staff/ticket filters, the CSV download with the same filters (formula cells defused),
 * and a staff name with markup shown as text. No console errors. Screenshot test-artifacts/dashboard-audit.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from '../../core/clickhouse.js';
import type { SupportEvent } from '../../schemas/events.js';
import { assertEvent } from '../../schemas/validate.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { nextEventId } from '../../test/analytics/history.js';
import { CHROMIUM } from '../../test/helpers/chromium.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { customerLabel } from '../api/audit.js';
import { buildDashboardServer } from '../server.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const NOW = Date.now(); // the page's default range ends now
const MIN = 60_000;
const ANNA = 501;
const BORIS = 502;
const PSEUDONYM = 4_503_599_627_370_497;
const TOKEN = 'audit-browser-token-0123456789';

function action(minAgo: number, agent: number, reason: string, ticket?: number): SupportEvent {
  const at = new Date(NOW - minAgo * MIN).toISOString();
  return assertEvent({
    event_id: nextEventId(),
    schema_version: 1,
    type: 'staff_action',
    occurred_at: at,
    emitted_at: at,
    agent_id: agent,
    reason,
    ...(ticket !== undefined
      ? {
          ticket_id: ticket,
          ticket_created_at: new Date(NOW - 9000 * MIN).toISOString(),
          customer_id: PSEUDONYM,
          queue: 'L1',
          category: null,
          language: 'en',
          ticket_seq: 1,
        }
      : { ticket_id: null, ticket_created_at: null, customer_id: null, queue: null, category: null, language: null }),
  });
}

// 55 replies by Anna on tickets 1000…1054 (one a minute), then Boris's ban and broadcast: 57 rows, two pages of 50.
const events: SupportEvent[] = [
  ...Array.from({ length: 55 }, (_, i) => action(200 - i, ANNA, 'reply', 1000 + i)),
  action(20, BORIS, 'ban'),
  action(10, BORIS, 'broadcast'),
];

let db: AnalyticsDb;
let app: FastifyInstance;
let base: string;
let browser: BrowserContext;
const profile = tmpDataDir('desk-chromium-audit-');
const webOut = tmpDataDir('desk-web-audit-');
const downloads = tmpDataDir('desk-downloads-audit-');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await build({ configFile: join(process.cwd(), 'dashboard/web/vite.config.ts'), logLevel: 'error', build: { outDir: webOut.dir, emptyOutDir: true } });
  db = await openAnalyticsDb();
  await ingest(db.ch, events, 2);
  await insertRows(db.ch, 'staff', [
    { id: ANNA, display_name: 'Anna K.', updated_at: '2026-01-01 00:00:00.000' },
    { id: BORIS, display_name: '=<b>Boris</b>', updated_at: '2026-01-01 00:00:00.000' },
  ]);
  app = await buildDashboardServer({ ch: db.ch, webRoot: webOut.dir, token: TOKEN });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launchPersistentContext(profile.dir, { ...CHROMIUM, deviceScaleFactor: 1, acceptDownloads: true, downloadsPath: downloads.dir });
  await browser.addInitScript((t) => localStorage.setItem('analytics-token', t), TOKEN);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.close();
  for (const t of [profile, webOut, downloads]) t.cleanup();
});

describe('Audit trail section in Chromium', () => {
  it('lists, pages, filters and exports the staff actions as the API gives them', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const rows = () => page.locator('#table-audit tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const loaded = async (hint: RegExp) =>
      page.waitForFunction(
        (re) =>
          document.getElementById('audit')?.dataset.state === 'data' &&
          !document.getElementById('audit')?.classList.contains('loading') &&
          new RegExp(re).test(document.getElementById('audit-hint')?.textContent ?? ''),
        hint.source,
        { timeout: 30_000 },
      );
    try {
      await page.goto(`${base}/`);
      await loaded(/57 shown|50 shown/);
      const first = await rows();
      expect(first).toHaveLength(50);
      expect(first[0]!.slice(1)).toEqual(['=<b>Boris</b> (502)', 'broadcast', '—', '—']);
      expect(first[1]!.slice(1)).toEqual(['=<b>Boris</b> (502)', 'ban', '—', '—']);
      expect(first[2]!.slice(1)).toEqual(['Anna K. (501)', 'reply', '#1054', customerLabel(PSEUDONYM)]);
      expect(await page.locator('#table-audit b').count()).toBe(0);
      expect(await page.locator('#table-audit').innerText()).not.toContain(String(PSEUDONYM));
      expect(await page.locator('#audit-action option').allTextContents()).toEqual(['any', 'ban', 'broadcast', 'reply']);
      await page.locator('#audit').screenshot({ path: join(ARTIFACTS, 'dashboard-audit.png') });

      // the next page: the 7 oldest, none repeated
      await page.click('#audit-older');
      await loaded(/7 shown \(older page\)/);
      const second = await rows();
      expect(second.map((r) => r[3])).toEqual(['#1006', '#1005', '#1004', '#1003', '#1002', '#1001', '#1000']);
      expect(await page.locator('#audit-older').isHidden()).toBe(true);
      await page.click('#audit-newest');
      await loaded(/50 shown$/);

      // filters: an action, a staff member, a ticket
      await page.selectOption('#audit-action', 'ban');
      await page.click('#audit-apply');
      await loaded(/1 shown/);
      expect((await rows()).map((r) => r[2])).toEqual(['ban']);
      await page.selectOption('#audit-action', '');
      await page.fill('#audit-actor', String(ANNA));
      await page.fill('#audit-ticket', '1010');
      await page.click('#audit-apply');
      await loaded(/1 shown/);
      expect((await rows()).map((r) => r.slice(1))).toEqual([['Anna K. (501)', 'reply', '#1010', customerLabel(PSEUDONYM)]]);

      // CSV with the filters applied
      await page.fill('#audit-actor', String(BORIS));
      await page.fill('#audit-ticket', '');
      await page.click('#audit-apply');
      await loaded(/2 shown/);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-csv')]);
      const csv = readFileSync((await download.path())!, 'utf8')
        .trim()
        .split('\n');
      expect(csv[0]).toBe('at,actor_id,actor,action,ticket_id,customer');
      expect(csv.slice(1).map((l) => l.split(',').slice(1, 4))).toEqual([
        ['502', "'=<b>Boris</b>", 'broadcast'],
        ['502', "'=<b>Boris</b>", 'ban'],
      ]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says so when nothing matches, and shows a refused filter’s reason', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.getElementById('audit')?.dataset.state === 'data', undefined, { timeout: 30_000 });
      await page.fill('#audit-ticket', '999999');
      await page.click('#audit-apply');
      await page.waitForFunction(() => /No staff actions match/.test(document.getElementById('table-audit')?.textContent ?? ''), undefined, {
        timeout: 30_000,
      });
      await page.fill('#audit-from', '2026-03-10');
      await page.fill('#audit-to', '2026-03-01');
      await page.click('#audit-apply');
      await page.waitForFunction(() => document.getElementById('audit')?.dataset.state === 'error', undefined, { timeout: 30_000 });
      expect(await page.locator('#table-audit').innerText()).toContain('must be before to');
    } finally {
      await page.close();
    }
  });
});
