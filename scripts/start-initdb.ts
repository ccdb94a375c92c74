/**
 * `npm start`'s prestart step: a first run's PGlite initdb (core/postgres.ts initPglite) before the product's
 * process exists. initdb holds ~0.8 GB for a few seconds; run by the product (before chDB opens) it came on
 * top of the product's own ~0.3 GB of Node, modules and mapped library pages. Nothing to do when DATABASE_URL
 * names a PostgreSQL server or DATA_DIR/pglite holds a database; scripts/start.ts checks again for runs
 * without npm.
 */
import { parseCli, runMain } from '../core/cli.js';
import { initPglite, loadPostgresConfig } from '../core/postgres.js';

runMain(async () => {
  parseCli({
    usage: 'node --import tsx scripts/start-initdb.ts',
    description: "Creates the embedded PGlite database in DATA_DIR/pglite unless it exists or DATABASE_URL is set (npm start's prestart).",
  });
  const cfg = loadPostgresConfig();
  if (!cfg.DATABASE_URL) await initPglite(cfg);
});
