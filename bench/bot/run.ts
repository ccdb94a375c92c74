/**
 * Relay throughput and added latency of the desk.
 *
 *   npx tsx bench/bot/run.ts [--customers 100] [--messages 5000] [--rate 100] [--latency-messages 1000]
 *
 * The sandbox runs as its own process (`sandbox/main.ts`, flood limits off),
 * the desk in this one (PGlite in a scratch dir, a bus that drops events, no
 * throttling, no service features — the core relay alone). The bench plays
 * the customers over the control API and watches the support group from the
 * outside, the way a person would: it polls the group's messages back to back
 * (`since` the last seen id) and notes when each copy appears.
 *
 *  1. warm-up: every customer opens a ticket (topic, card, receipt, keyboard);
 *  2. latency: messages at a steady --rate, below saturation; added latency =
 *     customer message posted → its copy visible in the topic (p50/p90/p99);
 *  3. throughput: --messages posted as fast as the control API takes them
 *     (32 in flight); relayed messages per second from first post to last copy.
 *
 * Results go to BENCHMARKS.md `## Bot`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
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
import { tmpDataDir } from '../../test/helpers/tmp.js';

const SUPPORT = -1002000000001;

const nullBus: Bus = {
  kind: 'embedded',
  producer: async () => ({ send: async () => undefined, close: async () => undefined }),
  consumer: async () => {
    throw new Error('no consumers');
  },
  ensureTopics: async () => undefined,
  close: async () => undefined,
};

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

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Watches the support group: resolves each awaited text when its copy appears. */
class GroupWatcher {
  private lastId = 0;
  private waiting = new Map<string, (t: number) => void>();
  private seen = new Map<string, number>();
  private running = true;
  private loop: Promise<void>;

  constructor(
    private readonly client: SandboxClient,
    private readonly pollMs: number,
  ) {
    this.loop = this.run();
  }

  expect(text: string): Promise<number> {
    const at = this.seen.get(text);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.waiting.set(text, resolve));
  }

  private async run(): Promise<void> {
    while (this.running) {
      const msgs = await this.client.getChatMessages(SUPPORT, { since: this.lastId });
      const now = performance.now();
      for (const m of msgs) {
        this.lastId = Math.max(this.lastId, m.message_id);
        const text = m.text ?? '';
        const w = this.waiting.get(text);
        if (w) {
          this.waiting.delete(text);
          w(now);
        } else this.seen.set(text, now);
      }
      // A short pause keeps the watcher from hogging the sandbox; it bounds the timing error at ~2 ms.
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
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
    },
    optionHelp: [
      '--customers N         customers writing (default 100)',
      '--messages N          messages in the throughput phase (default 5000)',
      '--rate N              messages per second in the latency phase (default 100)',
      '--latency-messages N  messages in the latency phase (default 1000)',
      '--query-stats         print the SQL statements run per relayed message',
      '--database-url URL    use this PostgreSQL (a scratch schema) instead of PGlite',
      "--poll-ms N           pause between the watcher's polls of the group (default 2)",
    ],
  });
  const customers = Number(values.customers ?? 100);
  const total = Number(values.messages ?? 5000);
  const rate = Number(values.rate ?? 100);
  const latencyMessages = Number(values['latency-messages'] ?? 1000);

  const port = await freePort();
  const tmp = tmpDataDir('desk-bench-');
  const sandboxProc = await startSandboxProcess(port, tmp.dir);
  const client = new SandboxClient(`http://127.0.0.1:${port}`);
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
  const config = loadBotConfig({ THROTTLE: '0', SANDBOX_PORT: String(port) });
  const desk = await createDesk({ db, bus: nullBus, config, features: { composer: new Composer<BotContext>(), hooks: emptyHooks() } });
  await desk.start();
  const watcher = new GroupWatcher(client, Number(values['poll-ms'] ?? 2));
  const ids = Array.from({ length: customers }, (_, i) => 900_000 + i);

  try {
    // 1. Warm-up: every customer has a ticket and a topic.
    let t = performance.now();
    await Promise.all(ids.map((id) => client.sendCustomerMessage(id, { text: `warm-${id}`, first_name: `B${id}` }).then(() => watcher.expect(`warm-${id}`))));
    // Opening goes on after the copy (receipt, ETA, category keyboard): measure only once it is all done.
    await Promise.all(ids.map((id) => client.waitForCustomerMessage(id, (m) => (m.buttons?.flat().length ?? 0) > 1, { timeoutMs: 120_000 })));
    await client.waitForIdle({ timeoutMs: 60_000 });
    await desk.services.relay.idle();
    console.log(`warm-up: ${customers} tickets opened (topic, card, receipt, keyboard) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // 2. Latency at a steady rate.
    const latencies: number[] = [];
    const interval = 1000 / rate;
    const start = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < latencyMessages; i++) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const text = `lat-${i}`;
      const posted = performance.now();
      const seen = watcher.expect(text);
      pending.push(
        client
          .sendCustomerMessage(ids[i % customers]!, text)
          .then(() => seen)
          .then((at) => void latencies.push(at - posted)),
      );
    }
    await Promise.all(pending);
    latencies.sort((a, b) => a - b);
    const lat = { p50: pct(latencies, 50), p90: pct(latencies, 90), p99: pct(latencies, 99), max: latencies.at(-1)! };
    console.log(
      `latency at ${rate} msg/s (${latencyMessages} msgs): p50 ${lat.p50.toFixed(1)} ms, p90 ${lat.p90.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms, max ${lat.max.toFixed(1)} ms`,
    );

    stats.clear();
    // 3. Throughput: as fast as possible, 32 posts in flight.
    const cpu0 = process.cpuUsage();
    t = performance.now();
    const copies: Promise<number>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          const i = next++;
          copies.push(watcher.expect(`tp-${i}`));
          await client.sendCustomerMessage(ids[i % customers]!, `tp-${i}`);
        }
      }),
    );
    const postedAll = performance.now();
    const last = Math.max(...(await Promise.all(copies)));
    const seconds = (last - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(
      `throughput: ${total} msgs relayed in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} msg/s ` +
        `(posting took ${((postedAll - t) / 1000).toFixed(2)} s; desk process CPU ${cpuSeconds.toFixed(1)} s = ${Math.round(total / cpuSeconds)} msg per CPU-second)`,
    );
    if (values['query-stats']) {
      for (const [sql, st] of [...stats].sort((a, b) => b[1].ms - a[1].ms))
        console.log(`${(st.n / total).toFixed(2)}/msg ${(st.ms / st.n).toFixed(2)} ms  ${sql}`);
      // The relay groups concurrent customers' writes (bot/store/group-commit.ts): statements per message in all.
      const n = [...stats.values()].reduce((a, s) => a + s.n, 0);
      console.log(`statements: ${n} for ${total} messages = ${(n / total).toFixed(2)} per message (times include the wait for PGlite's one connection)`);
    }
    await desk.services.relay.idle();
    const pairs = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_pairs')).rows[0]!.n;
    console.log(`check: ${pairs} message pairs for ${customers + latencyMessages + total} customer messages`);
    console.log(
      `machine: ${cpus().length} cores (${cpus()[0]?.model}), load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await watcher.stop();
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
