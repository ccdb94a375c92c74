/** Anti-spam before the desk, end to end through the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, SUPPORT, startFeatureHarness, type FeatureHarness } from '../test-support.js';

let h: FeatureHarness;
beforeAll(async () => {
  h = await startFeatureHarness({ env: { SPAM_RATE_LIMIT: '5', SPAM_RATE_WINDOW: '10m', SPAM_NEWCOMER_MESSAGES: '2', SPAM_NEWCOMER_AGE: '0', SPAM_DUPLICATE_WINDOW: '2m', KB_AUTO_ANSWER: '0' } });
});
afterAll(async () => h?.close());

// rows.length: PGlite reports rowCount 0 for SELECTs.
const tickets = async (customerId: number) => (await h.db.query('SELECT id FROM tickets WHERE customer_id = $1', [customerId])).rows.length;
const blocked = async (customerId: number) =>
  (await h.eventsOf('spam_blocked')).filter((e) => e.customer_id === customerId).map((e) => e.reason);

describe('newcomers', () => {
  it('holds back a brand-new customer’s photo and link with a polite explanation, and lets them through after a few real messages', async () => {
    await h.client.sendCustomerMessage(7001, { photo: {}, caption: 'look', first_name: 'Neo', language_code: 'en' });
    await h.client.waitForCustomerMessage(7001, /files and photos can be sent after a few messages/);
    await h.client.sendCustomerMessage(7001, { text: 'claim your prize at https://prize.example/win' });
    await h.client.waitForCustomerMessage(7001, /links can be sent after a few messages/);
    expect(await tickets(7001)).toBe(0);

    await h.client.sendCustomerMessage(7001, { text: 'My transfer is stuck' });
    await h.client.sendCustomerMessage(7001, { text: 'It is order 5521' });
    const thread = await h.thread(7001);
    await h.client.waitForChatMessage(SUPPORT, 'It is order 5521', { threadId: thread });
    await h.client.sendCustomerMessage(7001, { photo: {}, caption: 'screenshot of the error' });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.caption === 'screenshot of the error', { threadId: thread });
    expect(await blocked(7001)).toEqual(['media', 'link']);
    const [media] = (await h.eventsOf('spam_blocked')).filter((e) => e.customer_id === 7001);
    expect(media).toMatchObject({ ticket_id: null, language: 'en' });
  });
});

describe('duplicates and floods', () => {
  it('collapses the same message sent again (relayed once, noted once)', async () => {
    await h.client.sendCustomerMessage(7002, { text: 'Where is my money??', first_name: 'Kim', language_code: 'en' });
    const thread = await h.thread(7002);
    await h.client.waitForChatMessage(SUPPORT, 'Where is my money??', { threadId: thread });
    await h.client.sendCustomerMessage(7002, { text: 'where is my   money??' });
    await h.client.waitForCustomerMessage(7002, /already got this message/);
    await h.settle();
    const copies = (await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter((m) => /where is my/i.test(m.text ?? ''));
    expect(copies).toHaveLength(1);
    const events = await blocked(7002);
    expect(events).toEqual(['duplicate']);
    const ticket = (await h.eventsOf('spam_blocked')).find((e) => e.customer_id === 7002)!;
    expect(ticket.ticket_id).not.toBeNull(); // attached to the open ticket
  });

  it('rate-limits a flood: every message over the limit is an event, the customer is told once', async () => {
    for (let i = 1; i <= 8; i++) await h.client.sendCustomerMessage(7003, { text: `message number ${i}`, first_name: 'Flo', language_code: 'en' });
    await h.settle();
    expect(await blocked(7003)).toEqual(['rate_limit', 'rate_limit', 'rate_limit']);
    const notices = (await h.client.getCustomerMessages(7003)).filter((m) => /sending messages very fast/.test(m.text ?? ''));
    expect(notices).toHaveLength(1);
    const r = await h.db.query<{ customer_messages: number }>('SELECT customer_messages FROM tickets WHERE customer_id = 7003');
    expect(r.rows[0]!.customer_messages).toBe(5);
  });
});

describe('banned customers', () => {
  it('are held back silently, each message a spam_blocked(banned) event', async () => {
    const thread = await h.thread(7002);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/ban' });
    await h.client.waitForChatMessage(SUPPORT, /Customer banned/, { threadId: thread });
    const before = (await h.client.getCustomerMessages(7002)).length;
    await h.client.sendCustomerMessage(7002, { text: 'let me in' });
    await h.settle();
    expect(await blocked(7002)).toEqual(['duplicate', 'banned']);
    const after = await h.client.getCustomerMessages(7002);
    expect(after.slice(before).filter((m) => m.from === 'bot')).toEqual([]);
    expect((await h.client.getChatMessages(SUPPORT, { threadId: thread })).some((m) => m.text === 'let me in')).toBe(false);
  });
});
