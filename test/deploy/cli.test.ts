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

/** npm scripts that run our own TypeScript entry points: name → file. */
const entryPoints = Object.entries(scripts)
  .map(([name, cmd]) => [name, /^tsx (\S+\.ts)$/.exec(cmd)?.[1]] as const)
  .filter((e): e is readonly [string, string] => e[1] !== undefined);

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
      ['bench', 'bot', 'build:web', 'chdb-gateway', 'config:docs', 'dashboard', 'import', 'ingest', 'migrate', 'sandbox', 'schemas:export', 'simulate', 'start'].sort(),
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
    const r = run(scripts[name]!.replace(/^tsx /, ''), [], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: Invalid configuration: /m);
    expect(r.stderr).toMatch(message);
    // One line for a person, not a stack trace.
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
