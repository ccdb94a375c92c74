/**
 * Migration 015 on a ClickHouse that already holds tickets: their latest
 * values survive the switch to (ticket_seq, occurred_at, event_id) ordering,
 * later events order by ticket_seq whatever their clocks say, and every event
 * field has its column.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, insertRows, loadClickHouseConfig, queryRows, type ClickHouse } from '../../core/clickhouse.js';
import { DEFAULT_MIGRATIONS_DIR, migrate } from '../../core/migrate.js';
import { TICKET, ticketsFrom } from '../../analytics/ticket-facts.js';
import { chTime, clickHouseRunner, live } from '../../dashboard/api/queries.js';
import { allEventFields, type SupportEvent } from '../../schemas/events.js';
import { tmpDataDir } from '../helpers/tmp.js';
import { deskEvents, nextEventId, quietTicket, type TicketSpec } from './history.js';

const tmp = tmpDataDir('ticket-seq-migration-');
let ch: ClickHouse;
const opts = { eventsTtlDays: 3650 };
const NOW = Date.UTC(2026, 2, 4, 12, 0, 0);
const MIN = 60_000;

/** The migrations as they were before 015. */
function migrationsBefore(version: number): string {
  const dir = join(tmp.dir, `before-${version}`);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(DEFAULT_MIGRATIONS_DIR))
    if (Number(/^(\d+)_/.exec(f)?.[1]) < version) copyFileSync(join(DEFAULT_MIGRATIONS_DIR, f), join(dir, f));
  return dir;
}

const spec = (id: number, extra: Partial<TicketSpec>): TicketSpec => quietTicket({ id, customer: 100 + id, createdAt: NOW - 600 * MIN, ...extra });

/** Events as producers wrote them before ticket_seq existed. */
const withoutSeq = (events: SupportEvent[]) => events.map(({ ticket_seq: _, ...e }) => e as SupportEvent);

async function state(): Promise<Map<number, { queue: string; status: string; csat: number }>> {
  const rows = await clickHouseRunner(ch)(`SELECT ticket_id, ${TICKET.queue} AS queue, ${TICKET.status} AS status, ${TICKET.csat} AS csat ${ticketsFrom({})}`, {
    from: chTime(new Date(0)),
    to: chTime(new Date(NOW)),
  });
  return new Map(rows.map((r) => [Number(r.ticket_id), { queue: String(r.queue), status: String(r.status), csat: Number(r.csat) }]));
}

beforeAll(async () => {
  ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: join(tmp.dir, 'data') }));
  await migrate(ch, { ...opts, dir: migrationsBefore(15) });
  // #1 escalated to L2 then resolved and rated 2 then 5; #2 still open in VIP after an escalation
  await insertRows(
    ch,
    'events',
    withoutSeq(
      deskEvents([
        spec(1, {
          queueChange: { at: 5, to: 'L2', frDueMin: 60, resDueMin: 480 },
          lifecycle: [30],
          csat: [
            { at: 40, score: 2 },
            { at: 50, score: 5 },
          ],
        }),
        spec(2, { queueChange: { at: 5, to: 'VIP', frDueMin: 10, resDueMin: 120 } }),
      ]),
    ),
  );
  await migrate(ch, opts);
}, 60_000);

afterAll(async () => {
  await ch?.close();
  tmp.cleanup();
});

describe('migration 015', () => {
  it('keeps the latest values of tickets written before it', async () => {
    const s = await state();
    expect(s.get(1)).toEqual({ queue: 'L2', status: 'resolved', csat: 5 });
    expect(s.get(2)).toEqual({ queue: 'VIP', status: 'new', csat: 0 });
    const l = await live(clickHouseRunner(ch), new Date(NOW), 86_400, {});
    expect(l.open_tickets).toBe(1);
    expect(l.by_queue.map((r) => [r.queue, r.status, r.open])).toEqual([['VIP', 'new', 1]]);
  });

  it('orders later events by ticket_seq, before any clock', async () => {
    // #2 is resolved by a change stamped an hour before the old events' times (a replayed message date)
    const base = (type: string, seq: number) => ({
      event_id: nextEventId(),
      schema_version: 1,
      type,
      occurred_at: new Date(NOW - 660 * MIN).toISOString(),
      emitted_at: new Date(NOW).toISOString(),
      ticket_id: 2,
      ticket_created_at: new Date(NOW - 600 * MIN).toISOString(),
      ticket_seq: seq,
      customer_id: 102,
      agent_id: 7,
      queue: 'VIP',
      category: null,
      language: 'en',
    });
    await insertRows(ch, 'events', [
      { ...base('ticket_resolved', 3), resolved_by: 'agent', resolution_seconds: 0, resolution_bh_seconds: 0, agent_replies: 0 },
      { ...base('status_changed', 3), from_status: 'new', to_status: 'resolved' },
    ]);
    expect((await state()).get(2)).toMatchObject({ status: 'resolved' });
    // an older change arriving late (seq 2, stamped "now") does not undo it
    await insertRows(ch, 'events', [
      { ...base('status_changed', 2), occurred_at: new Date(NOW - MIN).toISOString(), from_status: 'new', to_status: 'waiting_agent' },
    ]);
    expect((await state()).get(2)).toMatchObject({ status: 'resolved' });
    expect((await live(clickHouseRunner(ch), new Date(NOW), 86_400, {})).open_tickets).toBe(0);
  });

  it('is idempotent', async () => {
    const again = await migrate(ch, opts);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toContain(15);
  });

  it('gives every event field a column of the events table', async () => {
    const columns = new Set(
      (await queryRows<{ name: string }>(ch, "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'events'")).map((c) => c.name),
    );
    expect([...allEventFields().keys()].filter((f) => !columns.has(f))).toEqual([]);
  });
});
