/**
 * The distributed deployment on one machine: the sandbox (as Telegram), the
 * bot, the ingest service and the dashboard as separate processes around a
 * real Kafka broker and a real PostgreSQL; ClickHouse over HTTP (the chDB
 * gateway, the server code path). A customer conversation goes in through
 * the sandbox; the summary comes out of the dashboard's API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxClient } from '../../sandbox/index.js';
import { freePort } from '../../scripts/alerting-stack.js';
import { startChdbGateway, type ChdbGateway } from '../../scripts/chdb-http-gateway.js';
import { tmpDataDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const brokers = process.env.TEST_KAFKA_BROKERS;
const databaseUrl = process.env.TEST_DATABASE_URL;

const tmp = tmpDataDir('desk-multiprocess-');
const suffix = randomBytes(4).toString('hex');
const dbName = `desk_mp_${suffix}`;
const children: Array<{ name: string; proc: ChildProcess; output: string[] }> = [];
let gateway: ChdbGateway;
let sandbox: SandboxClient;
let dashboardUrl: string;

function launch(name: string, entry: string, env: Record<string, string>): void {
  const proc = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (b: Buffer) => {
    output.push(b.toString());
    if (output.length > 200) output.shift();
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  children.push({ name, proc, output });
}

async function waitHttp(url: string, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = children.find((c) => c.proc.exitCode !== null);
    if (dead) throw new Error(`${dead.name} exited with ${dead.proc.exitCode}:\n${dead.output.join('')}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not come up at ${url}:\n${children.map((c) => `--- ${c.name}\n${c.output.join('')}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  if (!brokers || !databaseUrl)
    throw new Error('TEST_KAFKA_BROKERS and TEST_DATABASE_URL are required: run `bash scripts/services.sh start` (the README test command does)');
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${dbName}`;

  gateway = await startChdbGateway({ dataDir: join(tmp.dir, 'clickhouse') });
  const [sandboxPort, botPort, ingestPort, dashboardPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const kafka = { KAFKA_BROKERS: brokers, KAFKA_TOPIC: `mp.events.${suffix}`, KAFKA_DLQ_TOPIC: `mp.events.${suffix}.dlq`, KAFKA_PARTITIONS: '3' };

  launch('sandbox', 'sandbox/main.ts', { SANDBOX_PORT: String(sandboxPort), DATA_DIR: join(tmp.dir, 'sandbox') });
  await waitHttp(`http://127.0.0.1:${sandboxPort}/sandbox/info`, 'sandbox');
  // npm run bot never falls back on a sandbox: the one it talks to is named on purpose.
  launch('bot', 'bot/main.ts', {
    ...kafka,
    DATABASE_URL: url.toString(),
    CLICKHOUSE_URL: gateway.url,
    TELEGRAM_API_ROOT: `http://127.0.0.1:${sandboxPort}`,
    PORT: String(botPort),
    DATA_DIR: join(tmp.dir, 'bot'),
  });
  launch('ingest', 'ingest/main.ts', {
    ...kafka,
    KAFKA_GROUP_ID: `mp-ingest-${suffix}`,
    CLICKHOUSE_URL: gateway.url,
    PORT: String(ingestPort),
    DATA_DIR: join(tmp.dir, 'ingest'),
  });
  launch('dashboard', 'dashboard/main.ts', { CLICKHOUSE_URL: gateway.url, PORT: String(dashboardPort), DATA_DIR: join(tmp.dir, 'dashboard') });
  await Promise.all([
    waitHttp(`http://127.0.0.1:${botPort}/healthz`, 'bot'),
    waitHttp(`http://127.0.0.1:${ingestPort}/healthz`, 'ingest'),
    waitHttp(`http://127.0.0.1:${dashboardPort}/metrics`, 'dashboard'),
  ]);
  sandbox = new SandboxClient(`http://127.0.0.1:${sandboxPort}`);
  dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
}, 180_000);

afterAll(async () => {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.proc.exitCode !== null) return resolve();
          const kill = setTimeout(() => c.proc.kill('SIGKILL'), 15_000);
          c.proc.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          c.proc.kill('SIGTERM');
        }),
    ),
  );
  await gateway?.close();
  if (databaseUrl) {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  tmp.cleanup();
}, 60_000);

describe('bot, ingest and dashboard as separate processes (Kafka, PostgreSQL, ClickHouse over HTTP)', () => {
  it('a customer conversation goes in through Telegram and its numbers come out of the summary', async () => {
    const customer = 424_242;
    const agent = 515_151;
    const now = Math.floor(Date.now() / 1000);
    const opened = now - 3600;

    await sandbox.sendCustomerMessage(customer, { text: 'qwxz plmokn zzyzx', first_name: 'Olga', language_code: 'en', date: opened });
    await sandbox.waitForCustomerMessage(customer, /What is your question about/, { timeoutMs: 30_000 });
    await sandbox.pressCustomerButton(customer, 'Account');
    await sandbox.waitForCustomerMessage(customer, /We usually answer within/, { timeoutMs: 30_000 });
    const topic = await sandbox.waitForTopic((t) => t.name.includes('Olga'), { timeoutMs: 30_000 });

    await sandbox.sendSupportMessage({ from_id: agent, first_name: 'Ivan', thread_id: topic.thread_id, text: 'Hi Olga, fixed it for you', date: opened + 600 });
    await sandbox.waitForCustomerMessage(customer, 'Hi Olga, fixed it for you', { timeoutMs: 30_000 });
    await sandbox.sendSupportMessage({ from_id: agent, thread_id: topic.thread_id, text: '/resolve', date: opened + 900 });
    await sandbox.waitForCustomerMessage(customer, /solved/i, { timeoutMs: 30_000 });
    await sandbox.waitForCustomerMessage(customer, /How would you rate our help/, { timeoutMs: 30_000 });
    await sandbox.pressCustomerButton(customer, '5');

    const from = new Date((now - 86_400) * 1000).toISOString();
    const to = new Date((now + 3600) * 1000).toISOString();
    let summary: Record<string, number | null> = {};
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${dashboardUrl}/api/v1/summary?from=${from}&to=${to}`);
      expect(res.status).toBe(200);
      summary = (await res.json()) as Record<string, number | null>;
      if (summary.tickets_resolved === 1 && summary.csat_responses === 1) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(summary).toMatchObject({
      tickets_created: 1,
      tickets_resolved: 1,
      frt_p50_seconds: 600,
      frt_p90_seconds: 600,
      resolution_p50_seconds: 900,
      fcr_rate: 1,
      auto_resolution_rate: 0,
      reopen_rate: 0,
      csat_avg: 5,
      csat_pct: 1,
      csat_responses: 1,
      sla_first_response_met_rate: 1,
    });
  }, 180_000);
});
