/**
 * Which mode `npm start` runs, decided from the configuration before anything
 * starts. decideStartMode is pure (an environment in, a mode or a ConfigError
 * out), so the rules are a table test; startMode adds what DATA_DIR remembers
 * (rememberTelegramRun writes it once a desk runs on Telegram there).
 *
 * The demo — the local Telegram sandbox and the traffic simulator, which writes
 * a week of simulated tickets — runs only on purpose: with DEMO=1, or when
 * npm start is given no configuration at all (the first run stays
 * `npm install && npm start`). Never because BOT_TOKEN is empty or malformed
 * (loadBotConfig refuses those), never against an external database, ClickHouse
 * or Kafka, never with the sandbox on a non-loopback interface, and never in a
 * DATA_DIR where a desk ran on Telegram (a BOT_TOKEN lost from the environment
 * must not turn a real desk's embedded stores into the demo's).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBusConfig } from '../core/bus/config.js';
import { loadClickHouseConfig } from '../core/clickhouse.js';
import { ConfigError } from '../core/env.js';
import { loadPostgresConfig } from '../core/postgres.js';
import { loadAlertsConfig } from '../bot/alerts/config.js';
import { loadBotConfig, loadBotEnv } from '../bot/config.js';
import { isLoopback } from '../dashboard/server.js';
import { loadSandboxConfig } from '../sandbox/config.js';
import { DEFAULT_ESCALATION_CHAT_ID, DEFAULT_SUPPORT_CHAT_ID } from '../sandbox/identities.js';

type Env = Record<string, string | undefined>;

export type StartMode =
  /** The sandbox stands in for Telegram and (with SIMULATE) the simulator plays customers and agents. */
  | { mode: 'demo'; why: 'DEMO=1' | 'no configuration' }
  /** The bot talks to Telegram with BOT_TOKEN, or to the Bot API TELEGRAM_API_ROOT names; no sandbox, no simulator. */
  | { mode: 'telegram'; via: 'BOT_TOKEN' | 'TELEGRAM_API_ROOT' };

/** The stores the simulator must never write to: anything but the embedded ones in DATA_DIR. */
function externalStores(source: Env | undefined): string[] {
  return [
    loadPostgresConfig(source).DATABASE_URL !== undefined && 'DATABASE_URL',
    loadClickHouseConfig(source).CLICKHOUSE_URL !== undefined && 'CLICKHOUSE_URL',
    loadBusConfig(source).KAFKA_BROKERS.length > 0 && 'KAFKA_BROKERS',
  ].filter((v): v is string => v !== false);
}

/** The variables that configure a real desk; with none of them set, npm start is a first run. */
function deskConfiguration(source: Env | undefined): string[] {
  const bot = loadBotEnv(source, { emptyIsUnset: ['BOT_TOKEN'] });
  return [
    bot.BOT_TOKEN !== undefined && 'BOT_TOKEN',
    bot.TELEGRAM_API_ROOT !== undefined && 'TELEGRAM_API_ROOT',
    bot.WEBHOOK_URL !== undefined && 'WEBHOOK_URL',
    bot.SUPPORT_CHAT_ID !== DEFAULT_SUPPORT_CHAT_ID && 'SUPPORT_CHAT_ID',
    loadAlertsConfig(source).ESCALATION_CHAT_ID !== DEFAULT_ESCALATION_CHAT_ID && 'ESCALATION_CHAT_ID',
    ...externalStores(source),
  ].filter((v): v is string => v !== false);
}

/** What DATA_DIR remembers: 'telegram' once npm start ran a desk on Telegram there. */
export type DataDirUse = 'telegram' | undefined;
const TELEGRAM_MARKER = 'ran-on-telegram';

export function decideStartMode(source?: Env, dataDirUse?: DataDirUse): StartMode {
  // Refuses an empty or malformed BOT_TOKEN (unless DEMO=1) and DEMO=1 with a token.
  const bot = loadBotConfig(source);
  if (!bot.sandbox) return { mode: 'telegram', via: 'BOT_TOKEN' };
  const configured = deskConfiguration(source);

  if (bot.demo) {
    for (const name of externalStores(source))
      throw new ConfigError(name, `is set with DEMO=1: the demo writes simulated tickets; it runs only on the embedded stores — unset ${name} or DEMO`);
    if (configured.includes('TELEGRAM_API_ROOT'))
      throw new ConfigError('TELEGRAM_API_ROOT', 'is set with DEMO=1: the demo runs its own local sandbox — unset TELEGRAM_API_ROOT or DEMO');
  } else if (configured.includes('TELEGRAM_API_ROOT')) {
    // No token, but a Bot API named on purpose (a sandbox started apart): no demo here.
    return { mode: 'telegram', via: 'TELEGRAM_API_ROOT' };
  } else if (configured.length > 0) {
    throw new ConfigError(
      'BOT_TOKEN',
      `is not set while ${configured.join(', ')} ${configured.length > 1 ? 'are' : 'is'}: a configured npm start runs the desk on Telegram — set BOT_TOKEN to the token from @BotFather (<bot id>:<about 35 characters>). The demo runs only with no configuration at all, or with DEMO=1 on the embedded stores`,
    );
  }

  if (dataDirUse === 'telegram') {
    const dir = loadSandboxConfig(source).DATA_DIR;
    throw new ConfigError(
      'DATA_DIR',
      `(${dir}) holds a desk that ran on Telegram, and ${bot.demo ? 'DEMO=1 is set' : 'no BOT_TOKEN is set'}: the demo writes simulated tickets — ${bot.demo ? 'give the demo another DATA_DIR' : 'set BOT_TOKEN (is your .env loaded?), or give the demo another DATA_DIR'}`,
    );
  }

  const host = loadSandboxConfig(source).SANDBOX_HOST;
  if (!isLoopback(host))
    throw new ConfigError(
      'SANDBOX_HOST',
      `must be a loopback address for the demo (127.0.0.1, ::1 or localhost), got "${host}": the sandbox's control API lets anyone write as any customer or agent`,
    );
  return { mode: 'demo', why: bot.demo ? 'DEMO=1' : 'no configuration' };
}

/** npm start's mode for the process environment: decideStartMode with what DATA_DIR remembers. */
export function startMode(source?: Env): StartMode {
  return decideStartMode(source, existsSync(join(loadSandboxConfig(source).DATA_DIR, TELEGRAM_MARKER)) ? 'telegram' : undefined);
}

/**
 * Called once the desk runs on Telegram with BOT_TOKEN (the bot answered getMe): marks DATA_DIR, so a
 * later start there without the token refuses the demo instead of writing simulated tickets into it.
 */
export function rememberTelegramRun(mode: StartMode, source?: Env): void {
  if (mode.mode !== 'telegram' || mode.via !== 'BOT_TOKEN') return;
  const dir = loadSandboxConfig(source).DATA_DIR;
  const marker = join(dir, TELEGRAM_MARKER);
  if (existsSync(marker)) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(marker, 'npm start ran the desk on Telegram with this DATA_DIR: the demo (and its simulated tickets) is refused here.\n');
}
