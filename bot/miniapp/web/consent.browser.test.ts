/**
 * Consent in the Mini App (issue 17, item 5) in headless Chromium against a real desk with CONSENT_VERSION set:
 * New request shows the privacy notice (its link and version) and Accept instead of the form — in English,
 * Russian and Persian (right to left); Accept records the consent (version and time, the chat's own row) and the
 * form follows, whose request reaches the agents' topic; Settings shows what was accepted and when, and
 * "Withdraw consent" is the deletion, after the same confirmation. No serious accessibility violation; no console
 * errors. Screenshot test-artifacts/miniapp-consent.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../../test/helpers/tmp.js';
import { CHROMIUM, type MiniAppDesk, type Person, startMiniAppDesk } from './test-desk.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const NOTICE = 'https://acme.example/privacy';
const EVA: Person = { id: 621_001, first_name: 'Eva', language_code: 'en' };
const SAVA: Person = { id: 621_002, first_name: 'Сава', language_code: 'ru' };
const PARISA: Person = { id: 621_003, first_name: 'پریسا', language_code: 'fa' };

const web = tmpDataDir('miniapp-consent-web-');
let d: MiniAppDesk;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await build({ configFile: join(process.cwd(), 'bot/miniapp/web/vite.config.ts'), logLevel: 'error', build: { outDir: web.dir, emptyOutDir: true } });
  d = await startMiniAppDesk({
    webRoot: web.dir,
    featuresEnv: { CONSENT_VERSION: '2026-11', PRIVACY_NOTICE_URL: NOTICE },
  });
  for (const p of [EVA, SAVA, PARISA]) {
    await d.h.client.sendCustomerMessage(p.id, { text: '/start', first_name: p.first_name, language_code: p.language_code ?? 'en' });
    await d.h.client.waitForCustomerMessage(p.id, () => true, { timeoutMs: 15_000, from: 'bot' });
  }
  browser = await chromium.launch(CHROMIUM);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await d?.close();
  web.cleanup();
});

async function phone(): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'en-GB', timezoneId: 'UTC', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors, close: () => context.close() };
}

const consentRow = async (id: number) =>
  (await d.h.db.query<{ v: string | null; at: Date | null }>('SELECT consent_version AS v, consent_at AS at FROM customer_trust WHERE customer_id = $1', [id]))
    .rows[0];

describe('consent in the Mini App', () => {
  it('shows the notice and Accept before New request, then the form; the request reaches the agents', async () => {
    const { page, errors, close } = await phone();
    try {
      await page.goto(await d.launchUrl(EVA));
      await page.locator('nav a[data-tab="new"]').click();
      await page.locator('#consent-accept').waitFor({ timeout: 15_000 });
      expect(await page.locator('#new-request').count()).toBe(0);
      expect(await page.locator('main h1').innerText()).toBe('Privacy notice');
      expect(await page.locator('#consent-h').innerText()).toBe('Before we open your request');
      const link = page.locator('#consent-notice');
      expect(await link.innerText()).toBe('Read the privacy notice (version 2026-11)');
      expect(await link.getAttribute('href')).toBe(NOTICE);
      const axe = await new AxeBuilder({ page }).analyze();
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'miniapp-consent.png') });
      expect(await consentRow(EVA.id)).toBeUndefined();

      await page.locator('#consent-accept').click();
      await page.locator('#new-request').waitFor({ timeout: 15_000 });
      const row = await consentRow(EVA.id);
      expect(row?.v).toBe('2026-11');
      expect(row?.at).toBeInstanceOf(Date);

      await page.getByLabel('Account').check();
      await page.getByLabel('Describe the problem').fill('I cannot log in since yesterday, the code never arrives');
      await page.locator('#send-request').click();
      await page.waitForURL(/#\/requests\/\d+$/, { timeout: 15_000 });
      const number = Number(/(\d+)$/.exec(page.url())![1]);
      await d.h.client.waitForTopic((t) => t.name.includes('Eva') && t.name.includes(`#${number}`), { timeoutMs: 15_000 });

      // Accepted: New request is the form at once.
      await page.locator('nav a[data-tab="new"]').click();
      await page.locator('#new-request').waitFor({ timeout: 15_000 });
      expect(await page.locator('#consent-accept').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('asks in Russian and in Persian (right to left)', async () => {
    for (const [p, heading, accept] of [
      [SAVA, 'Прежде чем мы откроем обращение', 'Согласен(на)'],
      [PARISA, 'پیش از باز کردن درخواست شما', 'می‌پذیرم'],
    ] as const) {
      const { page, errors, close } = await phone();
      try {
        await page.goto(await d.launchUrl(p));
        await page.locator('nav a[data-tab="new"]').click();
        await page.locator('#consent-accept').waitFor({ timeout: 15_000 });
        expect(await page.locator('#consent-h').innerText()).toBe(heading);
        expect(await page.locator('#consent-accept').innerText()).toBe(accept);
        expect(await page.locator('html').getAttribute('dir')).toBe(p === PARISA ? 'rtl' : 'ltr');
        expect(await page.locator('#consent-notice').innerText()).toContain('2026-11');
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    }
  });

  it('Settings shows the consent given, and Withdraw consent deletes the data after confirming', async () => {
    const { page, errors, close } = await phone();
    try {
      await page.goto(await d.launchUrl(EVA, { startParam: 'settings' }));
      await page.locator('#consent-state').waitFor({ timeout: 15_000 });
      expect(await page.locator('#consent-state').getAttribute('data-accepted')).toBe('true');
      expect(await page.locator('#consent-state p').first().innerText()).toMatch(/^You accepted the privacy notice \(version 2026-11\) on .+\d{4}.+\.$/);
      await page.getByRole('button', { name: 'Withdraw consent' }).click();
      await page.locator('#delete-dialog[open]').waitFor();
      await page.getByRole('button', { name: 'Cancel' }).click();
      expect((await consentRow(EVA.id))?.v).toBe('2026-11');
      await page.getByRole('button', { name: 'Withdraw consent' }).click();
      await page.getByRole('button', { name: 'Delete for good' }).click();
      await page.locator('main.closed h1', { hasText: 'Your data is deleted' }).waitFor({ timeout: 15_000 });
      expect(await consentRow(EVA.id)).toBeUndefined();
      expect((await d.h.db.query('SELECT 1 FROM customers WHERE id = $1', [EVA.id])).rowCount).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('Settings of a customer who has not accepted says so and offers no withdrawal', async () => {
    const { page, errors, close } = await phone();
    try {
      await page.goto(await d.launchUrl(SAVA, { startParam: 'settings' }));
      await page.locator('#consent-state').waitFor({ timeout: 15_000 });
      expect(await page.locator('#consent-state').innerText()).toContain('Вы ещё не приняли уведомление о конфиденциальности.');
      expect(await page.locator('#withdraw').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
