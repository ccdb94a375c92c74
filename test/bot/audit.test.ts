/**
 * The audit trail (issue 17, item 2; bot/audit.ts): a ticket's whole life — take, reply, note, resolve,
 * reopen — and a ban are in audit_log in order, by whom, with a staff_action event each; the table
 * refuses UPDATE and DELETE; /audit answers an admin (all, by person, by ticket) and refuses anyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SUPPORT, topicOf, type Harness } from './harness.js';

let h: Harness;
const AGENT = 500_101;
const LEAD = 500_102;
const ADMIN = 500_103;
const CUSTOMER = 5101;

beforeAll(async () => {
  h = await startHarness({ env: { TEAM_LEAD_IDS: String(LEAD), ADMIN_IDS: String(ADMIN) } });
});
afterAll(async () => h?.close());

interface Row {
  actor_id: number;
  action: string;
  ticket_id: number | null;
  customer_id: number | null;
  detail: unknown;
}
const trail = async () => (await h.db.query<Row>('SELECT actor_id, action, ticket_id, customer_id, detail FROM audit_log ORDER BY id')).rows;

describe('audit trail', () => {
  it("records a ticket's whole life in order, each with a staff_action event, and refuses changes to the log", async () => {
    await h.client.sendCustomerMessage(CUSTOMER, { text: 'my card was charged twice', first_name: 'Audited' });
    await h.client.waitForCustomerMessage(CUSTOMER, /Ticket #\d+ created/);
    const thread = await topicOf(h.client, CUSTOMER, h.db);
    const ticketId = (await h.db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = $1', [CUSTOMER])).rows[0]!.id;

    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/take' });
    await h.client.waitForChatMessage(SUPPORT, /took ticket|taken/i, { threadId: thread });
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: 'Refund is on its way' });
    await h.client.waitForCustomerMessage(CUSTOMER, 'Refund is on its way');
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/note refund id 42' });
    await h.client.waitForChatMessage(SUPPORT, /Note saved/, { threadId: thread });
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve' });
    await h.client.waitForChatMessage(SUPPORT, /resolved/i, { threadId: thread });
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/reopen' });
    await h.client.waitForChatMessage(SUPPORT, /reopened/i, { threadId: thread });
    await h.client.sendSupportMessage({ from_id: LEAD, thread_id: thread, text: '/ban' });
    await h.client.waitForChatMessage(SUPPORT, /Customer banned/, { threadId: thread });
    await h.client.waitForIdle();

    const rows = await trail();
    expect(rows.map((r) => [r.action, Number(r.actor_id), Number(r.ticket_id), Number(r.customer_id)])).toEqual([
      ['take', AGENT, ticketId, CUSTOMER],
      ['reply', AGENT, ticketId, CUSTOMER],
      ['note', AGENT, ticketId, CUSTOMER],
      ['resolve', AGENT, ticketId, CUSTOMER],
      ['reopen', AGENT, ticketId, CUSTOMER],
      ['ban', LEAD, ticketId, CUSTOMER],
    ]);
    // Ids only: neither the reply's nor the note's text is kept.
    expect(JSON.stringify(rows)).not.toMatch(/Refund is on its way|refund id 42|Audited/);

    const events = (await h.settle()).filter((e) => e.type === 'staff_action');
    expect(events.map((e) => [e.type === 'staff_action' && e.reason, e.agent_id, e.ticket_id])).toEqual([
      ['take', AGENT, ticketId],
      ['reply', AGENT, ticketId],
      ['note', AGENT, ticketId],
      ['resolve', AGENT, ticketId],
      ['reopen', AGENT, ticketId],
      ['ban', LEAD, ticketId],
    ]);

    await expect(h.db.query(`UPDATE audit_log SET action = 'nothing'`)).rejects.toThrow(/append-only/);
    await expect(h.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect(await trail()).toHaveLength(6);
  });

  it('/audit answers an admin in the General topic (all, by person, by ticket) and refuses anyone else with the reason', async () => {
    await h.client.sendSupportMessage({ from_id: AGENT, text: '/audit' });
    await h.client.waitForChatMessage(SUPPORT, /Only an admin can do this/);
    await h.client.sendSupportMessage({ from_id: LEAD, text: '/audit' });
    await h.client.waitFor(
      async () => (await h.client.getChatMessages(SUPPORT)).filter((m) => /Only an admin can do this/.test(m.text ?? '')).length === 2 || undefined,
      {
        what: 'the team lead refused too',
      },
    );

    await h.client.sendSupportMessage({ from_id: ADMIN, text: '/audit' });
    const all = await h.client.waitForChatMessage(SUPPORT, /The last 6 staff actions/);
    const lines = all.text!.split('\n').slice(1);
    expect(lines.map((l) => l.split(' · ')[1])).toEqual(['ban', 'reopen', 'resolve', 'note', 'reply', 'take']);

    await h.client.sendSupportMessage({ from_id: ADMIN, text: `/audit @${LEAD}` });
    const byLead = await h.client.waitForChatMessage(SUPPORT, /The last 1 staff actions/);
    expect(byLead.text).toContain(`ban · by ${LEAD}`);

    const ticketId = (await h.db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = $1', [CUSTOMER])).rows[0]!.id;
    await h.client.sendSupportMessage({ from_id: ADMIN, text: `/audit #${ticketId + 1000}` });
    await h.client.waitForChatMessage(SUPPORT, /No staff actions recorded yet/);
  });
});
