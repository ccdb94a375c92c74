/**
 * "Report a fake account" in the Mini App API, against the real desk on PGlite and the sandbox: the app gets the
 * official accounts with its meta; a report by @username, t.me link or bare username reaches the escalation chat
 * escaped and is counted as the chat's report is (fake_reported, without the account; on the open ticket if
 * any); anything that names no account is a 400 with the reason and tells nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppApi, startAppApi } from '../../../test/bot/app-api.js';
import { openTicket, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { NOT_AN_ACCOUNT } from './report-fake.js';

const ESC = -1002000000002;
let h: FeatureHarness;
let app: AppApi;

beforeAll(async () => {
  h = await startFeatureHarness({
    botEnv: { WEBAPP_URL: 'http://127.0.0.1:9/app/' },
    env: { KB_AUTO_ANSWER: '0', OFFICIAL_ACCOUNTS: '@acme_support, acme' },
  });
  app = await startAppApi(h);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const call: AppApi['call'] = (...a) => app.call(...a);
const reports = async () => (await h.client.getChatMessages(ESC)).filter((m) => m.from === 'bot' && /Fake account reported/.test(m.text ?? ''));

describe('Report a fake account in the Mini App', () => {
  it('shows the official accounts with the meta', async () => {
    const meta = await call(8801, 'GET', '/meta');
    expect(meta.status).toBe(200);
    expect(meta.body.official_accounts).toEqual(['@acme_support', '@acme']);
  });

  it('refuses what names no account with the reason, telling nobody', async () => {
    for (const account of ['not an account!', '@abc', 'https://example.com/acme', '   ']) {
      expect(await call(8802, 'POST', '/report-fake', { account })).toEqual({ status: 400, body: { error: NOT_AN_ACCOUNT } });
    }
    expect((await call(8802, 'POST', '/report-fake', {})).status).toBe(400);
    expect((await call(8802, 'POST', '/report-fake', { account: 'x'.repeat(201) })).status).toBe(400);
    expect(await reports()).toEqual([]);
    expect(await h.eventsOf('fake_reported')).toEqual([]);
  });

  it('tells the escalation chat (escaped) and counts it without the account, on the open ticket if any', async () => {
    const C = 8803;
    expect(await call(C, 'POST', '/report-fake', { account: 'https://t.me/acme_supp0rt_help' })).toEqual({ status: 202, body: { ok: true } });
    const { ticketId } = await openTicket(h, 8804);
    expect(await call(8804, 'POST', '/report-fake', { account: 'acme_help_desk' })).toEqual({ status: 202, body: { ok: true } });

    const posts = await h.client.waitFor(
      async () => {
        const r = await reports();
        return r.length === 2 ? r : undefined;
      },
      { what: 'two reports in the escalation chat' },
    );
    expect(posts.map((p) => /@[\w]+/.exec(p.text ?? '')?.[0])).toEqual(['@acme_supp0rt_help', '@acme_help_desk']);
    // No ticket opened by a report; the open one carries its report.
    expect((await h.db.query('SELECT 1 FROM tickets WHERE customer_id = $1', [C])).rowCount).toBe(0);
    const events = await h.eventsOf('fake_reported');
    expect(events.map((e) => [e.reason, e.ticket_id])).toEqual([
      ['username', null],
      ['username', ticketId],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/acme_supp0rt|acme_help_desk/);
  });
});
