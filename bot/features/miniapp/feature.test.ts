/** The Mini App from the chat's side, end to end through the sandbox: menu button, deep links, /settings, plain chat without it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTicket, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';

const APP = 'http://127.0.0.1:9/app/';
const webAppButtons = (m: { reply_markup?: { inline_keyboard?: unknown[][] } }) =>
  (m.reply_markup?.inline_keyboard?.flat() ?? []).filter(
    (b): b is { text: string; web_app: { url: string } } => typeof b === 'object' && b !== null && 'web_app' in b,
  );

describe('with WEBAPP_URL', () => {
  let h: FeatureHarness;
  beforeAll(async () => {
    h = await startFeatureHarness({ botEnv: { WEBAPP_URL: APP }, env: { KB_AUTO_ANSWER: '0' } });
  });
  afterAll(async () => h?.close());

  it("sets the app as every chat's menu button at start, and the customer's own (in their language) on /start", async () => {
    expect(await h.desk.services.api.getChatMenuButton()).toMatchObject({ type: 'web_app', text: 'Support', web_app: { url: APP } });
    await h.client.sendCustomerMessage(9101, { text: '/start', first_name: 'Oleg', language_code: 'ru' });
    await h.client.waitForCustomerMessage(9101, /./);
    expect(await h.desk.services.api.getChatMenuButton({ chat_id: 9101 })).toMatchObject({ type: 'web_app', text: 'Поддержка' });
    // The sandbox opens that URL with the signed launch data, as Telegram's client would.
    expect((await h.client.openWebApp(9101)).url).toMatch(/^http:\/\/127\.0\.0\.1:9\/app\/#tgWebAppData=/);
  });

  it('/start ticket-<n> answers with a button opening that ticket; another customer’s number is refused', async () => {
    const { ticketId } = await openTicket(h, 9102);
    const receipt = await h.client.waitForCustomerMessage(9102, new RegExp(`#${ticketId}`));
    expect(webAppButtons(receipt).map((b) => b.web_app.url)).toEqual([`${APP}?startapp=ticket-${ticketId}`]);
    await h.client.sendCustomerMessage(9102, `/start ticket-${ticketId}`);
    const link = await h.client.waitForCustomerMessage(9102, new RegExp(`Request #${ticketId}`));
    expect(webAppButtons(link)).toEqual([{ text: '📱 Open the app', web_app: { url: `${APP}?startapp=ticket-${ticketId}` } }]);
    await h.client.sendCustomerMessage(9103, { text: `/start ticket-${ticketId}`, first_name: 'Eve' });
    await h.client.waitForCustomerMessage(9103, `No request #${ticketId} here. /status shows your latest one.`);
  });

  it('/start article-<id> opens the article in the app; /settings offers the app and says what the chat can do', async () => {
    await h.client.sendCustomerMessage(9104, { text: '/start article-refunds', first_name: 'Ana', language_code: 'en' });
    const link = await h.client.waitForCustomerMessage(9104, 'The article is in the help centre:');
    expect(webAppButtons(link)[0]?.web_app.url).toBe(`${APP}?startapp=article-refunds`);
    await h.client.sendCustomerMessage(9104, '/settings');
    const settings = await h.client.waitForCustomerMessage(9104, /^Your settings/);
    expect(settings.text).toContain('/language');
    expect(webAppButtons(settings)[0]?.web_app.url).toBe(`${APP}?startapp=settings`);
  });
});

describe('without WEBAPP_URL (plain chat)', () => {
  let h: FeatureHarness;
  beforeAll(async () => {
    h = await startFeatureHarness({ env: { KB_AUTO_ANSWER: '0' } });
  });
  afterAll(async () => h?.close());

  it('no app buttons anywhere; an article link shows the article in the chat; /settings still answers', async () => {
    expect(await h.desk.services.api.getChatMenuButton()).toEqual({ type: 'commands' });
    const { ticketId } = await openTicket(h, 9201);
    const receipt = await h.client.waitForCustomerMessage(9201, new RegExp(`#${ticketId}`));
    expect(webAppButtons(receipt)).toEqual([]);
    await h.client.sendCustomerMessage(9201, '/start article-refunds');
    const article = await h.client.waitForCustomerMessage(9201, /refund/i, { after: receipt.message_id });
    expect(webAppButtons(article)).toEqual([]);
    await h.client.sendCustomerMessage(9201, '/settings');
    const settings = await h.client.waitForCustomerMessage(9201, /^Your settings/);
    expect(settings.reply_markup).toBeUndefined();
  });
});
