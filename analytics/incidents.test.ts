/**
 * The incident metrics in chDB against the reference model: an outage flagged, confirmed, three tickets linked
 * (one with the known-issue reply, one unlinked later), resolved; a dismissed flag; a quiet ticket. Inserted
 * twice (at least once, counted once). The timeline lists the incident with its flag and its tickets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupportEvent } from '../schemas/events.js';
import { makeEvent, type EventInput } from '../schemas/validate.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../test/analytics/chdb.js';
import { deskEvents, quietTicket } from '../test/analytics/history.js';
import { referenceIncidents, referenceSummary } from '../test/analytics/reference.js';
import { buildDashboardServer } from '../dashboard/server.js';
import { incidentSummary, incidentTimeline } from './incidents.js';
import { clickHouseRunner, summary } from './query.js';

const MIN = 60_000;
const T0 = Date.parse('2026-04-06T10:00:00Z');
let db: AnalyticsDb;
let events: SupportEvent[];

const at = (min: number) => new Date(T0 + min * MIN).toISOString();
const desk = (e: Record<string, unknown>) => makeEvent(e as unknown as EventInput<'incident_opened'>, new Date(T0)) as SupportEvent;

beforeAll(async () => {
  db = await openAnalyticsDb();
  const tickets = [1, 2, 3, 4].map((id) => quietTicket({ id, customer: 100 + id, createdAt: T0 + id * MIN, category: { at: 1, value: 'payment' } }));
  events = deskEvents(tickets);
  const linked = (ticket: number, min: number, o: { known?: boolean; action?: 'linked' | 'unlinked'; source?: string }) =>
    desk({
      type: 'ticket_linked',
      occurred_at: at(min),
      ticket_id: ticket,
      ticket_created_at: new Date(T0 + ticket * MIN).toISOString(),
      customer_id: 100 + ticket,
      category: 'payment',
      incident_id: 7,
      link_action: o.action ?? 'linked',
      link_source: o.source ?? 'opening',
      known_issue_reply: o.known ?? false,
    });
  events.push(
    desk({
      type: 'incident_suspected',
      occurred_at: at(3),
      category: 'payment',
      spike_id: 11,
      key_kind: 'category',
      kb_article_id: null,
      incident_tickets: 5,
      incident_customers: 5,
      incident_baseline: 0.5,
      detect_seconds: 120,
    }),
    desk({
      type: 'incident_suspected',
      occurred_at: at(4),
      category: 'account',
      spike_id: 12,
      key_kind: 'category',
      kb_article_id: null,
      incident_tickets: 6,
      incident_customers: 4,
      incident_baseline: 1,
      detect_seconds: 300,
    }),
    desk({
      type: 'incident_opened',
      occurred_at: at(8),
      agent_id: 900,
      category: 'payment',
      incident_id: 7,
      spike_id: 11,
      ack_seconds: 300,
      incident_tickets: 2,
    }),
    linked(1, 8, {}),
    linked(2, 8, {}),
    linked(3, 9, { known: true, source: 'new_ticket' }),
    linked(2, 20, { action: 'unlinked', source: 'manual' }),
    desk({ type: 'incident_updated', occurred_at: at(25), agent_id: 900, incident_id: 7, update_kind: 'eta', eta_at: at(90) }),
    desk({
      type: 'incident_resolved',
      occurred_at: at(60),
      agent_id: 900,
      category: 'payment',
      incident_id: 7,
      incident_seconds: 52 * 60,
      incident_tickets: 2,
    }),
  );
  await ingest(db.ch, events);
  await ingest(db.ch, events, 3); // again: counted once
}, 60_000);
afterAll(async () => db?.close());

describe('incident metrics', () => {
  const range = { from: new Date(T0 - 60 * MIN), to: new Date(T0 + 24 * 60 * MIN) };

  it('flags, openings, time to detect and acknowledge, tickets per incident: as the reference model', async () => {
    const got = await incidentSummary(clickHouseRunner(db.ch), range);
    const want = referenceIncidents(events, { from: range.from.getTime(), to: range.to.getTime() });
    expect(got).toEqual(want);
    expect(got).toEqual({
      incidents_suspected: 2,
      incidents_opened: 1,
      time_to_detect_p50_seconds: 210,
      time_to_acknowledge_p50_seconds: 300,
      tickets_per_incident: 3,
    });
  });

  it("tickets linked and known-issue replies in the tickets' cohort: as the reference model", async () => {
    const now = new Date(T0 + 24 * 60 * MIN);
    const got = await summary(clickHouseRunner(db.ch), range, {}, now);
    const want = referenceSummary(events, { from: range.from.getTime(), to: range.to.getTime(), now: now.getTime() });
    expect(got.incident_linked_share).toBe(want.incident_linked_share);
    expect(got.known_issue_replies).toBe(want.known_issue_replies);
    expect(got).toMatchObject({ incident_linked_share: 3 / 4, known_issue_replies: 1 });
    const payment = await summary(clickHouseRunner(db.ch), range, { category: 'payment' }, now);
    expect(payment.incident_linked_share).toBe(3 / 4);
  });

  it('the timeline: the incident from its flag to its resolution, with its tickets', async () => {
    expect(await incidentTimeline(clickHouseRunner(db.ch), range)).toEqual([
      { incident_id: 7, category: 'payment', suspected_at: at(3), opened_at: at(8), resolved_at: at(60), tickets: 3 },
    ]);
    // A range after it: nothing to draw.
    expect(await incidentTimeline(clickHouseRunner(db.ch), { from: new Date(T0 + 120 * MIN), to: range.to })).toEqual([]);
  });
});

describe('GET /api/v1/incidents', () => {
  it('gives the metrics and the timeline, and the timeline as CSV', async () => {
    const app = await buildDashboardServer({ ch: db.ch, now: () => new Date(T0 + 24 * 60 * MIN), webRoot: false });
    try {
      const qs = `from=${new Date(T0 - 60 * MIN).toISOString()}&to=${new Date(T0 + 24 * 60 * MIN).toISOString()}`;
      const res = await app.inject({ url: `/api/v1/incidents?${qs}` });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { metrics: Record<string, number | null>; timeline: { incident_id: number; opened_at: string }[] };
      expect(body.metrics).toMatchObject({ incidents_opened: 1, tickets_per_incident: 3 });
      expect(body.timeline).toEqual([expect.objectContaining({ incident_id: 7, opened_at: at(8), resolved_at: at(60), suspected_at: at(3) })]);
      const csv = await app.inject({ url: `/api/v1/incidents?${qs}&format=csv` });
      expect(csv.body.trim().split('\n')[0]).toBe('incident_id,category,suspected_at,opened_at,resolved_at,tickets');
      expect((await app.inject({ url: '/api/v1/incidents?from=nope&to=2026-01-01' })).statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });
});
