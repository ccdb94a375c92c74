/**
 * `npm run migrate`: applies the ClickHouse migrations (schemas/clickhouse) and
 * the bot's PostgreSQL/PGlite migrations (bot/store/migrations) and exits —
 * for deploys that migrate before rolling out new processes.
 */
import { parseCli, runMain } from '../core/cli.js';
import { createClickHouse, loadClickHouseConfig } from '../core/clickhouse.js';
import { migrate } from '../core/migrate.js';
import { loadPostgresConfig, openDatabase } from '../core/postgres.js';
import { migrateBot } from '../bot/store/migrate.js';

runMain(async () => {
  const { values } = parseCli({
    usage: 'npm run migrate -- [--only clickhouse|postgres]',
    description: 'Applies the ClickHouse and the bot-state (PostgreSQL or PGlite) migrations, in order and idempotently, then exits.',
    options: { only: { type: 'string' } },
    optionHelp: ['--only clickhouse|postgres  apply one of the two'],
  });
  const only = values.only;
  if (only !== undefined && only !== 'clickhouse' && only !== 'postgres') throw new Error(`--only must be clickhouse or postgres, got "${only}"`);
  if (only !== 'postgres') {
    const cfg = loadClickHouseConfig();
    const ch = await createClickHouse(cfg);
    try {
      const r = await migrate(ch, { cluster: cfg.CLICKHOUSE_CLUSTER, eventsTtlDays: cfg.EVENTS_TTL_DAYS, log: console.log });
      console.log(`ClickHouse (${ch.mode}): ${r.applied.length} applied, ${r.alreadyApplied.length} already applied`);
    } finally {
      await ch.close();
    }
  }
  if (only !== 'clickhouse') {
    const db = await openDatabase(loadPostgresConfig());
    try {
      const r = await migrateBot(db, { log: console.log });
      console.log(`bot state (${db.mode}): ${r.applied.length} applied`);
    } finally {
      await db.close();
    }
  }
});
