/** Shared by the ingest tests: a migrated chDB in a scratch dir, events, and polling helpers. */
import { createClickHouse, loadClickHouseConfig, queryRows, type ClickHouse } from '../core/clickhouse.js';
import { migrate } from '../core/migrate.js';
import type { SupportEvent } from '../schemas/events.js';
import { makeEvent } from '../schemas/validate.js';

export async function openTestClickHouse(dataDir: string): Promise<ClickHouse> {
  const cfg = loadClickHouseConfig({ DATA_DIR: dataDir });
  const ch = await createClickHouse(cfg);
  await migrate(ch, { eventsTtlDays: cfg.EVENTS_TTL_DAYS });
  return ch;
}

/** A realistic mix: customer messages and ratings spread over `tickets` tickets. */
export function makeEvents(n: number, tickets = 50, base = new Date()): SupportEvent[] {
  const out: SupportEvent[] = [];
  for (let i = 0; i < n; i++) {
    const ticket_id = 1 + (i % tickets);
    const occurred_at = new Date(base.getTime() - (n - i) * 1000).toISOString();
    out.push(
      i % 5 === 4
        ? makeEvent<'csat_rated'>({ type: 'csat_rated', ticket_id, customer_id: 1000 + ticket_id, queue: 'L1', occurred_at, score: 1 + (i % 5) })
        : makeEvent<'message_in'>({
            type: 'message_in',
            ticket_id,
            customer_id: 1000 + ticket_id,
            queue: 'L1',
            occurred_at,
            message_kind: 'text',
            text_length: i % 300,
          }),
    );
  }
  return out;
}

export async function eventCounts(ch: ClickHouse, where = '1'): Promise<{ rows: number; unique: number }> {
  const [r] = await queryRows<{ rows: string; unique: string }>(ch, `SELECT count() AS rows, uniqExact(event_id) AS unique FROM events FINAL WHERE ${where}`);
  return { rows: Number(r!.rows), unique: Number(r!.unique) };
}

/** Polls until `check` returns true (or throws the last failure after `timeoutMs`). */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 60_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

let seq = 0;
/** Topic and group names unique per test, so tests sharing a broker never see each other's data. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;
}

/** The broker of scripts/services.sh; tests fail loudly (never skip) without it. */
export function testKafkaBrokers(): string[] {
  const raw = process.env.TEST_KAFKA_BROKERS;
  if (!raw) throw new Error('TEST_KAFKA_BROKERS is not set: run `bash scripts/services.sh start` and export the lines of `bash scripts/services.sh env`');
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
