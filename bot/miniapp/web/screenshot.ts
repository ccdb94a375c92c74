/**
 * `npx tsx bot/miniapp/web/screenshot.ts [outDir]` → docs/miniapp-light.png (My requests in Telegram's light
 * theme), docs/miniapp-dark.png (a conversation in Telegram's night theme) and docs/miniapp-rtl.png (a new
 * request in Persian, right to left, with the knowledge base's suggestions) — a 360×640 phone at 2×.
 *
 * Builds the app, starts a real desk against the sandbox (test-desk.ts), plays a customer's history through
 * the bot, and opens the app with the launch data the sandbox signs.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { runMain } from '../../../core/cli.js';
import { tmpDataDir } from '../../../test/helpers/tmp.js';
import { CHROMIUM, seedHistory, startMiniAppDesk } from './test-desk.js';

const ANNA = { id: 1001, first_name: 'Anna', language_code: 'en' };
const DARYA = { id: 1002, first_name: 'Darya', language_code: 'fa' };
const NIGHT = {
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

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? join(process.cwd(), 'docs');
  mkdirSync(outDir, { recursive: true });
  const web = tmpDataDir('miniapp-shots-');
  await build({ configFile: join(process.cwd(), 'bot/miniapp/web/vite.config.ts'), logLevel: 'warn', build: { outDir: web.dir, emptyOutDir: true } });
  const d = await startMiniAppDesk({ webRoot: web.dir });
  const browser = await chromium.launch(CHROMIUM);
  try {
    const history = await seedHistory(d, ANNA);
    await d.h.client.sendCustomerMessage(DARYA.id, { text: '/start', first_name: DARYA.first_name, language_code: 'fa' });
    await d.h.client.waitForCustomerMessage(DARYA.id, () => true, { timeoutMs: 15_000 });

    const shot = async (o: {
      url: string;
      scheme: 'light' | 'dark';
      ready: string;
      file: string;
      act?: (p: import('playwright-core').Page) => Promise<void>;
    }) => {
      const context = await browser.newContext({
        viewport: { width: 360, height: 640 },
        deviceScaleFactor: 2,
        colorScheme: o.scheme,
        timezoneId: 'Europe/Berlin',
      });
      const page = await context.newPage();
      await page.goto(o.url);
      await page.locator(o.ready).first().waitFor();
      await o.act?.(page);
      await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
      await page.screenshot({ path: join(outDir, o.file) });
      await context.close();
    };

    await shot({
      url: await d.launchUrl(ANNA),
      scheme: 'light',
      ready: '#ticket-list',
      file: 'miniapp-light.png',
      act: async (page) => {
        await page.getByLabel('All').check();
        await page.locator(`li.ticket[data-number="${history.closed}"]`).waitFor();
      },
    });
    await shot({
      url: await d.launchUrl(ANNA, { startParam: `ticket-${history.closed}`, theme: NIGHT }),
      scheme: 'dark',
      ready: '#conversation',
      file: 'miniapp-dark.png',
      act: async (page) => {
        await page.locator('#rate-form .star').nth(4).click();
        await page.evaluate(() => window.scrollTo(0, document.getElementById('conversation')!.offsetTop - 60));
      },
    });
    await shot({
      url: await d.launchUrl(DARYA, { startParam: 'new' }),
      scheme: 'light',
      ready: '#new-request',
      file: 'miniapp-rtl.png',
      act: async (page) => {
        await page.locator('input[name="category"]').first().check();
        await page.locator('#request-text').fill('پرداخت من ناموفق بود و کارت رد شد');
        await page
          .locator('#suggestions li')
          .first()
          .waitFor({ timeout: 10_000 })
          .catch(() => undefined);
        await page.evaluate(() => window.scrollTo(0, document.querySelector<HTMLElement>('label[for="request-text"]')!.offsetTop - 16));
      },
    });
    console.log(`screenshots written to ${outDir}: miniapp-light.png, miniapp-dark.png, miniapp-rtl.png`);
  } finally {
    await browser.close();
    await d.close();
    web.cleanup();
  }
}

runMain(async () => {
  await main();
  process.exit(0);
});
