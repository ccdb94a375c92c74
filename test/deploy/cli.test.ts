/**
 * Every npm script and CLI prints its usage on --help, fails with a clear
 * message and exit code 2 on bad arguments, and names the bad variable when
 * the configuration is invalid.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const tmp = tmpDataDir('desk-cli-');

/** npm scripts that run our own TypeScript entry points (`node --import tsx file.ts`: one process, not tsx's launcher and a child): name → file. */
const entryPoints = Object.entries(scripts)
  .map(([name, cmd]) => [name, /^node --import tsx (\S+\.ts)$/.exec(cmd)?.[1]] as const)
  .filter((e): e is readonly [string, string] => e[1] !== undefined);
const entryFile = (name: string): string => {
  const file = entryPoints.find(([n]) => n === name)?.[1];
  if (!file) throw new Error(`npm script ${name} is not a TypeScript entry point`);
  return file;
};

function run(file: string, args: string[], env: Record<string, string> = {}) {
  const [cmd, argv] = file.endsWith('.sh') ? ['bash', [file, ...args]] : [process.execPath, ['--import', 'tsx', file, ...args]];
  return spawnSync(cmd as string, argv as string[], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: tmp.dir, LOG_LEVEL: 'silent', ...env },
  });
}

describe('command-line interfaces', () => {
  it('covers every TypeScript entry point in package.json', () => {
    expect(entryPoints.map(([n]) => n).sort()).toEqual(
      [
        'bench',
        'bot',
        'build:web',
        'chdb-gateway',
        'config:docs',
        'dashboard',
        'doctor',
        'import',
        'ingest',
        'migrate',
        'sandbox',
        'schema:snapshot',
        'schemas:export',
        'simulate',
        'start',
      ].sort(),
    );
  });

  it.each(entryPoints)('npm run %s -- --help prints its usage', (_name, file) => {
    const r = run(file, ['--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage: /m);
  });

  it.each(entryPoints)('npm run %s -- --no-such-flag fails clearly', (_name, file) => {
    const r = run(file, ['--no-such-flag']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*no-such-flag/m);
  });

  it.each(['scripts/kafka.sh', 'scripts/services.sh', 'scripts/test-all.sh'])('%s --help prints its usage', (file) => {
    const r = run(file, ['--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/usage|scripts\/kafka\.sh start/);
  });

  it.each(['scripts/kafka.sh', 'scripts/services.sh'])('%s rejects an unknown command', (file) => {
    const r = run(file, ['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage/);
  });

  it.each([
    ['start', { PORT: 'eighty' }, /PORT must be an integer/],
    ['bot', { SUPPORT_CHAT_ID: 'support' }, /SUPPORT_CHAT_ID must be an integer/],
    ['ingest', { INGEST_BATCH_SIZE: '-5' }, /INGEST_BATCH_SIZE must be ≥/],
    ['dashboard', { HOST: '0.0.0.0' }, /ANALYTICS_TOKEN must be set/],
    ['start', { HOST: '0.0.0.0' }, /ANALYTICS_TOKEN must be set when HOST \(0\.0\.0\.0\)/],
    ['sandbox', { SANDBOX_FLOOD_LIMITS: 'sometimes' }, /SANDBOX_FLOOD_LIMITS must be 1\/0 or true\/false/],
  ] as const)('npm run %s names the bad variable', (name, env, message) => {
    const r = run(entryFile(name), [], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid configuration: /m);
    expect(r.stderr).toMatch(message);
    // One line for a person, not a stack trace.
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('demo only on purpose, strict configuration, no secret printed (issue 18)', () => {
  const token = '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq';
  // Out of the way of a desk running on the default ports, should a case not fail at start-up.
  const quiet = { PORT: '0', SANDBOX_PORT: '18981', ALERTING: '0', SIMULATE: '0' };

  it.each([
    ['start', { BOT_TOKEN: '' }, /^error: Invalid configuration: BOT_TOKEN is empty: expected a Bot API token from @BotFather/],
    ['start', { BOT_TOKEN: '123456:hunter2-secret' }, /BOT_TOKEN must be a Bot API token from @BotFather.*not shown/],
    [
      'start',
      { DEMO: '1', DATABASE_URL: 'postgres://desk:hunter2-secret@db.example.com:5432/desk' },
      /DATABASE_URL is set with DEMO=1: the demo writes simulated tickets; it runs only on the embedded stores — unset DATABASE_URL or DEMO/,
    ],
    [
      'start',
      { BOT_TOKEN: token, DATABASE_URL: 'postgres://desk:hunter2-secret@db:54x32/desk' },
      /DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
    ],
    ['start', { DATABASE_URL: 'postgres://desk:hunter2-secret@db.example.com:5432/desk' }, /BOT_TOKEN is not set while DATABASE_URL is/],
    ['start', { ESCALATION_CHAT_ID: '' }, /ESCALATION_CHAT_ID is empty: expected a Telegram chat id/],
    ['start', { ALERT_TEAM_LEAD_IDS: '123456789,12a4' }, /ALERT_TEAM_LEAD_IDS must list Telegram user ids.*item 2 of 2, "12a4", is not one/],
    ['start', { DEMO: '1', SANDBOX_HOST: '0.0.0.0' }, /SANDBOX_HOST must be a loopback address for the demo/],
    ['bot', { BOT_TOKEN: '' }, /BOT_TOKEN is empty/],
    ['bot', {}, /BOT_TOKEN is not set: npm run bot serves Telegram and never starts a sandbox/],
    ['bot', { DEMO: '1' }, /DEMO is for npm start/],
  ] as const)('npm run %s %j exits 2 with one line naming the variable', (name, env, message) => {
    const r = run(entryFile(name), [], { ...quiet, ...env });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid configuration: /);
    expect(r.stderr).toMatch(message);
    // One line for a person: no stack trace.
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/hunter2|AAHdqTcv/);
  });
});
