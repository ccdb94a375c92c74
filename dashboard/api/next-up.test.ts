/**
 * The live panel's "next up" (GET /api/v1/live → next_up) over ticket_facts in chDB: the desk's priority
 * order (sla/priority.ts) — urgent (ticket_escalated.urgent, ClickHouse 040) › VIP › the running deadline
 * (overdue first) › CATEGORIES' order — for open tickets only.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { deskEvents, quietTicket, type TicketSpec } from '../../test/analytics/history.js';
import type { SupportEvent } from '../../schemas/events.js';
import { buildDashboardServer } from '../server.js';

const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);
const MIN = 60_000;

const open = (id: number, createdMinAgo: number, frDueMin: number, extra: Partial<TicketSpec> = {}): TicketSpec =>
  quietTicket({ id, customer: 5000 + id, createdAt: NOW - createdMinAgo * MIN, frDueMin, ...extra });

let db: AnalyticsDb;
let app: FastifyInstance;

beforeAll(async () => {
  db = await openAnalyticsDb();
  const specs = [
    open(1, 5, 15, { category: { at: 1, value: 'ideas' } }), // due in 10 min, light category
    open(2, 5, 15, { category: { at: 1, value: 'payment' } }), // due in 10 min, the heaviest category (listed first)
    open(3, 30, 15), // 15 min overdue
    open(4, 2, 5, { queue: 'VIP' }), // VIP, due in 3 min
    open(5, 1, 10, { queue: 'L1' }), // marked urgent below, due in 9 min
    open(6, 40, 15, { lifecycle: [20] }), // resolved: never listed
    open(7, 10, 15, { agent: 42, replies: [2], resDueMin: 60 }), // answered: its resolution deadline (in 50 min) runs
  ];
  const events = deskEvents(specs);
  const opened = events.find((e) => e.type === 'ticket_opened' && e.ticket_id === 5)!;
  const escalated = {
    event_id: '018f0000-0000-7000-8000-000000000005',
    schema_version: 1,
    type: 'ticket_escalated',
    occurred_at: new Date(NOW - 30_000).toISOString(),
    emitted_at: new Date(NOW - 30_000).toISOString(),
    ticket_id: 5,
    ticket_created_at: opened.ticket_created_at,
    ticket_seq: 50,
    customer_id: opened.customer_id,
    agent_id: null,
    queue: 'security',
    category: null,
    language: 'en',
    reason: 'stop_word',
    from_queue: 'L1',
    to_queue: 'security',
    urgent: true,
  } as unknown as SupportEvent;
  await ingest(db.ch, [...events, escalated], 2);
  app = await buildDashboardServer({ ch: db.ch, now: () => new Date(NOW), webRoot: false });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('GET /api/v1/live next_up', () => {
  it('lists open tickets urgent first, then VIP, then by the running deadline, then by category', async () => {
    const body = (await app.inject({ method: 'GET', url: '/api/v1/live' })).json() as {
      next_up: { ticket_id: number; urgent: boolean; sla: string; overdue_seconds: number; queue: string }[];
    };
    expect(body.next_up.map((t) => t.ticket_id)).toEqual([5, 4, 3, 2, 1, 7]);
    expect(body.next_up[0]).toMatchObject({ urgent: true, sla: 'first_response' });
    expect(body.next_up[2]!.overdue_seconds).toBeCloseTo(15 * 60, 0);
    expect(body.next_up.at(-1)).toMatchObject({ sla: 'resolution' });
  });
});
