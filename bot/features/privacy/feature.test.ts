/**
 * Erasure in the chats, end to end through the sandbox: a customer's /deletemydata (cancel, then confirm),
 * the topic deleted by the job, a fresh start when they write again; an admin's /forget (an agent refused),
 * audited as a staff action; a topic the bot may not delete is renamed and closed instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, SUPPORT, openTicket, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { rowsContaining } from '../../../test/helpers/personal-data.js';
import { SANDBOX_BOT_TOKEN } from '../../config.js';
import { analyticsIdOf } from '../../store/pseudonyms.js';

const ADMIN = 700_009;
const BOT_ID = Number(SANDBOX_BOT_TOKEN.split(':')[0]);
let h: FeatureHarness;

beforeAll(async () => {
  h = await startFeatureHarness({ botEnv: { ADMIN_IDS: String(ADMIN) } });
}, 60_000);
afterAll(async () => h?.close());

const customerRow = async (id: number) => (await h.db.query('SELECT id FROM customers WHERE id = $1', [id])).rows[0];
const topic = async (thread: number) => (await h.client.getTopics(SUPPORT)).find((t) => t.thread_id === thread);

describe('/deletemydata', () => {
  it('asks first; Cancel keeps everything, Delete erases the customer and their topic', async () => {
    const ZELDA = 7401;
    const { thread, ticketId } = await openTicket(h, ZELDA, { name: 'Zelda', text: 'my llama invoice 9981 is wrong' });
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: 'Zelda, checking your llama invoice' });
    await h.client.waitForCustomerMessage(ZELDA, 'Zelda, checking your llama invoice');
    const pseudonym = await analyticsIdOf(h.db, ZELDA);

    await h.client.sendCustomerMessage(ZELDA, '/deletemydata');
    await h.client.waitForCustomerMessage(ZELDA, /Delete your data\?[\s\S]*cannot be undone/);
    await h.client.pressCustomerButton(ZELDA, 'Cancel');
    await h.client.waitForCustomerMessage(ZELDA, 'Nothing was deleted.');
    expect(await customerRow(ZELDA)).toBeDefined();

    await h.client.sendCustomerMessage(ZELDA, '/deletemydata');
    await h.client.waitForCustomerMessage(ZELDA, /Delete your data\?/);
    await h.client.pressCustomerButton(ZELDA, '🗑 Delete my data');
    await h.client.waitForCustomerMessage(ZELDA, /Your data has been deleted/);
    await h.settle();
    expect(await customerRow(ZELDA)).toBeUndefined();
    expect(await rowsContaining(h.db, ['Zelda', 'llama', String(ZELDA)])).toEqual([]);
    const t = (
      await h.db.query<{ customer_id: number; status: string; resolved_by: string }>('SELECT customer_id, status, resolved_by FROM tickets WHERE id = $1', [
        ticketId,
      ])
    ).rows[0]!;
    expect(t).toMatchObject({ status: 'resolved', resolved_by: 'customer' });
    expect(t.customer_id).toBeLessThan(0);
    // the withdrawn ticket's resolution carries the pseudonym; the customer's own request is no staff action
    expect((await h.eventsOf('ticket_resolved')).filter((e) => e.ticket_id === ticketId).map((e) => [e.resolved_by, e.customer_id])).toEqual([
      ['customer', pseudonym],
    ]);
    expect((await h.eventsOf('staff_action')).filter((e) => e.reason === 'data_deletion')).toEqual([]);

    // the topic with the copies of her messages and the card with her name
    expect((await topic(thread))?.deleted).toBeUndefined();
    await h.runJobs();
    await h.client.waitFor(async () => (await topic(thread))?.deleted ?? (await topic(thread)) === undefined, { what: 'the topic deleted' });

    // she writes again: a new customer — new topic, new pseudonym, no repeat contact
    await h.client.sendCustomerMessage(ZELDA, { text: 'hello again, new question about my contract', first_name: 'Zelda' });
    const again = await h.thread(ZELDA);
    expect(again).not.toBe(thread);
    expect((await h.eventsOf('ticket_opened')).filter((e) => e.customer_id === pseudonym)).toHaveLength(1); // the erased ticket's only
    const fresh = await analyticsIdOf(h.db, ZELDA);
    expect(fresh).not.toBe(pseudonym);
    expect((await h.eventsOf('ticket_opened')).filter((e) => e.customer_id === fresh)).toEqual([expect.objectContaining({ is_repeat_contact: false })]);
  });

  it('a confirmation older than 15 minutes asks again', async () => {
    const C = 7403;
    // the confirmation was sent 16 minutes before the press
    const now = Math.floor(Date.now() / 1000);
    await h.client.setClock({ unix: now - 16 * 60 });
    try {
      await h.client.sendCustomerMessage(C, { text: '/deletemydata', first_name: 'Old' });
      await h.client.waitForCustomerMessage(C, /Delete your data\?/);
    } finally {
      await h.client.setClock({ unix: Math.floor(Date.now() / 1000) });
    }
    await h.client.pressCustomerButton(C, '🗑 Delete my data');
    await h.client.waitForCustomerMessage(C, /This confirmation has expired/);
    expect(await customerRow(C)).toBeDefined();
  });
});

describe('/forget', () => {
  it('is refused to an agent; an admin confirms, the customer is erased, General is told, the audit and a staff_action record it', async () => {
    const C = 7402;
    const { thread } = await openTicket(h, C, { name: 'Quentin', text: 'my walrus subscription renewal failed' });
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/forget' });
    await h.client.waitForChatMessage(SUPPORT, /Only an admin can do this/, { threadId: thread });

    await h.client.sendSupportMessage({ from_id: ADMIN, first_name: 'Ada', thread_id: thread, text: '/forget' });
    const ask = await h.client.waitForChatMessage(SUPPORT, /Erase this customer's data\?/, { threadId: thread });
    // an agent's press on the admin's confirmation is refused too
    await h.client.pressSupportButton({ from_id: AGENT, message_id: ask.message_id, text: "🗑 Erase this customer's data" });
    await h.client.waitForIdle();
    expect(await customerRow(C)).toBeDefined();

    await h.client.pressSupportButton({ from_id: ADMIN, message_id: ask.message_id, text: "🗑 Erase this customer's data" });
    await h.client.waitForChatMessage(SUPPORT, /Ada erased a customer's data \(1 tickets kept/);
    expect(await customerRow(C)).toBeUndefined();
    expect(await rowsContaining(h.db, ['Quentin', 'walrus', String(C)])).toEqual([]);
    const audit = (
      await h.db.query<{ actor_id: number; customer_id: number; detail: unknown }>(
        `SELECT actor_id, customer_id, detail FROM audit_log WHERE action = 'data_deletion'`,
      )
    ).rows;
    expect(audit.filter((a) => a.actor_id === ADMIN)).toHaveLength(1);
    expect((await h.eventsOf('staff_action')).filter((e) => e.reason === 'data_deletion')).toEqual([
      expect.objectContaining({ agent_id: ADMIN, ticket_id: null, customer_id: null }),
    ]);
    await h.runJobs();
    await h.client.waitFor(async () => (await topic(thread))?.deleted ?? (await topic(thread)) === undefined, { what: 'the topic deleted' });
  });

  it('renames and closes the topic when the bot may not delete it', async () => {
    const C = 7404;
    const { thread } = await openTicket(h, C, { name: 'Rupert' });
    await h.client.sendSupportMessage({ from_id: ADMIN, thread_id: thread, text: '/forget' });
    const ask = await h.client.waitForChatMessage(SUPPORT, /Erase this customer's data\?/, { threadId: thread });
    await h.client.pressSupportButton({ from_id: ADMIN, message_id: ask.message_id, text: "🗑 Erase this customer's data" });
    await h.client.waitFor(async () => (await customerRow(C)) === undefined || undefined, { what: 'the erasure' });
    await h.client.setMember({ user_id: BOT_ID, status: 'member' });
    try {
      await h.runJobs();
      const t = await h.client.waitFor(
        async () => {
          const x = await topic(thread);
          return x?.closed ? x : undefined;
        },
        { what: 'the topic closed' },
      );
      expect(t.name).toBe('Deleted customer');
      await h.client.waitForChatMessage(SUPPORT, /The bot may not delete this topic/, { threadId: thread });
    } finally {
      await h.client.setMember({ user_id: BOT_ID, status: 'administrator', can_manage_topics: true });
    }
  });
});
