import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import type { Db } from '../../core/postgres.js';
import { metricsPlugin } from '../../core/metrics-plugin.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { registerSlaCollectors } from './collectors.js';
import { findBreachingTickets, OPEN_TICKETS_SQL, readSlaSnapshot } from './snapshot.js';
import { openTestStore, seedTicket } from './test-support.js';
import { insertRows } from '../../core/clickhouse.js';
import { openTestClickHouse } from '../../ingest/test-support.js';
import { makeEvent } from '../../schemas/validate.js';

const tmp = tmpDataDir('sla-collectors-');
let db: Db;
const NOW = new Date('2026-03-02T12:00:00Z');
const min = (m: number) => new Date(NOW.getTime() + m * 60_000);
const ids: Record<string, number> = {};

beforeAll(async () => {
  db = await openTestStore(tmp.dir);
  // VIP: one breached 3 min ago, one due in 2 min (imminent), one due in 20 min (fine).
  ids.vipBreached = await seedTicket(db, { queue: 'VIP', createdAt: min(-8), firstResponseDueAt: min(-3), firstName: 'Alice', threadId: 41 });
  ids.vipSoon = await seedTicket(db, { queue: 'VIP', createdAt: min(-3), firstResponseDueAt: min(2) });
  await seedTicket(db, { queue: 'VIP', createdAt: min(0), firstResponseDueAt: min(20) });
  // L1: answered in 4 and 10 minutes within the last hour, in progress; one past resolution.
  await seedTicket(db, { queue: 'L1', status: 'in_progress', createdAt: min(-30), firstResponseAt: min(-26), firstResponseDueAt: min(-15) });
  ids.l1Late = await seedTicket(db, {
    queue: 'L1',
    status: 'waiting_customer',
    createdAt: min(-300),
    firstResponseAt: min(-290),
    firstResponseDueAt: min(-285),
    resolutionDueAt: min(-60),
  });
  await seedTicket(db, { queue: 'L1', status: 'in_progress', createdAt: min(-20), firstResponseAt: min(-10), firstResponseDueAt: min(-5) });
  // Resolved tickets never count as open, even past their deadlines.
  await seedTicket(db, {
    queue: 'L1',
    status: 'resolved',
    createdAt: min(-100),
    firstResponseDueAt: min(-85),
    resolutionDueAt: min(-10),
    resolvedAt: min(-50),
  });
  // A queue the exporter does not know in advance.
  await seedTicket(db, { queue: 'legal', createdAt: min(-40), firstResponseDueAt: min(-10) });
});
afterAll(async () => {
  await db?.close();
  tmp.cleanup();
});

describe('readSlaSnapshot', () => {
  it('aggregates open tickets per queue', async () => {
    const snap = await readSlaSnapshot(db, { now: NOW });
    const vip = snap.find((q) => q.queue === 'VIP')!;
    expect(vip.open.waiting_agent).toBe(3);
    expect(vip.firstResponseOverdue).toBe(1);
    expect(vip.firstResponseDueSoon).toBe(1);
    expect(vip.oldestWaitingSeconds).toBe(8 * 60);
    expect(vip.resolutionOverdue).toBe(0);
    const l1 = snap.find((q) => q.queue === 'L1')!;
    expect(l1.open).toEqual({ new: 0, waiting_agent: 0, in_progress: 2, waiting_customer: 1 });
    expect(l1.firstResponseOverdue).toBe(0);
    expect(l1.resolutionOverdue).toBe(1);
    expect(l1.oldestWaitingSeconds).toBe(0);
    expect(l1.firstResponsesLastHour).toBe(2);
    expect(l1.frtP50Seconds).toBe(7 * 60);
    expect(l1.frtP90Seconds).toBeCloseTo(9.4 * 60, 5);
    // Known queues are present with zeros; unknown ones appear when they have tickets.
    expect(snap.find((q) => q.queue === 'payments')).toMatchObject({ firstResponseOverdue: 0, frtP90Seconds: null });
    expect(snap.find((q) => q.queue === 'legal')?.firstResponseOverdue).toBe(1);
  });

  it('finds the tickets behind a queue alert, with their topics', async () => {
    const breached = await findBreachingTickets(db, 'VIP', 'first_response_breached', { now: NOW });
    expect(breached.map((t) => t.id)).toEqual([ids.vipBreached]);
    expect(breached[0]).toMatchObject({ customer_name: 'Alice', thread_id: 41, queue: 'VIP' });
    expect(breached[0]!.first_response_due_at.toISOString()).toBe(min(-3).toISOString());
    expect((await findBreachingTickets(db, 'VIP', 'first_response_imminent', { now: NOW })).map((t) => t.id)).toEqual([ids.vipSoon]);
    expect((await findBreachingTickets(db, 'L1', 'resolution_breached', { now: NOW })).map((t) => t.id)).toEqual([ids.l1Late]);
    expect(await findBreachingTickets(db, 'L2', 'first_response_breached', { now: NOW })).toEqual([]);
  });

  it("names a ticket's agent by the display name the desk recorded (staff), none for an unassigned one", async () => {
    await db.query("INSERT INTO staff (id, display_name) VALUES (504, 'Anna K.')");
    await db.query('UPDATE tickets SET agent_id = 504 WHERE id = $1', [ids.l1Late]);
    try {
      expect((await findBreachingTickets(db, 'L1', 'resolution_breached', { now: NOW }))[0]).toMatchObject({
        id: ids.l1Late,
        agent_id: 504,
        agent_name: 'Anna K.',
      });
      expect((await findBreachingTickets(db, 'VIP', 'first_response_breached', { now: NOW }))[0]).toMatchObject({ agent_id: null, agent_name: null });
    } finally {
      await db.query('UPDATE tickets SET agent_id = NULL WHERE id = $1', [ids.l1Late]);
      await db.query('DELETE FROM staff');
    }
  });

  it('uses the partial index for open tickets', async () => {
    await db.query('SET enable_seqscan = off');
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN ${OPEN_TICKETS_SQL.replaceAll('$1::timestamptz', 'now()').replaceAll('$2::float8', '300').replaceAll('$3::float8', '1800')}`,
    );
    await db.query('RESET enable_seqscan');
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index (Only )?Scan (using|on) tickets_open_sla_idx/);
    expect(text).not.toContain('Seq Scan');
  });
});

describe('registerSlaCollectors + /metrics', () => {
  it('serves the SLA gauges, computed at scrape time', async () => {
    const registry = new Registry();
    let clock = NOW;
    registerSlaCollectors({
      db,
      registry,
      now: () => clock,
      config: { SLA_CSAT_TARGET: '4.5', SLA_IMMINENT_WINDOW: 300, SLA_CSAT_REFRESH: 60 },
    });
    const app = Fastify();
    await app.register(metricsPlugin, { registry });
    const scrape = async () => {
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      return res.body;
    };
    let body = await scrape();
    expect(body).toContain('support_sla_first_response_breached_tickets{queue="VIP"} 1');
    expect(body).toContain('support_sla_first_response_imminent_tickets{queue="VIP"} 1');
    expect(body).toContain('support_sla_first_response_breached_tickets{queue="L2"} 0');
    expect(body).toContain('support_tickets_open{queue="L1",status="in_progress"} 2');
    expect(body).toContain('support_sla_resolution_breached_tickets{queue="L1"} 1');
    expect(body).toContain('support_oldest_waiting_ticket_seconds{queue="VIP"} 480');
    expect(body).toContain('support_first_response_time_seconds{queue="L1",quantile="0.5"} 420');
    expect(body).toContain('support_sla_first_response_target_seconds{queue="VIP"} 300');
    expect(body).toContain('support_csat_target 4.5');
    expect(body).not.toMatch(/ticket_id=/);
    // Time passes: the imminent VIP ticket is now breached too, without any write.
    clock = min(3);
    await new Promise((r) => setTimeout(r, 1100));
    body = await scrape();
    expect(body).toContain('support_sla_first_response_breached_tickets{queue="VIP"} 2');
    expect(body).toContain('support_sla_first_response_imminent_tickets{queue="VIP"} 0');
    await app.close();
  });
});

describe('CSAT over 24 h from ClickHouse', () => {
  it('averages the latest rating per ticket per queue', async () => {
    const ch = await openTestClickHouse(tmp.dir);
    try {
      const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
      const created = ago(26 * 60); // every ticket event carries its ticket's creation time (the outbox sets it)
      const rate = (ticket: number, queue: string, score: number, min: number) =>
        makeEvent<'csat_rated'>({ type: 'csat_rated', ticket_id: ticket, ticket_created_at: created, queue, occurred_at: ago(min), score });
      await insertRows(ch, 'events', [
        rate(1, 'L1', 2, 120),
        rate(1, 'L1', 5, 60), // re-rated: the latest (5) counts
        rate(2, 'L1', 4, 30),
        rate(3, 'VIP', 3, 10),
        rate(4, 'VIP', 1, 25 * 60), // older than 24 h
        // re-rated with a clock that runs behind (a replayed date): the ticket's order decides, not the clock
        { ...rate(5, 'L2', 5, 30), ticket_seq: 4 },
        { ...rate(5, 'L2', 1, 90), ticket_seq: 6 },
      ]);
      const registry = new Registry();
      registerSlaCollectors({ db, ch, registry, config: { SLA_CSAT_TARGET: '4.5', SLA_IMMINENT_WINDOW: 300, SLA_CSAT_REFRESH: 60 } });
      const body = await registry.metrics();
      expect(body).toContain('support_csat_average_24h{queue="L1"} 4.5');
      expect(body).toContain('support_csat_ratings_24h{queue="L1"} 2');
      expect(body).toContain('support_csat_average_24h{queue="VIP"} 3');
      expect(body).toContain('support_csat_ratings_24h{queue="VIP"} 1');
      expect(body).toContain('support_csat_average_24h{queue="L2"} 1');
    } finally {
      await ch.close();
    }
  });
});
