/**
 * `npm run ingest`: the standalone ingest service. Applies the ClickHouse
 * migrations, then consumes the bus into ClickHouse until SIGTERM/SIGINT, when
 * it writes what is in hand, commits and leaves the consumer group.
 * Serves /metrics and /healthz on HOST:PORT.
 */
import closeWithGrace from 'close-with-grace';
import { createBus } from '../core/bus/index.js';
import { parseCli, runMain } from '../core/cli.js';
import { createClickHouse, loadClickHouseConfig } from '../core/clickhouse.js';
import { createHttpServer, loadHttpConfig } from '../core/http.js';
import { logger } from '../core/log.js';
import { migrate } from '../core/migrate.js';
import { loadIngestConfig } from './config.js';
import { startIngest } from './service.js';

const log = logger('ingest.main');

runMain(async () => {
  parseCli({
    usage: 'npm run ingest',
    description:
      'Consumes support events from the bus (Kafka when KAFKA_BROKERS is set, else the embedded log in DATA_DIR/bus) into ClickHouse.\n' +
      'Runs the ClickHouse migrations first. Invalid messages go to KAFKA_DLQ_TOPIC and the dead_letters table.',
  });
  const chConfig = loadClickHouseConfig();
  const config = loadIngestConfig();
  const ch = await createClickHouse(chConfig);
  const migrated = await migrate(ch, { cluster: chConfig.CLICKHOUSE_CLUSTER, eventsTtlDays: chConfig.EVENTS_TTL_DAYS, log: (m) => log.info(m) });
  log.info({ applied: migrated.applied, alreadyApplied: migrated.alreadyApplied.length }, 'ClickHouse schema is current');
  const bus = createBus(config);
  const ingest = await startIngest({ bus, ch, config });
  const http = await createHttpServer();
  const { HOST, PORT } = loadHttpConfig();
  await http.listen({ host: HOST, port: PORT });

  closeWithGrace({ delay: 30_000, logger: { error: (m: unknown) => log.error(m) } }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an error');
    else log.info({ signal }, 'shutting down');
    await http.close();
    await ingest.stop();
    await bus.close();
    await ch.close();
  });
});
