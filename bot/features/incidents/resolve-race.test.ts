/**
 * A ticket that matches an open incident while a team lead resolves it: the link is decided on the incident
 * as it is when the link is written (its row locked), not as it was when the ticket matched. Before, such a
 * ticket was linked as a new one of an open incident — the customer got the known-issue reply, and the
 * closing job (already run, or skipping links made after the resolution) never closed it: an open ticket
 * for good, the flake the simulated outage showed in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentStore } from '../../incidents/store.js';
import { AGENT, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';

const ESC = -1002000000002;
const CUSTOMER = 5901;
let h: FeatureHarness;

beforeAll(async () => {
  h = await startFeatureHarness({
    botEnv: { TEAM_LEAD_IDS: String(AGENT) },
    env: { KB_AUTO_ANSWER: 'false' },
  });
}, 60_000);
afterAll(async () => h?.close());

describe('an incident resolved while a ticket is being linked to it', () => {
  it('links the ticket as after the fix: the customer is told it was fixed, not that it is known', async () => {
    await h.client.sendSupportMessage({ chat_id: ESC, from_id: AGENT, text: '/incident Payment outage' });
    await h.client.waitForChatMessage(ESC, /Incident #\d+ opened: Payment outage/);

    // The resolution lands right after the ticket matched the open incident, before its link is written.
    const openFor = IncidentStore.prototype.openFor;
    let raced = false;
    IncidentStore.prototype.openFor = async function (this: IncidentStore, keys) {
      const matched = await openFor.call(this, keys);
      if (matched && !raced) {
        raced = true;
        await h.client.sendSupportMessage({ chat_id: ESC, from_id: AGENT, text: '/incident resolve --close-tickets' });
        await h.client.waitForChatMessage(ESC, /Incident #\d+ resolved/);
      }
      return matched;
    };
    try {
      await h.client.sendCustomerMessage(CUSTOMER, { text: 'my transfer did not arrive yet', first_name: 'Rita', language_code: 'en' });
      await h.client.waitForCustomerMessage(CUSTOMER, (m) => (m.buttons ?? []).flat().includes('💳 Payment'), { timeoutMs: 20_000 });
      await h.client.pressCustomerButton(CUSTOMER, '💳 Payment');
      await h.client.waitForCustomerMessage(CUSTOMER, /We fixed a problem like this .* ago: Payment outage/, { timeoutMs: 20_000 });
    } finally {
      IncidentStore.prototype.openFor = openFor;
    }
    expect(raced).toBe(true);
    await h.runJobs(new Date(Date.now() + 60_000));
    await h.settle();
    const told = (await h.client.getCustomerMessages(CUSTOMER)).map((m) => m.text ?? '');
    expect(told.filter((x) => /We already know about this problem/.test(x))).toEqual([]);
    // Nor the resolution's message ("Fixed: … we have closed your request"): it was told it stays open.
    expect(told.filter((x) => /Fixed: Payment outage/.test(x))).toEqual([]);
    const links = (await h.eventsOf('ticket_linked')).filter((e) => e.link_action === 'linked');
    expect(links).toEqual([expect.objectContaining({ link_source: 'after_fix', known_issue_reply: false })]);
    // As any ticket that comes just after a fix: open, for an agent, in case it was not fixed for this customer.
    const t = await h.db.query<{ status: string }>('SELECT status FROM tickets WHERE customer_id = $1', [CUSTOMER]);
    expect(t.rows.map((r) => r.status)).toEqual(['waiting_agent']);
  }, 90_000);
});
