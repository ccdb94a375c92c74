/** chDB with the project's migrations applied, for analytics tests (one per test file: chDB binds one data dir per process). */
import { createClickHouse, insertRows, loadClickHouseConfig, type ClickHouse } from '../../core/clickhouse.js';
import { migrate } from '../../core/migrate.js';
import type { SupportEvent } from '../../schemas/events.js';
import { tmpDataDir } from '../helpers/tmp.js';

export interface AnalyticsDb {
  ch: ClickHouse;
  close(): Promise<void>;
}

export async function openAnalyticsDb(): Promise<AnalyticsDb> {
  const tmp = tmpDataDir('desk-analytics-');
  const ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: tmp.dir }));
  await migrate(ch, { eventsTtlDays: 3650 });
  return {
    ch,
    close: async () => {
      await ch.close();
      tmp.cleanup();
    },
  };
}

/** Inserts events in `batches` separate inserts (each its own block, as a consumer would). */
export async function ingest(ch: ClickHouse, events: readonly SupportEvent[], batches = 1): Promise<void> {
  const size = Math.max(1, Math.ceil(events.length / batches));
  for (let i = 0; i < events.length; i += size) await insertRows(ch, 'events', events.slice(i, i + size));
}

/** Empties the raw and derived tables between generated histories. */
export async function resetAnalytics(ch: ClickHouse): Promise<void> {
  for (const t of [
    'events',
    'ticket_facts',
    'app_facts',
    'trust_facts',
    'experiment_exposures_first',
    'audit_facts',
    'ticket_days_touched',
    'ticket_rollup_days',
  ])
    await ch.client.command({ query: `TRUNCATE TABLE IF EXISTS ${t}` });
}

/** Fisher–Yates with a supplied random source (fast-check's, so failures replay). */
export function shuffled<T>(xs: readonly T[], rand: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
