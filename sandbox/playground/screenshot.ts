/**
 * `npx tsx sandbox/playground/screenshot.ts [outDir]` → docs/playground.png (a conversation in
 * progress on both sides, 1280×800) and docs/playground-escalation.png (the escalation tab).
 *
 * Builds the playground, starts a real desk against the sandbox (test-desk.ts), seeds a few
 * customers through the control API and plays one conversation through the page itself in
 * headless Chromium.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { runMain } from '../../core/cli.js';
import { DEFAULT_ESCALATION_CHAT_ID } from '../identities.js';
import { CHROMIUM, receiptPng, startPlaygroundDesk, type PlaygroundDesk } from './test-desk.js';

const ANNA = 1001;
const MARIA = { id: 9_100_001, first_name: 'Maria' };
const minutesAgo = (m: number) => Math.floor(Date.now() / 1000) - m * 60;

/** Other customers, so the forum has a few topics in different states. */
async function seedOthers(d: PlaygroundDesk): Promise<void> {
  const tg = d.client;
  await tg.setMember({ user_id: MARIA.id, status: 'member', first_name: MARIA.first_name });
  await tg.setMember({ user_id: 9_100_002, status: 'member', first_name: 'Tom' });
  const others = [
    {
      id: 2001,
      name: 'Liam',
      text: 'How do I change the e-mail on my account?',
      category: '👤 Account',
      ago: 50,
      answer: 'Hi Liam! Settings → Profile → E-mail; we send a code to the new address.',
      resolve: true,
    },
    {
      id: 2002,
      name: 'Sofia',
      text: 'The app crashes when I upload a PDF',
      category: '✨ Features',
      ago: 30,
      answer: 'Thanks Sofia, could you tell me the app version?',
      take: true,
    },
    { id: 2003, name: 'Ahmed', text: 'Nobody answers me, where is my refund?', category: undefined, ago: 25 },
  ];
  for (const c of others) {
    await tg.sendCustomerMessage(c.id, { text: c.text, first_name: c.name, language_code: 'en', date: minutesAgo(c.ago) });
    const topic = await tg.waitForTopic(c.name, { timeoutMs: 15_000 });
    await tg.waitForCustomerMessage(c.id, /What is your question about/, { timeoutMs: 15_000 });
    if (c.category) {
      await tg.pressCustomerButton(c.id, c.category);
      const label = c.category.split(' ')[1]!;
      await tg.waitForTopic((t) => t.name.includes(c.name) && t.name.includes(label), { timeoutMs: 15_000 });
    }
    if (c.answer) {
      await tg.sendSupportMessage({ from_id: 9_100_002, thread_id: topic.thread_id, text: c.answer });
      await tg.waitForCustomerMessage(c.id, c.answer.slice(0, 20), { timeoutMs: 15_000 });
    }
    if (c.take) {
      await tg.sendSupportMessage({ from_id: 9_100_002, thread_id: topic.thread_id, text: '/take' });
      await tg.waitForTopic(`📝 ${c.name}`, { timeoutMs: 15_000 });
    }
    if (c.resolve) {
      await tg.sendSupportMessage({ from_id: 9_100_002, thread_id: topic.thread_id, text: '/resolve' });
      await tg.waitForTopic(`🏁 ${c.name}`, { timeoutMs: 15_000 });
    }
  }
}

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? join(process.cwd(), 'docs');
  mkdirSync(outDir, { recursive: true });
  await build({ configFile: join(process.cwd(), 'sandbox/playground/vite.config.ts'), logLevel: 'warn' });
  const d = await startPlaygroundDesk();
  const browser = await chromium.launch(CHROMIUM);
  try {
    await seedOthers(d);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    await page.addInitScript(
      ({ customer, agent }) => {
        localStorage.setItem('playground.customer', JSON.stringify(customer));
        localStorage.setItem('playground.agent', JSON.stringify(agent));
      },
      { customer: { id: ANNA, first_name: 'Anna', language_code: 'en' }, agent: MARIA },
    );
    await page.goto(`${d.url}?dashboard=http://127.0.0.1:3000/`);

    // The customer writes, picks a category and sends a screenshot.
    await page.locator('#customer-text').fill('Hi! My card payment failed twice today 😕');
    await page.locator('#customer-text').press('Enter');
    await page.locator('#customer-log button', { hasText: '💳 Payment' }).click();
    await page.locator('#customer-log .msg.in', { hasText: 'payments queue' }).waitFor();
    await page.locator('#customer-file').setInputFiles({ name: 'checkout.png', mimeType: 'image/png', buffer: await receiptPng(page) });
    await page.locator('#customer-text').fill('This is what I see at checkout');
    await page.locator('#customer-text').press('Enter');
    await page.locator('#customer-log img.photo').waitFor();

    // The agent opens the topic, takes the ticket and answers.
    await page.locator('#topic-list button', { hasText: 'Anna' }).click();
    await page.locator('#thread-log img.photo').waitFor();
    await page.locator('#thread-log button', { hasText: 'Take' }).click();
    await page.locator('#topic-list button', { hasText: '📝 Anna' }).waitFor();
    await page.locator('#agent-text').fill('Hi Anna, sorry about that! I can see two declined attempts — checking with the payment provider now.');
    await page.locator('#agent-text').press('Enter');
    await page.locator('#customer-log .msg.in', { hasText: 'checking with the payment provider' }).waitFor();
    await page.locator('#thread-log .msg.out', { hasText: 'checking with the payment provider' }).waitFor();
    await page.screenshot({ path: join(outDir, 'playground.png') });

    // An SLA alert lands in the escalation chat; Maria takes the overdue ticket from it.
    await d.fireFirstResponseBreach('L1');
    const alert = await d.client.waitForChatMessage(DEFAULT_ESCALATION_CHAT_ID, /First-response SLA breached/, { timeoutMs: 15_000 });
    await page.locator('#escalation-badge:not([hidden])').waitFor();
    await page.locator('#tab-escalation').click();
    const shown = page.locator(`#escalation-log [data-message-id="${alert.message_id}"]`);
    await shown.locator('.kb-button', { hasText: 'Take' }).click();
    await page.locator('#escalation-log .msg.in', { hasText: 'taken by Maria' }).waitFor();
    await page.locator('.toast', { hasText: 'is yours' }).waitFor();
    await page.screenshot({ path: join(outDir, 'playground-escalation.png') });
  } finally {
    await browser.close();
    await d.close();
  }
}

runMain(async () => {
  await main();
  process.exit(0);
});
