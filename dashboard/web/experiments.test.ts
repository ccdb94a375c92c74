/**
 * The Experiments section in headless Chromium against the real API over the
 * experiment scenario in chDB: the list with exposure counts and the files
 * left out, the chosen experiment's variants' metrics (the API's numbers),
 * uplift and exposure charts, sample progress; weights the split does not
 * match → the SRM warning. No console errors. Screenshot in test-artifacts/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { DEF, scenario, T0 } from '../../test/analytics/experiment-scenario.js';
import { CHROMIUM } from '../../test/helpers/chromium.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { buildDashboardServer } from '../server.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const NOW = new Date(T0 + 12 * 86_400_000);
let db: AnalyticsDb;
let app: FastifyInstance;
let base: string;
let browser: BrowserContext;
const profile = tmpDataDir('desk-chromium-exp-');
const webOut = tmpDataDir('desk-web-exp-');
const files = tmpDataDir('desk-experiments-');

const yaml = (weights: [number, number]) => `key: receipt-style
surface: receipt
variants:
  - { name: control, weight: ${weights[0]} }
  - { name: steps, weight: ${weights[1]} }
metrics: [${DEF.metrics.join(', ')}]
status: running
`;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await build({ configFile: join(process.cwd(), 'dashboard/web/vite.config.ts'), logLevel: 'error', build: { outDir: webOut.dir, emptyOutDir: true } });
  db = await openAnalyticsDb();
  await ingest(db.ch, scenario().events, 2);
  writeFileSync(join(files.dir, 'receipt-style.yaml'), yaml([1, 1]));
  writeFileSync(
    join(files.dir, 'typo.yaml'),
    'key: notify\nsurface: notifications\nvariants:\n  - { name: control, weight: 1 }\n  - { name: summary, weight: -1 }\nmetrics: [csat_avg]\nstatus: running\n',
  );
  app = await buildDashboardServer({ ch: db.ch, webRoot: webOut.dir, now: () => NOW, experimentsDir: files.dir, experimentsCacheSeconds: 0 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launchPersistentContext(profile.dir, { ...CHROMIUM, deviceScaleFactor: 1 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.close();
  for (const t of [profile, webOut, files]) t.cleanup();
});

describe('Experiments section in Chromium', () => {
  it('lists the experiments, shows the chosen one with its charts, and warns of a sample-ratio mismatch', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${base}/#experiment=receipt-style`);
      await page.waitForFunction(() => document.getElementById('chart-uplift')?.dataset.state === 'data', undefined, { timeout: 30_000 });
      await page.waitForFunction(() => document.getElementById('chart-exposures')?.dataset.state === 'data', undefined, { timeout: 30_000 });

      const api = (await (await fetch(`${base}/api/v1/experiments/receipt-style/results`)).json()) as {
        experiment: { customers: number };
        variants: { name: string; customers: number }[];
        comparisons: { metric: string }[];
      };
      const row = page.locator('#table-experiments tbody tr[data-key="receipt-style"]');
      // every exposure ever (two customers outside the scenario's range too)
      expect(await row.locator('td').nth(4).innerText()).toBe('122');
      expect(await page.locator('#experiment-problems li').allInnerTexts()).toEqual([
        expect.stringMatching(/^typo\.yaml — variants\.1\.weight: must be greater than 0/),
      ]);

      expect(await page.locator('#table-variants tbody tr').count()).toBe(api.comparisons.length);
      const head = await page.locator('#table-variants thead th').allTextContents();
      expect(head[1]).toContain(`control (${api.variants[0]!.customers} customers`);
      expect(await page.locator('#table-variants tr[data-metric="csat_avg"] td').last().innerText()).toBe('delta ratio');
      expect(await page.locator('#experiment-srm').isHidden()).toBe(true);
      expect(await page.locator('#experiment-progress .hint').innerText()).toMatch(new RegExp(`^${api.experiment.customers} of ~[\\d,]+ customers`));
      expect(Number(await page.locator('#chart-uplift').getAttribute('data-points'))).toBeGreaterThan(3);
      expect(await page.locator('#chart-uplift canvas').count()).toBeGreaterThan(0);
      await page.locator('#experiments').screenshot({ path: join(ARTIFACTS, 'dashboard-experiments.png') });

      // the file now says 1:3 — the 120 customers split about 1:1 do not match it
      writeFileSync(join(files.dir, 'receipt-style.yaml'), yaml([1, 3]));
      await page.reload();
      await page.waitForFunction(() => !document.getElementById('experiment-srm')?.hidden, undefined, { timeout: 30_000 });
      expect(await page.locator('#experiment-srm').innerText()).toMatch(/Sample-ratio mismatch/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
