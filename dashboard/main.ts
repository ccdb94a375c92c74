/** `npm run dashboard`: the standalone analytics service (migrations, API, web app, /metrics). */
import closeWithGrace from 'close-with-grace';
import { parseCli, runMain } from '../core/cli.js';
import { createClickHouse, loadClickHouseConfig } from '../core/clickhouse.js';
import { loadHttpConfig } from '../core/http.js';
import { rootLogger } from '../core/log.js';
import { migrate, waitForMigrations } from '../core/migrate.js';
import { loadDashboardConfig } from './config.js';
import { assertSafeListen, buildDashboardServer } from './server.js';

parseCli({
  usage: 'npm run dashboard',
  description:
    'Serves the analytics API (/api/v1, docs at /api/docs), the dashboard web app and /metrics, after applying ClickHouse migrations (DASHBOARD_MIGRATE=0: waits for them instead, for a read-only ClickHouse user).',
});

runMain(async () => {
  const cfg = loadDashboardConfig();
  const { HOST, PORT } = loadHttpConfig();
  assertSafeListen(HOST, cfg.ANALYTICS_TOKEN);
  const chCfg = loadClickHouseConfig();
  const log = rootLogger.child({ component: 'dashboard' });
  // DASHBOARD_MIGRATE=0 (docker-compose): a read-only ClickHouse user, which may run no DDL; the ingest migrates.
  const ch = await createClickHouse(chCfg, { createDatabase: cfg.DASHBOARD_MIGRATE });
  if (cfg.DASHBOARD_MIGRATE) await migrate(ch, { cluster: chCfg.CLICKHOUSE_CLUSTER, eventsTtlDays: chCfg.EVENTS_TTL_DAYS, log: (m) => log.info(m) });
  else await waitForMigrations(ch, { timeoutMs: 5 * 60_000, log: (m) => log.info(m) });
  const app = await buildDashboardServer({
    ch,
    host: HOST,
    token: cfg.ANALYTICS_TOKEN,
    liveWindowSeconds: cfg.DASHBOARD_LIVE_WINDOW,
    categories: cfg.categories,
    defaultQueue: cfg.DEFAULT_QUEUE,
  });
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) log.error({ err }, 'shutting down after an error');
    await app.close();
    await ch.close();
  });
  const address = await app.listen({ port: PORT, host: HOST });
  log.info(`analytics dashboard at ${address} (API docs at ${address}/api/docs)`);
});
