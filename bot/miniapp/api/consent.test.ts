/**
 * Consent in the Mini App API (CONSENT_VERSION on), against the real desk on PGlite and the sandbox: a new request
 * is refused with 403 and the reason until the customer accepts; Accept records the version and time in the same
 * row the chat's Accept writes (the chat then asks nothing); an outdated version and chat messages still held are
 * 409s; a customer with a ticket open carries on; withdrawing (DELETE /me, the erasure) removes the consent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppApi, startAppApi } from '../../../test/bot/app-api.js';
import { startFeatureHarness, SUPPORT, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { CONSENT_REQUIRED } from './consent.js';

let h: FeatureHarness;
let app: AppApi;

beforeAll(async () => {
  h = await startFeatureHarness({
    botEnv: { WEBAPP_URL: 'http://127.0.0.1:9/app/' },
    env: {
      KB_AUTO_ANSWER: '0',
      SPAM_NEWCOMER_MESSAGES: '0',
      SPAM_NEWCOMER_AGE: '0',
      SPAM_DUPLICATE_WINDOW: '0',
      CONSENT_VERSION: '2026-11',
      PRIVACY_NOTICE_URL: 'https://acme.example/privacy',
    },
  });
  app = await startAppApi(h);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const call: AppApi['call'] = (...a) => app.call(...a);
const tickets = async (id: number) => (await h.db.query('SELECT id FROM tickets WHERE customer_id = $1', [id])).rowCount;
const stored = async (id: number) =>
  (await h.db.query<{ v: string | null; at: Date | null }>('SELECT consent_version AS v, consent_at AS at FROM customer_trust WHERE customer_id = $1', [id]))
    .rows[0];
const REQUEST = { category: 'payment', text: 'my invoice 77 is wrong, please check' };

describe('consent in the Mini App', () => {
  it('refuses a new request until Accept, then records the consent where the chat does and lets it through', async () => {
    const C = 8701;
    const before = await call(C, 'GET', '/consent');
    expect(before).toEqual({
      status: 200,
      body: { required: true, version: '2026-11', notice_url: 'https://acme.example/privacy', accepted: false, accepted_version: null, accepted_at: null },
    });
    const refused = await call(C, 'POST', '/tickets', REQUEST);
    expect(refused).toEqual({ status: 403, body: { error: CONSENT_REQUIRED } });
    expect(await tickets(C)).toBe(0);

    expect(await call(C, 'POST', '/consent', { version: '2025-01' })).toEqual({
      status: 409,
      body: { error: 'the privacy notice changed (version 2026-11): read it again and accept that version' },
    });
    expect((await call(C, 'POST', '/consent', {})).status).toBe(400);

    const accepted = await call(C, 'POST', '/consent', { version: '2026-11' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ required: true, accepted: true, accepted_version: '2026-11' });
    const row = await stored(C);
    expect(row?.v).toBe('2026-11');
    expect(row?.at).toBeInstanceOf(Date);
    expect(accepted.body.accepted_at).toBe(row!.at!.toISOString());

    const created = await call(C, 'POST', '/tickets', REQUEST);
    expect(created.status).toBe(201);
    expect(await tickets(C)).toBe(1);
    // One consent: the chat now asks nothing either.
    await h.client.sendCustomerMessage(C, 'and the refund never came');
    const thread = await h.thread(C);
    await h.client.waitFor(
      async () => ((await h.client.getChatMessages(SUPPORT, { threadId: thread })).some((m) => m.text === 'and the refund never came') ? true : undefined),
      { what: 'the chat message in the topic', timeoutMs: 10_000 },
    );
    expect((await h.client.getCustomerMessages(C)).some((m) => /how we handle your data/.test(m.text ?? ''))).toBe(false);
  });

  it('sends a customer whose chat messages wait for the consent to the chat’s Accept (nothing left behind)', async () => {
    const C = 8702;
    await h.client.sendCustomerMessage(C, { text: 'hello, a question about my bill', first_name: 'Ida', language_code: 'en' });
    await h.client.waitForCustomerMessage(C, /how we handle your data/);
    const r = await call(C, 'POST', '/consent', { version: '2026-11' });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatch(/press Accept under the privacy notice in the chat/);
    expect(await stored(C)).toMatchObject({ v: null });
    await h.client.pressCustomerButton(C, '✅ Accept');
    await h.client.waitForCustomerMessage(C, /your message is on its way/);
    expect((await call(C, 'GET', '/consent')).body).toMatchObject({ accepted: true, accepted_version: '2026-11' });
  });

  it('lets a customer with a ticket open carry on, as the chat does', async () => {
    const C = 8703;
    await h.db.query(`INSERT INTO customer_trust (customer_id, consent_version, consent_at) VALUES ($1, '2025-01', now())`, [C]);
    // an old version: asked again, but the request opened before (here: created for the test) goes on
    expect((await call(C, 'GET', '/consent')).body).toMatchObject({ accepted: false, accepted_version: '2025-01' });
    expect((await call(C, 'POST', '/tickets', REQUEST)).status).toBe(403);
    await h.db.query(`UPDATE customer_trust SET consent_version = '2026-11' WHERE customer_id = $1`, [C]);
    expect((await call(C, 'POST', '/tickets', REQUEST)).status).toBe(201);
    await h.db.query(`UPDATE customer_trust SET consent_version = '2025-01' WHERE customer_id = $1`, [C]);
    const again = await call(C, 'POST', '/tickets', { ...REQUEST, text: 'one more detail about it' });
    expect(again).toMatchObject({ status: 201, body: { created: false } });
  });

  it('withdrawing is the erasure: the consent goes with the data', async () => {
    const C = 8701;
    expect((await call(C, 'DELETE', '/me')).status).toBe(200);
    expect(await stored(C)).toBeUndefined();
    expect((await call(C, 'GET', '/consent')).body).toMatchObject({ accepted: false, accepted_version: null });
    expect((await call(C, 'POST', '/tickets', REQUEST)).status).toBe(403);
  });
});
