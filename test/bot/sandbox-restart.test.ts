/**
 * `npm start` restarted: the sandbox and the desk stop and start again on the
 * same DATA_DIR. Returning customers' messages must reach their topics — the
 * desk de-duplicates by source message id and keeps topic ids, so both must
 * still mean the same after the restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SUPPORT, topicOf, type Harness } from './harness.js';

let h: Harness;
const AGENT = 500_013;

beforeAll(async () => {
  h = await startHarness({ persistSandbox: true });
});
afterAll(async () => h?.close());

const latestTicket = async (customer: number) =>
  (await h.db.query<{ id: number; status: string }>('SELECT id, status FROM tickets WHERE customer_id = $1 ORDER BY id DESC LIMIT 1', [customer])).rows[0]!;
const cardsIn = async (thread: number, ticket: number) =>
  (await h.client.getChatMessages(SUPPORT, { threadId: thread })).filter((m) => m.from === 'bot' && (m.text ?? '').startsWith(`🎫 Ticket #${ticket}`));

describe('restart of the sandbox and the desk', () => {
  it("returning customers' messages reach their topics, and agents' answers reach them", async () => {
    const open = 13_001; // keeps an open ticket over the restart
    const done = 13_002; // their ticket was resolved before the restart
    for (const c of [open, done]) {
      await h.client.sendCustomerMessage(c, { text: `question of ${c}`, first_name: `Ret${c}` });
      await h.client.waitForCustomerMessage(c, /What is your question about/);
      await h.client.sendCustomerMessage(c, `details of ${c}`);
    }
    const threads = { open: await topicOf(h.client, open, h.db), done: await topicOf(h.client, done, h.db) };
    await h.client.waitForChatMessage(SUPPORT, `details of ${open}`, { threadId: threads.open });
    await h.client.waitForChatMessage(SUPPORT, `details of ${done}`, { threadId: threads.done });
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: threads.done, text: '/resolve' });
    await h.client.waitForCustomerMessage(done, /is solved/);
    await h.settle();
    const before = { open: (await latestTicket(open)).id, done: (await latestTicket(done)).id };

    await h.restart({ sandbox: true });

    await h.client.sendCustomerMessage(open, 'after the restart');
    await h.client.sendCustomerMessage(done, 'a new problem');
    // Same topics: the stored topic ids still name them.
    await h.client.waitForChatMessage(SUPPORT, 'after the restart', { threadId: threads.open });
    await h.client.waitForChatMessage(SUPPORT, 'a new problem', { threadId: threads.done });
    expect(await topicOf(h.client, open, h.db)).toBe(threads.open);
    expect(await topicOf(h.client, done, h.db)).toBe(threads.done);
    await h.settle();
    // The open ticket keeps its one card; the returning customer's new ticket gets one.
    expect((await latestTicket(open)).id).toBe(before.open);
    expect(await cardsIn(threads.open, before.open)).toHaveLength(1);
    const next = await latestTicket(done);
    expect(next.id).not.toBe(before.done);
    expect(await cardsIn(threads.done, next.id)).toHaveLength(1);
    // The conversation before the restart is still there for the agents.
    expect((await h.client.getChatMessages(SUPPORT, { threadId: threads.open })).map((m) => m.text)).toContain(`question of ${open}`);
    // Agents answer as before.
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: threads.open, text: 'welcome back' });
    await h.client.waitForCustomerMessage(open, 'welcome back');
  }, 90_000);
});
