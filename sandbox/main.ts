/** `npm run sandbox`: the local Telegram Bot API sandbox, standalone. */
import { parseCli, runMain } from '../core/cli.js';
import { logger } from '../core/log.js';
import { loadSandboxConfig } from './config.js';
import { startSandbox } from './server.js';

parseCli({
  usage: 'npm run sandbox',
  description:
    'Runs a local Telegram Bot API server (the bot connects with apiRoot http://HOST:SANDBOX_PORT and token 7000000001:sandbox-token)\nplus the control API under /sandbox (see sandbox/README.md).',
});

runMain(async () => {
  const config = loadSandboxConfig();
  const log = logger('sandbox');
  const sandbox = await startSandbox({
    port: config.SANDBOX_PORT,
    host: config.SANDBOX_HOST,
    floodLimits: config.SANDBOX_FLOOD_LIMITS,
    dataDir: config.DATA_DIR,
  });
  log.info({ url: sandbox.url, floodLimits: config.SANDBOX_FLOOD_LIMITS, dataDir: config.DATA_DIR }, 'Telegram Bot API sandbox listening');
  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
});
