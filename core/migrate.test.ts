/**
 * The ClickHouse migration runner on a real chDB: number order, idempotence,
 * resuming after a failed statement, refusing an edited applied migration, and
 * the project's own migrations applying cleanly (twice).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { createClickHouse, loadClickHouseConfig, queryRows, type ClickHouse } from './clickhouse.js';
import { loadMigrations, migrate, renderMigration, splitStatements } from './migrate.js';

const tmp = tmpDataDir('desk-migrate-');
let ch: ClickHouse;
beforeAll(async () => {
  ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: join(tmp.dir, 'data') }));
});
afterAll(async () => {
  await ch?.close();
  tmp.cleanup();
});
// One chDB per test file: each scenario starts from an empty migration history.
beforeEach(async () => {
  await ch.client.command({ query: 'DROP TABLE IF EXISTS schema_migrations' });
});

let dirs = 0;
function migrationsDir(files: Record<string, string>): string {
  const dir = join(tmp.dir, `m${++dirs}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

const opts = { eventsTtlDays: 30 };
const tables = async () =>
  (await queryRows<{ name: string }>(ch, "SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'mt_%' ORDER BY name")).map(
    (r) => r.name,
  );

describe('migrate', () => {
  it('applies in number order (2 before 10), records each, and is idempotent', async () => {
    const dir = migrationsDir({
      // 10 depends on 2; lexical order would run it first and fail.
      '10_fill.sql': 'INSERT INTO mt_order (n) VALUES (10);\n',
      '2_create.sql': '-- a comment line\nCREATE TABLE IF NOT EXISTS mt_order (n UInt32) ENGINE = MergeTree ORDER BY n;\n',
    });
    expect(loadMigrations(dir).map((m) => m.version)).toEqual([2, 10]);
    const first = await migrate(ch, { ...opts, dir });
    expect(first).toEqual({ applied: [2, 10], alreadyApplied: [] });
    const second = await migrate(ch, { ...opts, dir });
    expect(second).toEqual({ applied: [], alreadyApplied: [2, 10] });
    // The data migration ran once, not twice.
    expect(await queryRows(ch, 'SELECT n FROM mt_order')).toEqual([{ n: 10 }]);
    const recorded = await queryRows<{ version: number; name: string }>(ch, 'SELECT version, name FROM schema_migrations FINAL ORDER BY version');
    expect(recorded).toEqual([
      { version: 2, name: 'create' },
      { version: 10, name: 'fill' },
    ]);
  });

  it('stops at a failed statement, records nothing for that migration, and resumes once fixed', async () => {
    const files = {
      '1_base.sql': 'CREATE TABLE IF NOT EXISTS mt_base (id UInt32) ENGINE = MergeTree ORDER BY id;\n',
      '2_two_steps.sql':
        'CREATE TABLE IF NOT EXISTS mt_step_one (id UInt32) ENGINE = MergeTree ORDER BY id;\n' +
        'CREATE TABLE IF NOT EXISTS mt_step_two AS mt_does_not_exist;\n',
      '3_after.sql': 'CREATE TABLE IF NOT EXISTS mt_after (id UInt32) ENGINE = MergeTree ORDER BY id;\n',
    };
    const dir = migrationsDir(files);
    await expect(migrate(ch, { ...opts, dir })).rejects.toThrow(/migration 2_two_steps failed[\s\S]*mt_does_not_exist/);
    expect(await tables()).toEqual(expect.arrayContaining(['mt_base', 'mt_step_one']));
    expect(await tables()).not.toContain('mt_after');
    expect((await queryRows<{ version: number }>(ch, 'SELECT version FROM schema_migrations')).map((r) => r.version)).toEqual([1]);

    // Never applied, so it may be fixed in place; its first statement runs again harmlessly.
    writeFileSync(join(dir, '2_two_steps.sql'), files['2_two_steps.sql'].replace('AS mt_does_not_exist', 'AS mt_step_one'));
    expect(await migrate(ch, { ...opts, dir })).toEqual({ applied: [2, 3], alreadyApplied: [1] });
    expect(await tables()).toEqual(expect.arrayContaining(['mt_after', 'mt_base', 'mt_step_one', 'mt_step_two']));
  });

  it('refuses to run when an applied migration was edited', async () => {
    const dir = migrationsDir({ '1_t.sql': 'CREATE TABLE IF NOT EXISTS mt_edit (id UInt32) ENGINE = MergeTree ORDER BY id;\n' });
    await migrate(ch, { ...opts, dir });
    writeFileSync(join(dir, '1_t.sql'), 'CREATE TABLE IF NOT EXISTS mt_edit (id UInt64) ENGINE = MergeTree ORDER BY id;\n');
    await expect(migrate(ch, { ...opts, dir })).rejects.toThrow(/1_t changed after it was applied.*add a new migration/);
  });

  it('rejects badly named and duplicate-numbered files', () => {
    expect(() => loadMigrations(migrationsDir({ 'create.sql': 'SELECT 1;' }))).toThrow(/NNN_name\.sql/);
    expect(() => loadMigrations(migrationsDir({ '001_a.sql': 'SELECT 1;', '1_b.sql': 'SELECT 1;' }))).toThrow(/share number 1/);
  });

  it("applies the project's migrations to an empty database, twice", async () => {
    const first = await migrate(ch, opts);
    expect(first.applied.length).toBeGreaterThanOrEqual(2);
    expect(first.applied).toEqual([...first.applied].sort((a, b) => a - b));
    const second = await migrate(ch, opts);
    expect(second.applied).toEqual([]);
    const names = (await queryRows<{ name: string }>(ch, 'SELECT name FROM system.tables WHERE database = currentDatabase()')).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['events', 'dead_letters', 'schema_migrations']));
    // ticket_facts is read on every dashboard request and stored uncompressed (014): a column added later needs CODEC(NONE) too
    const codecs = await queryRows<{ name: string; compression_codec: string }>(
      ch,
      "SELECT name, compression_codec FROM system.columns WHERE database = currentDatabase() AND table = 'ticket_facts'",
    );
    expect(codecs.length).toBeGreaterThan(20);
    expect(codecs.filter((c) => c.compression_codec !== 'CODEC(NONE)').map((c) => c.name)).toEqual([]);
  });
});

describe('renderMigration', () => {
  const sql = [
    'CREATE TABLE IF NOT EXISTS t{{LOCAL}} {{ON_CLUSTER}} (a UInt8) ENGINE = {{REPLICATED}}MergeTree ORDER BY a TTL now() + INTERVAL {{EVENTS_TTL_DAYS}} DAY;',
    '{{#cluster}}',
    "CREATE TABLE IF NOT EXISTS t {{ON_CLUSTER}} AS t_local ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), t_local, rand());",
    '{{/cluster}}',
    '{{^cluster}}',
    'SELECT 1;',
    '{{/cluster}}',
  ].join('\n');

  it('renders a single node without cluster parts', () => {
    expect(renderMigration(sql, { eventsTtlDays: 7 })).toEqual([
      'CREATE TABLE IF NOT EXISTS t  (a UInt8) ENGINE = MergeTree ORDER BY a TTL now() + INTERVAL 7 DAY',
      'SELECT 1',
    ]);
  });

  it('renders a cluster with replicated, local and distributed tables', () => {
    const [local, dist, ...rest] = renderMigration(sql, { eventsTtlDays: 7, cluster: 'c1' });
    expect(local).toBe("CREATE TABLE IF NOT EXISTS t_local ON CLUSTER 'c1' (a UInt8) ENGINE = ReplicatedMergeTree ORDER BY a TTL now() + INTERVAL 7 DAY");
    expect(dist).toBe("CREATE TABLE IF NOT EXISTS t ON CLUSTER 'c1' AS t_local ENGINE = Distributed('c1', currentDatabase(), t_local, rand())");
    expect(rest).toEqual([]);
  });

  it('fails on an unknown template and splits only on line-ending semicolons', () => {
    expect(() => renderMigration('SELECT {{NOPE}};', { eventsTtlDays: 1 })).toThrow(/unknown template \{\{NOPE\}\}/);
    expect(splitStatements("SELECT 'a;b';\n-- x;\nSELECT 2;\n")).toEqual(["SELECT 'a;b'", 'SELECT 2']);
  });
});
