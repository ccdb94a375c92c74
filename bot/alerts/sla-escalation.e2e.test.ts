/**
 * SLA monitoring end to end, every part real: the sandbox Telegram, the desk
 * (createDesk with the alerts composer, PGlite), /metrics with the SLA gauges,
 * Prometheus + Alertmanager with the shipped rules and routing (only timers
 * shortened), and the webhook posting into the escalation chat.
 *
 * A VIP customer writes with a Telegram date 10 minutes in the past, so the
 * 5-minute VIP first-response deadline has already passed when the ticket opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { createDesk, type DeskApp } from '../app.js';
import { loadBotConfig } from '../config.js';
import { metricsPlugin } from '../../core/metrics-plugin.js';
import { openDatabase, type Db } from '../../core/postgres.js';
import { registerSlaCollectors } from '../../sla/exporter/collectors.js';
import { DEFAULT_ESCALATION_CHAT_ID, DEFAULT_SUPPORT_CHAT_ID } from '../../sandbox/identities.js';
import { SandboxClient, startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { startAlertingStack, type AlertingStack } from '../../scripts/alerting-stack.js';
import { MemoryBus, noFeatures } from '../../test/bot/harness.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { alertmanagerPlugin } from './alertmanager-plugin.js';
import { createAlertsComposer } from './composer.js';
import { loadAlertsConfig } from './config.js';

const VIP = 1001;
const VIP2 = 1002;
const VIP3 = 1003;
const AGENT = 501;
const LEAD = 601;
const TOKEN = 'e2e-webhook-token';
const tmp = tmpDataDir('alerts-e2e-');
let sandbox: RunningSandbox;
let tg: SandboxClient;
let db: Db;
let desk: DeskApp;
let http: FastifyInstance;
let stack: AlertingStack;

const escalation = () => tg.getChatMessages(DEFAULT_ESCALATION_CHAT_ID);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  tg = new SandboxClient(sandbox.url);
  db = await openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1 });
  const config = loadBotConfig({ THROTTLE: '0', VIP_USER_IDS: `${VIP},${VIP2},${VIP3}`, LOG_LEVEL: 'warn', TEAM_LEAD_IDS: String(LEAD) });
  // A 1 s refresh: a new breach or a vanished message is acted on within a second.
  const alertsConfig = loadAlertsConfig({ ALERTMANAGER_WEBHOOK_TOKEN: TOKEN, ALERT_REFRESH_INTERVAL: '1s' });
  desk = await createDesk({
    db,
    bus: new MemoryBus(),
    config,
    apiRoot: sandbox.apiRoot,
    composers: [createAlertsComposer(alertsConfig)],
    features: noFeatures(),
  });

  const registry = new Registry();
  registerSlaCollectors({ db, registry, firstResponseTargets: new Map([...config.sla].map(([q, t]) => [q, t.firstResponseSeconds])) });
  http = Fastify();
  await http.register(metricsPlugin, { registry });
  await http.register(alertmanagerPlugin, { desk: desk.services, config: alertsConfig });
  const address = await http.listen({ host: '127.0.0.1', port: 0 });
  stack = await startAlertingStack({
    port: Number(new URL(address).port),
    webhookToken: TOKEN,
    dataDir: join(tmp.dir, 'alerting'),
    scrapeInterval: '1s',
    evaluationInterval: '1s',
    groupWait: '1s',
    groupInterval: '2s',
  });
  if (!stack.enabled) throw new Error(`alerting stack did not start: ${stack.reason}`);
  await desk.start();
  for (const chat_id of [DEFAULT_SUPPORT_CHAT_ID, DEFAULT_ESCALATION_CHAT_ID])
    await tg.setMember({ user_id: AGENT, status: 'member', chat_id, first_name: 'Agent Smith' });
  await tg.setMember({ user_id: LEAD, status: 'administrator', chat_id: DEFAULT_ESCALATION_CHAT_ID, first_name: 'Lead' });
});
afterAll(async () => {
  if (stack?.enabled) await stack.stop();
  await desk?.stop().catch(() => undefined);
  await http?.close();
  await db?.close();
  await sandbox?.close();
  tmp.cleanup();
});

describe('VIP first-response breach → escalation chat → answer → resolved', () => {
  let ticketId: number;
  let alertMessageId: number;

  it('an unanswered VIP ticket past its deadline is escalated, naming the ticket and linking its topic', async () => {
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    await tg.sendCustomerMessage(VIP, { text: 'My payment failed twice', first_name: 'Valentina', language_code: 'en', date: tenMinutesAgo });
    const ticket = await tg.waitFor(
      async () =>
        (
          await db.query<{ id: number; queue: string; first_response_due_at: Date }>(
            'SELECT id, queue, first_response_due_at FROM tickets WHERE customer_id = $1',
            [VIP],
          )
        ).rows[0],
      { timeoutMs: 20_000, what: 'the ticket' },
    );
    ticketId = ticket.id;
    expect(ticket.queue).toBe('VIP');
    expect(new Date(ticket.first_response_due_at).getTime()).toBeLessThan(Date.now());

    const msg = await tg.waitForChatMessage(
      DEFAULT_ESCALATION_CHAT_ID,
      (m) => Boolean(m.text?.includes('First-response SLA breached') && m.text.includes(`#${ticketId}`)),
      { timeoutMs: 60_000 },
    );
    alertMessageId = msg.message_id;
    expect(msg.text).toContain('queue VIP');
    expect(msg.text).toContain('1 ticket waits past its first-response deadline.');
    expect(msg.text).toMatch(new RegExp(`#${ticketId} Valentina — overdue since \\d\\d:\\d\\d`));
    const { rows } = await db.query<{ thread_id: number }>('SELECT thread_id FROM customers WHERE id = $1', [VIP]);
    const link = (msg.entities as { type: string; url?: string }[]).find((e) => e.type === 'text_link');
    expect(link?.url).toBe(`https://t.me/c/2000000001/${rows[0]!.thread_id}`);
    expect(msg.buttons).toEqual([[`Take #${ticketId}`], ['🔕 Mute VIP 1 h']]);
  }, 120_000);

  it('/sla shows the breach live', async () => {
    await tg.sendSupportMessage({ from_id: LEAD, chat_id: DEFAULT_ESCALATION_CHAT_ID, text: '/sla' });
    const overview = await tg.waitForChatMessage(DEFAULT_ESCALATION_CHAT_ID, 'SLA now', { timeoutMs: 20_000 });
    expect(overview.text).toMatch(/🔴 VIP: 1 open, oldest waiting 1\d min/);
    expect(overview.text).toContain('breached 1');
  }, 60_000);

  it('Take assigns the ticket to the agent who pressed it; Mute needs a team lead', async () => {
    await tg.pressSupportButton({ from_id: AGENT, chat_id: DEFAULT_ESCALATION_CHAT_ID, message_id: alertMessageId, text: `Take #${ticketId}` });
    await tg.waitFor(
      async () => (await db.query<{ agent_id: number }>('SELECT agent_id FROM tickets WHERE id = $1', [ticketId])).rows[0]?.agent_id === AGENT || undefined,
      { timeoutMs: 20_000, what: 'the assignment' },
    );
    await tg.waitForChatMessage(DEFAULT_ESCALATION_CHAT_ID, `#${ticketId} taken by Agent Smith`, { timeoutMs: 20_000 });

    await tg.pressSupportButton({ from_id: AGENT, chat_id: DEFAULT_ESCALATION_CHAT_ID, message_id: alertMessageId, text: '🔕 Mute VIP 1 h' });
    await tg.waitFor(
      async () =>
        (await escalation()).find((m) => m.message_id === alertMessageId)?.callback_answers.some((a) => a.text?.includes('Only a team lead')) || undefined,
      { timeoutMs: 20_000, what: 'the refusal' },
    );
    expect((await db.query('SELECT 1 FROM alert_mutes WHERE queue = $1', ['VIP'])).rows).toHaveLength(0);
  }, 60_000);

  it("the agent's reply resolves the alert: the message is edited and the chat says so", async () => {
    const { rows } = await db.query<{ thread_id: number }>('SELECT thread_id FROM customers WHERE id = $1', [VIP]);
    await tg.sendSupportMessage({ from_id: AGENT, thread_id: rows[0]!.thread_id, text: 'Hi Valentina, I am on it' });
    await tg.waitForCustomerMessage(VIP, 'I am on it', { timeoutMs: 20_000 });
    const followup = await tg.waitForChatMessage(
      DEFAULT_ESCALATION_CHAT_ID,
      (m) => Boolean(m.text?.startsWith('✅ Resolved: First-response SLA breached in VIP')),
      { timeoutMs: 60_000 },
    );
    expect(followup.reply_to).toBe(alertMessageId);
    const original = (await escalation()).find((m) => m.message_id === alertMessageId)!;
    expect(original.text).toMatch(/^✅ Resolved · First-response SLA breached · queue VIP/);
    expect(original.text).toContain(`#${ticketId}`);
  }, 120_000);

  let refiredId: number;

  it('the queue breaching again soon posts a new message, the latest in the chat, replying to the old one; a team lead mutes the queue from it', async () => {
    await tg.sendCustomerMessage(VIP2, { text: 'KYC stuck', first_name: 'Viktor', language_code: 'en', date: Math.floor(Date.now() / 1000) - 600 });
    const ticket2 = await tg.waitFor(async () => (await db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = $1', [VIP2])).rows[0]?.id, {
      timeoutMs: 20_000,
      what: 'the second ticket',
    });
    const refired = await tg.waitForChatMessage(
      DEFAULT_ESCALATION_CHAT_ID,
      (m) => m.message_id !== alertMessageId && Boolean(m.text?.includes('First-response SLA breached') && m.text.includes(`#${ticket2}`)),
      { timeoutMs: 60_000 },
    );
    refiredId = refired.message_id;
    // A new message notifies, and it is what the chat shows last: not the "✅ Resolved" of before.
    expect((await escalation()).at(-1)!.message_id).toBe(refiredId);
    expect(refired.text).toContain('fired again (2×)');
    expect(refired.reply_to).toBe(alertMessageId);
    // The old message links forward to the new one, so it is edited after the post: wait for the edit.
    const old = await tg.waitForChatMessage(
      DEFAULT_ESCALATION_CHAT_ID,
      (m) => m.message_id === alertMessageId && Boolean(m.text?.includes('🔁 Fired again at')),
      { timeoutMs: 20_000 },
    );
    expect(old.text).toMatch(/^✅ Resolved · First-response SLA breached · queue VIP/);
    expect(old.buttons ?? []).toEqual([]);

    await tg.pressSupportButton({ from_id: LEAD, chat_id: DEFAULT_ESCALATION_CHAT_ID, message_id: refiredId, text: '🔕 Mute VIP 1 h' });
    const notice = await tg.waitForChatMessage(DEFAULT_ESCALATION_CHAT_ID, 'Alerts of VIP muted until', { timeoutMs: 20_000 });
    const mute = (await db.query<{ muted_by: number; muted_until: Date }>('SELECT muted_by, muted_until FROM alert_mutes WHERE queue = $1', ['VIP'])).rows[0];
    expect(Number(mute?.muted_by)).toBe(LEAD);
    expect(new Date(mute!.muted_until).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(notice.buttons).toEqual([['🔔 Unmute VIP']]);

    // Unmute, from the notice: refused to an agent, done for the team lead
    await tg.pressSupportButton({ from_id: AGENT, chat_id: DEFAULT_ESCALATION_CHAT_ID, message_id: notice.message_id, text: '🔔 Unmute VIP' });
    await tg.waitFor(
      async () =>
        (await escalation()).find((m) => m.message_id === notice.message_id)?.callback_answers.some((a) => a.text?.includes('Only a team lead')) || undefined,
      { timeoutMs: 20_000, what: 'the refusal' },
    );
    expect((await db.query('SELECT 1 FROM alert_mutes WHERE queue = $1', ['VIP'])).rows).toHaveLength(1);
    await tg.pressSupportButton({ from_id: LEAD, chat_id: DEFAULT_ESCALATION_CHAT_ID, message_id: notice.message_id, text: '🔔 Unmute VIP' });
    const edited = await tg.waitForChatMessage(
      DEFAULT_ESCALATION_CHAT_ID,
      (m) => m.message_id === notice.message_id && Boolean(m.text?.includes('posted again')),
      { timeoutMs: 20_000 },
    );
    expect(edited.buttons ?? []).toEqual([]);
    expect((await db.query('SELECT 1 FROM alert_mutes WHERE queue = $1', ['VIP'])).rows).toHaveLength(0);
  }, 120_000);

  it('a mute notice that is gone when the mute is lifted: the unmute is said in a new message', async () => {
    await tg.pressSupportButton({ from_id: LEAD, chat_id: DEFAULT_ESCALATION_CHAT_ID, message_id: refiredId, text: '🔕 Mute VIP 1 h' });
    const notice = await tg.waitForChatMessage(DEFAULT_ESCALATION_CHAT_ID, (m) => Boolean(m.text?.includes('Alerts of VIP muted until') && m.buttons?.length), {
      timeoutMs: 20_000,
    });
    // Deleted between the press and the edit: Telegram answers the edit with this.
    await tg.injectFault({ method: 'editMessageText', error_code: 400, description: 'Bad Request: message to edit not found', count: 1 });
    await tg.pressSupportButton({ from_id: LEAD, chat_id: DEFAULT_ESCALATION_CHAT_ID, message_id: notice.message_id, text: '🔔 Unmute VIP' });
    const said = await tg.waitForChatMessage(
      DEFAULT_ESCALATION_CHAT_ID,
      (m) => m.message_id > notice.message_id && Boolean(m.text?.includes('Alerts of VIP are posted again')),
      { timeoutMs: 20_000 },
    );
    expect(said.from).toBe('bot');
    expect((await db.query('SELECT 1 FROM alert_mutes WHERE queue = $1', ['VIP'])).rows).toHaveLength(0);
  }, 60_000);

  it('an alert message deleted from the chat is posted again, with the current tickets, on the next refresh', async () => {
    await desk.services.api.deleteMessage(DEFAULT_ESCALATION_CHAT_ID, refiredId);
    await tg.sendCustomerMessage(VIP3, { text: 'Card blocked', first_name: 'Vera', language_code: 'en', date: Math.floor(Date.now() / 1000) - 600 });
    const ticket3 = await tg.waitFor(async () => (await db.query<{ id: number }>('SELECT id FROM tickets WHERE customer_id = $1', [VIP3])).rows[0]?.id, {
      timeoutMs: 20_000,
      what: 'the third ticket',
    });
    const again = await tg.waitForChatMessage(
      DEFAULT_ESCALATION_CHAT_ID,
      (m) => m.message_id > refiredId && Boolean(m.text?.includes('First-response SLA breached') && m.text.includes(`#${ticket3}`)),
      { timeoutMs: 60_000 },
    );
    expect(again.text).toContain('2 tickets wait past their first-response deadline.');
    expect(again.text).toContain('Viktor');
    expect(again.text).toContain('Vera');
    expect((await escalation()).at(-1)!.message_id).toBe(again.message_id);
    // The post comes first, then its id is recorded: wait for the record.
    const recorded = await tg.waitFor(async () => {
      const row = (
        await db.query<{ message_id: string }>(`SELECT message_id FROM alert_messages WHERE alertname = 'FirstResponseSlaBreached' AND queue = 'VIP'`)
      ).rows[0];
      return Number(row?.message_id) === again.message_id;
    });
    expect(recorded).toBe(true);
  }, 120_000);
});
