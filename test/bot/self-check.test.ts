/**
 * The start-up self-check (bot/self-check.ts) through the sandbox: a wrong chat
 * id, a group without topics, the bot not an administrator, missing
 * can_manage_topics and an unreachable escalation chat each give their exact
 * line and make `npm run bot` exit non-zero; a Bot API or a store out of reach
 * is degraded, not fatal; `npm run doctor` prints the table and exits 0 only
 * when every check passes. The bus (the real Kafka broker of
 * scripts/services.sh, or the embedded log's directory), Prometheus and
 * Alertmanager (the real binaries, started by scripts/alerting-stack.ts) are
 * checked in the same list: reachable is ok, a wrong port is degraded with its
 * exact line.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  busProbe,
  formatTable,
  monitoringProbes,
  problemLines,
  SelfCheckError,
  selfCheck,
  selfCheckApi,
  startupSelfCheck,
  type SelfCheckOptions,
} from '../../bot/self-check.js';
import { createHttpServer } from '../../core/http.js';
import { logger } from '../../core/log.js';
import { registry } from '../../core/metrics.js';
import { testKafkaBrokers } from '../../ingest/test-support.js';
import { freePort, startAlertingStack, type AlertingStack } from '../../scripts/alerting-stack.js';
import { SandboxClient } from '../../sandbox/client.js';
import { SANDBOX_BOT_ID } from '../../sandbox/identities.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { tmpDataDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = tmpDataDir('desk-self-check-');
let sandbox: RunningSandbox;
let client: SandboxClient;
let support: number;
let escalation: number;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  client = new SandboxClient(sandbox.url);
  support = sandbox.world.chatIds.support;
  escalation = sandbox.world.chatIds.escalation;
});
beforeEach(async () => {
  await client.reset();
});
afterAll(async () => {
  await sandbox?.close();
  tmp.cleanup();
});

const options = (over: Partial<SelfCheckOptions> = {}): SelfCheckOptions => ({
  api: selfCheckApi(sandbox.token, sandbox.apiRoot, 5),
  apiRoot: sandbox.apiRoot,
  supportChatId: support,
  escalationChatId: escalation,
  ...over,
});
const check = async (name: string, over: Partial<SelfCheckOptions> = {}) => (await selfCheck(options(over))).find((r) => r.check === name)!;

/** The fatal lines each broken world gives. */
const cases: Array<[string, () => Promise<unknown>, Partial<SelfCheckOptions>, string]> = [
  [
    'a wrong SUPPORT_CHAT_ID',
    async () => undefined,
    { supportChatId: -1009999999999 },
    'SUPPORT_CHAT_ID=-1009999999999 is not a chat @support_desk_bot is in (Telegram: "400 Bad Request: chat not found"): add @support_desk_bot to the support group and set SUPPORT_CHAT_ID to the group\'s id (-100…)',
  ],
  [
    'a group without topics',
    () => client.setChat({ is_forum: false }),
    {},
    'SUPPORT_CHAT_ID=-1002000000001 is a group without topics: enable Topics in the group settings',
  ],
  [
    'the bot not an administrator',
    () => client.setMember({ user_id: SANDBOX_BOT_ID, status: 'member' }),
    {},
    'SUPPORT_CHAT_ID=-1002000000001: @support_desk_bot is not an administrator there (status: member): promote it to administrator with the right "Manage topics" — the desk opens a topic per customer',
  ],
  [
    'the bot without can_manage_topics',
    () => client.setMember({ user_id: SANDBOX_BOT_ID, status: 'administrator', can_manage_topics: false }),
    {},
    'SUPPORT_CHAT_ID=-1002000000001: @support_desk_bot is an administrator without the right "Manage topics" (can_manage_topics): enable "Manage topics" in its administrator rights — the desk opens a topic per customer',
  ],
  [
    'an unreachable escalation chat',
    () => client.setMember({ user_id: SANDBOX_BOT_ID, status: 'left', chat_id: escalation }),
    {},
    'ESCALATION_CHAT_ID=-1002000000002 is not reachable (Telegram: "400 Bad Request: chat not found"): add @support_desk_bot to the escalation chat and set ESCALATION_CHAT_ID to its id — otherwise every SLA alert and daily digest is lost',
  ],
];

describe('self-check through the sandbox', () => {
  it('passes on the sandbox as the demo runs it', async () => {
    const results = await selfCheck(options());
    expect(results.map((r) => [r.check, r.status])).toEqual([
      ['bot token (getMe)', 'ok'],
      ['support chat', 'ok'],
      ['bot rights in support chat', 'ok'],
      ['escalation chat', 'ok'],
    ]);
    expect(problemLines(results)).toEqual([]);
  });

  it.each(cases)('%s is fatal, with its exact line', async (_name, arrange, over, line) => {
    await arrange();
    const results = await selfCheck(options(over));
    expect(problemLines(results)).toEqual([line]);
    const err = await startupSelfCheck({ ...options(over), log: logger('test') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SelfCheckError);
    expect((err as Error).message).toBe(`the start-up self-check found a problem (npm run doctor shows every check):\n  ${line}`);
  });

  it('a refused token names BOT_TOKEN without printing it', async () => {
    // What api.telegram.org answers to a revoked or mistyped token.
    await client.injectFault({ method: 'getMe', error_code: 401 });
    const r = await check('bot token (getMe)', { api: selfCheckApi('7000000001:wrong-secret', sandbox.apiRoot, 5) });
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/^BOT_TOKEN is refused by the Bot API at http:\/\/127\.0\.0\.1:\d+ \(401 Unauthorized\): copy the token again from @BotFather/);
    expect(r.detail).not.toContain('wrong-secret');
  });

  it('a Bot API out of reach is degraded, retried with back-off, and healed checks clear /healthz', async () => {
    const port = await freePort();
    const down = options({ api: selfCheckApi(sandbox.token, `http://127.0.0.1:${port}`, 5), apiRoot: `http://127.0.0.1:${port}` });
    const results = await selfCheck(down);
    expect(results.map((r) => r.status)).toEqual(['degraded', 'skipped', 'skipped', 'skipped']);
    expect(results[0]!.detail).toMatch(
      new RegExp(`^the Bot API at http://127\\.0\\.0\\.1:${port} does not answer \\(.+\\): retrying with back-off; check the network$`),
    );
    const monitor = await startupSelfCheck({ ...down, log: logger('test'), retry: { firstMs: 5, attemptsBeforeStart: 2 } });
    expect(monitor.problem()).toMatch(/^\(degraded\) the Bot API at .* does not answer/);
    monitor.stop();
  });

  it('a store that does not answer is degraded and heals', async () => {
    let up = false;
    const stores = [
      {
        check: 'PostgreSQL',
        variable: 'DATABASE_URL',
        where: 'postgres://db:5432',
        probe: async () => {
          if (!up) throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
        },
      },
    ];
    const monitor = await startupSelfCheck({ ...options({ stores }), log: logger('test'), retry: { firstMs: 5, maxMs: 20, attemptsBeforeStart: 1 } });
    expect(monitor.problem()).toBe(
      '(degraded) DATABASE_URL (postgres://db:5432) does not answer (connect ECONNREFUSED 10.0.0.5:5432): retrying with back-off; start the server or fix DATABASE_URL',
    );
    expect(await registry.getSingleMetricAsString('desk_self_check_degraded')).toContain('desk_self_check_degraded{check="PostgreSQL"} 1');
    up = true;
    await expect.poll(() => monitor.problem(), { timeout: 2000 }).toBeUndefined();
    expect(await registry.getSingleMetricAsString('desk_self_check_degraded')).toContain('desk_self_check_degraded{check="PostgreSQL"} 0');
    monitor.stop();
  });

  it('formats the doctor table', async () => {
    await client.setChat({ is_forum: false });
    const table = formatTable(await selfCheck(options()));
    expect(table.split('\n').slice(0, 2)).toEqual(['check                      | status  | detail', '---------------------------+---------+---------']);
    expect(table).toContain(
      'support chat               | fail    | SUPPORT_CHAT_ID=-1002000000001 is a group without topics: enable Topics in the group settings',
    );
    expect(table).toContain('bot rights in support chat | skipped | not checked: the support chat is not usable');
  });
});

const busConfig = (brokers: string[], dataDir = tmp.dir) => ({ KAFKA_BROKERS: brokers, KAFKA_CLIENT_ID: 'self-check-test', DATA_DIR: dataDir });

describe('the bus, Prometheus and Alertmanager in the same check list', () => {
  let stack: AlertingStack;
  beforeAll(async () => {
    stack = await startAlertingStack({ port: await freePort(), webhookToken: 'self-check-test', dataDir: join(tmp.dir, 'alerting'), log: logger('test') });
    if (!stack.enabled) throw new Error(`Prometheus and Alertmanager are needed on PATH: ${stack.reason}`);
  }, 120_000);
  afterAll(async () => {
    if (stack?.enabled) await stack.stop();
  });
  const urls = () => (stack.enabled ? { PROMETHEUS_URL: stack.prometheusUrl, ALERTMANAGER_URL: stack.alertmanagerUrl } : {});

  it('a reachable Kafka, Prometheus and Alertmanager are ok', async () => {
    const brokers = testKafkaBrokers();
    const results = await selfCheck(options({ stores: [busProbe(busConfig(brokers)), ...monitoringProbes(urls())] }));
    expect(results.slice(4).map((r) => [r.check, r.status, r.detail])).toEqual([
      ['bus', 'ok', `answers (Kafka at ${brokers.join(',')})`],
      ['Prometheus', 'ok', `answers (${stack.enabled ? stack.prometheusUrl : ''})`],
      ['Alertmanager', 'ok', `answers (${stack.enabled ? stack.alertmanagerUrl : ''})`],
    ]);
    expect(problemLines(results)).toEqual([]);
  });

  it('Kafka on a wrong port is degraded, with its exact line', async () => {
    const port = await freePort();
    const results = await selfCheck(options({ stores: [busProbe(busConfig([`127.0.0.1:${port}`]))] }));
    expect(problemLines(results)).toEqual([
      `(degraded) KAFKA_BROKERS (Kafka at 127.0.0.1:${port}) does not answer (Connection error: connect ECONNREFUSED 127.0.0.1:${port}): retrying with back-off; start the server or fix KAFKA_BROKERS`,
    ]);
  });

  it('Prometheus and Alertmanager on a wrong port are degraded, with their exact lines', async () => {
    const port = await freePort();
    const results = await selfCheck(
      options({ stores: monitoringProbes({ PROMETHEUS_URL: `http://127.0.0.1:${port}`, ALERTMANAGER_URL: `http://user:secret@127.0.0.1:${port}/am` }) }),
    );
    expect(problemLines(results)).toEqual([
      `(degraded) PROMETHEUS_URL (http://127.0.0.1:${port}) does not answer (connect ECONNREFUSED 127.0.0.1:${port}): retrying with back-off; start the server or fix PROMETHEUS_URL`,
      `(degraded) ALERTMANAGER_URL (http://127.0.0.1:${port}) does not answer (connect ECONNREFUSED 127.0.0.1:${port}): retrying with back-off; start the server or fix ALERTMANAGER_URL`,
    ]);
  });

  it('a URL that answers but is not Alertmanager is degraded and says what answered', async () => {
    // The sandbox (any HTTP server) where Alertmanager should be: its /-/ready is 404.
    const [r] = (await selfCheck(options({ stores: monitoringProbes({ ALERTMANAGER_URL: sandbox.url }) }))).slice(5);
    expect(r).toEqual({
      check: 'Alertmanager',
      status: 'degraded',
      variable: 'ALERTMANAGER_URL',
      detail: `ALERTMANAGER_URL (${new URL(sandbox.url).origin}) does not answer (GET /-/ready answered 404, not Alertmanager's readiness endpoint): retrying with back-off; start the server or fix ALERTMANAGER_URL`,
    });
  });

  it('unset URLs are skipped; the embedded log is ok when its directory is writable and degraded when it is missing', async () => {
    const ok = join(tmp.dir, 'embedded-ok');
    mkdirSync(join(ok, 'bus'), { recursive: true });
    const missing = join(tmp.dir, 'nowhere', 'bus');
    const results = await selfCheck(
      options({ stores: [busProbe(busConfig([], ok)), busProbe(busConfig([], join(tmp.dir, 'nowhere'))), ...monitoringProbes({})] }),
    );
    expect(results.slice(4).map((r) => [r.check, r.status, r.detail])).toEqual([
      ['bus', 'ok', `answers (embedded log in ${join(ok, 'bus')})`],
      [
        'bus',
        'degraded',
        `DATA_DIR (embedded log in ${missing}) does not answer (ENOENT: no such file or directory, access '${missing}'): retrying with back-off; make ${missing} writable for the desk, or set KAFKA_BROKERS`,
      ],
      ['Prometheus', 'skipped', 'PROMETHEUS_URL unset: not checked'],
      ['Alertmanager', 'skipped', 'ALERTMANAGER_URL unset: not checked'],
    ]);
  });

  it('a degraded bus shows on /healthz (which check, no error text) and as desk_self_check_degraded', async () => {
    const port = await freePort();
    const monitor = await startupSelfCheck({
      ...options({ stores: [busProbe(busConfig([`127.0.0.1:${port}`])), ...monitoringProbes(urls())] }),
      log: logger('test'),
      retry: { firstMs: 5, maxMs: 20, attemptsBeforeStart: 1 },
    });
    const http = await createHttpServer({ host: '127.0.0.1', token: undefined, healthChecks: { 'self-check': monitor.health } });
    try {
      const res = await http.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        ok: true,
        status: 'degraded',
        checks: { 'self-check': { state: 'degraded', reason: 'out of reach, retried with back-off: bus (npm run doctor says why and how to fix it)' } },
      });
      expect(await registry.getSingleMetricAsString('desk_self_check_degraded')).toContain('desk_self_check_degraded{check="bus"} 1');
      expect(await registry.getSingleMetricAsString('desk_self_check_degraded')).toContain('desk_self_check_degraded{check="Prometheus"} 0');
    } finally {
      monitor.stop();
      await http.close();
    }
  });

  it('npm run doctor lists the bus, Prometheus and Alertmanager', async () => {
    const port = await freePort();
    const r = await run('scripts/doctor.ts', {
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      PROMETHEUS_URL: stack.enabled ? stack.prometheusUrl : '',
      ALERTMANAGER_URL: `http://127.0.0.1:${port}`,
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^bus +\\| ok +\\| answers \\(Kafka at ${testKafkaBrokers().join(',').replaceAll('.', '\\.')}\\)$`, 'm'));
    expect(r.stdout).toMatch(/^Prometheus +\| ok +\| answers \(http:\/\/127\.0\.0\.1:\d+\)$/m);
    expect(r.stdout).toContain(
      `| degraded | ALERTMANAGER_URL (http://127.0.0.1:${port}) does not answer (connect ECONNREFUSED 127.0.0.1:${port}): retrying with back-off; start the server or fix ALERTMANAGER_URL`,
    );
    expect(r.stdout).toMatch(/^0 failed, 1 degraded$/m);
  }, 120_000);
});

/** Runs an entry point against the in-process sandbox (asynchronously: the sandbox answers from this process). */
function run(file: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', file, ...args],
      {
        cwd: ROOT,
        timeout: 120_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          DATA_DIR: tmp.dir,
          LOG_LEVEL: 'silent',
          TELEGRAM_API_ROOT: sandbox.apiRoot,
          PORT: '0',
          ...env,
        },
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('entry points', () => {
  it('npm run bot exits non-zero with the line, no stack, on a group without topics', async () => {
    await client.setChat({ is_forum: false });
    const r = await run('bot/main.ts', {});
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'error: the start-up self-check found a problem (npm run doctor shows every check):\n  SUPPORT_CHAT_ID=-1002000000001 is a group without topics: enable Topics in the group settings',
    );
  }, 120_000);

  it('npm start (on Telegram: BOT_TOKEN) exits non-zero with the line when the escalation chat is unreachable', async () => {
    await client.setMember({ user_id: SANDBOX_BOT_ID, status: 'left', chat_id: escalation });
    const r = await run('scripts/start.ts', {
      BOT_TOKEN: '7000000001:AAEsandboxSandboxSandboxSandbox12345',
      DATA_DIR: join(tmp.dir, 'start'),
      ALERTING: '0',
      SANDBOX_PORT: String(await freePort()),
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'error: the start-up self-check found a problem (npm run doctor shows every check):\n  ESCALATION_CHAT_ID=-1002000000002 is not reachable (Telegram: "400 Bad Request: chat not found"): add @support_desk_bot to the escalation chat and set ESCALATION_CHAT_ID to its id — otherwise every SLA alert and daily digest is lost',
    );
  }, 120_000);

  it('npm run doctor prints the table and exits 0 when every check passes', async () => {
    const r = await run('scripts/doctor.ts', {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^check +\| status +\| detail$/m);
    expect(r.stdout).toMatch(/^bot token \(getMe\) +\| ok +\| @support_desk_bot \(id 7000000001\)$/m);
    expect(r.stdout).toMatch(/^support chat +\| ok +\| "Support", a supergroup with topics$/m);
    expect(r.stdout).toMatch(/^bot rights in support chat +\| ok +\| administrator with can_manage_topics/m);
    expect(r.stdout).toMatch(/^escalation chat +\| ok +\| "Escalations" \(supergroup\)$/m);
    expect(r.stdout).toMatch(/^PostgreSQL +\| skipped +\| PGlite in DATA_DIR/m);
    expect(r.stdout).toMatch(/^ClickHouse +\| skipped +\| chDB in DATA_DIR/m);
    expect(r.stdout).toMatch(/^bus +\| skipped +\| embedded log in .*\/bus \(KAFKA_BROKERS unset\): opened by the desk itself, not checked here$/m);
    expect(r.stdout).toMatch(/^Prometheus +\| skipped +\| PROMETHEUS_URL unset: not checked$/m);
    expect(r.stdout).toMatch(/^Alertmanager +\| skipped +\| ALERTMANAGER_URL unset: not checked$/m);
    expect(r.stdout).toMatch(/^all checks pass$/m);
  }, 120_000);

  it('npm run doctor exits 1 and names the problem when the bot lacks can_manage_topics', async () => {
    await client.setMember({ user_id: SANDBOX_BOT_ID, status: 'administrator', can_manage_topics: false });
    const r = await run('scripts/doctor.ts', {});
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^bot rights in support chat +\| fail +\| SUPPORT_CHAT_ID=-1002000000001: @support_desk_bot is an administrator without the right "Manage topics"/m,
    );
    expect(r.stdout).toMatch(/^1 failed, 0 degraded$/m);
  }, 120_000);
});
