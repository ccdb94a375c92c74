/**
 * Staff roles through the sandbox (issue 17, item 1; bot/roles.ts): a restricted member and a member who
 * just left are refused with the reason (the chat_member update drops the cached membership — the cache
 * is 60 s here), an agent cannot broadcast, ban or mute while a team lead can, an urgent broadcast
 * needs a second team lead, and an admin-only action refuses a team lead. Every refusal is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../sandbox/views.js';
import { AGENT, openTicket, startFeatureHarness, SUPPORT, type FeatureHarness } from './feature-harness.js';

let h: FeatureHarness;
const LEAD = 700_101;
const LEAD2 = 700_102;
const ADMIN = 700_201;
const RESTRICTED = 700_301;
const LEAVER = 700_302;

beforeAll(async () => {
  h = await startFeatureHarness({ botEnv: { TEAM_LEAD_IDS: `${LEAD},${LEAD2}`, ADMIN_IDS: String(ADMIN), AGENT_CACHE_TTL: '60s' } });
  for (const [id, name] of [
    [LEAD, 'Lead'],
    [LEAD2, 'Lead Two'],
    [ADMIN, 'Admin'],
    [RESTRICTED, 'Muted'],
    [LEAVER, 'Leaver'],
  ] as const)
    await h.client.setMember({ user_id: id, status: 'member', first_name: name });
  await h.client.waitForIdle();
}, 60_000);
afterAll(async () => h?.close());

/** The bot's answer to a press on a support-group message, matching `text`. */
const answerTo = (messageId: number, text: RegExp) =>
  h.client.waitFor(
    async () =>
      (await h.client.getChatMessages(SUPPORT, { includeDeleted: true }))
        .find((m: MessageView) => m.message_id === messageId)
        ?.callback_answers.find((a) => text.test(a.text ?? '')),
    { what: `an answer ${String(text)} on ${messageId}` },
  );

describe('roles', () => {
  it('a restricted member of the support group is refused with the reason, also on a card button', async () => {
    const { ticketId, thread } = await openTicket(h, 9101);
    await h.client.setMember({ user_id: RESTRICTED, status: 'restricted' });
    await h.client.waitForIdle();
    await h.client.sendSupportMessage({ from_id: RESTRICTED, thread_id: thread, text: '/take' });
    await h.client.waitForChatMessage(SUPPORT, /Only agents of the support group can do this/, { threadId: thread });
    const press = await h.client.pressSupportButton({ from_id: RESTRICTED, thread_id: thread, text: '📝 Take' });
    await answerTo(press.message_id, /Only agents of the support group/);
    const t = await h.db.query<{ agent_id: number | null }>('SELECT agent_id FROM tickets WHERE id = $1', [ticketId]);
    expect(t.rows[0]!.agent_id).toBeNull();
  });

  it('a member who just left is refused at once, not after the cache expires', async () => {
    const { ticketId, thread } = await openTicket(h, 9102);
    // Cached as an agent (60 s) by a first command…
    await h.client.sendSupportMessage({ from_id: LEAVER, thread_id: thread, text: '/note checked the logs' });
    await h.client.waitForChatMessage(SUPPORT, /Note saved/, { threadId: thread });
    // …then they leave: the chat_member update drops the entry.
    await h.client.setMember({ user_id: LEAVER, status: 'left' });
    await h.client.waitForIdle();
    await h.client.sendSupportMessage({ from_id: LEAVER, thread_id: thread, text: '/resolve', not_member: true });
    await h.client.waitForChatMessage(SUPPORT, /Only agents of the support group can do this/, { threadId: thread });
    const t = await h.db.query<{ status: string }>('SELECT status FROM tickets WHERE id = $1', [ticketId]);
    expect(t.rows[0]!.status).not.toBe('resolved');
  });

  it('an agent cannot broadcast or ban; a team lead can', async () => {
    await h.client.sendSupportMessage({ from_id: AGENT, text: '/broadcast agents may not do this' });
    await h.client.waitForChatMessage(SUPPORT, /Only a team lead can do this/);
    expect((await h.db.query(`SELECT 1 FROM broadcasts WHERE text = 'agents may not do this'`)).rowCount).toBe(0);

    const { thread } = await openTicket(h, 9103);
    await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/ban' });
    await h.client.waitForChatMessage(SUPPORT, /Only a team lead can do this/, { threadId: thread });
    expect((await h.db.query<{ banned: boolean }>('SELECT banned FROM customers WHERE id = 9103')).rows[0]!.banned).toBe(false);

    await h.client.sendSupportMessage({ from_id: LEAD, text: '/broadcast team leads may' });
    const preview = await h.client.waitForChatMessage(SUPPORT, /Broadcast #\d+ preview[\s\S]*team leads may/);
    // An agent's press on a team lead's preview is refused too.
    const press = await h.client.pressSupportButton({ from_id: AGENT, message_id: preview.message_id, text: '✅ Confirm' });
    await answerTo(press.message_id, /Only a team lead can do this/);
    expect((await h.db.query<{ status: string }>(`SELECT status FROM broadcasts WHERE text = 'team leads may'`)).rows[0]!.status).toBe('draft');
    await h.client.pressSupportButton({ from_id: LEAD, message_id: preview.message_id, text: '✖️ Cancel' });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === preview.message_id && /cancelled/.test(m.text ?? ''));

    await h.client.sendSupportMessage({ from_id: LEAD, thread_id: thread, text: '/ban' });
    await h.client.waitForChatMessage(SUPPORT, /Customer banned/, { threadId: thread });
  });

  it('two-person rule: an urgent broadcast needs a second team lead', async () => {
    await h.client.sendSupportMessage({ from_id: LEAD, text: '/broadcast --urgent Outage, we are on it' });
    const preview = await h.client.waitForChatMessage(SUPPORT, /Broadcast #\d+ preview[\s\S]*Outage, we are on it/);
    expect(preview.text).toContain('waiting for a second team lead');
    // The same team lead's press only says so.
    const own = await h.client.pressSupportButton({ from_id: LEAD, message_id: preview.message_id, text: '🚨 Urgent: off' });
    await answerTo(own.message_id, /Waiting for a second team lead/);
    const row = async () =>
      (
        await h.db.query<{ urgent: boolean; urgent_requested_by: string | null }>(
          `SELECT urgent, urgent_requested_by FROM broadcasts WHERE text = 'Outage, we are on it'`,
        )
      ).rows[0]!;
    const asked = await row();
    expect(asked.urgent).toBe(false);
    expect(Number(asked.urgent_requested_by)).toBe(LEAD);
    // An agent cannot be the second person.
    const agentPress = await h.client.pressSupportButton({ from_id: AGENT, message_id: preview.message_id, text: '🚨 Urgent: off' });
    await answerTo(agentPress.message_id, /Only a team lead can do this/);
    expect((await row()).urgent).toBe(false);
    // Another team lead confirms it.
    await h.client.pressSupportButton({ from_id: LEAD2, message_id: preview.message_id, text: '🚨 Urgent: off' });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === preview.message_id && /🚨 Urgent\./.test(m.text ?? ''));
    expect((await row()).urgent).toBe(true);
    await h.client.pressSupportButton({ from_id: LEAD, message_id: preview.message_id, text: '✖️ Cancel' });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === preview.message_id && /cancelled/.test(m.text ?? ''));

    // Pressed first by one lead: pending until another lead presses.
    await h.client.sendSupportMessage({ from_id: LEAD2, text: '/broadcast Maintenance at noon' });
    const p2 = await h.client.waitForChatMessage(SUPPORT, /Broadcast #\d+ preview[\s\S]*Maintenance at noon/);
    const first = await h.client.pressSupportButton({ from_id: LEAD2, message_id: p2.message_id, text: '🚨 Urgent: off' });
    await answerTo(first.message_id, /Waiting for a second team lead/);
    await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === p2.message_id && /waiting for a second team lead/.test(m.text ?? ''));
    await h.client.pressSupportButton({ from_id: ADMIN, message_id: p2.message_id, text: '🚨 Urgent: off' });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === p2.message_id && /🚨 Urgent\./.test(m.text ?? ''));
    await h.client.pressSupportButton({ from_id: LEAD2, message_id: p2.message_id, text: '✖️ Cancel' });
    await h.client.waitForChatMessage(SUPPORT, (m) => m.message_id === p2.message_id && /cancelled/.test(m.text ?? ''));
  });

  it('the group administrators are the team leads when none are configured', async () => {
    const { StaffRoles } = await import('../../bot/roles.js');
    const services = h.desk.services;
    const roles = new StaffRoles({
      api: services.api,
      agents: services.agents,
      supportChatId: SUPPORT,
      teamLeadIds: new Set(),
      adminIds: new Set(),
      cacheTtlMs: 60_000,
    });
    await h.client.setMember({ user_id: 700_401, status: 'administrator', first_name: 'Group admin' });
    await h.client.waitForIdle();
    expect(await roles.isTeamLead(700_401)).toBe(true);
    expect(await roles.isAdmin(700_401)).toBe(true);
    expect(await roles.isTeamLead(AGENT)).toBe(false);
    expect(await roles.has(AGENT, 'agent')).toBe(true);
  });
});
