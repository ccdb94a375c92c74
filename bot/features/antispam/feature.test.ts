/** Anti-spam before the desk, end to end through the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, SUPPORT, ofCustomer, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';

const WINDOW_MS = 10 * 60_000;
let h: FeatureHarness;
beforeAll(async () => {
  h = await startFeatureHarness({
    // Banning needs a team lead (bot/roles.ts); the agent of these tests is one.
    botEnv: { TEAM_LEAD_IDS: String(AGENT) },
    env: {
      SPAM_RATE_LIMIT: '5',
      SPAM_RATE_WINDOW: '10m',
      SPAM_NEWCOMER_MESSAGES: '2',
      SPAM_NEWCOMER_AGE: '0',
      SPAM_DUPLICATE_WINDOW: '2m',
      KB_AUTO_ANSWER: '0',
    },
  });
});
afterAll(async () => h?.close());

// rows.length: PGlite reports rowCount 0 for SELECTs.
const tickets = async (customerId: number) => (await h.db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = $1', [customerId])).rows;
const blocked = async (customerId: number) => (await h.eventsOf('spam_blocked')).filter(await ofCustomer(h, customerId)).map((e) => e.reason);
const topic = (thread: number) => h.client.getChatMessages(SUPPORT, { threadId: thread });
const card = (thread: number, ticketId: number) =>
  h.client.waitForChatMessage(SUPPORT, (m) => m.from === 'bot' && (m.text ?? '').includes(`Ticket #${ticketId}`) && (m.buttons?.length ?? 0) > 0, {
    threadId: thread,
  });
const heldRows = async (customerId: number) =>
  (await h.db.query<{ reason: string; state: string }>('SELECT reason, state FROM held_messages WHERE customer_id = $1 ORDER BY message_id', [customerId]))
    .rows;

describe('newcomers', () => {
  it('a first message that is a photo opens the ticket; the photo is held for the agents with its caption shown, and one tap releases it', async () => {
    await h.client.sendCustomerMessage(7001, { photo: {}, caption: 'order stuck at checkout, see screenshot', first_name: 'Neo', language_code: 'en' });
    await h.client.waitForCustomerMessage(7001, /Ticket #\d+ created/);
    await h.client.waitForCustomerMessage(7001, /an agent checks files and photos from new contacts/);
    const [ticket] = await tickets(7001);
    expect(ticket).toBeDefined();
    const thread = await h.thread(7001);

    const note = await h.client.waitForChatMessage(SUPPORT, /photo held: new customer/, { threadId: thread });
    expect(note.text).toContain('order stuck at checkout, see screenshot');
    const held = await h.client.waitForChatMessage(
      SUPPORT,
      (m) => (m.text ?? '').includes(`Ticket #${ticket!.id}`) && /Held from a new customer: 1/.test(m.text ?? ''),
      { threadId: thread },
    );
    expect(held.buttons?.flat()).toContain('📎 Release held (1)');
    await h.settle();
    expect((await topic(thread)).some((m) => m.media === 'photo')).toBe(false);
    const opened = (await h.eventsOf('ticket_opened')).find((e) => e.ticket_id === ticket!.id);
    expect(opened).toBeDefined();
    expect((await h.eventsOf('message_in')).filter((e) => e.ticket_id === ticket!.id).map((e) => e.message_kind)).toEqual(['photo']);
    const [media] = (await h.eventsOf('spam_blocked')).filter(await ofCustomer(h, 7001));
    expect(media).toMatchObject({ reason: 'media', ticket_id: ticket!.id, language: 'en' });

    await h.client.pressSupportButton({ from_id: AGENT, message_id: held.message_id, text: '📎 Release held (1)' });
    const copy = await h.client.waitForChatMessage(SUPPORT, (m) => m.media === 'photo' && m.caption === 'order stuck at checkout, see screenshot', {
      threadId: thread,
    });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === held.message_id && !/Held from a new customer/.test(m.text ?? ''), { threadId: thread });
    expect((await card(thread, ticket!.id)).buttons?.flat()).not.toContain('📎 Release held (1)');
    expect(await heldRows(7001)).toEqual([{ reason: 'media', state: 'released' }]);

    // The release is the relay's copy: replies and edits map to it, and a second tap copies nothing again.
    await h.client.pressSupportButton({ from_id: AGENT, message_id: held.message_id, text: '📎 Release held (1)' }).catch(() => undefined);
    await h.settle();
    expect((await topic(thread)).filter((m) => m.media === 'photo')).toHaveLength(1);
    const pair = await h.db.query<{ target_message_id: number }>(
      'SELECT target_message_id FROM message_pairs WHERE source_chat_id = 7001 AND target_message_id = $1',
      [copy.message_id],
    );
    expect(pair.rows).toHaveLength(1);
  });

  it('a first message with an order link opens the ticket; the link is held and the topic shows where it points, not the link', async () => {
    await h.client.sendCustomerMessage(7004, { text: 'order https://shop.example/orders/5521 fails <again>', first_name: 'Lin', language_code: 'en' });
    await h.client.waitForCustomerMessage(7004, /Ticket #\d+ created/);
    await h.client.waitForCustomerMessage(7004, /an agent checks links from new contacts/);
    const thread = await h.thread(7004);
    const note = await h.client.waitForChatMessage(SUPPORT, /link held: new customer/, { threadId: thread });
    expect(note.text).toContain('order [🔗 shop.example] fails <again>');
    expect(note.text).not.toContain('https://');
    expect(await tickets(7004)).toHaveLength(1);
    expect(await blocked(7004)).toEqual(['link']);
    expect(await heldRows(7004)).toEqual([{ reason: 'link', state: 'held' }]);
  });

  it('holds survive a restart: the card still offers them and the tap releases them afterwards', async () => {
    await h.client.sendCustomerMessage(7005, { document: { file_name: 'invoice.pdf' }, first_name: 'Res', language_code: 'en' });
    const thread = await h.thread(7005);
    const [ticket] = await tickets(7005);
    const held = await h.client.waitForChatMessage(
      SUPPORT,
      (m) => (m.text ?? '').includes(`Ticket #${ticket!.id}`) && /Held from a new customer: 1/.test(m.text ?? ''),
      { threadId: thread },
    );
    await h.client.waitForCustomerMessage(7005, /What is your question about/);
    await h.settle();
    await h.restart();
    await h.client.pressSupportButton({ from_id: AGENT, message_id: held.message_id, text: '📎 Release held (1)' });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.media === 'document', { threadId: thread });
    // The copy comes first, then the hold is marked released.
    await h.client.waitFor(async () => (await heldRows(7005))[0]?.state === 'released');
    expect(await heldRows(7005)).toEqual([{ reason: 'media', state: 'released' }]);
  });

  it('a newcomer’s album is held as one: one note in the topic, released together as an album', async () => {
    await h.client.sendCustomerMessage(7008, { photo: {}, caption: 'both screens', media_group_id: 'album-7008', first_name: 'Al', language_code: 'en' });
    await h.client.sendCustomerMessage(7008, { photo: {}, media_group_id: 'album-7008' });
    const thread = await h.thread(7008);
    const [ticket] = await tickets(7008);
    const held = await h.client.waitForChatMessage(
      SUPPORT,
      (m) => (m.text ?? '').includes(`Ticket #${ticket!.id}`) && /Held from a new customer: 2/.test(m.text ?? ''),
      { threadId: thread },
    );
    await h.client.waitForCustomerMessage(7008, /What is your question about/);
    await h.settle();
    expect((await topic(thread)).filter((m) => /photo held: new customer/.test(m.text ?? ''))).toHaveLength(1);
    expect(await blocked(7008)).toEqual(['media', 'media']);

    await h.client.pressSupportButton({ from_id: AGENT, message_id: held.message_id, text: '📎 Release held (2)' });
    await h.client.waitForChatMessage(SUPPORT, /released 2 held messages/, { threadId: thread });
    const photos = (await topic(thread)).filter((m) => m.media === 'photo');
    expect(photos).toHaveLength(2);
    expect(photos[0]!.media_group_id).toBeDefined();
    expect(photos[1]!.media_group_id).toBe(photos[0]!.media_group_id);
  });

  it('lets links and media through once the customer has written a few real messages', async () => {
    await h.client.sendCustomerMessage(7006, { text: 'My transfer is stuck', first_name: 'Tru', language_code: 'en' });
    await h.client.sendCustomerMessage(7006, { text: 'It is order 5521' });
    const thread = await h.thread(7006);
    await h.client.waitForChatMessage(SUPPORT, 'It is order 5521', { threadId: thread });
    await h.client.sendCustomerMessage(7006, { photo: {}, caption: 'screenshot of the error' });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.caption === 'screenshot of the error', { threadId: thread });
    expect(await blocked(7006)).toEqual([]);
    expect(await heldRows(7006)).toEqual([]);
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
    const copies = (await topic(thread)).filter((m) => /where is my/i.test(m.text ?? ''));
    expect(copies).toHaveLength(1);
    const events = await blocked(7002);
    expect(events).toEqual(['duplicate']);
    const ticket = (await h.eventsOf('spam_blocked')).find(await ofCustomer(h, 7002))!;
    expect(ticket.ticket_id).not.toBeNull(); // attached to the open ticket
  });

  it('queues a flood: messages over the limit are held with one note, then relayed in order, exactly once, as the window allows', async () => {
    const t0 = Math.floor(Date.now() / 1000);
    for (let i = 1; i <= 8; i++)
      await h.client.sendCustomerMessage(7003, { text: `message number ${i}`, first_name: 'Flo', language_code: 'en', date: t0 + i });
    const thread = await h.thread(7003);
    await h.client.waitForChatMessage(SUPPORT, 'message number 5', { threadId: thread });
    await h.settle();
    expect(await blocked(7003)).toEqual(['rate_limit', 'rate_limit', 'rate_limit']);
    const notices = (await h.client.getCustomerMessages(7003)).filter((m) => /sending messages very fast/.test(m.text ?? ''));
    expect(notices).toHaveLength(1);
    const relayed = async () => (await topic(thread)).map((m) => m.text ?? '').filter((t) => t.startsWith('message number'));
    expect(await relayed()).toEqual([1, 2, 3, 4, 5].map((i) => `message number ${i}`));

    // Later, while the queue still waits, a new message queues behind it instead of overtaking it.
    await h.client.sendCustomerMessage(7003, { text: 'message number 9', date: t0 + 9 });
    await h.settle();
    expect(await blocked(7003)).toHaveLength(4);

    // Each held message gets the slot of the message sent limit-many before it, one window later.
    await h.runJobs(new Date((t0 + 2) * 1000 + WINDOW_MS));
    await h.settle();
    expect(await relayed()).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `message number ${i}`));
    await h.runJobs(new Date((t0 + 4) * 1000 + WINDOW_MS));
    await h.runJobs(new Date((t0 + 4) * 1000 + WINDOW_MS));
    await h.settle();
    expect(await relayed()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `message number ${i}`));
    expect((await heldRows(7003)).map((r) => r.state)).toEqual(['released', 'released', 'released', 'released']);
    // Every message joined the ticket when it was sent.
    const r = await h.db.query<{ customer_messages: number }>('SELECT customer_messages FROM tickets WHERE customer_id = 7003');
    expect(r.rows[0]!.customer_messages).toBe(9);
  });

  it('a queued message survives a restart and is relayed once after it', async () => {
    const t0 = Math.floor(Date.now() / 1000);
    for (let i = 1; i <= 6; i++) await h.client.sendCustomerMessage(7007, { text: `burst ${i}`, first_name: 'Bo', language_code: 'en', date: t0 + i });
    const thread = await h.thread(7007);
    await h.client.waitForChatMessage(SUPPORT, 'burst 5', { threadId: thread });
    await h.client.waitForCustomerMessage(7007, /What is your question about/);
    await h.settle();
    await h.restart();
    // After the restart the queue is known again: a new message still waits behind it.
    await h.client.sendCustomerMessage(7007, { text: 'burst 7', date: t0 + 7 });
    await h.settle();
    expect((await topic(thread)).some((m) => m.text === 'burst 7')).toBe(false);
    await h.runJobs(new Date((t0 + 2) * 1000 + WINDOW_MS));
    await h.runJobs(new Date((t0 + 2) * 1000 + WINDOW_MS));
    await h.settle();
    const texts = (await topic(thread)).map((m) => m.text ?? '').filter((t) => t.startsWith('burst'));
    expect(texts).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `burst ${i}`));
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
    expect((await topic(thread)).some((m) => m.text === 'let me in')).toBe(false);
    expect(await heldRows(7002)).toEqual([]);
  });
});
