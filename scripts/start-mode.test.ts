import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/env.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { decideStartMode, rememberTelegramRun, startMode, type StartMode } from './start-mode.js';

const TOKEN = '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq';
const PG = 'postgres://desk:hunter2@db.example.com:5432/desk';

/** Each row: the environment npm start gets → the mode, or the variable the error names (and a phrase of it). */
const table: Array<[string, Record<string, string>, StartMode | { error: string; says: RegExp }]> = [
  ['no configuration → demo', {}, { mode: 'demo', why: 'no configuration' }],
  [
    'no configuration but tuning (ports, data dir) → demo',
    { PORT: '3100', SANDBOX_PORT: '8181', DATA_DIR: '/tmp/x', SIMULATE: '0' },
    { mode: 'demo', why: 'no configuration' },
  ],
  ['DEMO=1 → demo', { DEMO: '1' }, { mode: 'demo', why: 'DEMO=1' }],
  ['DEMO=1 with an empty BOT_TOKEN → demo', { DEMO: '1', BOT_TOKEN: '' }, { mode: 'demo', why: 'DEMO=1' }],
  ['BOT_TOKEN set → Telegram', { BOT_TOKEN: TOKEN }, { mode: 'telegram', via: 'BOT_TOKEN' }],
  [
    'BOT_TOKEN with external stores → Telegram',
    { BOT_TOKEN: TOKEN, DATABASE_URL: PG, CLICKHOUSE_URL: 'http://ch:8123', KAFKA_BROKERS: 'kafka:9092' },
    { mode: 'telegram', via: 'BOT_TOKEN' },
  ],
  ['no token, a Bot API named on purpose → no demo', { TELEGRAM_API_ROOT: 'http://127.0.0.1:9999' }, { mode: 'telegram', via: 'TELEGRAM_API_ROOT' }],
  ['BOT_TOKEN empty → error', { BOT_TOKEN: '' }, { error: 'BOT_TOKEN', says: /is empty/ }],
  ['BOT_TOKEN malformed → error', { BOT_TOKEN: '123:abc' }, { error: 'BOT_TOKEN', says: /must be a Bot API token/ }],
  ['DEMO=1 with BOT_TOKEN → error', { DEMO: '1', BOT_TOKEN: TOKEN }, { error: 'DEMO', says: /together with BOT_TOKEN/ }],
  [
    'DEMO=1 with DATABASE_URL → error',
    { DEMO: '1', DATABASE_URL: PG },
    { error: 'DATABASE_URL', says: /the demo writes simulated tickets; it runs only on the embedded stores — unset DATABASE_URL or DEMO/ },
  ],
  ['DEMO=1 with CLICKHOUSE_URL → error', { DEMO: '1', CLICKHOUSE_URL: 'http://desk:pw@ch:8123' }, { error: 'CLICKHOUSE_URL', says: /embedded stores/ }],
  ['DEMO=1 with KAFKA_BROKERS → error', { DEMO: '1', KAFKA_BROKERS: 'kafka:9092' }, { error: 'KAFKA_BROKERS', says: /embedded stores/ }],
  [
    'DEMO=1 with TELEGRAM_API_ROOT → error',
    { DEMO: '1', TELEGRAM_API_ROOT: 'http://127.0.0.1:9999' },
    { error: 'TELEGRAM_API_ROOT', says: /its own local sandbox/ },
  ],
  ['no token with DATABASE_URL → error, not the demo', { DATABASE_URL: PG }, { error: 'BOT_TOKEN', says: /is not set while DATABASE_URL is/ }],
  [
    'no token with a support chat → error, not the demo',
    { SUPPORT_CHAT_ID: '-1001234567890', ESCALATION_CHAT_ID: '-1009876543210' },
    { error: 'BOT_TOKEN', says: /SUPPORT_CHAT_ID, ESCALATION_CHAT_ID are/ },
  ],
  [
    'non-loopback SANDBOX_HOST with DEMO=1 → error',
    { DEMO: '1', SANDBOX_HOST: '0.0.0.0' },
    { error: 'SANDBOX_HOST', says: /must be a loopback address for the demo/ },
  ],
  ['non-loopback SANDBOX_HOST with no configuration → error', { SANDBOX_HOST: '192.168.1.10' }, { error: 'SANDBOX_HOST', says: /loopback/ }],
  ['empty SANDBOX_HOST (every interface) → error', { SANDBOX_HOST: '' }, { error: 'SANDBOX_HOST', says: /is empty/ }],
  ['loopback SANDBOX_HOST → demo', { SANDBOX_HOST: 'localhost' }, { mode: 'demo', why: 'no configuration' }],
];

describe('npm start: the demo only on purpose', () => {
  it('a DATA_DIR where a desk ran on Telegram never gets the demo, whatever lost the token', () => {
    for (const env of [{}, { DEMO: '1' }, { DATA_DIR: '/srv/desk' }]) {
      let error: unknown;
      try {
        decideStartMode(env, 'telegram');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe('DATA_DIR');
      expect((error as ConfigError).message).toMatch(/holds a desk that ran on Telegram.*the demo writes simulated tickets/);
    }
    expect(decideStartMode({ BOT_TOKEN: TOKEN }, 'telegram')).toEqual({ mode: 'telegram', via: 'BOT_TOKEN' });
  });

  it('DATA_DIR remembers a desk on Telegram: the next start without BOT_TOKEN is refused, not the demo', () => {
    const tmp = tmpDataDir('desk-start-mode-');
    afterAll(() => tmp.cleanup());
    const dir = join(tmp.dir, 'data');
    expect(startMode({ DATA_DIR: dir })).toEqual({ mode: 'demo', why: 'no configuration' });
    rememberTelegramRun(startMode({ DATA_DIR: dir }), { DATA_DIR: dir });
    const viaRoot = startMode({ DATA_DIR: dir, TELEGRAM_API_ROOT: 'http://127.0.0.1:9999' });
    expect(viaRoot).toEqual({ mode: 'telegram', via: 'TELEGRAM_API_ROOT' });
    rememberTelegramRun(viaRoot, { DATA_DIR: dir });
    expect(startMode({ DATA_DIR: dir }), 'neither the demo nor a sandbox named on purpose is Telegram').toEqual({ mode: 'demo', why: 'no configuration' });
    const real = startMode({ DATA_DIR: dir, BOT_TOKEN: TOKEN });
    expect(real).toEqual({ mode: 'telegram', via: 'BOT_TOKEN' });
    expect(startMode({ DATA_DIR: dir }), 'deciding alone marks nothing').toEqual({ mode: 'demo', why: 'no configuration' });
    rememberTelegramRun(real, { DATA_DIR: dir, BOT_TOKEN: TOKEN });
    expect(existsSync(join(dir, 'ran-on-telegram'))).toBe(true);
    expect(() => startMode({ DATA_DIR: dir })).toThrow(/DATA_DIR .* holds a desk that ran on Telegram, and no BOT_TOKEN is set/);
    expect(() => startMode({ DATA_DIR: dir, DEMO: '1' })).toThrow(/DATA_DIR/);
    expect(startMode({ DATA_DIR: dir, BOT_TOKEN: TOKEN })).toEqual({ mode: 'telegram', via: 'BOT_TOKEN' });
  });

  it.each(table)('%s', (_what, env, expected) => {
    if ('mode' in expected) {
      expect(decideStartMode(env)).toEqual(expected);
      return;
    }
    let error: unknown;
    try {
      decideStartMode(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(expected.error);
    expect((error as ConfigError).message).toMatch(expected.says);
    // Secrets never reach the message.
    expect((error as ConfigError).message).not.toMatch(/hunter2|AAHdqTcv|desk:pw/);
  });
});
