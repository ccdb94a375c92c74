import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { logger } from '../../core/log.js';
import type { Db } from '../../core/postgres.js';
import { openTestStore, seedTicket } from '../../monitoring/test-support.js';
import { DEFAULT_ESCALATION_CHAT_ID, DEFAULT_SUPPORT_CHAT_ID } from '../../sandbox/identities.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { alertmanagerPlugin } from './alertmanager-plugin.js';
import type { AmAlert, AmWebhookPayload } from './alertmanager-schema.js';
import { loadAlertsConfig, type AlertsConfig } from './config.js';
import { Escalations } from './escalations.js';
import { hhmm } from './format.js';
import { startSandboxHarness, type SandboxHarness } from './test-support.js';
import { alertsText } from './text.js';

const text = alertsText();

const TOKEN = 'test-webhook-token';
const tmp = tmpDataDir('alerts-webhook-');
let db: Db;
let sandbox: SandboxHarness;
let app: FastifyInstance;
let clock = new Date('2026-03-02T12:00:00Z');
const at = (min: number) => new Date(clock.getTime() + min * 60_000);
let vipTicket: number;

// The shipped defaults (escalation chat, flap window, mutes, digest), with this test's token and limits.
const config: AlertsConfig = loadAlertsConfig({ ALERTMANAGER_WEBHOOK_TOKEN: TOKEN, ALERT_WEBHOOK_BODY_LIMIT: '65536', ALERT_REFRESH_INTERVAL: '1h' });

function alert(name: string, status: 'firing' | 'resolved', labels: Record<string, string> = {}, extra: Partial<AmAlert> = {}): AmAlert {
  return {
    status,
    labels: { alertname: name, ...labels },
    annotations: { summary: `${name} summary` },
    startsAt: at(-1).toISOString(),
    endsAt: status === 'resolved' ? clock.toISOString() : '0001-01-01T00:00:00Z',
    fingerprint: `${name}-${labels.queue ?? 'none'}`,
    ...extra,
  };
}
function payload(...alerts: AmAlert[]): AmWebhookPayload {
  return { version: '4', status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved', receiver: 'desk-critical', groupKey: '{}:{}', alerts };
}
const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  app.inject({ method: 'POST', url: '/hooks/alertmanager', headers: { 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
const escalation = () => sandbox.messages(DEFAULT_ESCALATION_CHAT_ID).filter((m) => m.from === 'bot');

beforeAll(async () => {
  db = await openTestStore(tmp.dir);
  sandbox = await startSandboxHarness();
  vipTicket = await seedTicket(db, { queue: 'VIP', createdAt: at(-8), firstResponseDueAt: at(-3), firstName: 'Alice <VIP>', threadId: 77 });
  const escalations = new Escalations({ db, api: sandbox.api, supportChatId: DEFAULT_SUPPORT_CHAT_ID, config, log: logger('alerts-test'), t: text, now: () => clock });
  app = Fastify();
  await app.register(alertmanagerPlugin, { desk: { db, api: sandbox.api, config: { supportChatId: DEFAULT_SUPPORT_CHAT_ID }, agentText: text }, config, escalations });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
  await db?.close();
  tmp.cleanup();
});

describe('POST /hooks/alertmanager — the gate', () => {
  it('401 without or with a wrong bearer token', async () => {
    expect((await post(payload(alert('X', 'firing')), {})).statusCode).toBe(401);
    expect((await post(payload(alert('X', 'firing')), { authorization: 'Bearer nope' })).statusCode).toBe(401);
    expect((await post(payload(alert('X', 'firing')), { authorization: TOKEN })).statusCode).toBe(401);
    expect(escalation()).toHaveLength(0);
  });

  it('400 on a body that is not JSON', async () => {
    const res = await post('{"version": "4", "alerts": [');
    expect(res.statusCode).toBe(400);
  });

  it('413 on an oversized body', async () => {
    const huge = payload(alert('X', 'firing', {}, { annotations: { summary: 'x'.repeat(70 * 1024) } }));
    expect((await post(huge)).statusCode).toBe(413);
  });

  it('400 with the reason on a payload that is not Alertmanager v4', async () => {
    let res = await post({ version: '4', status: 'firing', alerts: [{ status: 'burning', labels: { alertname: 'X' }, startsAt: clock.toISOString() }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/alerts\/0\/status/);
    res = await post({ version: '4', status: 'firing' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/alerts/);
    res = await post({ version: '4', status: 'firing', alerts: [{ status: 'firing', labels: {}, startsAt: clock.toISOString() }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/alertname/);
    expect(escalation()).toHaveLength(0);
  });
});

describe('escalation messages', () => {
  beforeEach(() => {
    clock = new Date(clock.getTime() + 60_000);
  });

  it('a first-response breach names the breaching tickets with topic links and buttons', async () => {
    const res = await post(payload(alert('FirstResponseSlaBreached', 'firing', { queue: 'VIP', severity: 'critical', sla: 'first_response' })));
    expect(res.statusCode).toBe(200);
    expect(res.json().outcomes[0].outcome).toBe('posted');
    const msgs = escalation();
    expect(msgs).toHaveLength(1);
    const m = msgs[0]!;
    expect(m.text).toContain('First-response SLA breached');
    expect(m.text).toContain('queue VIP');
    expect(m.text).toContain(`#${vipTicket}`);
    expect(m.text).toContain('Alice <VIP>');
    expect(m.text).toContain('1 ticket waits past its first-response deadline.');
    expect(m.text).toContain(`#${vipTicket} Alice <VIP> — overdue since ${hhmm(at(-4)).slice(0, 5)}`);
    const link = (m.entities as { type: string; url?: string }[]).find((e) => e.type === 'text_link');
    expect(link?.url).toBe('https://t.me/c/2000000001/77');
    expect(m.buttons).toEqual([[`Take #${vipTicket}`], ['🔕 Mute VIP 1 h']]);
  });

  it('a repeated notification edits the message instead of posting again', async () => {
    const res = await post(payload(alert('FirstResponseSlaBreached', 'firing', { queue: 'VIP', severity: 'critical' })));
    expect(res.json().outcomes[0].outcome).toBe('edited');
    expect(escalation()).toHaveLength(1);
  });

  it('resolving edits the original and posts a short follow-up', async () => {
    const res = await post(payload(alert('FirstResponseSlaBreached', 'resolved', { queue: 'VIP', severity: 'critical' })));
    expect(res.json().outcomes[0].outcome).toBe('resolved');
    const msgs = escalation();
    expect(msgs).toHaveLength(2);
    expect(msgs[0]!.text).toMatch(/^✅ Resolved · First-response SLA breached · queue VIP/);
    expect(msgs[0]!.text).toContain(`#${vipTicket}`);
    expect(msgs[0]!.buttons ?? []).toEqual([]);
    expect(msgs[1]!.text).toMatch(/^✅ Resolved: First-response SLA breached in VIP after \d+ min\.$/);
    expect(msgs[1]!.reply_to).toBe(msgs[0]!.message_id);
    // A duplicate delivery of the resolution changes nothing.
    expect((await post(payload(alert('FirstResponseSlaBreached', 'resolved', { queue: 'VIP' })))).json().outcomes[0].outcome).toBe('ignored');
    expect(escalation()).toHaveLength(2);
  });

  it('flap damping: firing again soon after resolving edits the old message, and resolving again posts no second follow-up', async () => {
    let res = await post(payload(alert('FirstResponseSlaBreached', 'firing', { queue: 'VIP', severity: 'critical' })));
    expect(res.json().outcomes[0].outcome).toBe('edited');
    let msgs = escalation();
    expect(msgs).toHaveLength(2);
    expect(msgs[0]!.text).toContain('First-response SLA breached');
    expect(msgs[0]!.text).toContain('fired again (2×)');
    res = await post(payload(alert('FirstResponseSlaBreached', 'resolved', { queue: 'VIP' })));
    msgs = escalation();
    expect(msgs).toHaveLength(2);
    expect(msgs[0]!.text).toMatch(/^✅ Resolved/);
  });

  it('firing again after the flap window posts a new message', async () => {
    clock = at(15);
    const res = await post(payload(alert('FirstResponseSlaBreached', 'firing', { queue: 'VIP', severity: 'critical' })));
    expect(res.json().outcomes[0].outcome).toBe('posted');
    expect(escalation()).toHaveLength(3);
    await post(payload(alert('FirstResponseSlaBreached', 'resolved', { queue: 'VIP' })));
  });

  it('between notifications, a newly breached ticket updates the message and gets one reply; an answered one leaves the list', async () => {
    const escalations = new Escalations({ db, api: sandbox.api, supportChatId: DEFAULT_SUPPORT_CHAT_ID, config, log: logger('alerts-test'), t: text, now: () => clock });
    const posted = escalation().length; // the VIP alert posted last, now resolved; fire it anew
    clock = at(30);
    await post(payload(alert('FirstResponseSlaBreached', 'firing', { queue: 'VIP', severity: 'critical' })));
    expect(escalation()).toHaveLength(posted + 1);
    const main = escalation()[posted]!;
    expect(await escalations.refresh()).toBe(0); // nothing changed
    const later = await seedTicket(db, { queue: 'VIP', createdAt: at(-7), firstResponseDueAt: at(-1), firstName: 'Late Larry', threadId: 88 });
    expect(await escalations.refresh()).toBe(1);
    const msgs = escalation();
    expect(msgs).toHaveLength(posted + 2);
    expect(msgs[posted]!.text).toContain(`#${later}`);
    expect(msgs[posted + 1]!.text).toContain('🔴 First-response SLA breached · VIP: one more ticket');
    expect(msgs[posted + 1]!.text).toContain(`#${later} Late Larry — overdue since ${hhmm(at(-1)).slice(0, 5)}`);
    expect(msgs[posted + 1]!.reply_to).toBe(main.message_id);
    expect(msgs[posted + 1]!.buttons).toEqual([[`Take #${later}`]]);
    // The late ticket gets answered: the list shrinks silently.
    await db.query('UPDATE tickets SET first_response_at = $2 WHERE id = $1', [later, clock]);
    expect(await escalations.refresh()).toBe(1);
    expect(escalation()).toHaveLength(posted + 2);
    expect(escalation()[posted]!.text).not.toContain(`#${later}`);
    await post(payload(alert('FirstResponseSlaBreached', 'resolved', { queue: 'VIP' })));
  });

  it('an unknown alert is posted plainly', async () => {
    const before = escalation().length;
    const res = await post(payload(alert('DiskAlmostFull', 'firing', { severity: 'warning', instance: 'db-1' }, { annotations: { summary: 'disk 93% full', description: 'free space on /var' } })));
    expect(res.statusCode).toBe(200);
    const m = escalation()[before]!;
    expect(m.text).toContain('⚠️ DiskAlmostFull [warning]');
    expect(m.text).toContain('disk 93% full');
    expect(m.text).toContain('free space on /var');
    expect(m.text).toContain('instance=db-1');
  });

  it('a muted queue is recorded but not posted, and its resolution stays quiet', async () => {
    const escalations = new Escalations({ db, api: sandbox.api, supportChatId: DEFAULT_SUPPORT_CHAT_ID, config, log: logger('alerts-test'), t: text, now: () => clock });
    await escalations.store.mute('L2', at(60), 42);
    await seedTicket(db, { queue: 'L2', createdAt: at(-40), firstResponseDueAt: at(-10) });
    const before = escalation().length;
    let res = await post(payload(alert('FirstResponseSlaBreached', 'firing', { queue: 'L2', severity: 'critical' })));
    expect(res.json().outcomes[0].outcome).toBe('muted');
    expect(escalation()).toHaveLength(before);
    expect(await escalations.store.get('FirstResponseSlaBreached-L2')).toMatchObject({ status: 'firing', message_id: null });
    res = await post(payload(alert('FirstResponseSlaBreached', 'resolved', { queue: 'L2' })));
    expect(res.json().outcomes[0].outcome).toBe('resolved');
    expect(escalation()).toHaveLength(before);
    // After the mute ends, the queue's alerts are posted again.
    clock = at(61);
    res = await post(payload(alert('FirstResponseSlaBreached', 'firing', { queue: 'L2', severity: 'critical' })));
    expect(res.json().outcomes[0].outcome).toBe('posted');
    expect(escalation()).toHaveLength(before + 1);
  });

  it('Telegram failing → 502 so Alertmanager retries; the retry posts once', async () => {
    const before = escalation().length;
    // A 400 is not retried by the Api (auto-retry only retries 429/5xx), so it reaches the hook.
    sandbox.world.faults.add({ method: 'sendMessage', error_code: 400, count: 1 });
    const body = payload(alert('OutboxStuck', 'firing', { severity: 'critical' }));
    const first = await post(body);
    expect(first.statusCode).toBe(502);
    const retry = await post(body);
    expect(retry.statusCode).toBe(200);
    expect(escalation()).toHaveLength(before + 1);
  });
});
