import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Api } from 'grammy';
import { logger } from '../../core/log.js';
import type { Db } from '../../core/postgres.js';
import { openTestStore, seedTicket } from '../../sla/exporter/test-support.js';
import { DEFAULT_ESCALATION_CHAT_ID, DEFAULT_SUPPORT_CHAT_ID } from '../../sandbox/identities.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { alertmanagerPlugin } from './alertmanager-plugin.js';
import type { AmAlert, AmWebhookPayload } from './alertmanager-schema.js';
import { loadAlertsConfig, type AlertsConfig } from './config.js';
import { Escalations } from './escalations.js';
import { hhmm } from '../telegram/present.js';
import { ALERT_CATALOG } from './catalog.js';
import { AlertStore } from './store.js';
import { startSandboxHarness, type SandboxHarness } from './test-support.js';
import type { MessageView } from '../../sandbox/views.js';
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
  app.inject({
    method: 'POST',
    url: '/hooks/alertmanager',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
const escalation = () => sandbox.messages(DEFAULT_ESCALATION_CHAT_ID).filter((m) => m.from === 'bot');
const escalationsStore = () => new AlertStore(db);

/** The escalations the desk runs, on the given Bot API (a restarted sandbox has a new one), on the test's clock. */
function escalationsOn(api: Api): Escalations {
  return new Escalations({ db, api, supportChatId: DEFAULT_SUPPORT_CHAT_ID, config, log: logger('alerts-test'), t: text, now: () => clock });
}

beforeAll(async () => {
  db = await openTestStore(tmp.dir);
  sandbox = await startSandboxHarness();
  vipTicket = await seedTicket(db, { queue: 'VIP', createdAt: at(-8), firstResponseDueAt: at(-3), firstName: 'Alice <VIP>', threadId: 77 });
  const escalations = escalationsOn(sandbox.api);
  app = Fastify();
  await app.register(alertmanagerPlugin, {
    desk: { db, api: sandbox.api, config: { supportChatId: DEFAULT_SUPPORT_CHAT_ID }, agentText: text },
    config,
    escalations,
  });
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

  it('firing again soon after resolving posts a new message (it notifies) that replies to the old one, which links to it; resolving again posts no second follow-up', async () => {
    let res = await post(payload(alert('FirstResponseSlaBreached', 'firing', { queue: 'VIP', severity: 'critical' })));
    expect(res.json().outcomes[0].outcome).toBe('posted');
    let msgs = escalation();
    expect(msgs).toHaveLength(3);
    const [old, , refired] = msgs as [MessageView, MessageView, MessageView];
    // The newest message in the chat is the firing one, not the "✅ Resolved" follow-up.
    expect(sandbox.messages().at(-1)!.message_id).toBe(refired.message_id);
    expect(refired.text).toContain('First-response SLA breached');
    expect(refired.text).toContain('fired again (2×)');
    expect(refired.reply_to).toBe(old.message_id);
    expect(refired.buttons).toEqual([[`Take #${vipTicket}`], ['🔕 Mute VIP 1 h']]);
    // The old message stays resolved, carries no buttons, and points to the new one.
    expect(old.text).toMatch(/^✅ Resolved · First-response SLA breached/);
    expect(old.text).toMatch(/🔁 Fired again at \d\d:\d\d UTC: see the new message$/);
    expect((old.entities as { type: string; url?: string }[]).find((e) => e.type === 'text_link')?.url).toBe(`https://t.me/c/2000000002/${refired.message_id}`);
    expect(old.buttons ?? []).toEqual([]);
    expect((await escalationsStore().get('FirstResponseSlaBreached-VIP'))?.message_id).toBe(refired.message_id);

    res = await post(payload(alert('FirstResponseSlaBreached', 'resolved', { queue: 'VIP' })));
    msgs = escalation();
    expect(msgs).toHaveLength(3);
    expect(msgs[2]!.text).toMatch(/^✅ Resolved/);
  });

  it('firing again after the flap window posts a new message', async () => {
    clock = at(15);
    const res = await post(payload(alert('FirstResponseSlaBreached', 'firing', { queue: 'VIP', severity: 'critical' })));
    expect(res.json().outcomes[0].outcome).toBe('posted');
    expect(escalation()).toHaveLength(4);
    expect(escalation()[3]!.text).not.toContain('fired again');
    await post(payload(alert('FirstResponseSlaBreached', 'resolved', { queue: 'VIP' })));
  });

  it('between notifications, a newly breached ticket updates the message and gets one reply; an answered one leaves the list', async () => {
    const escalations = escalationsOn(sandbox.api);
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
    // Someone takes the other ticket from its topic: its Take button goes.
    expect(escalation()[posted]!.buttons).toEqual([[`Take #${vipTicket}`], ['🔕 Mute VIP 1 h']]);
    await db.query('UPDATE tickets SET agent_id = 9 WHERE id = $1', [vipTicket]);
    expect(await escalations.refresh()).toBe(1);
    expect(escalation()[posted]!.buttons).toEqual([['🔕 Mute VIP 1 h']]);
    await db.query('UPDATE tickets SET agent_id = NULL WHERE id = $1', [vipTicket]);
    // The resolution names every ticket the alert named, the one answered meanwhile too.
    await post(payload(alert('FirstResponseSlaBreached', 'resolved', { queue: 'VIP' })));
    expect(escalation()[posted]!.text).toContain(`Tickets: #${vipTicket}, #${later}`);
  });

  it('an unknown alert is posted plainly', async () => {
    const before = escalation().length;
    const res = await post(
      payload(
        alert(
          'DiskAlmostFull',
          'firing',
          { severity: 'warning', instance: 'db-1' },
          { annotations: { summary: 'disk 93% full', description: 'free space on /var' } },
        ),
      ),
    );
    expect(res.statusCode).toBe(200);
    const m = escalation()[before]!;
    expect(m.text).toContain('⚠️ DiskAlmostFull [warning]');
    expect(m.text).toContain('disk 93% full');
    expect(m.text).toContain('free space on /var');
    expect(m.text).toContain('instance=db-1');
  });

  it('a muted queue is recorded but not posted, and its resolution stays quiet', async () => {
    const escalations = escalationsOn(sandbox.api);
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

describe('an alert message that is gone (deleted by an admin, lost with a restarted sandbox)', () => {
  const FP = 'FirstResponseSlaBreached-GONE';
  const fresh = () => escalationsOn(sandbox.api);
  const shownIn = async (fp = FP) => (await escalationsStore().get(fp))?.message_id ?? null;
  const remove = async (fp = FP) => sandbox.api.deleteMessage(DEFAULT_ESCALATION_CHAT_ID, (await shownIn(fp))!);
  const firing = (queue = 'GONE') => payload(alert('FirstResponseSlaBreached', 'firing', { queue, severity: 'critical' }));
  let gina: number;
  let escalations: Escalations;

  beforeAll(async () => {
    clock = at(120);
    escalations = fresh();
    gina = await seedTicket(db, { queue: 'GONE', createdAt: at(-20), firstResponseDueAt: at(-5), firstName: 'Gina' });
    expect((await post(firing())).json().outcomes[0].outcome).toBe('posted');
    expect(await escalations.refresh()).toBe(0);
  });

  it('the refresh posts it anew with the current tickets and remembers the new message', async () => {
    await remove();
    const before = escalation().length;
    const gus = await seedTicket(db, { queue: 'GONE', createdAt: at(-10), firstResponseDueAt: at(-1), firstName: 'Gus' });
    expect(await escalations.refresh()).toBe(1);
    expect(escalation()).toHaveLength(before + 1);
    const again = escalation().at(-1)!;
    expect(again.text).toContain('2 tickets wait past their first-response deadline.');
    expect(again.text).toContain(`#${gina} Gina`);
    expect(again.text).toContain(`#${gus} Gus`);
    expect(again.buttons).toEqual([[`Take #${gina}`, `Take #${gus}`], ['🔕 Mute GONE 1 h']]);
    expect(await shownIn()).toBe(again.message_id);
    // Remembered: the next refresh has nothing to do.
    expect(await escalations.refresh()).toBe(0);
    expect(escalation()).toHaveLength(before + 1);
  });

  it('after a restart, a firing alert whose message is gone comes back although its tickets did not change', async () => {
    await remove();
    const before = escalation().length;
    // Telegram's wording for an id it does not know; the sandbox says "message to edit not found".
    sandbox.world.faults.add({ method: 'editMessageText', error_code: 400, description: 'Bad Request: MESSAGE_ID_INVALID', count: 1 });
    const restarted = fresh(); // a new process: it has not seen any message yet
    expect(await restarted.refresh()).toBe(1);
    expect(escalation()).toHaveLength(before + 1);
    expect(escalation().at(-1)!.text).toContain(`#${gina} Gina`);
    expect(await shownIn()).toBe(escalation().at(-1)!.message_id);
    expect(await restarted.refresh()).toBe(0);
  });

  it("a repeated notification whose message can't be edited posts it anew", async () => {
    const before = escalation().length;
    sandbox.world.faults.add({ method: 'editMessageText', error_code: 400, description: "Bad Request: message can't be edited", count: 1 });
    expect((await post(firing())).json().outcomes[0].outcome).toBe('posted');
    expect(escalation()).toHaveLength(before + 1);
    expect(await shownIn()).toBe(escalation().at(-1)!.message_id);
  });

  it('resolving posts the resolution as a message of its own, which stands in for the follow-up', async () => {
    await remove();
    const before = escalation().length;
    expect((await post(payload(alert('FirstResponseSlaBreached', 'resolved', { queue: 'GONE' })))).json().outcomes[0].outcome).toBe('resolved');
    expect(escalation()).toHaveLength(before + 1);
    const resolved = escalation().at(-1)!;
    expect(resolved.text).toMatch(/^✅ Resolved · First-response SLA breached · queue GONE\nTickets: #\d+, #\d+\n/);
    expect(await shownIn()).toBe(resolved.message_id);
    expect((await escalationsStore().get(FP))?.last_followup_at).not.toBeNull();
  });

  it('a muted queue stays quiet when its message is gone, and is posted once the mute ends', async () => {
    const fp = 'FirstResponseSlaBreached-HUSH';
    await seedTicket(db, { queue: 'HUSH', createdAt: at(-20), firstResponseDueAt: at(-5), firstName: 'Hanna' });
    expect((await post(firing('HUSH'))).json().outcomes[0].outcome).toBe('posted');
    await escalations.store.mute('HUSH', at(30), 42);
    await remove(fp);
    const before = escalation().length;
    await seedTicket(db, { queue: 'HUSH', createdAt: at(-10), firstResponseDueAt: at(-1), firstName: 'Hugo' });
    expect(await escalations.refresh()).toBe(0);
    expect((await post(firing('HUSH'))).json().outcomes[0].outcome).toBe('muted');
    expect(escalation()).toHaveLength(before);
    expect(await shownIn(fp)).toBeNull();

    clock = at(31);
    expect(await escalations.refresh()).toBe(1);
    expect(escalation()).toHaveLength(before + 1);
    expect(escalation().at(-1)!.text).toMatch(/queue HUSH\n2 tickets wait past their first-response deadline\./);
    expect(await shownIn(fp)).toBe(escalation().at(-1)!.message_id);
  });

  it('after the sandbox restarts (message ids from 1 again), every firing alert is posted anew and none overwrites another', async () => {
    for (const name of ['RestartA', 'RestartB']) await post(payload(alert(name, 'firing', { severity: 'warning' })));
    const restarted = await startSandboxHarness();
    try {
      const rows = await escalationsStore().firing();
      expect(rows.length).toBeGreaterThanOrEqual(3);
      // A team lead talks in the new chat until the next message takes the second alert's remembered id:
      // the first alert's new post gets that id, and the second alert's stale id then names it.
      const collide = rows[1]!.message_id!;
      for (let last = 0; last < collide - 1; )
        last = (await restarted.client.sendSupportMessage({ from_id: 601, chat_id: DEFAULT_ESCALATION_CHAT_ID, text: 'anyone?' })).message_id;
      const afterRestart = escalationsOn(restarted.api);
      await afterRestart.refresh();

      const shown = restarted.messages().filter((m) => m.from === 'bot');
      expect(shown.filter((m) => m.edited)).toEqual([]);
      const now = await escalationsStore().firing();
      expect(new Set(now.map((r) => r.message_id)).size).toBe(now.length);
      for (const row of now) {
        const m = shown.find((x) => x.message_id === row.message_id);
        expect(m?.text, row.fingerprint).toContain(ALERT_CATALOG[row.alertname] ? text(`alert-${row.alertname}`) : row.alertname);
      }
    } finally {
      await restarted.close();
    }
  });
});
