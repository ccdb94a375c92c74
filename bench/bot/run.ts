/**
 * Relay throughput and added latency of the desk.
 *
 *   npx tsx bench/bot/run.ts [--customers 100] [--messages 5000] [--rate 100] [--latency-messages 1000]
 *
 * Three processes, as in production: the sandbox (`sandbox/main.ts`, flood
 * limits off); the desk, in this one, its thread shared with nothing of the
 * bench (PGlite in a scratch dir, a bus that drops events, no throttling, no
 * service features — the core relay alone); and the load (`load.ts`), which plays the customers
 * over the control API and watches the support group from the outside, the
 * way a person would: it polls the group's messages back to back (`since` the
 * last seen id) and notes when each copy appears.
 *
 *  1. warm-up: every customer opens a ticket (topic, card, receipt, keyboard);
 *  2. latency: messages at a steady --rate; added latency = customer message
 *     posted → its copy visible in the topic (p50/p90/p99), with how busy the
 *     desk's thread was and each process's CPU (a busy thread is a queue);
 *  3. throughput: --messages posted as fast as the control API takes them
 *     (32 in flight); relayed messages per second from first post to last copy.
 *
 * Results go to BENCHMARKS.md `## Bot`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { performance as nodePerformance } from 'node:perf_hooks';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Composer } from 'grammy';
import pg from 'pg';
import type { Bus } from '../../core/bus/types.js';
import { parseCli, runMain } from '../../core/cli.js';
import { openDatabase, type Db, type Queryable } from '../../core/postgres.js';
import { createDesk } from '../../bot/app.js';
import { loadBotConfig } from '../../bot/config.js';
import type { BotContext } from '../../bot/context.js';
import { emptyHooks } from '../../bot/hooks.js';
import { SandboxClient } from '../../sandbox/index.js';
import { processCpuSeconds } from '../proc.js';
import type { LoadPlan, LoadReport } from './load.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';

const nullBus: Bus = {
  kind: 'embedded',
  producer: async () => ({ send: async () => undefined, close: async () => undefined }),
  consumer: async () => {
    throw new Error('no consumers');
  },
  ensureTopics: async () => undefined,
  close: async () => undefined,
};

/** CPU seconds each process has used so far. */
const cpuOf = (...pids: number[]): number[] => pids.map((pid) => processCpuSeconds(pid) ?? 0);

/** The desk's CPU profile from now until `stop` (the inspector in this process: the phase alone, not start-up). */
async function startProfiler(): Promise<{ stop(): Promise<object> }> {
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) =>
      session.post(method, (err, res) => (err ? reject(err) : resolve((res ?? {}) as Record<string, unknown>))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      return profile as object;
    },
  };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

/** The sandbox keeps its world in DATA_DIR/sandbox: the bench's scratch directory, so each run starts from an empty world (not ./data's). */
async function startSandboxProcess(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_FLOOD_LIMITS: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const client = new SandboxClient(`http://127.0.0.1:${port}`);
  await client.waitFor(
    async () =>
      client.getInfo().then(
        () => true,
        () => undefined,
      ),
    { timeoutMs: 60_000, what: 'the sandbox to listen' },
  );
  return child;
}

runMain(async () => {
  const { values } = parseCli({
    usage: 'npx tsx bench/bot/run.ts [--customers N] [--messages N] [--rate N] [--latency-messages N]',
    description: 'Relay throughput (messages/s) and added latency (p50/p99) of the desk against the sandbox without flood limits.',
    options: {
      customers: { type: 'string' },
      messages: { type: 'string' },
      rate: { type: 'string' },
      'latency-messages': { type: 'string' },
      'query-stats': { type: 'boolean' },
      'database-url': { type: 'string' },
      'poll-ms': { type: 'string' },
      'cpu-profile': { type: 'string' },
    },
    optionHelp: [
      '--customers N         customers writing (default 100)',
      '--messages N          messages in the throughput phase (default 5000)',
      '--rate N              messages per second in the latency phase (default 100)',
      '--latency-messages N  messages in the latency phase (default 1000)',
      '--query-stats         print the SQL statements run per relayed message',
      '--database-url URL    use this PostgreSQL (a scratch schema) instead of PGlite',
      "--poll-ms N           pause between the watcher's polls of the group (default 2)",
      "--cpu-profile FILE    write the desk's CPU profile of the latency phase (.cpuprofile, for Chrome DevTools)",
    ],
  });
  const customers = Number(values.customers ?? 100);
  const total = Number(values.messages ?? 5000);
  const rate = Number(values.rate ?? 100);
  const latencyMessages = Number(values['latency-messages'] ?? 1000);

  const port = await freePort();
  const tmp = tmpDataDir('desk-bench-');
  const sandboxProc = await startSandboxProcess(port, tmp.dir);
  const schema = `desk_bench_${process.pid}`;
  let databaseUrl: string | undefined;
  if (values['database-url']) {
    const admin = new pg.Client({ connectionString: values['database-url'] });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await admin.end();
    const u = new URL(values['database-url']);
    u.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = u.toString();
  }
  const db = await openDatabase({ DATA_DIR: tmp.dir, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: 10 });
  console.log(`database: ${db.mode}`);
  const stats = new Map<string, { n: number; ms: number }>();
  if (values['query-stats']) {
    const count = (q: Queryable): Queryable['query'] => {
      const orig = q.query.bind(q);
      return (async (sql: string, params?: unknown[]) => {
        const t0 = performance.now();
        try {
          return await orig(sql, params);
        } finally {
          const key = sql.replace(/\s+/g, ' ').trim().slice(0, 90);
          const s = stats.get(key) ?? { n: 0, ms: 0 };
          s.n++;
          s.ms += performance.now() - t0;
          stats.set(key, s);
        }
      }) as Queryable['query'];
    };
    db.query = count(db);
    const tx = db.transaction.bind(db);
    db.transaction = ((fn: (q: Queryable) => Promise<unknown>) => tx((q) => fn({ query: count(q) }))) as Db['transaction'];
  }
  /** The statements of a phase (then forgotten), per relayed message. */
  const printStats = (phase: string, messages: number) => {
    if (!values['query-stats']) return;
    console.log(`statements in the ${phase} phase:`);
    for (const [sql, st] of [...stats].sort((a, b) => b[1].ms - a[1].ms))
      console.log(`${(st.n / messages).toFixed(2)}/msg ${(st.ms / st.n).toFixed(2)} ms  ${sql}`);
    // The relay groups concurrent customers' writes (bot/store/group-commit.ts): statements per message in all.
    const n = [...stats.values()].reduce((a, s) => a + s.n, 0);
    console.log(`statements: ${n} for ${messages} messages = ${(n / messages).toFixed(2)} per message (times include the wait for PGlite's one connection)`);
    stats.clear();
  };
  const config = loadBotConfig({ THROTTLE: '0', SANDBOX_PORT: String(port) });
  const desk = await createDesk({ db, bus: nullBus, config, features: { composer: new Composer<BotContext>(), hooks: emptyHooks() } });
  await desk.start();
  const sandbox = new SandboxClient(`http://127.0.0.1:${port}`);
  const plan: LoadPlan = { port, customers, rate, latencyMessages, total, pollMs: Number(values['poll-ms'] ?? 2) };
  const load = spawn(process.execPath, ['--import', 'tsx', 'bench/bot/load.ts'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reports: LoadReport[] = [];
  let wake: (() => void) | undefined;
  load.on('message', (r: LoadReport) => {
    reports.push(r);
    wake?.();
  });
  const loadExited = once(load, 'exit');
  const next = async <T extends LoadReport['type']>(type: T): Promise<Extract<LoadReport, { type: T }>> => {
    for (;;) {
      const i = reports.findIndex((r) => r.type === type);
      if (i >= 0) return reports.splice(i, 1)[0] as Extract<LoadReport, { type: T }>;
      if (load.exitCode !== null) throw new Error(`the load process exited (${load.exitCode}) before reporting ${type}`);
      await Promise.race([new Promise<void>((r) => (wake = r)), loadExited]);
    }
  };

  try {
    load.send(plan);
    // 1. Warm-up: every customer has a ticket and a topic.
    const warm = await next('warm');
    await desk.services.relay.idle();
    console.log(`warm-up: ${customers} tickets opened (topic, card, receipt, keyboard) in ${warm.seconds.toFixed(1)} s`);
    stats.clear();
    const profiler = values['cpu-profile'] ? await startProfiler() : undefined;
    const calls0 = (await sandbox.getStats()).calls;
    const latCpu0 = cpuOf(process.pid, sandboxProc.pid!, load.pid!);
    const elu0 = nodePerformance.eventLoopUtilization();
    load.send('go');

    // 2. Latency at a steady rate.
    const lat = await next('latency');
    if (profiler) writeFileSync(values['cpu-profile']!, JSON.stringify(await profiler.stop()));
    printStats('latency', latencyMessages);
    const calls = (await sandbox.getStats()).calls;
    console.log(
      `Bot API calls a message: ${Object.entries(calls)
        .map(([m, n]) => [m, (n - (calls0[m] ?? 0)) / latencyMessages] as const)
        .filter(([, n]) => n > 0.005)
        .map(([m, n]) => `${m} ${n.toFixed(2)}`)
        .join(', ')}`,
    );
    const latCpu = cpuOf(process.pid, sandboxProc.pid!, load.pid!).map((c, i) => c - latCpu0[i]!);
    // How busy the desk's one thread was: at 1.0 every message queues behind the ones before it.
    const busy = nodePerformance.eventLoopUtilization(elu0).utilization;
    console.log(
      `latency at ${rate} msg/s (${latencyMessages} msgs): p50 ${lat.p50.toFixed(1)} ms, p90 ${lat.p90.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms, max ${lat.max.toFixed(1)} ms ` +
        `(desk thread busy ${Math.round(busy * 100)} %; CPU s: desk ${latCpu[0]!.toFixed(1)}, sandbox ${latCpu[1]!.toFixed(1)}, load ${latCpu[2]!.toFixed(1)} in ${(latencyMessages / rate).toFixed(0)} s)`,
    );

    // 3. Throughput: as fast as possible, 32 posts in flight.
    await next('throughput-start');
    const cpu0 = process.cpuUsage();
    load.send('go');
    const tp = await next('throughput');
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(
      `throughput: ${total} msgs relayed in ${tp.seconds.toFixed(2)} s = ${Math.round(total / tp.seconds)} msg/s ` +
        `(posting took ${tp.postingSeconds.toFixed(2)} s; desk process CPU ${cpuSeconds.toFixed(1)} s = ${Math.round(total / cpuSeconds)} msg per CPU-second)`,
    );
    printStats('throughput', total);
    await desk.services.relay.idle();
    const pairs = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_pairs')).rows[0]!.n;
    console.log(`desk process: ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB RSS at the end`);
    console.log(`check: ${pairs} message pairs for ${customers + latencyMessages + total} customer messages`);
    console.log(
      `machine: ${cpus().length} cores (${cpus()[0]?.model}), load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    if (load.exitCode === null) {
      load.kill('SIGTERM');
      await loadExited;
    }
    await desk.stop();
    await db.close();
    if (values['database-url']) {
      const admin = new pg.Client({ connectionString: values['database-url'] });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
    // The sandbox writes its world on the way out: let it finish before the directory goes.
    const exited = sandboxProc.exitCode !== null || sandboxProc.signalCode !== null ? undefined : once(sandboxProc, 'exit');
    sandboxProc.kill('SIGTERM');
    await exited;
    tmp.cleanup();
  }
});
