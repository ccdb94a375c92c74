/**
 * Where the known-issue reply meets the rest of intake, through the sandbox: it comes instead of (not before)
 * a knowledge-base suggestion, and a request written in the Mini App meets incidents as a chat message does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { type AppApi, startAppApi } from '../../../test/bot/app-api.js';

const ESC = -1002000000002;
let h: FeatureHarness;
let app: AppApi;

beforeAll(async () => {
  h = await startFeatureHarness({
    botEnv: { TEAM_LEAD_IDS: String(AGENT), WEBAPP_URL: 'http://127.0.0.1:9/app/' },
    env: { KB_AUTO_ANSWER: 'true', SPAM_NEWCOMER_MESSAGES: '0', SPAM_NEWCOMER_AGE: '0', SPAM_DUPLICATE_WINDOW: '0' },
  });
  app = await startAppApi(h);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const botTexts = async (id: number) => (await h.client.getCustomerMessages(id)).filter((m) => m.from === 'bot').map((m) => m.text ?? '');

describe('the known-issue reply in intake', () => {
  it('answers instead of a KB article: no suggestion after "we already know", the category keyboard follows', async () => {
    const QUESTION = 'I forgot my password, how do I reset password?';
    // Without an incident the question gets the password article.
    await h.client.sendCustomerMessage(6101, { text: QUESTION, first_name: 'A', language_code: 'en' });
    await h.client.waitForCustomerMessage(6101, /This article may answer your question/, { timeoutMs: 20_000 });
    const suggested = (await h.eventsOf('bot_reply')).find((e) => e.reply_kind === 'kb')?.kb_article_id;
    expect(suggested).toBeTruthy();

    // An open incident for that article's cluster (as Confirm on a KB-cluster spike opens it).
    await h.db.query(`INSERT INTO incidents (title, key, status, opened_at, opened_by) VALUES ('Password emails delayed', $1, 'open', now(), $2)`, [
      `kb:${suggested}`,
      AGENT,
    ]);
    await h.client.sendCustomerMessage(6102, { text: QUESTION, first_name: 'B', language_code: 'en' });
    await h.client.waitForCustomerMessage(6102, /We already know about this problem: Password emails delayed/, { timeoutMs: 20_000 });
    await h.client.waitForCustomerMessage(6102, (m) => (m.buttons ?? []).flat().length >= 3, { timeoutMs: 20_000 });
    await h.settle();
    const texts = await botTexts(6102);
    expect(texts.filter((t) => /This article may answer your question/.test(t))).toEqual([]);
    const linked = (await h.eventsOf('ticket_linked')).filter((e) => e.link_source === 'new_ticket');
    expect(linked).toHaveLength(1);
  });

  it('a request from the Mini App in the incident category gets the known-issue reply in the chat and is linked', async () => {
    await h.client.sendSupportMessage({ chat_id: ESC, from_id: AGENT, text: '/incident Payment provider down' });
    await h.client.waitForChatMessage(ESC, /Incident #\d+ opened: Payment provider down/);
    // The customer opened the app from the bot's menu: they have a chat with the bot.
    await h.client.sendCustomerMessage(6201, { text: '/start', first_name: 'C', language_code: 'en' });
    await h.client.waitForCustomerMessage(6201, () => true, { timeoutMs: 20_000 });
    const res = await app.call(6201, 'POST', '/tickets', { category: 'payment', text: 'Checkout keeps failing at the last step' });
    expect(res.status).toBe(201);
    const number = res.body.number as number;
    await h.client.waitForCustomerMessage(6201, /We already know about this problem: Payment provider down/, { timeoutMs: 20_000 });
    const links = await h.db.query('SELECT incident_id FROM incident_links WHERE ticket_id = $1 AND unlinked_at IS NULL', [number]);
    expect(links.rows).toHaveLength(1);
    // Counted for the detector under its category, like a chat ticket.
    const keys = await h.db.query<{ key: string }>('SELECT key FROM incident_ticket_keys WHERE ticket_id = $1', [number]);
    expect(keys.rows.map((r) => r.key)).toContain('cat:payment');
  });
});
