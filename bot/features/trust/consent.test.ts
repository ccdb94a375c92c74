/**
 * The consent step (CONSENT_VERSION on) end to end through the sandbox: a new customer's messages wait for the
 * privacy notice's Accept (no ticket, no topic), then reach the agents in order (nothing lost), the consent
 * stored with its version and time; a new version asks again; /withdraw erases the customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORT, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';

let h: FeatureHarness;

beforeAll(async () => {
  h = await startFeatureHarness({ env: { KB_AUTO_ANSWER: 'false', CONSENT_VERSION: '2026-11', PRIVACY_NOTICE_URL: 'https://acme.example/privacy' } });
}, 60_000);
afterAll(async () => h?.close());

const tickets = async (id: number) => (await h.db.query('SELECT id FROM tickets WHERE customer_id = $1', [id])).rowCount;
const consent = async (id: number) =>
  (await h.db.query<{ v: string | null; at: Date | null }>('SELECT consent_version AS v, consent_at AS at FROM customer_trust WHERE customer_id = $1', [id]))
    .rows[0];

describe('consent before the first ticket', () => {
  it('holds what the customer writes until Accept, then relays all of it in order; the consent is stored', async () => {
    const C = 8401;
    await h.client.sendCustomerMessage(C, { text: 'my invoice 77 is wrong', first_name: 'Gus', language_code: 'en' });
    await h.client.waitForCustomerMessage(C, /please read how we handle your data — https:\/\/acme\.example\/privacy \(version 2026-11\)/);
    await h.client.sendCustomerMessage(C, 'and the refund never came');
    await h.settle();
    expect(await tickets(C)).toBe(0);
    expect((await h.client.getCustomerMessages(C)).filter((m) => /how we handle your data/.test(m.text ?? ''))).toHaveLength(1); // asked once
    expect(await h.eventsOf('message_in')).toEqual([]);

    await h.client.pressCustomerButton(C, '✅ Accept');
    await h.client.waitForCustomerMessage(C, /your message is on its way/);
    const thread = await h.thread(C);
    await h.client.waitFor(
      async () => {
        const texts = (await h.client.getChatMessages(SUPPORT, { threadId: thread })).map((m) => m.text ?? '');
        const a = texts.indexOf('my invoice 77 is wrong');
        const b = texts.indexOf('and the refund never came');
        return a >= 0 && b > a ? true : undefined;
      },
      { what: 'both held messages in the topic, in order', timeoutMs: 10_000 },
    );
    expect(await tickets(C)).toBe(1);
    const c = await consent(C);
    expect(c?.v).toBe('2026-11');
    expect(c?.at).toBeInstanceOf(Date);
    expect((await h.db.query(`SELECT consent_held FROM customer_trust WHERE customer_id = $1`, [C])).rows[0]).toEqual({ consent_held: [] });
    expect((await h.eventsOf('message_in')).length).toBe(2);

    // Accepted: the next message goes straight to the ticket.
    await h.client.sendCustomerMessage(C, 'any news?');
    await h.client.waitFor(
      async () => ((await h.client.getChatMessages(SUPPORT, { threadId: thread })).some((m) => m.text === 'any news?') ? true : undefined),
      {
        what: 'the later message in the topic',
        timeoutMs: 10_000,
      },
    );
  });

  it('commands pass (a customer can /start or delete their data without accepting)', async () => {
    const C = 8402;
    await h.client.sendCustomerMessage(C, { text: '/start', first_name: 'Hal', language_code: 'ru' });
    await h.client.waitForCustomerMessage(C, /.+/);
    expect((await h.client.getCustomerMessages(C)).some((m) => /Прежде чем мы откроем обращение/.test(m.text ?? ''))).toBe(false);
    await h.client.sendCustomerMessage(C, 'здравствуйте, вопрос по счёту');
    await h.client.waitForCustomerMessage(C, /Прежде чем мы откроем обращение.*https:\/\/acme\.example\/privacy/s);
  });

  it('/withdraw erases the customer, the consent with them', async () => {
    const C = 8401;
    await h.client.sendCustomerMessage(C, '/withdraw');
    await h.client.waitForCustomerMessage(C, /Withdraw your consent\? Withdrawing it means we delete your data/);
    await h.client.pressCustomerButton(C, '🗑 Withdraw and delete my data');
    await h.client.waitForCustomerMessage(C, /Your data has been deleted/);
    expect(await consent(C)).toBeUndefined();
    expect((await h.db.query('SELECT 1 FROM customers WHERE id = $1', [C])).rowCount).toBe(0);
    // Writing again starts afresh: the notice first (the first one became the thank-you when accepted).
    await h.client.sendCustomerMessage(C, { text: 'hello again', first_name: 'Gus', language_code: 'en' });
    await h.client.waitFor(
      async () => ((await h.client.getCustomerMessages(C)).filter((m) => /how we handle your data/.test(m.text ?? '')).length === 1 ? true : undefined),
      { what: 'the notice again', timeoutMs: 10_000 },
    );
  });
});
