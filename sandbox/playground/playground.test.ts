/**
 * The sandbox playground: how the sandbox serves it (503 until built, a build
 * made while it runs, no clash with the control API), and the page itself in
 * real headless Chromium against a real desk — a customer writes, picks a
 * category and uploads files, the topic appears in the forum, an agent answers
 * and presses the ticket card's buttons, the escalation chat's buttons work;
 * every step checked in the DOM and in the sandbox's (or the desk's) state.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { customerWrites, setMember } from '../actions.js';
import { controlRoutes } from '../control-plugin.js';
import { DEFAULT_ESCALATION_CHAT_ID, DEFAULT_SUPPORT_CHAT_ID } from '../identities.js';
import { World } from '../world.js';
import type { PlaygroundPeople } from './people.js';
import { playgroundRoutes } from './plugin.js';
import { CHROMIUM, receiptPng, startPlaygroundDesk, type PlaygroundDesk } from './test-desk.js';

const scratch = tmpDataDir('playground-');
afterAll(() => scratch.cleanup());

describe('serving the playground', () => {
  let app: FastifyInstance;
  const root = join(scratch.dir, 'dist'); // not built yet
  const world = new World();
  beforeAll(async () => {
    app = Fastify();
    // As in sandbox/server.ts: the control API (with its catch-all under /sandbox/) beside the playground.
    app.register(
      controlRoutes(world, () => 'http://sandbox.test'),
      { prefix: '/sandbox' },
    );
    app.register(playgroundRoutes(world, { root }));
    await app.ready();
  });
  afterAll(() => app?.close());

  it('answers 503 naming the build command until built, then serves a build made while it runs', async () => {
    const before = await app.inject('/sandbox/');
    expect(before.statusCode).toBe(503);
    expect(before.headers['content-type']).toMatch(/text\/html/);
    expect(before.body).toContain('npm run build:playground');

    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(
      join(root, 'index.html'),
      '<!doctype html><title>playground build 1</title><script type="module" src="/sandbox/playground/assets/main-1a2b.js"></script>',
    );
    writeFileSync(join(root, 'assets', 'main-1a2b.js'), 'console.log("playground")');
    const page = await app.inject('/sandbox/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('playground build 1');
    const asset = await app.inject('/sandbox/playground/assets/main-1a2b.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log("playground")');

    const bare = await app.inject('/sandbox');
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/sandbox/');
    expect((await app.inject('/sandbox/playground/')).headers.location).toBe('/sandbox/');
  });

  it('leaves the control API alone', async () => {
    expect((await app.inject('/sandbox/info')).json().chat_ids.support).toBe(DEFAULT_SUPPORT_CHAT_ID);
    const unknown = await app.inject('/sandbox/nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatch(/no control endpoint GET \/sandbox\/nope/);
  });

  it('lists the customers (most recent first) and the support group members to play', async () => {
    customerWrites(world, 1001, { text: 'hi', first_name: 'Ann', language_code: 'de', date: 1_767_225_600 });
    customerWrites(world, 1002, { text: 'hello', first_name: 'Bo', date: 1_767_225_700 });
    setMember(world, { user_id: 501, status: 'member', first_name: 'Maria' });
    setMember(world, { user_id: 502, status: 'left', first_name: 'Gone' });
    const people = (await app.inject('/sandbox/playground/api/people')).json() as PlaygroundPeople;
    expect(people.chat_ids).toEqual({ support: DEFAULT_SUPPORT_CHAT_ID, escalation: DEFAULT_ESCALATION_CHAT_ID });
    expect(people.customers.map((c) => [c.id, c.name, c.language_code])).toEqual([
      [1002, 'Bo', undefined],
      [1001, 'Ann', 'de'],
    ]);
    expect(people.customers[0]).toMatchObject({ last_date: 1_767_225_700, messages: 1, blocked: false });
    expect(people.customers_total).toBe(2);
    expect(people.agents).toEqual([{ id: 501, first_name: 'Maria', name: 'Maria', status: 'member' }]);
    expect(people.current).toBeUndefined();
    // The page asks about its customer here rather than probing the control API (whose 404 would be a console error).
    expect((await app.inject('/sandbox/playground/api/people?customer=1001')).json().current).toMatchObject({ id: 1001, name: 'Ann' });
    expect((await app.inject('/sandbox/playground/api/people?customer=999')).json().current).toBeNull();
    expect((await app.inject('/sandbox/playground/api/people?customer=abc')).statusCode).toBe(400);
  });
});

describe('the playground in Chromium against a real desk', () => {
  const CUSTOMER = 424_242;
  const AGENT = 5151;
  let d: PlaygroundDesk;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    // The sandbox serves sandbox/playground/dist: build it from the current sources.
    await build({ configFile: join(process.cwd(), 'sandbox/playground/vite.config.ts'), logLevel: 'error' });
    d = await startPlaygroundDesk();
    browser = await chromium.launch(CHROMIUM);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await d?.close();
  });

  const customerLog = () => page.locator('#customer-log');
  const threadLog = () => page.locator('#thread-log');

  it('says what it is and links to the dashboard given in ?dashboard=', async () => {
    await page.goto(`${d.url}?dashboard=${encodeURIComponent('http://127.0.0.1:3999/')}`);
    expect(await page.locator('h1').innerText()).toBe('Telegram sandbox — you play the customer and the agents');
    expect(await page.locator('#dashboard-link').getAttribute('href')).toBe('http://127.0.0.1:3999/');
    await page.locator('#live[data-state="live"]').waitFor();
  });

  it('a new customer writes; the bot answers with the category buttons; a press routes the ticket', async () => {
    await page.locator('#new-customer-toggle').click();
    await page.locator('#nc-id').fill(String(CUSTOMER));
    await page.locator('#nc-name').fill('Olga');
    await page.locator('#nc-lang').selectOption('en');
    await page.getByRole('button', { name: 'Play this customer' }).click();
    expect(await page.locator('#customer-name').innerText()).toBe('Olga');

    await page.getByLabel('Message to the bot, as the customer').fill('My payment failed');
    await page.getByLabel('Message to the bot, as the customer').press('Enter');
    await customerLog().locator('.msg.out', { hasText: 'My payment failed' }).waitFor();
    const sent = await d.client.getCustomerMessages(CUSTOMER);
    expect(sent[0]).toMatchObject({ from: 'customer', text: 'My payment failed', from_name: 'Olga' });
    expect((await d.client.getCustomer(CUSTOMER)).user.language_code).toBe('en');

    const payment = customerLog().getByRole('button', { name: '💳 Payment' });
    await payment.waitFor();
    expect(await customerLog().locator('.msg.in .kb-button').allInnerTexts()).toEqual(
      expect.arrayContaining(['💳 Payment', '👤 Account', '✨ Features', '😞 Complaint', '💡 Ideas']),
    );
    await payment.click();
    await customerLog().locator('.msg.in', { hasText: 'payments queue' }).waitFor();
    const ticket = (
      await d.db.query<{ id: number; category: string; queue: string }>('SELECT id, category, queue FROM tickets WHERE customer_id = $1', [CUSTOMER])
    ).rows[0]!;
    expect(ticket).toMatchObject({ category: 'payment', queue: 'payments' });
  });

  it('the topic appears in the forum; an agent opens it, answers, and the customer reads the answer', async () => {
    const topicButton = page.locator('#topic-list button', { hasText: 'Olga' });
    await topicButton.waitFor();
    const thread = Number(await topicButton.getAttribute('data-thread-id'));
    expect((await d.client.getTopics()).find((t) => t.thread_id === thread)?.name).toMatch(/^❗️ Olga · #\d+ · Payment$/);
    await topicButton.click();
    expect(await page.locator('#thread-title').innerText()).toMatch(/Olga/);
    await threadLog().locator('.msg', { hasText: 'My payment failed' }).waitFor();
    const card = threadLog()
      .locator('.msg', { hasText: /Ticket #\d+/ })
      .first();
    expect(await card.locator('.kb-button').allInnerTexts()).toEqual(['📝 Take', '🏁 Resolve']);

    // A new agent joins the support group from the page, then answers in the topic.
    await page.locator('#new-agent-toggle').click();
    await page.locator('#na-id').fill(String(AGENT));
    await page.locator('#na-name').fill('Maria');
    await page.getByRole('button', { name: 'Add to the support group' }).click();
    await page.locator('#new-agent').waitFor({ state: 'hidden' });
    expect(d.sandbox.world.chats.get(DEFAULT_SUPPORT_CHAT_ID)!.members.get(AGENT)?.status).toBe('member');

    await page.getByLabel('Message in the topic, as the agent').fill('Hello Olga, checking your payment');
    await page.getByLabel('Message in the topic, as the agent').press('Enter');
    await threadLog().locator('.msg.out', { hasText: 'Hello Olga, checking your payment' }).waitFor();
    await customerLog().locator('.msg.in', { hasText: 'Hello Olga, checking your payment' }).waitFor();
    const toCustomer = await d.client.getCustomerMessages(CUSTOMER);
    expect(toCustomer.at(-1)).toMatchObject({ from: 'bot', text: 'Hello Olga, checking your payment' });

    // The ticket card's button, pressed as the agent: the ticket is theirs and the title says so.
    await card.getByRole('button', { name: '📝 Take' }).click();
    await page.locator('#topic-list .topic-name', { hasText: /^📝 Olga/ }).waitFor();
    const t = (await d.db.query<{ status: string; agent_id: string }>('SELECT status, agent_id FROM tickets WHERE customer_id = $1', [CUSTOMER])).rows[0]!;
    expect(t.status).toBe('in_progress');
    expect(Number(t.agent_id)).toBe(AGENT);

    // Slash commands are just text.
    await page.getByLabel('Message in the topic, as the agent').fill('/note card issuer declined twice');
    await page.getByLabel('Message in the topic, as the agent').press('Enter');
    await threadLog()
      .locator('.msg.in', { hasText: /Note saved/ })
      .waitFor();
  });

  it('uploads a photo and a document as the customer; both are listed in the chat and relayed to the topic', async () => {
    const png = await receiptPng(page, 320, 240);
    await page.locator('#customer-file').setInputFiles({ name: 'checkout.png', mimeType: 'image/png', buffer: png });
    await page.locator('#attachment:not([hidden])').waitFor();
    expect(await page.locator('#attachment-label').innerText()).toMatch(/^Photo · 320×240 · [\d.]+ KB$/);
    await page.getByLabel('Message to the bot, as the customer').fill('This is what I see');
    await page.getByLabel('Send as the customer').click();
    const photo = customerLog().locator('.msg.out', { hasText: 'This is what I see' });
    await photo.locator('img.photo').waitFor();
    expect(await page.locator('#attachment').isHidden()).toBe(true);
    const photoView = (await d.client.getCustomerMessages(CUSTOMER)).find((m) => m.caption === 'This is what I see')!;
    expect(photoView.media).toBe('photo');
    expect(photoView.media_object).toMatchObject({ width: 320, height: 240, file_size: png.length });
    // The bot copies it into the topic: the same file, so the page shows the same picture there.
    await threadLog().locator('.msg', { hasText: 'This is what I see' }).locator('img.photo').waitFor();

    await page.locator('#customer-file').setInputFiles({ name: 'app.log', mimeType: 'text/plain', buffer: Buffer.from('E 12:00 payment declined\n') });
    await page.getByLabel('Send as the customer').click();
    await customerLog().locator('.msg.out .file-name', { hasText: 'app.log' }).waitFor();
    const doc = (await d.client.getCustomerMessages(CUSTOMER)).at(-1)!;
    expect(doc.media).toBe('document');
    expect(doc.media_object).toMatchObject({ file_name: 'app.log', mime_type: 'text/plain', file_size: 25 });
    await threadLog().locator('.file-name', { hasText: 'app.log' }).waitFor();
  });

  it('renders text as text and only Telegram formatting as markup', async () => {
    await page.getByLabel('Message to the bot, as the customer').fill('<img src=x onerror="window.__pwned=1"> <b>not bold</b>');
    await page.getByLabel('Message to the bot, as the customer').press('Enter');
    const raw = customerLog().locator('.msg.out', { hasText: '<img src=x' });
    await raw.waitFor();
    expect(await raw.locator('.text').innerText()).toBe('<img src=x onerror="window.__pwned=1"> <b>not bold</b>');
    // Only what Telegram itself detects in a user's text ("/b" of "</b>" is a bot command there too).
    expect(await raw.locator('.text *').evaluateAll((els) => els.map((e) => `${e.tagName}.${e.className}`))).toEqual(['SPAN.command']);
    expect(await raw.locator('img').count()).toBe(0);
    await threadLog().locator('.msg', { hasText: '<img src=x' }).waitFor();

    // The bot's HTML has become entities in the sandbox, as in Telegram; the page renders those.
    await d.desk.services.api.sendMessage(
      CUSTOMER,
      '<b>Bold</b> <i>it</i> <code>code</code> <tg-spoiler>secret</tg-spoiler> <a href="https://example.com/help">help</a> <a href="javascript:alert(1)">trap</a>',
      { parse_mode: 'HTML' },
    );
    const formatted = customerLog().locator('.msg.in', { hasText: 'trap' });
    await formatted.waitFor();
    expect(await formatted.locator('.text b').innerText()).toBe('Bold');
    expect(await formatted.locator('.text i').innerText()).toBe('it');
    expect(await formatted.locator('.text code').innerText()).toBe('code');
    expect(await formatted.locator('.text .spoiler').innerText()).toBe('secret');
    expect(await formatted.locator('.text a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')))).toEqual([
      'https://example.com/help',
    ]);
    expect(await formatted.locator('.text').innerText()).toContain('trap');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('the escalation tab shows the alert; its buttons and /sla work as the agent', async () => {
    // A customer who has waited 40 minutes: the L1 first response (15 min) is overdue.
    await d.client.sendCustomerMessage(3003, { text: 'Where is my refund?', first_name: 'Ahmed', date: Math.floor(Date.now() / 1000) - 40 * 60 });
    await d.client.waitForTopic('Ahmed', { timeoutMs: 15_000 });
    const late = (await d.db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = 3003')).rows[0]!;
    await d.fireFirstResponseBreach('L1');
    const alert = await d.client.waitForChatMessage(DEFAULT_ESCALATION_CHAT_ID, /First-response SLA breached/, { timeoutMs: 15_000 });

    await page.locator('#escalation-badge:not([hidden])').waitFor();
    expect(await page.locator('#escalation-badge').innerText()).toBe('1');
    await page.getByRole('tab', { name: /Escalations/ }).click();
    expect(await page.locator('#panel-escalation').isVisible()).toBe(true);
    expect(await page.locator('#panel-forum').isHidden()).toBe(true);
    expect(await page.locator('#escalation-badge').isHidden()).toBe(true);
    const shown = page.locator(`#escalation-log [data-message-id="${alert.message_id}"]`);
    await shown.waitFor();
    expect(await shown.innerText()).toContain(`#${late.id}`);

    await shown.getByRole('button', { name: `Take #${late.id}` }).click();
    await page.locator('#escalation-log .msg.in', { hasText: /taken by Maria/ }).waitFor();
    await page.locator('.toast', { hasText: /is yours/ }).waitFor();
    const taken = (await d.db.query<{ agent_id: string }>('SELECT agent_id FROM tickets WHERE id = $1', [late.id])).rows[0]!;
    expect(Number(taken.agent_id)).toBe(AGENT);

    await page.getByLabel('Message in the escalation chat, as the agent').fill('/sla');
    await page.getByLabel('Message in the escalation chat, as the agent').press('Enter');
    await page.locator('#escalation-log .msg.out', { hasText: '/sla' }).waitFor();
    await page.locator('#escalation-log .msg.in b', { hasText: 'SLA now' }).waitFor();
    const chat = await d.client.getChatMessages(DEFAULT_ESCALATION_CHAT_ID);
    expect(chat.some((m) => m.from === 'agent' && m.from_id === AGENT && m.text === '/sla')).toBe(true);
  });

  it('plays another customer picked from the list, e.g. one the simulator created', async () => {
    await expect.poll(() => page.locator('#customer-select option[value="3003"]').count(), { timeout: 10_000 }).toBe(1);
    await page.getByLabel('Play customer').selectOption('3003');
    expect(await page.locator('#customer-name').innerText()).toBe('Ahmed');
    await customerLog().locator('.msg.out', { hasText: 'Where is my refund?' }).waitFor();
    expect(await customerLog().locator('.msg', { hasText: 'Olga' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
