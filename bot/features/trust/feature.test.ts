/**
 * Anti-phishing end to end through the sandbox: /start and /official name the official accounts; a fake account
 * reported by @username and by a forwarded message (with links, from a newcomer: not held by anti-spam) reaches
 * the escalation chat escaped and is counted without the account; an ordinary message after the prompt is an
 * ordinary message; the agents' first reply carries the "only through this bot" notice once per customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, openTicket, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { loadFeaturesConfig, loadOfficialAccounts } from '../../runtime/config.js';

const ESC = -1002000000002;
let h: FeatureHarness;

beforeAll(async () => {
  h = await startFeatureHarness({ env: { KB_AUTO_ANSWER: 'false', OFFICIAL_ACCOUNTS: '@acme_support, acme' } });
}, 60_000);
afterAll(async () => h?.close());

const escalations = async (pattern: RegExp) => (await h.client.getChatMessages(ESC)).filter((m) => m.from === 'bot' && pattern.test(m.text ?? ''));

describe('official accounts', () => {
  it('/start names them after the welcome, /official on demand, in the customer’s language', async () => {
    await h.client.sendCustomerMessage(8101, { text: '/start', first_name: 'Ann', language_code: 'en' });
    await h.client.waitForCustomerMessage(8101, /Our official accounts: @acme_support, @acme\. We never write to you first/);
    const msgs = await h.client.getCustomerMessages(8101);
    const official = msgs.findIndex((m) => /official accounts/.test(m.text ?? ''));
    expect(official).toBeGreaterThan(0); // after the welcome
    expect(JSON.stringify(msgs[official]!.reply_markup)).toContain('Report a fake account');

    await h.client.sendCustomerMessage(8102, { text: '/official', first_name: 'Boris', language_code: 'ru' });
    await h.client.waitForCustomerMessage(8102, /Наши официальные аккаунты: @acme_support, @acme/);
    await h.client.sendCustomerMessage(8103, { text: '/official', first_name: 'Dara', language_code: 'fa' });
    await h.client.waitForCustomerMessage(8103, /حساب‌های رسمی ما: @acme_support, @acme/);
  });
});

describe('Report a fake account', () => {
  it('by @username: the escalation chat is told (escaped), the event has no account, the customer thanked', async () => {
    const C = 8201;
    await h.client.sendCustomerMessage(C, { text: '/official', first_name: 'Cleo', language_code: 'en' });
    await h.client.waitForCustomerMessage(C, /official accounts/);
    await h.client.pressCustomerButton(C, '🚩 Report a fake account');
    await h.client.waitForCustomerMessage(C, /Send the fake account's @username/);
    await h.client.sendCustomerMessage(C, 'this one wrote to me: @acme_supp0rt_help <b>urgent</b>');
    await h.client.waitForCustomerMessage(C, /Thank you — our team has been told/);
    const [post] = await escalations(/Fake account reported/);
    expect(post?.text).toContain('@acme_supp0rt_help');
    expect(post?.text).not.toContain('Cleo');
    // No ticket was opened by the report.
    expect((await h.db.query('SELECT 1 FROM tickets WHERE customer_id = $1', [C])).rowCount).toBe(0);
    const events = await h.eventsOf('fake_reported');
    expect(events.map((e) => e.reason)).toEqual(['username']);
    expect(JSON.stringify(events)).not.toContain('acme_supp0rt');
  });

  it('by a forwarded message with links from a newcomer: forwarded to the escalation chat, not held as spam', async () => {
    const C = 8202;
    await h.client.sendCustomerMessage(C, { text: '/reportfake', first_name: 'Dina', language_code: 'ru' });
    await h.client.waitForCustomerMessage(C, /Пришлите @имя поддельного аккаунта/);
    await h.client.sendCustomerMessage(C, {
      text: 'Your account is locked, verify at https://acme-verify.example/login',
      forward_origin: {
        type: 'user',
        sender_user: { id: 555_001, is_bot: false, first_name: 'Acme <Support>', username: 'acme_helpdesk' },
        date: 1_700_000_000,
      },
    });
    await h.client.waitForCustomerMessage(C, /Спасибо — мы передали это команде/);
    const [post] = await escalations(/forwarded a message from/);
    expect(post?.text).toContain('@acme_helpdesk · Acme <Support> · id 555001'); // shown as text: it was sent escaped
    await h.client.waitFor(async () => (await h.client.getChatMessages(ESC)).find((m) => /acme-verify\.example/.test(m.text ?? '')), {
      what: 'the forwarded message in the escalation chat',
      timeoutMs: 10_000,
    });
    expect((await h.eventsOf('fake_reported')).map((e) => e.reason)).toEqual(['username', 'forward']);
    expect((await h.eventsOf('spam_blocked')).length).toBe(0);
    expect((await h.db.query('SELECT 1 FROM tickets WHERE customer_id = $1', [C])).rowCount).toBe(0);
  });

  it('an ordinary message after the prompt opens a ticket as usual, and reports nothing', async () => {
    const C = 8203;
    await h.client.sendCustomerMessage(C, { text: '/reportfake', first_name: 'Emil', language_code: 'en' });
    await h.client.waitForCustomerMessage(C, /Send the fake account's @username/);
    const { ticketId } = await openTicket(h, C, { name: 'Emil', text: 'actually, my invoice is wrong' });
    expect(ticketId).toBeGreaterThan(0);
    expect((await h.eventsOf('fake_reported')).length).toBe(2);
    // The prompt is gone: a later @mention is a message for the agents.
    await h.client.sendCustomerMessage(C, 'ask @acme_support please');
    await h.settle();
    expect((await h.eventsOf('fake_reported')).length).toBe(2);
  });
});

describe('agents write only through the bot', () => {
  it("the first agent reply a customer gets carries the notice, once per customer (a second ticket doesn't repeat it)", async () => {
    const C = 8301;
    const { thread, ticketId } = await openTicket(h, C, { name: 'Fay', text: 'my invoice shows the wrong amount' });
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: 'Hi Fay, looking into it' });
    await h.client.waitForCustomerMessage(C, 'Hi Fay, looking into it');
    await h.client.waitForCustomerMessage(C, /Our agents answer you only here, through this bot — never from personal accounts/);
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: 'Fixed it' });
    await h.client.waitForCustomerMessage(C, 'Fixed it');
    // An internal note is no reply.
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: '/resolve' });
    await h.client.waitFor(async () => (await h.db.query(`SELECT 1 FROM tickets WHERE id = $1 AND status = 'resolved'`, [ticketId])).rowCount || undefined, {
      what: 'resolved',
      timeoutMs: 10_000,
    });
    const second = await openTicket(h, C, { name: 'Fay', text: 'another question about the contract' });
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: second.thread, text: 'Hello again' });
    await h.client.waitForCustomerMessage(C, 'Hello again');
    await h.settle();
    const notices = (await h.client.getCustomerMessages(C)).filter((m) => /never from personal accounts/.test(m.text ?? ''));
    expect(notices).toHaveLength(1);
  });
});

describe('OFFICIAL_ACCOUNTS', () => {
  it('takes usernames with or without @, and refuses what is not one (naming the variable)', () => {
    expect(loadOfficialAccounts({ OFFICIAL_ACCOUNTS: ' @acme_support ,acme,, ' })).toEqual(['@acme_support', '@acme']);
    expect(loadOfficialAccounts({})).toEqual([]);
    expect(loadFeaturesConfig({}).trust).toEqual({ officialAccounts: [], consentVersion: undefined, privacyNoticeUrl: undefined });
    expect(() => loadOfficialAccounts({ OFFICIAL_ACCOUNTS: '@acme support' })).toThrow(/OFFICIAL_ACCOUNTS/);
    expect(() => loadOfficialAccounts({ OFFICIAL_ACCOUNTS: 'https://t.me/acme' })).toThrow(/OFFICIAL_ACCOUNTS/);
  });
});
