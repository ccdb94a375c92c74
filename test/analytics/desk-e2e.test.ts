/**
 * End to end: customers and agents talk through the Telegram sandbox to the
 * real desk (with its features: CSAT/NPS after a resolve), with past message
 * dates; the events the desk publishes are stored in chDB (the events table
 * and its MVs) and /api/v1/summary reports what happened.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, openTicket, startFeatureHarness, type FeatureHarness } from '../bot/feature-harness.js';
import { buildDashboardServer } from '../../dashboard/server.js';
import type { Metrics } from '../../analytics/registry.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from './chdb.js';
import { referenceSummary, sameMetrics } from './reference.js';
import type { SupportEvent } from '../../schemas/events.js';

let h: FeatureHarness;
let db: AnalyticsDb;
let app: FastifyInstance;
let events: SupportEvent[];

const HOUR = 3600;
/** The story starts two days ago, on the hour (Telegram dates are whole seconds). */
const T0 = Math.floor(Date.now() / 1000 / HOUR) * HOUR - 48 * HOUR;

async function at(unix: number): Promise<void> {
  await h.client.setClock({ unix });
}

async function agentSays(thread: number, customer: number, text: string, date: number): Promise<void> {
  await at(date);
  await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text, date });
  await h.client.waitForCustomerMessage(customer, text);
}

async function resolve(thread: number, date: number): Promise<void> {
  await at(date);
  await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve', date });
}

beforeAll(async () => {
  h = await startFeatureHarness();
  db = await openAnalyticsDb();

  // Ann: answered in 10 minutes, resolved after 30, rates 5 and NPS 10
  await at(T0);
  const ann = 4101;
  const a = await openTicket(h, ann, { name: 'Ann' });
  await agentSays(a.thread, ann, 'Hi Ann, here is how to fix it', T0 + 600);
  await resolve(a.thread, T0 + 1800);
  await h.client.waitForCustomerMessage(ann, /How would you rate our help/);
  await at(T0 + 1900);
  await h.client.pressCustomerButton(ann, '5');
  await h.client.waitForCustomerMessage(ann, /recommend us/);
  const npsPress = await h.client.pressCustomerButton(ann, '10');
  await h.client.waitForCallbackAnswer(ann, npsPress.message_id); // answered before the clock moves on

  // Bob: two replies (first after 40 minutes), resolved after 2 hours, rates 2
  await at(T0 + HOUR);
  const bob = 4102;
  const b = await openTicket(h, bob, { name: 'Bob' });
  await agentSays(b.thread, bob, 'Hi Bob, checking with the payments team', T0 + HOUR + 2400);
  await agentSays(b.thread, bob, 'Bob, it is refunded now', T0 + HOUR + 3000);
  await resolve(b.thread, T0 + 3 * HOUR);
  await h.client.waitForCustomerMessage(bob, /How would you rate our help/);
  await at(T0 + 3 * HOUR + 100);
  await h.client.pressCustomerButton(bob, '2');
  await h.client.waitForCustomerMessage(bob, /sorry it wasn't better/);

  // Cyd: never answered
  await at(T0 + 4 * HOUR);
  await openTicket(h, 4103, { name: 'Cyd' });

  // Ann again, 5 hours after her first ticket was resolved: a repeat contact, not answered yet
  await at(T0 + 5 * HOUR);
  await openTicket(h, ann, { name: 'Ann', text: 'the problem is back' });

  await h.client.setClock({ unix: Math.floor(Date.now() / 1000) });
  events = await h.settle();
  await ingest(db.ch, events, 2);
  app = await buildDashboardServer({ ch: db.ch, webRoot: false });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
  await h?.close();
});

describe('desk → events → ClickHouse → /api/v1/summary', () => {
  it('reports the tickets, response times, ratings and SLA of the conversation', async () => {
    const from = new Date((T0 - HOUR) * 1000).toISOString();
    const to = new Date().toISOString();
    const res = await app.inject({ url: `/api/v1/summary?from=${from}&to=${to}` });
    expect(res.statusCode).toBe(200);
    const s = res.json() as Metrics;

    expect(s.tickets_created).toBe(4);
    expect(s.tickets_resolved).toBe(2);
    // first human replies after 600 s and 2 400 s: exact median and P90 (linear interpolation)
    expect(s.frt_p50_seconds).toBe(1500);
    expect(s.frt_p90_seconds).toBeCloseTo(600 + 0.9 * 1800, 6);
    expect(s.resolution_p50_seconds).toBe((1800 + 7200) / 2);
    expect(s.fcr_rate).toBe(0.5); // Ann: one reply; Bob: two
    expect(s.auto_resolution_rate).toBe(0);
    expect(s.csat_avg).toBe(3.5);
    expect(s.csat_pct).toBe(0.5);
    expect(s.csat_responses).toBe(2);
    expect(s.csat_response_rate).toBe(1);
    expect(s.nps).toBe(100);
    expect(s.nps_responses).toBe(1);
    // L1 targets 15 m / 4 h: Ann met both; Bob missed the first response; Cyd and Ann's second ticket are unanswered past both deadlines
    expect(s.sla_first_response_met_rate).toBe(1 / 4);
    expect(s.sla_resolution_met_rate).toBe(2 / 4);
    expect(s.repeat_contact_rate).toBe(1 / 4); // the desk flagged Ann's return

    // and the same as the plain reference over the published events
    expect(sameMetrics(s, referenceSummary(events, { from: Date.parse(from), to: Date.parse(to), now: Date.now() }))).toEqual([]);
  });

  it('the agent breakdown and the live panel see the same desk', async () => {
    const from = new Date((T0 - HOUR) * 1000).toISOString();
    const rows = (await app.inject({ url: `/api/v1/breakdown?by=agent&from=${from}&to=${new Date().toISOString()}` })).json() as ({ key: string } & Metrics)[];
    expect(rows.find((r) => r.key === String(AGENT))?.tickets_created).toBe(2);
    const live = (await app.inject({ url: '/api/v1/live' })).json() as { open_tickets: number; breached: number; oldest_waiting: { ticket_id: number } | null };
    expect(live.open_tickets).toBe(2);
    expect(live.breached).toBe(2);
    expect(live.oldest_waiting).not.toBeNull();
  });
});
