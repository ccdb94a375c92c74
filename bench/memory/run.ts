/**
 * Memory of `npm start`: `npx tsx bench/memory/run.ts [--events N] [--live-seconds S]`.
 *
 * Loads N generated events (default 1 M: 100,000 tickets × 10 over the past
 * year, bench/queries/dataset.ts) into a scratch DATA_DIR's chDB, in a child
 * process (chDB binds one data directory per process, so they cannot be added
 * while the product runs); then starts the product exactly as `npm start` does
 * (`npm start`, the demo: DEMO=1 on the embedded stores, a minimal environment,
 * free ports) on that directory, waits for the simulator's replay of a week of
 * history ("demo history ready"), requests the dashboard's year-long page
 * (every panel) a few times over HTTP, and lets live traffic run. Every second
 * it samples the resident memory of the whole process tree (npm, tsx, the
 * product's Node process with chDB, PGlite and the sandbox in it, Prometheus and
 * Alertmanager when on PATH) from /proc: the sum of RSS (counts shared pages in
 * each process) and of PSS (shares them out). Prints a Markdown block for
 * BENCHMARKS.md and a one-line verdict against the 500 MB target (the tree's RSS at the end; PSS, the product
 * alone and the mean over the live traffic beside it). --env tries a setting (e.g. MALLOC_ARENA_MAX=2) and
 * the verdict names it. Part by part: bench/memory/pglite-parts.ts and bench/memory/chdb-parts.ts.
 */
import { type ChildProcess, execSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseCli, runMain } from '../../core/cli.js';
import { createClickHouse, loadClickHouseConfig, queryRows } from '../../core/clickhouse.js';
import { migrate } from '../../core/migrate.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { generateEvents } from '../queries/dataset.js';

const { values: args } = parseCli({
  usage: 'npx tsx bench/memory/run.ts [--events N] [--live-seconds S] [--max-wait-minutes M] [--data-dir DIR]',
  description: 'Resident memory of npm start (the demo) after its simulated week, with N events in its chDB.',
  options: {
    events: { type: 'string' },
    'live-seconds': { type: 'string' },
    'max-wait-minutes': { type: 'string' },
    'data-dir': { type: 'string' },
    env: { type: 'string' },
    'preload-only': { type: 'boolean' },
    log: { type: 'string' },
  },
  optionHelp: [
    '--events N            events to load before the start, 10 per ticket (default 1000000)',
    '--live-seconds S      live traffic after the replay and the dashboard requests (default 180)',
    '--max-wait-minutes M  give up when the replay has not finished by then (default 40)',
    '--data-dir DIR        the DATA_DIR to use (default: a temporary directory, removed afterwards)',
    '--log FILE            append the product log lines to FILE',
    "--env 'K=V …'         extra environment for npm start, to try a setting (the report names it; the target is plain npm start)",
    '--preload-only        only load the events into --data-dir (the benchmark runs this in a child process)',
  ],
});

const EVENTS = Number(args.events ?? 1_000_000);
/** The target (issue 18): npm start's resident memory after a simulated week with 1 M events. */
const TARGET_MB = 500;
const LIVE_SECONDS = Number(args['live-seconds'] ?? 180);
const MAX_WAIT_MS = Number(args['max-wait-minutes'] ?? 40) * 60_000;
const YEAR_MS = 365 * 86_400_000;
const EXTRA_ENV = Object.fromEntries(
  (args.env ?? '')
    .split(/\s+(?=[A-Za-z_][A-Za-z0-9_]*=)/)
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
/** Generated tickets start here, far above the desk's own ticket ids. */
const TICKET_ID_BASE = 100_000_000;

/** The product's migrations and the events, in this (child) process. */
async function preload(dir: string): Promise<{ events: number; seconds: number }> {
  const cfg = loadClickHouseConfig({ DATA_DIR: dir });
  const ch = await createClickHouse(cfg);
  try {
    await migrate(ch, { eventsTtlDays: cfg.EVENTS_TTL_DAYS });
    const end = Date.now();
    const seconds = await generateEvents(ch, { tickets: Math.ceil(EVENTS / 10), start: end - YEAR_MS, end, ticketIdBase: TICKET_ID_BASE });
    const [row] = await queryRows<{ n: number }>(ch, 'SELECT count() AS n FROM events');
    return { events: Number(row?.n), seconds };
  } finally {
    await ch.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Proc {
  pid: number;
  name: string;
  rssKb: number;
  pssKb: number;
}

/** The process tree under `root` from /proc, with each process's RSS and PSS (kB). */
function processTree(root: number): Proc[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const pids = [root];
  for (let i = 0; i < pids.length; i++) for (const [pid, ppid] of parent) if (ppid === pids[i]) pids.push(pid);
  return pids.flatMap((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (text: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      // tsx runs the product in a Node process of its own (with its loader), beside its launcher's
      const name = cmd.some((a) => a.endsWith('scripts/start.ts'))
        ? cmd.includes('--import')
          ? 'the product (node scripts/start.ts)'
          : cmd[0] === 'sh'
            ? 'sh'
            : 'tsx launcher'
        : (cmd[0]?.split('/').at(-1) ?? '?') + (cmd[1] ? ` ${cmd[1].split('/').at(-1)}` : '');
      return [{ pid, name, rssKb: kb(status, 'VmRSS'), pssKb: kb(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss') }];
    } catch {
      return [];
    }
  });
}

const mb = (kb: number) => Math.round(kb / 1024);

runMain(async () => {
  if (args['preload-only']) {
    if (!args['data-dir']) throw new Error('--preload-only needs --data-dir');
    console.log(JSON.stringify(await preload(args['data-dir'])));
    return;
  }
  const tmp = args['data-dir'] ? { dir: args['data-dir'], cleanup: () => undefined } : tmpDataDir('desk-bench-memory-');
  let product: ChildProcess | undefined;
  try {
    const pre = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--preload-only', '--data-dir', tmp.dir, '--events', String(EVENTS)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
      },
    );
    if (pre.status !== 0) throw new Error(`loading the events failed (exit ${pre.status ?? pre.signal})`);
    const loaded = JSON.parse(pre.stdout.trim().split('\n').at(-1)!) as { events: number; seconds: number };
    process.stderr.write(`loaded ${loaded.events.toLocaleString('en-US')} events in ${loaded.seconds.toFixed(0)} s\n`);

    const [port, sandboxPort, prometheusPort, alertmanagerPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    // A first run's environment: nothing of this shell's (no DATABASE_URL, CLICKHOUSE_URL, BOT_TOKEN …), the demo on purpose.
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DEMO: '1',
      DATA_DIR: tmp.dir,
      HOST: '127.0.0.1',
      PORT: String(port),
      SANDBOX_PORT: String(sandboxPort),
      PROMETHEUS_PORT: String(prometheusPort),
      ALERTMANAGER_PORT: String(alertmanagerPort),
      LOG_FORMAT: 'json',
      ...EXTRA_ENV,
    };
    const root = join(import.meta.dirname, '..', '..');
    const t0 = performance.now();
    product = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const seconds = () => (performance.now() - t0) / 1000;
    const marks: Record<string, number> = {};
    let exited: string | undefined;
    product.once('exit', (code, signal) => {
      exited = `npm start exited (${code ?? signal})`;
    });
    let stderrTail = '';
    product.stderr!.on('data', (b: Buffer) => {
      stderrTail = (stderrTail + b.toString()).slice(-4000);
    });
    let pending = '';
    product.stdout!.on('data', (b: Buffer) => {
      if (args.log) appendFileSync(args.log, b);
      pending += b.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line.includes('support desk running')) marks.started ??= seconds();
        if (line.includes('demo history ready')) marks.replayed ??= seconds();
        if (line.includes('replaying')) process.stderr.write(`${/"msg":"([^"]*)"/.exec(line)?.[1] ?? ''}\n`);
      }
    });

    const samples: { t: number; rssKb: number; pssKb: number; procs: Proc[] }[] = [];
    const sample = () => {
      const procs = processTree(product!.pid!);
      samples.push({ t: seconds(), rssKb: procs.reduce((a, p) => a + p.rssKb, 0), pssKb: procs.reduce((a, p) => a + p.pssKb, 0), procs });
    };
    const until = async (what: string, done: () => boolean, limitMs: number) => {
      while (!done()) {
        if (exited) throw new Error(`${exited} while waiting for ${what}:\n${stderrTail}`);
        if (performance.now() - t0 > limitMs) throw new Error(`no ${what} after ${Math.round(limitMs / 60_000)} minutes`);
        sample();
        if (Math.round(seconds()) % 30 === 0)
          process.stderr.write(`\r${seconds().toFixed(0)} s: ${mb(samples.at(-1)!.rssKb)} MB RSS, ${mb(samples.at(-1)!.pssKb)} MB PSS   `);
        await new Promise((r) => setTimeout(r, 1000));
      }
      sample();
      process.stderr.write(`\n${what} at ${seconds().toFixed(0)} s\n`);
    };
    await until('the start', () => marks.started !== undefined, 5 * 60_000);
    const atStart = samples.at(-1)!;
    await until('the replayed week', () => marks.replayed !== undefined, MAX_WAIT_MS);
    const atReplayed = samples.at(-1)!;

    // The dashboard's year-long page, five times (bench/queries/run.ts times the same requests).
    const base = `http://127.0.0.1:${port}/api/v1`;
    const now = new Date();
    const range = `from=${new Date(now.getTime() - YEAR_MS).toISOString()}&to=${now.toISOString()}`;
    const page = [
      `summary?${range}`,
      `selfservice?${range}`,
      `timeseries?metric=tickets_created&interval=day&${range}&tz=Europe/Berlin`,
      `incidents?${range}`,
      `timeseries?metric=frt_p50_seconds&interval=day&${range}&tz=Europe/Berlin`,
      `timeseries?metric=frt_p90_seconds&interval=day&${range}&tz=Europe/Berlin`,
      `frt-distribution?${range}`,
      `heatmap?${range}&tz=Europe/Berlin`,
      `breakdown?by=category&${range}`,
      `breakdown?by=queue&${range}`,
      `breakdown?by=agent&${range}`,
      'live',
    ];
    let yearTickets = 0;
    for (let i = 0; i < 5; i++) {
      await Promise.all(
        page.map(async (p) => {
          const res = await fetch(`${base}/${p}`);
          if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
          const body = (await res.json()) as { tickets_created?: number };
          if (p.startsWith('summary')) yearTickets = Number(body.tickets_created);
        }),
      );
      sample();
    }
    const atQueried = samples.at(-1)!;
    process.stderr.write(`dashboard year page ×5 done; ${yearTickets.toLocaleString('en-US')} tickets in the year\n`);

    const liveEnd = seconds() + LIVE_SECONDS;
    await until(`${LIVE_SECONDS} s of live traffic`, () => seconds() >= liveEnd, Number.POSITIVE_INFINITY);
    const atEnd = samples.at(-1)!;
    // One sample swings with the V8 heap's collections (±40 MB): the mean over the live traffic after the page beside it.
    const live = samples.filter((s) => s.t > atQueried.t);
    const mean = (f: (s: (typeof samples)[number]) => number) => live.reduce((a, s) => a + f(s), 0) / Math.max(1, live.length);
    const liveMean = { t: atEnd.t, rssKb: mean((s) => s.rssKb), pssKb: mean((s) => s.pssKb), procs: [] };
    // Where the product's own memory is, from its /metrics: V8's heap, and memory outside it that V8 knows of (PGlite's WASM memory, Buffers).
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN) / 2 ** 20;
    const inside = {
      rss: gauge('process_resident_memory_bytes'),
      heap: gauge('nodejs_heap_size_total_bytes'),
      heapUsed: gauge('nodejs_heap_size_used_bytes'),
      external: gauge('nodejs_external_memory_bytes'),
    };
    const peak = samples.reduce((a, s) => (s.rssKb > a.rssKb ? s : a));
    const peakPss = samples.reduce((a, s) => (s.pssKb > a.pssKb ? s : a));

    const cpu = (() => {
      try {
        return execSync("lscpu | sed -n 's/^Model name:[[:space:]]*//p'", { encoding: 'utf8' }).trim();
      } catch {
        return cpus()[0]?.model ?? 'unknown';
      }
    })();
    const productEnd = atEnd.procs.filter((p) => p.name.startsWith('the product'));
    const productRss = mb(productEnd.reduce((a, p) => a + p.rssKb, 0));
    const productPss = mb(productEnd.reduce((a, p) => a + p.pssKb, 0));
    const verdictOf = (value: number) => (value <= TARGET_MB ? 'met' : `not met, ${value - TARGET_MB} MB over`);
    // One line to track: the target counts the whole tree's RSS; PSS and the product alone beside it.
    const verdict = `Verdict (target ≤ ${TARGET_MB} MB after the simulated week with ${loaded.events.toLocaleString('en-US')} events${args.env ? `, with ${args.env}` : ''}): the tree ${mb(atEnd.rssKb)} MB RSS — ${verdictOf(mb(atEnd.rssKb))}; ${mb(atEnd.pssKb)} MB PSS — ${verdictOf(mb(atEnd.pssKb))}; the product's process alone ${productRss} MB RSS / ${productPss} MB PSS; mean over the live traffic ${mb(liveMean.rssKb)} MB RSS / ${mb(liveMean.pssKb)} MB PSS; peak ${mb(peak.rssKb)} MB RSS at ${peak.t.toFixed(0)} s.`;
    process.stderr.write(`${verdict}\n`);
    const row = (label: string, s: (typeof samples)[number]) => `| ${label} | ${s.t.toFixed(0)} s | ${mb(s.rssKb)} | ${mb(s.pssKb)} |`;
    console.log(`
### Run ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC — ${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')}

${loaded.events.toLocaleString('en-US')} events loaded before the start (${loaded.seconds.toFixed(0)} s); the replayed week took ${(marks.replayed! - marks.started!).toFixed(0)} s after the start; the dashboard's year-long page then counted ${yearTickets.toLocaleString('en-US')} tickets.

| moment | time | RSS MB (sum over the tree) | PSS MB |
|---|---:|---:|---:|
${row('started (banner)', atStart)}
${row('week replayed', atReplayed)}
${row('after 5 × the year-long dashboard page', atQueried)}
${row(`after ${LIVE_SECONDS} s more live traffic`, atEnd)}
${row(`mean over those ${LIVE_SECONDS} s (one sample a second)`, liveMean)}
${row('peak RSS', peak)}
${row('peak PSS', peakPss)}

**${verdict}**

Inside the product's process at the end (its /metrics): RSS ${inside.rss.toFixed(0)} MB, of which the main thread's V8 heap ${inside.heap.toFixed(0)} MB (${inside.heapUsed.toFixed(0)} MB in use) and memory outside it that V8 tracks (Buffers) ${inside.external.toFixed(0)} MB; the rest is PGlite's thread (its own heap and WebAssembly memory, core/pglite-thread.mjs), chDB's native allocations and the pages of its library.

At the end, by process (RSS / PSS MB): ${atEnd.procs.map((p) => `${p.name} ${mb(p.rssKb)} / ${mb(p.pssKb)}`).join('; ')}.
`);
  } finally {
    if (product?.pid && product.exitCode === null) {
      // npm start's whole group (npm, tsx, the product, Prometheus, Alertmanager): SIGTERM stops it cleanly.
      process.kill(-product.pid, 'SIGTERM');
      const t = Date.now();
      while (product.exitCode === null && product.signalCode === null && Date.now() - t < 30_000) await new Promise((r) => setTimeout(r, 200));
      try {
        process.kill(-product.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    tmp.cleanup();
  }
});
