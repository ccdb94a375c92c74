/**
 * The Mini App's metrics (issue 14, item 9) in ClickHouse against the plain
 * TypeScript reference: the channel split over tickets (the registry) and the
 * self-service metrics over what customers did in the app that is no ticket
 * (app_facts) — app opens, articles read, "Did this help?" (the latest answer
 * per customer and article), deflections and the deflection rate. The same
 * numbers when every event arrives twice, shuffled, across inserts, and after
 * merges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboardServer } from '../../dashboard/server.js';
import { clickHouseRunner, summary } from '../../analytics/query.js';
import { selfServiceSummary, SELFSERVICE } from '../../analytics/selfservice.js';
import type { SupportEvent } from '../../schemas/events.js';
import { assertEvent } from '../../schemas/validate.js';
import { ingest, openAnalyticsDb, resetAnalytics, shuffled, type AnalyticsDb } from './chdb.js';
import { deskEvents, nextEventId, prng, quietTicket } from './history.js';
import { referenceSelfService, referenceSummary } from './reference.js';

let db: AnalyticsDb;
beforeAll(async () => {
  db = await openAnalyticsDb();
});
afterAll(async () => db?.close());

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A Mini App event of a customer, with no ticket (as bot/miniapp/api writes them). */
function appEvent(customer: number, at: number, body: Record<string, unknown>): SupportEvent {
  return assertEvent({
    event_id: nextEventId(),
    schema_version: 1,
    occurred_at: iso(at),
    emitted_at: iso(at),
    ticket_id: null,
    ticket_created_at: null,
    customer_id: customer,
    agent_id: null,
    queue: null,
    category: null,
    language: 'en',
    ...body,
  });
}

/** Day 0 and day 1 of a desk with the app: four tickets (two from the app) and the app's own events. */
function history(): SupportEvent[] {
  const tickets = deskEvents([
    quietTicket({ id: 1, customer: 11, createdAt: T0 + 1000, channel: 'app' }),
    quietTicket({ id: 2, customer: 12, createdAt: T0 + 2000, channel: 'chat' }),
    quietTicket({ id: 3, customer: 13, createdAt: T0 + 3000 }),
    quietTicket({ id: 4, customer: 14, createdAt: T0 + DAY + 4000, channel: 'app' }),
  ]);
  const at = (min: number) => T0 + min * 60_000;
  const app = [
    appEvent(11, at(1), { type: 'app_opened', entry: 'menu' }),
    appEvent(15, at(2), { type: 'app_opened', entry: 'article' }),
    appEvent(16, at(3), { type: 'app_opened', entry: 'ticket' }),
    appEvent(15, at(4), { type: 'kb_article_viewed', kb_article_id: 'refunds', channel: 'app' }),
    appEvent(16, at(5), { type: 'kb_article_viewed', kb_article_id: 'refunds', channel: 'app' }),
    // customer 15 changes their mind: only the later "yes" counts; 16 says no; 17 says yes about another article
    appEvent(15, at(6), { type: 'kb_article_helpful', kb_article_id: 'refunds', helpful: false, channel: 'app' }),
    appEvent(15, at(7), { type: 'kb_article_helpful', kb_article_id: 'refunds', helpful: true, channel: 'app' }),
    appEvent(16, at(8), { type: 'kb_article_helpful', kb_article_id: 'refunds', helpful: false, channel: 'app' }),
    appEvent(17, at(9), { type: 'kb_article_helpful', kb_article_id: 'limits', helpful: true, channel: 'app' }),
    // three requests solved by an article before they were sent
    appEvent(15, at(10), { type: 'kb_outcome', kb_article_id: 'refunds', outcome: 'solved', channel: 'app' }),
    appEvent(16, at(11), { type: 'kb_outcome', kb_article_id: 'limits', outcome: 'solved', channel: 'app' }),
    appEvent(17, at(12) + DAY, { type: 'kb_outcome', kb_article_id: 'refunds', outcome: 'solved', channel: 'app' }),
  ];
  return [...tickets, ...app];
}

const DAY0 = { from: T0, to: T0 + DAY };
const BOTH = { from: T0, to: T0 + 2 * DAY };

async function measure(range: { from: number; to: number }) {
  const run = clickHouseRunner(db.ch);
  const r = { from: new Date(range.from), to: new Date(range.to) };
  const tickets = await summary(run, r, {}, new Date(range.to));
  return { self: await selfServiceSummary(run, r), split: { app_tickets: tickets.app_tickets, app_ticket_share: tickets.app_ticket_share } };
}

describe('self-service metrics', () => {
  it('count the channel split, app opens, articles read, helpful answers and deflections, as the reference does', async () => {
    const events = history();
    await resetAnalytics(db.ch);
    await ingest(db.ch, events);

    const day0 = await measure(DAY0);
    expect(day0.split).toEqual({ app_tickets: 1, app_ticket_share: 1 / 3 });
    expect(day0.self).toEqual({ app_opens: 3, kb_article_views: 2, kb_helpful_rate: 2 / 3, kb_deflections: 2, deflection_rate: 2 / 3 });
    const both = await measure(BOTH);
    expect(both.split).toEqual({ app_tickets: 2, app_ticket_share: 2 / 4 });
    // 3 solved by an article, 2 requests sent from the app
    expect(both.self).toMatchObject({ kb_deflections: 3, deflection_rate: 3 / 5 });

    for (const range of [DAY0, BOTH]) {
      const got = await measure(range);
      expect(got.self).toEqual(referenceSelfService(events, range));
      const ref = referenceSummary(events, { ...range, now: range.to });
      expect(got.split).toEqual({ app_tickets: ref.app_tickets, app_ticket_share: ref.app_ticket_share });
    }
  });

  it('are the same when every event arrives twice, shuffled, across inserts, and after merges', async () => {
    const events = history();
    await resetAnalytics(db.ch);
    await ingest(db.ch, events);
    const once = await measure(BOTH);

    await resetAnalytics(db.ch);
    await ingest(db.ch, shuffled([...events, ...events], prng(7)), 4);
    expect(await measure(BOTH)).toEqual(once);
    for (const t of ['events', 'ticket_facts', 'app_facts']) await db.ch.client.command({ query: `OPTIMIZE TABLE ${t} FINAL` });
    expect(await measure(BOTH)).toEqual(once);
  });

  it('are served by the analytics API at /api/v1/selfservice (JSON and CSV), the channel split in /summary, both in the OpenAPI document', async () => {
    const events = history();
    await resetAnalytics(db.ch);
    await ingest(db.ch, events);
    const app = await buildDashboardServer({ ch: db.ch, now: () => new Date(T0 + 3 * DAY), webRoot: false });
    try {
      const range = `from=${iso(T0)}&to=${iso(T0 + 2 * DAY)}`;
      const self = await app.inject({ method: 'GET', url: `/api/v1/selfservice?${range}` });
      expect(self.statusCode).toBe(200);
      expect(self.json()).toEqual(referenceSelfService(events, BOTH));
      const csv = await app.inject({ method: 'GET', url: `/api/v1/selfservice?${range}&format=csv` });
      expect(csv.body.split('\n')[0]).toBe(SELFSERVICE.keys.join(','));
      const summaryRes = await app.inject({ method: 'GET', url: `/api/v1/summary?${range}` });
      expect(summaryRes.json()).toMatchObject({ app_tickets: 2, app_ticket_share: 0.5 });
      expect((await app.inject({ method: 'GET', url: `/api/v1/selfservice?from=${iso(T0)}` })).statusCode).toBe(400);
      const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toContain('/api/v1/selfservice');
    } finally {
      await app.close();
    }
  });

  it('is an empty period: counts 0, rates no data', async () => {
    await resetAnalytics(db.ch);
    const got = await selfServiceSummary(clickHouseRunner(db.ch), { from: new Date(T0), to: new Date(T0 + DAY) });
    expect(got).toEqual({ app_opens: 0, kb_article_views: 0, kb_helpful_rate: null, kb_deflections: 0, deflection_rate: null });
    expect(SELFSERVICE.keys).toEqual(['app_opens', 'kb_article_views', 'kb_helpful_rate', 'kb_deflections', 'deflection_rate']);
  });
});
