import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows, type ClickHouse } from '../../core/clickhouse.js';
import { logger } from '../../core/log.js';
import type { Db } from '../../core/postgres.js';
import { clickHouseRunner } from '../../analytics/query.js';
import { openTestClickHouse } from '../../ingest/test-support.js';
import { openTestStore, seedTicket } from '../../sla/exporter/test-support.js';
import { DEFAULT_ESCALATION_CHAT_ID, DEFAULT_SUPPORT_CHAT_ID } from '../../sandbox/identities.js';
import type { SupportEvent } from '../../schemas/events.js';
import { makeEvent } from '../../schemas/validate.js';
import { alertsText } from './text.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { collectDigest, renderDigest, yesterdayIn } from './digest.js';
import { createDigestScheduler, parseDigestTime } from './digest-scheduler.js';
import { startSandboxHarness, type SandboxHarness } from './test-support.js';

const tmp = tmpDataDir('alerts-digest-');
let db: Db;
let ch: ClickHouse;
let sandbox: SandboxHarness;
const NOW = new Date('2026-03-02T09:00:30Z');
const t = (hhmm: string) => new Date(`2026-03-01T${hhmm}:00Z`);
const ids: number[] = [];

function ticketEvents(o: {
  id: number;
  queue: string;
  category: string;
  opened: Date;
  frDue: Date;
  reply?: Date;
  agent?: number;
  resolved?: Date;
  csat?: number;
  nps?: number;
}): SupportEvent[] {
  const env = { ticket_id: o.id, ticket_created_at: o.opened.toISOString(), customer_id: 9000 + o.id, queue: o.queue, category: o.category, language: 'en' };
  const iso = (d: Date) => d.toISOString();
  const out: SupportEvent[] = [
    makeEvent<'ticket_opened'>({
      ...env,
      type: 'ticket_opened',
      occurred_at: iso(o.opened),
      first_response_due_at: iso(o.frDue),
      resolution_due_at: iso(new Date(o.opened.getTime() + 4 * 3600_000)),
      is_repeat_contact: false,
    }),
    makeEvent<'category_selected'>({ ...env, type: 'category_selected', occurred_at: iso(o.opened) }),
  ];
  if (o.reply) {
    const s = (o.reply.getTime() - o.opened.getTime()) / 1000;
    out.push(
      makeEvent<'message_out'>({
        ...env,
        agent_id: o.agent ?? 77,
        type: 'message_out',
        occurred_at: iso(o.reply),
        message_kind: 'text',
        is_first_response: true,
        first_response_seconds: s,
        first_response_bh_seconds: s,
      }),
    );
  }
  if (o.resolved) {
    const s = (o.resolved.getTime() - o.opened.getTime()) / 1000;
    out.push(
      makeEvent<'ticket_resolved'>({
        ...env,
        type: 'ticket_resolved',
        occurred_at: iso(o.resolved),
        resolved_by: 'agent',
        resolution_seconds: s,
        resolution_bh_seconds: s,
        agent_replies: 1,
      }),
    );
  }
  if (o.csat) out.push(makeEvent<'csat_rated'>({ ...env, type: 'csat_rated', occurred_at: iso(o.resolved ?? o.opened), score: o.csat }));
  if (o.nps !== undefined) out.push(makeEvent<'nps_rated'>({ ...env, type: 'nps_rated', occurred_at: iso(o.resolved ?? o.opened), score: o.nps }));
  return out;
}

beforeAll(async () => {
  [db, ch, sandbox] = await Promise.all([openTestStore(tmp.dir), openTestClickHouse(tmp.dir), startSandboxHarness()]);
  const specs = [
    { queue: 'L1', category: 'payment', opened: t('10:00'), frDue: t('10:15'), reply: t('10:05'), resolved: t('11:00'), csat: 5, nps: 10, name: 'Ann' },
    { queue: 'VIP', category: 'account', opened: t('12:00'), frDue: t('12:05'), reply: t('12:20'), agent: 78, csat: 3, nps: 5, name: 'Bo' },
    { queue: 'L1', category: 'payment', opened: t('15:00'), frDue: t('15:15'), name: 'Cy' },
  ];
  const events: SupportEvent[] = [];
  for (const s of specs) {
    const id = await seedTicket(db, {
      queue: s.queue,
      status: s.resolved ? 'resolved' : s.reply ? 'waiting_customer' : 'waiting_agent',
      createdAt: s.opened,
      firstResponseAt: s.reply ?? null,
      firstResponseDueAt: s.frDue,
      resolvedAt: s.resolved ?? null,
      firstName: s.name,
      threadId: 500 + ids.length,
    });
    ids.push(id);
    events.push(...ticketEvents({ id, ...s }));
  }
  // A ticket of the day before yesterday stays out of the digest.
  events.push(...ticketEvents({ id: 999, queue: 'L2', category: 'ideas', opened: new Date('2026-02-28T10:00:00Z'), frDue: new Date('2026-02-28T10:30:00Z') }));
  await insertRows(ch, 'events', events);
  // agent 77 acted at the desk, so the staff table names them; agent 78 is known by id only
  await insertRows(ch, 'staff', [{ id: 77, display_name: 'Anna K.', updated_at: t('09:00').toISOString() }]);
});
afterAll(async () => {
  await sandbox?.close();
  await ch?.close();
  await db?.close();
  tmp.cleanup();
});

describe('digest content', () => {
  it('yesterday is a local calendar day', () => {
    expect(yesterdayIn('UTC', NOW)).toEqual({ date: '2026-03-01', range: { from: t('00:00'), to: new Date('2026-03-02T00:00:00Z') } });
    // 00:30 in Berlin on 2 March is still 1 March in UTC; yesterday there is 28 February.
    const berlin = yesterdayIn('Europe/Berlin', new Date('2026-03-01T23:30:00Z'));
    expect(berlin.date).toBe('2026-03-01');
    expect(berlin.range.from.toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(parseDigestTime('9:05')).toEqual({ hour: 9, minute: 5 });
    expect(() => parseDigestTime('25:00')).toThrow(/HH:MM/);
  });

  it('counts tickets, FRT, CSAT, NPS, SLA per queue, categories and the worst waits', async () => {
    const day = yesterdayIn('UTC', NOW);
    const data = await collectDigest({ run: clickHouseRunner(ch), db, day, now: NOW });
    expect(data.totals.tickets_created).toBe(3);
    expect(data.totals.frt_p50_seconds).toBe(750);
    expect(data.totals.frt_p90_seconds).toBeCloseTo(1110, 6);
    expect(data.totals.csat_avg).toBe(4);
    expect(data.totals.nps).toBe(0);
    expect(data.totals.sla_first_response_met_rate).toBeCloseTo(1 / 3, 6);
    expect(data.queues.map((q) => [q.key, q.tickets_created, q.sla_first_response_met_rate])).toEqual([
      ['L1', 2, 0.5],
      ['VIP', 1, 0],
    ]);
    expect(data.categories.map((c) => [c.key, c.tickets_created])).toEqual([
      ['payment', 2],
      ['account', 1],
    ]);
    expect(data.worstWaits.map((w) => [w.id, w.answered])).toEqual([
      [ids[2], false],
      [ids[1], true],
      [ids[0], true],
    ]);
    const text = renderDigest(data, DEFAULT_SUPPORT_CHAT_ID, alertsText());
    expect(text).toContain('Daily digest</b> · 2026-03-01');
    expect(text).toContain('Tickets: <b>3</b> opened, 1 resolved');
    expect(text).toContain('FRT: P50 <b>12 min</b> · P90 <b>18 min</b>');
    expect(text).toContain('CSAT: <b>4.00</b>/5 (2 ratings) · NPS: <b>0</b> (2)');
    expect(text).toContain('SLA met: first response 33 %');
    expect(text).toContain('• L1: 2 · ');
    expect(text).toContain('payment 2 · account 1');
    expect(text).toContain(`<a href="https://t.me/c/2000000001/502">#${ids[2]}</a> Cy (L1) — 18 h 00 min, still unanswered`);
  });

  it('names the agents: their display name, else their id; tickets · FRT P90 · CSAT each', async () => {
    const data = await collectDigest({ run: clickHouseRunner(ch), db, day: yesterdayIn('UTC', NOW), now: NOW });
    expect(data.agents.map((a) => [a.key, a.label])).toEqual([
      ['77', 'Anna K.'],
      ['78', undefined],
    ]);
    const text = renderDigest(data, DEFAULT_SUPPORT_CHAT_ID, alertsText());
    expect(text).toContain('<b>Per agent</b> (tickets · FRT P90 · CSAT)\n• Anna K.: 1 · 5 min · 5.00\n• agent 78: 1 · 20 min · 3.00');
    expect(text).not.toMatch(/agent 77/);
    // a name is text in Telegram HTML, never markup
    const odd = renderDigest({ ...data, agents: [{ ...data.agents[0]!, label: 'Ann <b>& Co' }] }, DEFAULT_SUPPORT_CHAT_ID, alertsText());
    expect(odd).toContain('• Ann &lt;b&gt;&amp; Co: 1 · ');
    expect(renderDigest(data, DEFAULT_SUPPORT_CHAT_ID, alertsText('ru'))).toContain('• агент 78: 1 · ');
  });
});

describe('digest scheduler', () => {
  const config = { DIGEST_TIME: '09:00', DIGEST_TIMEZONE: 'UTC', ESCALATION_CHAT_ID: DEFAULT_ESCALATION_CHAT_ID, ESCALATION_THREAD_ID: undefined };
  const digests = () => sandbox.messages(DEFAULT_ESCALATION_CHAT_ID).filter((m) => m.text?.startsWith('📊 Daily digest'));
  const scheduler = (now: Date) =>
    createDigestScheduler({
      db,
      api: sandbox.api,
      run: clickHouseRunner(ch),
      supportChatId: DEFAULT_SUPPORT_CHAT_ID,
      config,
      log: logger('digest-test'),
      t: alertsText(),
      now: () => now,
      autoStart: false,
    });

  it('does nothing before DIGEST_TIME', async () => {
    expect(await scheduler(new Date('2026-03-02T08:59:00Z')).tick()).toBeUndefined();
    expect(digests()).toHaveLength(0);
  });

  it('sends once, even from two processes at the same moment and after a restart', async () => {
    const [a, b] = [scheduler(NOW), scheduler(NOW)];
    const sent = await Promise.all([a.tick(), b.tick()]);
    expect(sent.filter(Boolean)).toEqual(['2026-03-01']);
    expect(digests()).toHaveLength(1);
    // "Restart" later the same day: the recorded digest is not sent again.
    expect(await scheduler(new Date('2026-03-02T17:00:00Z')).tick()).toBeUndefined();
    expect(digests()).toHaveLength(1);
    const row = (
      await db.query<{ sent_at: Date | null; message_id: number }>('SELECT sent_at, message_id FROM alert_digests WHERE digest_date = $1', ['2026-03-01'])
    ).rows[0];
    expect(row?.sent_at).not.toBeNull();
    expect(Number(row?.message_id)).toBe(digests()[0]!.message_id);
  });

  it('a failed send is retried on the next tick', async () => {
    const next = new Date('2026-03-03T09:01:00Z');
    sandbox.world.faults.add({ method: 'sendMessage', error_code: 400, count: 1 });
    await expect(scheduler(next).tick()).rejects.toThrow();
    expect(await scheduler(next).tick()).toBe('2026-03-02');
    expect(digests()).toHaveLength(2);
  });
});
