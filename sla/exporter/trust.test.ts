/**
 * The spam/phishing share (issue 17, item 7) in chDB: analytics/trust.ts against the reference model, every
 * event delivered twice (counted once), and the exporter's gauges over the last 24 h — the numbers the rule
 * SpamPhishingShareHigh (prometheus/rules/trust.yml) reads.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickHouseRunner } from '../../analytics/query.js';
import { trustSummary } from '../../analytics/trust.js';
import type { SupportEvent } from '../../schemas/events.js';
import { makeEvent, type EventInput } from '../../schemas/validate.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { referenceTrust } from '../../test/analytics/reference.js';
import { trustGauges } from './trust.js';

const MIN = 60_000;
const NOW = Date.parse('2026-04-07T12:00:00Z');
let db: AnalyticsDb;
const events: SupportEvent[] = [];

const ev = (e: Record<string, unknown>, minutesAgo: number) =>
  makeEvent({ ...e, occurred_at: new Date(NOW - minutesAgo * MIN).toISOString() } as unknown as EventInput<'message_in'>, new Date(NOW)) as SupportEvent;

beforeAll(async () => {
  db = await openAnalyticsDb();
  // Last 24 h: 400 messages in, 1 dropped as spam, 1 card masked, 1 fake account reported, 2 captchas failed → 5 / 401.
  for (let i = 0; i < 400; i++) events.push(ev({ type: 'message_in', ticket_id: 1 + (i % 40), customer_id: 7, message_kind: 'text', text_length: 12 }, 1 + i));
  events.push(
    ev({ type: 'spam_blocked', customer_id: 7, reason: 'duplicate' }, 30),
    ev({ type: 'secret_masked', ticket_id: 3, reason: 'card' }, 40),
    ev({ type: 'fake_reported', customer_id: 8, reason: 'username' }, 50),
    ev({ type: 'captcha_failed', customer_id: 10, join_kind: 'join_request', reason: 'timeout' }, 55),
    ev({ type: 'captcha_failed', customer_id: 11, join_kind: 'member', reason: 'wrong_answer' }, 56),
    // Passed captchas and flagged clones are neither inbound nor caught.
    ev({ type: 'captcha_passed', customer_id: 12, join_kind: 'member', captcha_seconds: 7.5 }, 57),
    ev({ type: 'staff_clone_flagged', customer_id: 13, join_kind: 'join_request', reason: 'username' }, 58),
    // Two days ago, outside the gauges' window: a burst of spam.
    ...Array.from({ length: 20 }, (_, i) => ev({ type: 'spam_blocked', customer_id: 9, reason: 'rate_limit' }, 48 * 60 + i)),
    ev({ type: 'message_in', ticket_id: 99, customer_id: 9, message_kind: 'photo', text_length: 0 }, 48 * 60),
    // Not inbound, not caught.
    ev({ type: 'secret_request_held', ticket_id: 3, agent_id: 900, reason: 'cvv' }, 45),
  );
  await ingest(db.ch, events);
  await ingest(db.ch, events, 4); // again: counted once
}, 60_000);
afterAll(async () => db?.close());

describe('spam/phishing share', () => {
  it('caught ÷ inbound, by the events’ own time, each event once: as the reference model', async () => {
    const run = clickHouseRunner(db.ch);
    for (const hours of [24, 72]) {
      const range = { from: new Date(NOW - hours * 3600_000), to: new Date(NOW) };
      expect(await trustSummary(run, range)).toEqual(referenceTrust(events, { from: range.from.getTime(), to: range.to.getTime() }));
    }
    expect(await trustSummary(run, { from: new Date(NOW - 24 * 3600_000), to: new Date(NOW) })).toEqual({
      spam_phishing_share: 5 / 401,
      inbound_messages: 401,
      spam_blocked: 1,
      secrets_masked: 1,
      fake_accounts_reported: 1,
      captchas_failed: 2,
    });
    expect(await trustSummary(run, { from: new Date(NOW - 72 * 3600_000), to: new Date(NOW) })).toMatchObject({ inbound_messages: 422, spam_blocked: 21 });
    // No messages: no share (null), counts 0.
    expect(await trustSummary(run, { from: new Date(NOW + MIN), to: new Date(NOW + 2 * MIN) })).toMatchObject({
      spam_phishing_share: null,
      inbound_messages: 0,
    });
  });

  it('on /metrics: the 24 h share, its sample and the 0.5 % target', async () => {
    const registry = new Registry();
    let failures = 0;
    for (const m of trustGauges({ ch: db.ch, refreshSeconds: 60, now: () => new Date(NOW), onError: () => failures++, onSuccess: () => {} }))
      registry.registerMetric(m);
    const text = await registry.metrics();
    expect(text).toContain(`support_spam_phishing_share ${5 / 401}`);
    expect(text).toContain('support_inbound_messages_24h 401');
    expect(text).toContain('support_spam_phishing_share_target 0.005');
    expect(failures).toBe(0);
  });
});
