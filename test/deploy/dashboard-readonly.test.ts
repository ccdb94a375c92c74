/**
 * The dashboard on a read-only ClickHouse user (docker-compose, DASHBOARD_MIGRATE=0) runs no DDL: it reads
 * `schema_migrations` only and waits for the ingest to apply the migrations — on a real chDB.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, loadClickHouseConfig, type ClickHouse } from '../../core/clickhouse.js';
import { migrate, pendingMigrations, waitForMigrations } from '../../core/migrate.js';
import { loadDashboardConfig } from '../../dashboard/config.js';
import { tmpDataDir } from '../helpers/tmp.js';

const tmp = tmpDataDir('desk-readonly-');
let ch: ClickHouse;
const dir = join(tmp.dir, 'migrations');
beforeAll(async () => {
  ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: join(tmp.dir, 'data') }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '001_one.sql'), 'CREATE TABLE IF NOT EXISTS one (x UInt8) ENGINE = MergeTree ORDER BY x;\n');
  writeFileSync(join(dir, '002_two.sql'), 'CREATE TABLE IF NOT EXISTS two (x UInt8) ENGINE = MergeTree ORDER BY x;\n');
});
afterAll(async () => {
  await ch?.close();
  tmp.cleanup();
});

describe('dashboard without migrations (read-only ClickHouse user)', () => {
  it('DASHBOARD_MIGRATE defaults to migrating and accepts 0', () => {
    expect(loadDashboardConfig({}).DASHBOARD_MIGRATE).toBe(true);
    expect(loadDashboardConfig({ DASHBOARD_MIGRATE: '0' }).DASHBOARD_MIGRATE).toBe(false);
  });

  it('waits for the schema, and fails naming the missing migrations when nobody applies them', async () => {
    // No schema_migrations table yet: every migration is pending, read with a SELECT only.
    expect((await pendingMigrations(ch, dir)).map((m) => m.version)).toEqual([1, 2]);
    await expect(waitForMigrations(ch, { dir, timeoutMs: 0 })).rejects.toThrow(
      /migrations 1_one, 2_two are not applied\. This process does not migrate; start the ingest .* or run npm run migrate/,
    );
    const logs: string[] = [];
    const waiting = waitForMigrations(ch, { dir, timeoutMs: 30_000, intervalMs: 20, log: (m) => logs.push(m) });
    await new Promise((r) => setTimeout(r, 100));
    await migrate(ch, { dir, eventsTtlDays: 1 }); // what the ingest does
    await waiting;
    expect(logs).toEqual(['waiting for ClickHouse migrations 1_one, 2_two (applied by the ingest or npm run migrate)']);
    expect(await pendingMigrations(ch, dir)).toEqual([]);
  });
});
