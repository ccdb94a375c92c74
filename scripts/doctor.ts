/**
 * `npm run doctor`: the start-up self-check (bot/self-check.ts) on demand, as a
 * table — check | status | detail — with the same lines `npm run bot` and
 * `npm start` exit with. Exit code 0 when every check passes (or is skipped),
 * 1 when one fails or is degraded, 2 on bad arguments or configuration.
 *
 * It reads the configuration the desk reads (BOT_TOKEN or, without it, the
 * sandbox's bot at TELEGRAM_API_ROOT or the demo's local sandbox; SUPPORT_CHAT_ID,
 * ESCALATION_CHAT_ID; DATABASE_URL, CLICKHOUSE_URL, KAFKA_BROKERS; PROMETHEUS_URL,
 * ALERTMANAGER_URL). The embedded stores (PGlite, chDB and the bus log in
 * DATA_DIR) belong to the process that runs them and are not opened here: two
 * processes on one embedded store would corrupt it.
 */
import { loadAlertsConfig } from '../bot/alerts/index.js';
import { loadBotConfig } from '../bot/config.js';
import { busProbe, formatTable, loadSelfCheckConfig, monitoringProbes, safeOrigin, selfCheck, selfCheckApi, type StoreProbe } from '../bot/self-check.js';
import { loadBusConfig } from '../core/bus/config.js';
import { parseCli, runMain } from '../core/cli.js';
import { createClickHouse, loadClickHouseConfig } from '../core/clickhouse.js';
import { loadPostgresConfig, openDatabase } from '../core/postgres.js';

runMain(async () => {
  const { values } = parseCli({
    usage: 'npm run doctor [-- --json]',
    description:
      'Checks the world the configuration names, as npm run bot and npm start do at start-up: the bot token (getMe), SUPPORT_CHAT_ID is a supergroup with topics where the bot is an administrator with "Manage topics", ESCALATION_CHAT_ID is reachable, PostgreSQL (DATABASE_URL), ClickHouse (CLICKHOUSE_URL) and Kafka (KAFKA_BROKERS) answer, and Prometheus (PROMETHEUS_URL) and Alertmanager (ALERTMANAGER_URL) when set. Prints check | status | detail; exit code 0 when all pass, 1 otherwise.',
    options: { json: { type: 'boolean' } },
    optionHelp: ['--json      print the results as JSON instead of a table'],
  });
  const bot = loadBotConfig();
  const alerts = loadAlertsConfig();
  const pg = loadPostgresConfig();
  const chConfig = loadClickHouseConfig();
  const closes: Array<() => Promise<unknown>> = [];

  const stores: StoreProbe[] = [];
  if (pg.DATABASE_URL) {
    const url = pg.DATABASE_URL;
    stores.push({
      check: 'PostgreSQL',
      variable: 'DATABASE_URL',
      where: safeOrigin(url),
      probe: async () => {
        const db = await openDatabase(pg);
        closes.push(() => db.close());
        await db.query('SELECT 1');
      },
    });
  } else
    stores.push({
      check: 'PostgreSQL',
      variable: 'DATABASE_URL',
      where: 'PGlite',
      skipReason: 'PGlite in DATA_DIR (DATABASE_URL unset): opened by the desk itself, not checked here',
    });
  if (chConfig.CLICKHOUSE_URL) {
    stores.push({
      check: 'ClickHouse',
      variable: 'CLICKHOUSE_URL',
      where: safeOrigin(chConfig.CLICKHOUSE_URL),
      probe: async () => {
        const ch = await createClickHouse(chConfig);
        closes.push(() => ch.close());
        await (await ch.client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json();
      },
    });
  } else
    stores.push({
      check: 'ClickHouse',
      variable: 'CLICKHOUSE_URL',
      where: 'chDB',
      skipReason: 'chDB in DATA_DIR (CLICKHOUSE_URL unset): opened by the desk itself, not checked here',
    });

  stores.push(busProbe(loadBusConfig(), { embedded: 'skip' }), ...monitoringProbes(loadSelfCheckConfig()));

  const results = await selfCheck({
    api: selfCheckApi(bot.token, bot.apiRoot),
    apiRoot: bot.apiRoot,
    supportChatId: bot.supportChatId,
    escalationChatId: alerts.ESCALATION_CHAT_ID,
    stores,
  });
  for (const close of closes) await close().catch(() => undefined);
  const ok = results.every((r) => r.status === 'ok' || r.status === 'skipped');
  if (values.json) console.log(JSON.stringify({ ok, results }, null, 2));
  else {
    console.log(formatTable(results));
    console.log(
      ok
        ? '\nall checks pass'
        : `\n${results.filter((r) => r.status === 'fail').length} failed, ${results.filter((r) => r.status === 'degraded').length} degraded`,
    );
  }
  process.exit(ok ? 0 : 1);
});
