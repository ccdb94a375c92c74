/**
 * The embedded alerting stack for `npm start`: when the Debian/upstream binaries
 * `prometheus` and `prometheus-alertmanager` (or `alertmanager`) are on PATH,
 * run them with the project's own configs — rendered into the given directory
 * with loopback addresses, the product's port and the webhook token — so the
 * same rules that run in docker-compose watch the local desk. Without them the
 * product runs on, and `npm start` says "alerts are off" with the reason.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { logger, type Logger } from '../core/log.js';

const PROMETHEUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'prometheus');

export interface AlertingStackOptions {
  /** The product's HTTP port: scraped at /metrics, and where Alertmanager posts /hooks/alertmanager. */
  port: number;
  webhookToken: string;
  /** ANALYTICS_TOKEN when set: Prometheus scrapes /metrics with it (needed beyond loopback). */
  metricsToken?: string | undefined;
  /** Directory for the rendered configs and both tools' data (e.g. DATA_DIR/alerting); created if missing. */
  dataDir: string;
  /** Interface the product listens on (default 127.0.0.1). */
  host?: string;
  /** Preferred ports (PROMETHEUS_PORT, ALERTMANAGER_PORT); a busy one falls back to a free port, with a warning. 0 or omitted → a free port. */
  prometheusPort?: number;
  alertmanagerPort?: number;
  /** Shorter timers for tests and benchmarks; defaults are the shipped files' values. */
  scrapeInterval?: string;
  evaluationInterval?: string;
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  log?: Logger;
}

export type AlertingStack =
  | { enabled: true; prometheusUrl: string; alertmanagerUrl: string; configDir: string; stop(): Promise<void> }
  | { enabled: false; reason: string };

/** The first of `names` that runs (`<name> --version`) from PATH; spawn resolves PATH itself. */
export async function findOnPath(names: readonly string[]): Promise<string | undefined> {
  for (const n of names) {
    const ok = await new Promise<boolean>((done) => {
      execFile(n, ['--version'], { timeout: 10_000 }, (err) => done(!err));
    });
    if (ok) return n;
  }
  return undefined;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, host, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/** Whether `port` can be bound on `host` right now. */
async function canBind(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen(port, host, () => srv.close(() => done(true)));
  });
}

/**
 * The preferred port when it is free, so bookmarks and a developer's Grafana keep working across
 * restarts; another one only when something else holds it (a second desk, a system Prometheus).
 */
async function preferredOrFreePort(preferred: number | undefined, variable: string, log: Logger): Promise<number> {
  if (!preferred) return freePort();
  if (await canBind(preferred)) return preferred;
  const port = await freePort();
  log.warn(`${variable}=${preferred} is in use; using ${port} instead`);
  return port;
}

type Yaml = Record<string, unknown>;

/**
 * prometheus/prometheus.yml with loopback targets, absolute rule paths and optional intervals; the scrape
 * authorization reads `metricsTokenFile` (the analytics token), or is dropped when there is none.
 */
export function renderPrometheusConfig(o: {
  target: string;
  alertmanager: string;
  scrapeInterval?: string;
  evaluationInterval?: string;
  metricsTokenFile?: string | undefined;
}): string {
  const cfg = parse(readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as Yaml;
  const global = cfg.global as Yaml;
  if (o.scrapeInterval) global.scrape_interval = o.scrapeInterval;
  if (o.evaluationInterval) global.evaluation_interval = o.evaluationInterval;
  cfg.rule_files = (cfg.rule_files as string[]).map((f) => resolve(PROMETHEUS_DIR, f));
  (cfg.alerting as { alertmanagers: { static_configs: { targets: string[] }[] }[] }).alertmanagers = [{ static_configs: [{ targets: [o.alertmanager] }] }];
  for (const job of cfg.scrape_configs as Yaml[]) {
    job.static_configs = [{ targets: [o.target] }];
    if (o.metricsTokenFile) job.authorization = { type: 'Bearer', credentials_file: o.metricsTokenFile };
    else delete job.authorization;
    if (o.scrapeInterval) {
      job.scrape_interval = o.scrapeInterval;
      // The timeout must not exceed the interval.
      job.scrape_timeout = o.scrapeInterval;
    }
  }
  return stringify(cfg);
}

/** prometheus/alertmanager.yml posting to the product on loopback with the token file; optional timers override every route. */
export function renderAlertmanagerConfig(o: {
  webhookUrl: string;
  tokenFile: string;
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
}): string {
  const cfg = parse(readFileSync(join(PROMETHEUS_DIR, 'alertmanager.yml'), 'utf8')) as Yaml;
  const visit = (route: Yaml) => {
    if (o.groupWait) route.group_wait = o.groupWait;
    if (o.groupInterval) route.group_interval = o.groupInterval;
    if (o.repeatInterval) route.repeat_interval = o.repeatInterval;
    for (const child of (route.routes as Yaml[] | undefined) ?? []) visit(child);
  };
  visit(cfg.route as Yaml);
  for (const r of cfg.receivers as { webhook_configs?: { url: string; http_config?: Yaml }[] }[]) {
    for (const w of r.webhook_configs ?? []) {
      w.url = o.webhookUrl;
      w.http_config = { ...w.http_config, authorization: { type: 'Bearer', credentials_file: o.tokenFile } };
    }
  }
  return stringify(cfg);
}

async function waitReady(url: string, child: ChildProcess, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} during start-up`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not ready at ${url} after ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      ok();
    });
    child.kill('SIGTERM');
  });
}

function pipeLogs(child: ChildProcess, log: Logger, name: string, stopping: () => boolean): void {
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      // Both tools log logfmt with level=…; keep their warnings and errors visible — except while we
      // stop them, when "Received SIGTERM, exiting gracefully" is a warning only to them.
      if (/level=(warn|error)/.test(line) && !stopping()) log.warn({ process: name }, line);
      else log.debug({ process: name }, line);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
}

export async function startAlertingStack(o: AlertingStackOptions): Promise<AlertingStack> {
  const log = o.log ?? logger('alerting-stack');
  const [prometheusBin, alertmanagerBin] = await Promise.all([findOnPath(['prometheus']), findOnPath(['prometheus-alertmanager', 'alertmanager'])]);
  if (!prometheusBin || !alertmanagerBin) {
    const missing = [!prometheusBin && 'prometheus', !alertmanagerBin && 'prometheus-alertmanager'].filter(Boolean).join(' and ');
    return { enabled: false, reason: `${missing} not found on PATH (apt-get install prometheus prometheus-alertmanager)` };
  }
  const host = o.host ?? '127.0.0.1';
  const dir = resolve(o.dataDir);
  mkdirSync(join(dir, 'prometheus-data'), { recursive: true });
  mkdirSync(join(dir, 'alertmanager-data'), { recursive: true });
  const promPort = await preferredOrFreePort(o.prometheusPort, 'PROMETHEUS_PORT', log);
  const amPort = await preferredOrFreePort(o.alertmanagerPort, 'ALERTMANAGER_PORT', log);
  const tokenFile = join(dir, 'webhook-token');
  writeFileSync(tokenFile, o.webhookToken, { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  let metricsTokenFile: string | undefined;
  if (o.metricsToken) {
    metricsTokenFile = join(dir, 'metrics-token');
    writeFileSync(metricsTokenFile, o.metricsToken, { mode: 0o600 });
    chmodSync(metricsTokenFile, 0o600);
  }
  const target = `${host === '0.0.0.0' ? '127.0.0.1' : host}:${o.port}`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    renderPrometheusConfig({
      target,
      alertmanager: `127.0.0.1:${amPort}`,
      scrapeInterval: o.scrapeInterval,
      evaluationInterval: o.evaluationInterval,
      metricsTokenFile,
    }),
  );
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    renderAlertmanagerConfig({
      webhookUrl: `http://${target}/hooks/alertmanager`,
      tokenFile,
      groupWait: o.groupWait,
      groupInterval: o.groupInterval,
      repeatInterval: o.repeatInterval,
    }),
  );

  const children: ChildProcess[] = [];
  // If this process dies without stop(), take the children along rather than orphan them.
  const killOnExit = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  let stopping = false;
  const stop = async () => {
    stopping = true;
    process.removeListener('exit', killOnExit);
    await Promise.all(children.map((c) => stopChild(c)));
  };
  try {
    const am = spawn(
      alertmanagerBin,
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'alertmanager-data')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        // No gossip: a single local instance must not bind 9094 or look for peers.
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(am);
    pipeLogs(am, log, 'alertmanager', () => stopping);
    const prom = spawn(
      prometheusBin,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--storage.tsdb.retention.time=15d',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(prom);
    pipeLogs(prom, log, 'prometheus', () => stopping);
    await Promise.all([
      waitReady(`http://127.0.0.1:${amPort}/-/ready`, am, 'alertmanager'),
      waitReady(`http://127.0.0.1:${promPort}/-/ready`, prom, 'prometheus'),
    ]);
  } catch (e) {
    await stop();
    return { enabled: false, reason: (e as Error).message };
  }
  const prometheusUrl = `http://127.0.0.1:${promPort}`;
  const alertmanagerUrl = `http://127.0.0.1:${amPort}`;
  log.info({ prometheusUrl, alertmanagerUrl }, 'alerting stack running');
  return { enabled: true, prometheusUrl, alertmanagerUrl, configDir: dir, stop };
}
