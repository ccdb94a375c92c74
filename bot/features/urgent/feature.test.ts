/**
 * Urgent requests and escalation, end to end through the sandbox: stop words in en/ru/fa, no false alarm on
 * ordinary messages, the priority order on /sla, automatic L1 → L2 escalation with the customer told (time
 * injected into the scheduler), "needs expert", and sla_warning / sla_breached emitted once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION_CHAT_ID } from '../../../sandbox/identities.js';
import { AGENT, SUPPORT, startFeatureHarness, type FeatureHarness } from '../../../test/bot/feature-harness.js';
import { createAlertsComposer } from '../../alerts/composer.js';
import { loadAlertsConfig } from '../../alerts/config.js';
import type { Ticket } from '../../store/types.js';

let h: FeatureHarness;
beforeAll(async () => {
  // The KB answers as in production: a stop word must skip it.
  h = await startFeatureHarness({
    env: { SPAM_NEWCOMER_MESSAGES: '0', SPAM_NEWCOMER_AGE: '0', SPAM_DUPLICATE_WINDOW: '0' },
    // The alerts' /sla (with its "Next up") and Take.
    composers: () => [createAlertsComposer(loadAlertsConfig())],
  });
  for (const chat_id of [SUPPORT, DEFAULT_ESCALATION_CHAT_ID]) await h.client.setMember({ user_id: AGENT, status: 'member', chat_id, first_name: 'Maria' });
});
afterAll(async () => h?.close());

const ticketOf = async (customerId: number) =>
  h.client.waitFor(async () => (await h.db.query<Ticket>('SELECT * FROM tickets WHERE customer_id = $1 ORDER BY id DESC LIMIT 1', [customerId])).rows[0], {
    what: `ticket of ${customerId}`,
    timeoutMs: 10_000,
  });
const urgentTicket = (customerId: number) =>
  h.client.waitFor(
    async () => (await h.db.query<Ticket>('SELECT * FROM tickets WHERE customer_id = $1 AND urgent ORDER BY id DESC LIMIT 1', [customerId])).rows[0],
    { what: `urgent ticket of ${customerId}`, timeoutMs: 10_000 },
  );
const escalationPosts = async () => (await h.client.getChatMessages(DEFAULT_ESCALATION_CHAT_ID)).filter((m) => /Urgent ticket/.test(m.text ?? ''));

describe('stop words → a person now', () => {
  it.each([
    [3101, 'en', 'My account was hacked, someone changed my email', 'security', /marked urgent: a person from our team is on it/],
    [3102, 'ru', 'Платёж не прошёл, а деньги списались', 'payments', /отмечено как срочное/],
    [3103, 'fa', 'حساب کاربری من هک شده است', 'security', /فوری علامت خورد/],
  ])('customer %i (%s): urgent, in %s… no KB answer, the escalation chat gets it with Take', async (id, lang, text, queue, told) => {
    await h.client.sendCustomerMessage(id, { text, first_name: `C${id}`, language_code: lang });
    const t = await urgentTicket(id);
    expect(t).toMatchObject({ queue, urgent: true, status: 'waiting_agent', intake_state: 'done' });
    const msg = await h.client.waitForCustomerMessage(id, told);
    expect(msg.text).toContain(`#${new Intl.NumberFormat(lang).format(t.id)}`); // Fluent writes numbers the locale's way (fa: ۳)
    const post = await h.client.waitForChatMessage(DEFAULT_ESCALATION_CHAT_ID, new RegExp(`Urgent ticket.*#${t.id}`, 's'));
    expect(post.text).toContain(queue);
    expect(post.buttons?.flat()).toEqual([`Take #${t.id}`]);
    await h.client.waitForChatMessage(SUPPORT, /🚨 Urgent: the customer wrote about/, { threadId: await h.thread(id) });
    await h.client.waitForIdle();
    const msgs = await h.client.getCustomerMessages(id);
    // Neither a KB article nor the category keyboard: a person takes it from the queue.
    expect(msgs.some((m) => (m.buttons?.flat() ?? []).some((b) => /Solved|Решено|حل شد/.test(b)))).toBe(false);
    expect(msgs.some((m) => (m.buttons?.flat().length ?? 0) >= 5)).toBe(false);
    // The urgent message is the receipt: no "Ticket #N created … we usually answer within …" before it.
    expect(msgs.filter((m) => m.from !== 'customer' && /#/.test(m.text ?? ''))).toHaveLength(1);
    const events = (await h.settle()).filter((e) => e.ticket_id === t.id);
    expect(events.filter((e) => e.type === 'ticket_escalated')).toEqual([
      expect.objectContaining({ reason: 'stop_word', from_queue: 'L1', to_queue: queue, urgent: true, queue }),
    ]);
    expect(events.some((e) => e.type === 'kb_suggested')).toBe(false);
  });

  it('leaves ordinary messages alone (and a "security question" is not an incident)', async () => {
    const before = (await escalationPosts()).length;
    await h.client.sendCustomerMessage(3104, { text: 'my payment went through fine, thanks', first_name: 'Ok', language_code: 'en' });
    await h.client.sendCustomerMessage(3105, { text: 'security question about my account settings', first_name: 'Q', language_code: 'en' });
    for (const id of [3104, 3105]) await ticketOf(id);
    await h.client.waitForIdle();
    await h.settle();
    for (const id of [3104, 3105]) expect(await ticketOf(id)).toMatchObject({ urgent: false, queue: 'L1' });
    expect((await escalationPosts()).length).toBe(before);
  });

  it('a later message of an open ticket with a stop word makes it urgent, once', async () => {
    await h.client.sendCustomerMessage(3106, { text: 'hi, a question about my contract', first_name: 'Later', language_code: 'en' });
    const first = await ticketOf(3106);
    expect(first.urgent).toBe(false);
    await h.client.sendCustomerMessage(3106, { text: 'now I see a chargeback on my card!', first_name: 'Later', language_code: 'en' });
    const t = await urgentTicket(3106);
    expect(t).toMatchObject({ id: first.id, queue: 'payments' });
    await h.client.waitForCustomerMessage(3106, /marked urgent/);
    await h.client.sendCustomerMessage(3106, { text: 'also fraud maybe', first_name: 'Later', language_code: 'en' });
    await h.client.waitForIdle();
    const events = (await h.settle()).filter((e) => e.ticket_id === t.id && e.type === 'ticket_escalated');
    expect(events).toHaveLength(1);
  });
});

describe('priority and escalation', () => {
  it('/sla lists the next tickets in priority order: urgent first, then by deadline; Take assigns', async () => {
    await h.client.sendSupportMessage({ chat_id: DEFAULT_ESCALATION_CHAT_ID, from_id: AGENT, first_name: 'Maria', text: '/sla' });
    const reply = await h.client.waitForChatMessage(DEFAULT_ESCALATION_CHAT_ID, /Next up/);
    const listed = [...reply.text!.split('Next up')[1]!.matchAll(/^\d+\. #(\d+)/gm)].map((m) => Number(m[1]));
    const open = (await h.db.query<Ticket>(`SELECT * FROM tickets WHERE status <> 'resolved'`)).rows;
    const byId = new Map(open.map((t) => [Number(t.id), t]));
    expect(listed.length).toBe(open.length);
    const urgent = listed.filter((id) => byId.get(id)!.urgent);
    expect(urgent.length).toBe(4);
    expect(listed.slice(0, 4)).toEqual(urgent); // urgent ones first …
    const due = (id: number) => byId.get(id)!.first_response_due_at.getTime();
    for (const part of [listed.slice(0, 4), listed.slice(4)]) // … each part by its deadline
      expect(part).toEqual([...part].sort((a, b) => due(a) - due(b) || a - b));
    // Take under the urgent post assigns the ticket to whoever pressed it.
    const t = await urgentTicket(3101);
    const post = await h.client.waitForChatMessage(DEFAULT_ESCALATION_CHAT_ID, new RegExp(`Urgent ticket.*#${t.id}`, 's'));
    await h.client.pressSupportButton({ chat_id: DEFAULT_ESCALATION_CHAT_ID, from_id: AGENT, message_id: post.message_id, text: `Take #${t.id}` });
    await h.client.waitFor(async () => (Number((await ticketOf(3101)).agent_id) === AGENT ? true : undefined), { what: 'the take' });
  });

  it('moves an L1 ticket to L2 ESCALATION_LEAD before its first-response deadline, tells the customer, once', async () => {
    await h.client.sendCustomerMessage(3201, { text: 'hello, how do I export my statements', first_name: 'Slow', language_code: 'en' });
    const t = await ticketOf(3201);
    expect(t.queue).toBe('L1');
    // 9 minutes before the 15-minute deadline: nothing; 4 minutes before: escalated.
    await h.runJobs(new Date(t.first_response_due_at.getTime() - 9 * 60_000));
    expect((await ticketOf(3201)).queue).toBe('L1');
    const at = new Date(t.first_response_due_at.getTime() - 4 * 60_000);
    await h.runJobs(at);
    const moved = await ticketOf(3201);
    expect(moved).toMatchObject({ queue: 'L2' });
    expect(moved.first_response_due_at.getTime()).toBe(t.created_at.getTime() + 30 * 60_000);
    await h.client.waitForCustomerMessage(3201, /was moved to an expert\. We'll come back to you within/);
    await h.runJobs(new Date(at.getTime() + 60_000));
    const events = (await h.settle()).filter((e) => e.ticket_id === t.id);
    expect(events.filter((e) => e.type === 'ticket_escalated')).toEqual([
      expect.objectContaining({ reason: 'frt_risk', from_queue: 'L1', to_queue: 'L2', urgent: false }),
    ]);
    expect(events.filter((e) => e.type === 'queue_changed' && e.to_queue === 'L2')).toHaveLength(1);
  });

  it('leaves a ticket that missed its deadline long ago where it is (a replayed or imported past)', async () => {
    await h.client.sendCustomerMessage(3202, { text: 'hello, how do I export my invoices', first_name: 'Past', language_code: 'en' });
    const t = await ticketOf(3202);
    expect(t.queue).toBe('L1');
    await h.runJobs(new Date(t.first_response_due_at.getTime() + 2 * 3600_000));
    expect((await ticketOf(3202)).queue).toBe('L1');
    expect((await h.settle()).filter((e) => e.ticket_id === t.id && e.type === 'ticket_escalated')).toEqual([]);
  });

  it('"🧠 Needs expert" on the card moves the ticket up and tells the customer', async () => {
    await h.client.sendCustomerMessage(3202, { text: 'hello, a tricky tax question', first_name: 'Tax', language_code: 'en' });
    const t = await ticketOf(3202);
    const thread = await h.thread(3202);
    const card = await h.client.waitForChatMessage(SUPPORT, (m) => (m.buttons?.flat() ?? []).includes('🧠 Needs expert'), { threadId: thread });
    await h.client.pressSupportButton({ from_id: AGENT, thread_id: thread, message_id: card.message_id, text: '🧠 Needs expert' });
    await h.client.waitForChatMessage(SUPPORT, /needs an expert: moved to L2/, { threadId: thread });
    await h.client.waitForCustomerMessage(3202, /moved to an expert/);
    const events = (await h.settle()).filter((e) => e.ticket_id === t.id && e.type === 'ticket_escalated');
    expect(events).toEqual([expect.objectContaining({ reason: 'needs_expert', from_queue: 'L1', to_queue: 'L2', agent_id: AGENT })]);
  });

  it('/escalate <reason> hands the ticket to an expert; /escalate <queue> is a manual escalation', async () => {
    await h.client.sendCustomerMessage(3203, { text: 'hello, a question about my contract terms', first_name: 'Cmd', language_code: 'en' });
    const t = await ticketOf(3203);
    const thread = await h.thread(3203);
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: '/escalate legal wording, over my head' });
    await h.client.waitForChatMessage(SUPPORT, /needs an expert: moved to L2 by Maria/, { threadId: thread });
    await h.client.waitForCustomerMessage(3203, /moved to an expert/);
    await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: '/escalate VIP' });
    await h.client.waitFor(async () => ((await ticketOf(3203)).queue === 'VIP' ? true : undefined), { what: 'the manual escalation' });
    const events = (await h.settle()).filter((e) => e.ticket_id === t.id && e.type === 'ticket_escalated');
    expect(events).toEqual([
      expect.objectContaining({ reason: 'needs_expert', from_queue: 'L1', to_queue: 'L2' }),
      expect.objectContaining({ reason: 'manual', from_queue: 'L2', to_queue: 'VIP' }),
    ]);
  });

  it('emits sla_warning and sla_breached once per ticket and kind, across sweeps and a restart', async () => {
    await h.client.sendCustomerMessage(3301, { text: 'hello, question about invoices', first_name: 'Late', language_code: 'en' });
    const t = await ticketOf(3301);
    await h.client.waitForCustomerMessage(3301, /What is your question about|This article may answer/); // intake done before the restart below
    const warnAt = new Date(t.first_response_due_at.getTime() - 2 * 60_000);
    // ESCALATION_LEAD moves it to L2 first (30 min): its new deadline decides from then on.
    await h.runJobs(warnAt);
    const l2 = await ticketOf(3301);
    await h.runJobs(new Date(l2.first_response_due_at.getTime() - 2 * 60_000));
    // Two sweeps at once (two processes): the notice row decides, one event each.
    await Promise.all([h.runJobs(new Date(l2.first_response_due_at.getTime() + 60_000)), h.runJobs(new Date(l2.first_response_due_at.getTime() + 61_000))]);
    await h.runJobs(new Date(l2.resolution_due_at.getTime() - 10 * 60_000));
    await h.settle();
    await h.restart();
    await h.runJobs(new Date(l2.resolution_due_at.getTime() + 60_000));
    await h.runJobs(new Date(l2.resolution_due_at.getTime() + 120_000));
    const events = (await h.settle()).filter((e) => e.ticket_id === t.id && (e.type === 'sla_warning' || e.type === 'sla_breached'));
    const seen = events.map((e) => `${e.type}:${(e as { sla_kind: string }).sla_kind}`).sort();
    expect(seen).toEqual(['sla_breached:first_response', 'sla_breached:resolution', 'sla_warning:first_response', 'sla_warning:resolution']);
  });
});
