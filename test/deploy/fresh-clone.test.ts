/**
 * The README's run command on a fresh clone, as a new team meets it: clone
 * what is committed, `npm install`, `npm start` with nothing configured, then
 * open what the banner points at. A first page that is a 503 ("not built"),
 * an API that does not answer or a playground that does not load fails here.
 *
 * The clone is of the committed HEAD: uncommitted work is not what a user gets.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/alerting-stack.js';
import { tmpDataDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = tmpDataDir('desk-fresh-clone-');
const clone = join(tmp.dir, 'desk');
let desk: ChildProcess | undefined;
let output = '';
let dashboard = '';
let playground = '';

/** Resolves with the banner's record once `npm start` says it is running; rejects if it exits first. */
function waitForBanner(child: ChildProcess, timeoutMs: number): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not report running within ${timeoutMs} ms:\n${output.slice(-3000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const line of output.split('\n')) {
        if (!line.includes('support desk running')) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, string>);
        return;
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output.slice(-3000)}`)));
  });
}

beforeAll(async () => {
  execFileSync('git', ['clone', '--quiet', ROOT, clone]);
  // The README: `npm install && npm start`. --prefer-offline only reuses this machine's npm cache.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: clone, stdio: 'pipe', timeout: 300_000 });
  const [port, sandboxPort] = [await freePort(), await freePort()];
  // Nothing configured but ports (other tests run beside this one) and a JSON log to read the banner from.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), SANDBOX_PORT: String(sandboxPort), LOG_FORMAT: 'json' };
  desk = spawn('npm', ['start'], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const banner = await waitForBanner(desk, 240_000);
  dashboard = banner.dashboard!;
  playground = banner.playground!;
}, 600_000);

afterAll(async () => {
  if (desk?.pid && desk.exitCode === null) {
    const exited = new Promise((r) => desk!.once('exit', r));
    process.kill(-desk.pid, 'SIGTERM'); // npm, its shell and node: the whole group
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (desk.exitCode === null) process.kill(-desk.pid, 'SIGKILL');
  }
  tmp.cleanup();
});

describe('a fresh clone, npm install && npm start', () => {
  it('says it runs the demo and where the dashboard and the playground are', () => {
    expect(output).toContain('"mode":"demo"');
    expect(dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(playground).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/$/);
  });

  it('serves the dashboard app at /', async () => {
    const res = await fetch(`${dashboard}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<script[^>]+src="[^"]*assets\/[^"]+\.js"/);
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)![1]!;
    expect((await fetch(`${dashboard}/${script}`)).status).toBe(200);
  });

  it('answers the analytics API', async () => {
    const to = new Date();
    const from = new Date(to.getTime() - 7 * 86_400_000);
    const res = await fetch(`${dashboard}/api/v1/summary?from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tickets_created: number };
    expect(typeof body.tickets_created).toBe('number');
  });

  it('serves the sandbox playground', async () => {
    const res = await fetch(playground);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<script[^>]+src="[^"]+\.js"/);
  });

  it('logs no warning of leaked listeners or stack traces while starting', () => {
    expect(output).not.toContain('MaxListenersExceededWarning');
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});
