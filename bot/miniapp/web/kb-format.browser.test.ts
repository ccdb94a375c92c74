/**
 * The A/B surface kb_format in the Mini App's help centre (issue 16), in real headless Chromium against a real desk
 * and the sandbox, with a running experiment in EXPERIMENTS_DIR: a customer in `control` sees the article cards, a
 * customer in `search` sees search by question (the question first, the common and then the matching questions to
 * pick from, "none of these" to a person) — in English, Russian and Persian. The variant is the bot's own
 * (`desk.experiments`, GrowthBook-compatible assignment by Telegram id), stored once, and the experiment_exposure
 * event is published exactly once per customer, however often they come back; a chat ticket of the same customer
 * later gets the same variant and no second exposure.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignVariant } from '../../../analytics/experiments/assign.js';
import type { ExperimentDefinition } from '../../../analytics/experiments/definition.js';
import type { EventOf } from '../../../schemas/events.js';
import { tmpDataDir } from '../../../test/helpers/tmp.js';
import { analyticsIdOf } from '../../store/pseudonyms.js';
import { CHROMIUM, type MiniAppDesk, type Person, startMiniAppDesk } from './test-desk.js';

const KEY = 'help-format';
const DEF: ExperimentDefinition = {
  key: KEY,
  surface: 'kb_format',
  variants: [
    { name: 'control', weight: 1 },
    { name: 'search', weight: 1 },
  ],
  metrics: ['csat_avg'],
  status: 'running',
  file: `${KEY}.yaml`,
};

/** The first Telegram id from `from` upwards that the assignment puts in `variant` (a pure function of key and id). */
function idIn(variant: string, from: number): number {
  for (let id = from; ; id++) if (assignVariant(DEF, id)?.variant === variant) return id;
}

const CARDS: Person = { id: idIn('control', 611_000), first_name: 'Carla', language_code: 'en' };
const QUESTIONS: Person = { id: idIn('search', 612_000), first_name: 'Quentin', language_code: 'en' };
const SAVA: Person = { id: idIn('search', 613_000), first_name: 'Сава', language_code: 'ru' };
const PARISA: Person = { id: idIn('search', 614_000), first_name: 'پریسا', language_code: 'fa' };
const PEOPLE = [CARDS, QUESTIONS, SAVA, PARISA];

const web = tmpDataDir('miniapp-kbformat-web-');
const experiments = tmpDataDir('miniapp-kbformat-exp-');
let d: MiniAppDesk;
let browser: Browser;

beforeAll(async () => {
  writeFileSync(
    join(experiments.dir, `${KEY}.yaml`),
    `key: ${KEY}\nsurface: kb_format\nvariants:\n  - { name: control, weight: 1 }\n  - { name: search, weight: 1 }\nmetrics: [csat_avg]\nstatus: running\n`,
  );
  await build({ configFile: join(process.cwd(), 'bot/miniapp/web/vite.config.ts'), logLevel: 'error', build: { outDir: web.dir, emptyOutDir: true } });
  d = await startMiniAppDesk({ webRoot: web.dir, env: { EXPERIMENTS_DIR: experiments.dir } });
  for (const p of PEOPLE) {
    await d.h.client.sendCustomerMessage(p.id, { text: '/start', first_name: p.first_name, language_code: p.language_code ?? 'en' });
    await d.h.client.waitForCustomerMessage(p.id, () => true, { timeoutMs: 15_000, from: 'bot' });
  }
  browser = await chromium.launch(CHROMIUM);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await d?.close();
  web.cleanup();
  experiments.cleanup();
});

/** Opens the app as `p` on a phone and goes to the help centre by the bottom navigation; returns the page. */
async function openHelp(p: Person): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(await d.launchUrl(p));
  await page.locator('nav a[data-tab="help"]').click();
  await page.locator('[data-kb-format]').waitFor({ timeout: 15_000 });
  return { page, errors, close: () => context.close() };
}

/** The published exposures to KEY of the customer with Telegram id `telegramId` (events carry their pseudonym). */
async function exposuresOf(telegramId: number): Promise<EventOf<'experiment_exposure'>[]> {
  const events = await d.h.settle();
  const pseudonym = await analyticsIdOf(d.h.db, telegramId);
  return events.filter((e): e is EventOf<'experiment_exposure'> => e.type === 'experiment_exposure' && e.experiment === KEY && e.customer_id === pseudonym);
}

describe('kb_format in the Mini App help centre', () => {
  it('control: the article cards (search box, popular solutions with their first words); exposed once as control', async () => {
    for (let visit = 0; visit < 2; visit++) {
      const { page, errors, close } = await openHelp(CARDS);
      try {
        expect(await page.locator('[data-kb-format]').getAttribute('data-kb-format')).toBe('control');
        await page.locator('#popular li.card').first().waitFor();
        expect(await page.locator('#popular li.card .snippet').count()).toBeGreaterThan(0);
        expect(await page.locator('#common-questions, #kb-question').count()).toBe(0);
        await page.getByLabel('Search the help centre').fill('refund');
        await page.locator('#search-results li[data-article="refunds"]').waitFor({ timeout: 10_000 });
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    }
    const mine = await exposuresOf(CARDS.id);
    expect(mine.map((e) => [e.variant, e.ticket_id])).toEqual([['control', null]]);
  });

  it('search: the question first, common questions, then the matching ones; a pick opens the article; exposed once as search', async () => {
    for (let visit = 0; visit < 2; visit++) {
      const { page, errors, close } = await openHelp(QUESTIONS);
      try {
        expect(await page.locator('[data-kb-format]').getAttribute('data-kb-format')).toBe('search');
        await page.locator('#common-questions li').first().waitFor();
        // Questions to pick from, not cards: no snippets, no search box of the control.
        expect(await page.locator('.card, .snippet, #kb-search').count()).toBe(0);
        expect(await page.getByRole('link', { name: 'None of these — ask a person' }).count()).toBe(1);
        await page.getByLabel('What is your question?').fill('I forgot my password');
        const first = page.locator('#matching-questions li').first();
        await first.waitFor({ timeout: 10_000 });
        expect(await page.locator('#matching-h').innerText()).toBe('Is your question one of these?');
        expect(await first.getAttribute('data-article')).toBe('password-reset');
        expect(await page.locator('#common-questions').count()).toBe(0);
        const axe = await new AxeBuilder({ page }).analyze();
        expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
        if (visit === 1) {
          await first.locator('a').click();
          await page.locator('.article-body').waitFor();
          expect(await page.locator('main h1').innerText()).toMatch(/password/i);
        }
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    }
    const mine = await exposuresOf(QUESTIONS.id);
    expect(mine.map((e) => [e.variant, e.ticket_id])).toEqual([['search', null]]);
    // Stored once, as the bot stores it: the chat's lookups for this customer read the same row.
    const stored = await d.h.db.query<{ variant: string; ticket_id: number | null }>(
      'SELECT variant, ticket_id FROM experiment_exposures WHERE customer_id = $1 AND experiment_key = $2',
      [QUESTIONS.id, KEY],
    );
    expect(stored.rows).toEqual([{ variant: 'search', ticket_id: null }]);
  });

  it('search by question in Russian and in Persian (right to left)', async () => {
    for (const [p, label, common, dir] of [
      [SAVA, 'Какой у вас вопрос?', 'Частые вопросы', 'ltr'],
      [PARISA, 'پرسش شما چیست؟', 'پرسش‌های رایج', 'rtl'],
    ] as const) {
      const { page, errors, close } = await openHelp(p);
      try {
        expect(await page.locator('[data-kb-format]').getAttribute('data-kb-format')).toBe('search');
        await page.locator('#common-questions li').first().waitFor();
        expect(await page.locator('label[for="kb-question"]').innerText()).toBe(label);
        expect(await page.locator('#common-h').innerText()).toBe(common);
        expect(await page.locator('html').getAttribute('dir')).toBe(dir);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
      expect((await exposuresOf(p.id)).map((e) => [e.variant, e.language])).toEqual([['search', p.language_code]]);
    }
  });

  it("a chat ticket of a customer exposed in the app gets the app's variant, with no second exposure", async () => {
    // The help centre alone opened no ticket.
    expect((await d.h.db.query('SELECT id FROM tickets WHERE customer_id = $1', [QUESTIONS.id])).rows).toEqual([]);
    await d.h.client.sendCustomerMessage(QUESTIONS.id, { text: 'My card payment failed twice', first_name: QUESTIONS.first_name, language_code: 'en' });
    const opened = await d.h.client.waitFor(async () => (await d.h.desk.services.tickets.findOpen(QUESTIONS.id)) ?? undefined, {
      what: 'the open ticket',
      timeoutMs: 15_000,
    });
    expect(await d.h.desk.services.experiments.variantFor('kb_format', opened)).toBe('search');
    expect((await exposuresOf(QUESTIONS.id)).length).toBe(1);
  });
});
