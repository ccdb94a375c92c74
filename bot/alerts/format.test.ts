import { describe, expect, it } from 'vitest';
import type { BreachingTicket } from '../../sla/exporter/snapshot.js';
import type { AmAlert } from './alertmanager-schema.js';
import { escapeHtml, formatElapsed, topicLink } from '../telegram/present.js';
import { renderFiring, renderNewlyBreached, renderResolved, renderResolvedFollowup, renderSlaOverview } from './format.js';
import { alertsText } from './text.js';
import { ALERT_CATALOG } from './catalog.js';

const en = alertsText('en');
const ru = alertsText('ru');

const now = new Date('2026-03-02T12:00:00Z');
const ctx = { supportChatId: -1002000000001, now, t: en };
const ticket = (id: number, o: Partial<BreachingTicket> = {}): BreachingTicket => ({
  id,
  customer_id: 1000 + id,
  status: 'waiting_agent',
  queue: 'VIP',
  agent_id: null,
  thread_id: 40 + id,
  customer_name: `Name ${id}`,
  created_at: new Date(now.getTime() - 10 * 60_000),
  first_response_due_at: new Date(now.getTime() - 5 * 60_000),
  resolution_due_at: new Date(now.getTime() + 3600_000),
  matching: 1,
  ...o,
});
const alert = (alertname: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): AmAlert => ({
  status: 'firing',
  labels: { alertname, ...labels },
  annotations,
  startsAt: '2026-03-02T11:55:00Z',
});

describe('formatting helpers', () => {
  it('links to a topic of a supergroup by its internal id', () => {
    expect(topicLink(-1002000000001, 77)).toBe('https://t.me/c/2000000001/77');
    expect(topicLink(-1001234567890, 5)).toBe('https://t.me/c/1234567890/5');
  });
  it('escapes HTML and writes durations for humans', () => {
    expect(escapeHtml('<b>&"')).toBe('&lt;b&gt;&amp;&quot;');
    expect([formatElapsed(42, en), formatElapsed(180, en), formatElapsed(3900, en), formatElapsed(3 * 86400 + 7200, en)]).toEqual([
      '42 s',
      '3 min',
      '1 h 05 min',
      '3 d 2 h',
    ]);
  });
});

describe('renderFiring', () => {
  it('a breach lists tickets most overdue first, with Take buttons for unassigned ones and Mute', () => {
    const m = renderFiring(
      alert('FirstResponseSlaBreached', { queue: 'VIP', severity: 'critical' }),
      [ticket(1), ticket(2, { agent_id: 9, customer_name: '<script>' })],
      ctx,
    );
    expect(m.text.split('\n')).toEqual([
      '🔴 <b>First-response SLA breached</b> · queue <b>VIP</b>',
      '2 tickets wait past their first-response deadline.',
      '',
      '• <a href="https://t.me/c/2000000001/41">#1</a> Name 1 — overdue since 11:55',
      '• <a href="https://t.me/c/2000000001/42">#2</a> &lt;script&gt; — overdue since 11:55 · assigned',
      '',
      '<i>Firing since 11:55 UTC · critical</i>',
    ]);
    expect(m.keyboard?.inline_keyboard.map((r) => r.map((b) => b.text))).toEqual([['Take #1'], ['🔕 Mute VIP 1 h']]);
    expect(m.keyboard?.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''))).toEqual(['alerts:take:1', 'alerts:mute:VIP']);
  });

  it('names the assigned agent when the desk has recorded their display name (as text), else says "assigned"', () => {
    const tickets = [ticket(1, { agent_id: 504, agent_name: 'Anna <b>K.' }), ticket(2, { agent_id: 9, agent_name: null })];
    const lines = renderFiring(alert('FirstResponseSlaBreached', { queue: 'VIP' }), tickets, ctx).text.split('\n');
    expect(lines).toContain('• <a href="https://t.me/c/2000000001/41">#1</a> Name 1 — overdue since 11:55 · assigned to Anna &lt;b&gt;K.');
    expect(lines).toContain('• <a href="https://t.me/c/2000000001/42">#2</a> Name 2 — overdue since 11:55 · assigned');
  });

  it("the header counts the tickets it lists, not Prometheus' summary from its last evaluation", () => {
    // The rule's summary was rendered when Prometheus saw one ticket; the store now holds two.
    const stale = alert('FirstResponseSlaBreached', { queue: 'VIP' }, { summary: '1 ticket(s) in VIP waiting past the first-response deadline' });
    const text = renderFiring(stale, [ticket(1), ticket(2)], ctx).text;
    expect(text).not.toContain('ticket(s)');
    expect(text).toContain('2 tickets wait past their first-response deadline.');
    expect(text.match(/^• /gm)).toHaveLength(2);
    expect(renderFiring(stale, [ticket(1)], ctx).text).toContain('1 ticket waits past its first-response deadline.');
    expect(renderFiring(alert('ResolutionSlaBreached', { queue: 'L1' }), [ticket(1)], ctx).text).toContain('1 open ticket is past its resolution deadline.');
    expect(renderFiring(alert('FirstResponseSlaImminent', { queue: 'L1' }), [ticket(1), ticket(2), ticket(3)], ctx).text).toContain(
      '3 tickets are about to miss their first-response deadline.',
    );
  });

  it('a list cut at its limit says how many more tickets match', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ticket(i + 1));
    const m = renderFiring(alert('FirstResponseSlaBreached', { queue: 'VIP' }), ten, ctx, { total: 12 });
    expect(m.text).toContain('12 tickets wait past their first-response deadline.');
    expect(m.text.match(/^• /gm)).toHaveLength(10);
    expect(m.text).toContain('…and 2 more tickets');
    expect(renderFiring(alert('FirstResponseSlaBreached', { queue: 'VIP' }), ten, { ...ctx, t: ru }, { total: 11 }).text).toContain('…и ещё 1 тикет');
  });

  it('times are absolute, so a message reads the same however long it stays in the chat', () => {
    const tickets = [ticket(1), ticket(2, { first_response_due_at: new Date(now.getTime() - 6_000) })];
    const at = (ms: number) => renderFiring(alert('FirstResponseSlaBreached', { queue: 'VIP' }), tickets, { ...ctx, now: new Date(now.getTime() + ms) }).text;
    expect(at(0)).toContain('#2</a> Name 2 — overdue since 11:59');
    expect(at(3 * 3600_000)).toBe(at(0));
    expect(at(0)).not.toMatch(/\d+ (s|min)\b/);
  });

  it("times are shown in the queue's zone; another day's carry the date", () => {
    const tickets = [ticket(1), ticket(2, { first_response_due_at: new Date('2026-03-01T22:10:00Z') })];
    const text = renderFiring(alert('FirstResponseSlaBreached', { queue: 'L1' }), tickets, { ...ctx, zone: 'Europe/Berlin' }).text;
    expect(text).toContain('#1</a> Name 1 — overdue since 12:55');
    expect(text).toContain('#2</a> Name 2 — overdue since 2026-03-01 23:10');
    expect(text).toContain('<i>Firing since 12:55 GMT+1</i>');
  });

  it('the Mute button names the configured mute duration', () => {
    const label = (muteSeconds: number) =>
      renderFiring(alert('FirstResponseSlaBreached', { queue: 'L2' }), [], { ...ctx, muteSeconds })
        .keyboard?.inline_keyboard.flat()
        .map((b) => b.text);
    expect(label(2 * 3600)).toEqual(['🔕 Mute L2 2 h']);
    expect(label(30 * 60)).toEqual(['🔕 Mute L2 30 min']);
  });

  it('imminent breaches say when they are due; slow first responses since when they wait', () => {
    const m = renderFiring(
      alert('FirstResponseSlaImminent', { queue: 'L1' }),
      [ticket(3, { first_response_due_at: new Date(now.getTime() + 120_000), queue: 'L1' })],
      ctx,
    );
    expect(m.text).toContain('#3</a> Name 3 — due 12:02');
    const p90 = renderFiring(alert('FirstResponseP90AboveTarget', { queue: 'L1' }, { summary: 'FRT P90 in L1 is 12m' }), [ticket(4)], ctx);
    expect(p90.text).toContain('FRT P90 in L1 is 12m');
    expect(p90.text).toContain('#4</a> Name 4 — waiting since 11:50');
  });

  it('an alert without tickets or queue has no buttons; an unknown one shows its labels', () => {
    expect(renderFiring(alert('OutboxStuck', { severity: 'critical' }, { summary: 'stuck' }), [], ctx).keyboard).toBeUndefined();
    const m = renderFiring(alert('Weird<Thing>', { severity: 'page', team: 'x' }, { summary: 's', description: 'd' }), [], ctx);
    expect(m.text).toContain('⚠️ <b>Weird&lt;Thing&gt;</b> [page]');
    expect(m.text).toContain('team=x');
  });

  it('a re-fire says so', () => {
    expect(renderFiring(alert('FirstResponseSlaBreached', { queue: 'VIP' }), [ticket(1)], ctx, { refired: 3 }).text).toContain('fired again (3×)');
  });
});

describe('resolution and /sla', () => {
  it('resolved message and follow-up', () => {
    const a = alert('FirstResponseSlaBreached', { queue: 'VIP' });
    expect(renderResolved(a, [1, 2], new Date('2026-03-02T11:55:00Z'), now, en).text).toBe(
      '✅ <b>Resolved</b> · First-response SLA breached · queue <b>VIP</b>\nTickets: #1, #2\n<i>11:55 UTC → 12:00 UTC (5 min)</i>',
    );
    expect(renderResolvedFollowup(a, new Date('2026-03-02T11:55:00Z'), now, en)).toBe('✅ Resolved: First-response SLA breached in VIP after 5 min.');
  });

  it('/sla marks breached, imminent and quiet queues and mutes', () => {
    const q = (queue: string, o: Partial<Parameters<typeof renderSlaOverview>[0][number]>) => ({
      queue,
      open: { new: 0, waiting_agent: 1, in_progress: 0, waiting_customer: 0 },
      firstResponseOverdue: 0,
      firstResponseDueSoon: 0,
      oldestWaitingSeconds: 0,
      resolutionOverdue: 0,
      frtP50Seconds: null,
      frtP90Seconds: null,
      firstResponsesLastHour: 0,
      ...o,
    });
    const text = renderSlaOverview(
      [
        q('L1', { frtP50Seconds: 60, frtP90Seconds: 600, firstResponsesLastHour: 4 }),
        q('VIP', { firstResponseOverdue: 1, oldestWaitingSeconds: 700 }),
        q('L2', { firstResponseDueSoon: 2 }),
      ],
      new Map([['L1', new Date('2026-03-02T13:00:00Z')]]),
      [{ alertname: 'OutboxStuck', queue: null }],
      now,
      en,
    );
    expect(text).toContain('🟢 <b>L1</b>: 1 open');
    expect(text).toContain('FRT P50 1 min / P90 10 min (4 in 1 h) · 🔕 muted until 13:00 UTC');
    expect(text).toContain('🔴 <b>VIP</b>: 1 open, oldest waiting 11 min');
    expect(text).toContain('🟠 <b>L2</b>');
    expect(text).toContain('Firing: OutboxStuck');
  });
});

describe("in the agents' language (AGENT_LANGUAGE=ru)", () => {
  const ruCtx = { ...ctx, t: ru };

  it('a breach, its buttons and its resolution read in Russian', () => {
    const m = renderFiring(alert('FirstResponseSlaBreached', { queue: 'VIP', severity: 'critical' }), [ticket(1)], ruCtx);
    expect(m.text.split('\n')[0]).toBe('🔴 <b>Нарушен SLA первого ответа</b> · очередь <b>VIP</b>');
    expect(m.text).toContain('1 тикет ждёт дольше срока первого ответа.');
    expect(m.text).toContain('просрочено с 11:55');
    expect(m.text).toContain('<i>Активно с 11:55 UTC · critical</i>');
    expect(m.keyboard?.inline_keyboard.map((r) => r.map((b) => b.text))).toEqual([['Взять #1'], ['🔕 Заглушить VIP на 1 ч']]);
    const a = alert('FirstResponseSlaBreached', { queue: 'VIP' });
    expect(renderResolvedFollowup(a, new Date('2026-03-02T11:55:00Z'), now, ru)).toBe('✅ Решено: Нарушен SLA первого ответа в VIP за 5 мин.');
    expect(formatElapsed(3900, ru)).toBe('1 ч 05 мин');
  });

  it('counts the tickets of a breach with Russian plural forms', () => {
    const head = (n: number) =>
      renderFiring(
        alert('FirstResponseSlaBreached', { queue: 'L1' }),
        Array.from({ length: n }, (_, i) => ticket(i + 1)),
        ruCtx,
      ).text.split('\n')[1];
    expect(head(1)).toBe('1 тикет ждёт дольше срока первого ответа.');
    expect(head(3)).toBe('3 тикета ждут дольше срока первого ответа.');
    expect(head(5)).toBe('5 тикетов ждут дольше срока первого ответа.');
  });

  it('counts newly breached tickets with Russian plural forms', () => {
    const more = (n: number) =>
      renderNewlyBreached(
        alert('FirstResponseSlaBreached', { queue: 'L1' }),
        Array.from({ length: n }, (_, i) => ticket(i + 1)),
        ruCtx,
      ).text.split('\n')[0];
    expect(more(1)).toContain('ещё 1 тикет');
    expect(more(3)).toContain('ещё 3 тикета');
    expect(more(5)).toContain('ещё 5 тикетов');
    expect(renderNewlyBreached(alert('FirstResponseSlaBreached', { queue: 'L1' }), [ticket(1)], ctx).text).toContain('one more ticket');
    expect(renderNewlyBreached(alert('FirstResponseSlaBreached', { queue: 'L1' }), [ticket(1)], ctx).text).toContain('#1</a> Name 1 — overdue since 11:55');
  });

  it('every alert of the catalog has a title in every language', () => {
    for (const t of [en, ru]) for (const name of Object.keys(ALERT_CATALOG)) expect(t(`alert-${name}`), name).not.toBe(`alert-${name}`);
  });
});
