/**
 * Experiment results benchmark: `npx tsx bench/experiments/run.ts [--customers N] [--iterations N]`.
 *
 * Generates, straight into chDB with INSERT … SELECT FROM numbers() through the
 * production materialized views, an experiment with N exposed customers (default
 * 1 M; one experiment_exposure each, 10 % of them delivered twice) and 0.9·N
 * tickets of 10 events each (9 M events), ~10 M events in all; then measures
 * GET /api/v1/experiments/:key/results through fastify inject (validation, the
 * statements, the statistics incl. the bootstrap, serialization): cold (every
 * request computes: cache off — a first look without the warm-up), as served
 * (the open range "until now" the page asks: one 60 s snapshot; a given range:
 * its own), the first look at a freshly started server once its warm-up has
 * computed the running experiment (`--fresh N` servers, one look each), and the
 * list. Prints a Markdown block for BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseCli, runMain } from '../../core/cli.js';
import { createClickHouse, loadClickHouseConfig, queryRows, type ClickHouse } from '../../core/clickhouse.js';
import { registry } from '../../core/metrics.js';
import { migrate } from '../../core/migrate.js';
import { buildDashboardServer } from '../../dashboard/server.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { generateEvents } from '../queries/dataset.js';

const { values: args } = parseCli({
  usage: 'npx tsx bench/experiments/run.ts [--customers N] [--iterations N] [--data-dir DIR]',
  description: 'Benchmarks the experiment results API over a generated experiment in chDB.',
  options: {
    customers: { type: 'string' },
    iterations: { type: 'string' },
    fresh: { type: 'string' },
    'data-dir': { type: 'string' },
    'generate-only': { type: 'boolean' },
  },
  optionHelp: [
    '--customers N    exposed customers (default 1000000; tickets 0.9·N, 10 events each)',
    '--iterations N   timed requests per case (default 20)',
    '--fresh N        freshly started servers whose first look (after the warm-up) is timed (default 10)',
    '--data-dir DIR   keep chDB data in DIR and reuse it when it holds the data set',
    '--generate-only  only create the data set in --data-dir (the benchmark runs this in a child process)',
  ],
});

const CUSTOMERS = Number(args.customers ?? 1_000_000);
const TICKETS = Math.round(CUSTOMERS * 0.9);
const ITERATIONS = Number(args.iterations ?? 20);
const FRESH = Number(args.fresh ?? 10);
const DAYS = 28;
const START = Date.UTC(2026, 1, 1);
const END = START + DAYS * 86_400_000;
const KEY = 'bench-receipt';

/** Exposures: customer c first exposed at START + c·step over the first half of the period, variant by hash; 10 % delivered twice. */
function exposuresSql(): string {
  const step = Math.floor((DAYS / 2) * 86_400_000) / CUSTOMERS;
  return `
INSERT INTO events (event_id, schema_version, type, occurred_at, emitted_at, ticket_id, ticket_created_at, customer_id, queue, experiment, variant)
SELECT generateUUIDv7(number), 1, 'experiment_exposure', at, at, 0, NULL, 1000 + c, 'L1', '${KEY}', if(cityHash64(c, 'v') % 2 = 0, 'control', 'steps')
FROM (
  SELECT number, intDiv(number, 2) AS c, number % 2 AS d, toDateTime64(${START / 1000}, 3, 'UTC') + toIntervalMillisecond(toUInt64(c * ${step})) AS at
  FROM numbers(${CUSTOMERS * 2})
  WHERE d = 0 OR c % 10 = 0
)`;
}

/**
 * The experiment's tickets over the whole period: the query benchmark's data set (10 events each), one queue,
 * category and language, over the exposed customers (a third have none, some several), with the effect: the
 * 'steps' variant answers a little sooner and rates a little higher.
 */
async function generate(ch: ClickHouse): Promise<number> {
  const t0 = performance.now();
  await ch.client.command({
    query: exposuresSql(),
    clickhouse_settings: { max_insert_threads: '2', insert_deduplicate: 0, insert_deduplication_token: 'bench-exposures' },
  });
  await generateEvents(ch, {
    tickets: TICKETS,
    start: START,
    end: END,
    customers: CUSTOMERS,
    queues: ['L1'],
    categories: ['payment'],
    languages: ['en'],
    effect: true,
  });
  return (performance.now() - t0) / 1000;
}

async function settle(ch: ClickHouse): Promise<void> {
  const t0 = performance.now();
  let quiet = 0;
  while (performance.now() - t0 < 120_000 && quiet < 3) {
    const [m] = await queryRows<{ n: number }>(ch, 'SELECT count() AS n FROM system.merges');
    quiet = Number(m?.n) === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function prepare(dir: string): Promise<{ genSeconds: number }> {
  const ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: dir }));
  try {
    await migrate(ch, { eventsTtlDays: 3650 });
    const [n] = await queryRows<{ n: number }>(ch, "SELECT count() AS n FROM events WHERE type = 'experiment_exposure'");
    const genSeconds = Number(n?.n) > 0 ? 0 : await generate(ch);
    await settle(ch);
    return { genSeconds };
  } finally {
    await ch.close();
  }
}

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};
const ms = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toString());

async function time(fn: () => Promise<unknown>, n: number, warm = 2): Promise<{ p50: number; p95: number; max: number }> {
  for (let i = 0; i < warm; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return stats(xs);
}
const stats = (xs: number[]) => ({ p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: Math.max(...xs) });

/** Statements the results API has run so far (the analytics_query_duration_seconds histogram's count). */
async function statementsRun(): Promise<number> {
  const m = registry.getSingleMetric('analytics_query_duration_seconds');
  const values = ((await m?.get())?.values ?? []) as { metricName?: string; labels: Record<string, unknown>; value: number }[];
  const v = values.find((x) => x.metricName === 'analytics_query_duration_seconds_count' && x.labels.endpoint === 'experiment-results');
  return v?.value ?? 0;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

runMain(async () => {
  if (args['generate-only']) {
    if (!args['data-dir']) throw new Error('--generate-only needs --data-dir');
    console.log(JSON.stringify(await prepare(args['data-dir'])));
    return;
  }
  const tmp = args['data-dir'] ? { dir: args['data-dir'], cleanup: () => undefined } : tmpDataDir('desk-bench-experiments-');
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--generate-only', '--data-dir', tmp.dir, '--customers', String(CUSTOMERS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`data set generation failed (exit ${r.status ?? r.signal})`);
  const { genSeconds } = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { genSeconds: number };

  const dir = join(tmp.dir, 'experiments');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${KEY}.yaml`),
    `key: ${KEY}\nsurface: receipt\nvariants:\n  - { name: control, weight: 1 }\n  - { name: steps, weight: 1 }\nmetrics: [csat_avg, repeat_contact_rate, auto_resolution_rate, frt_p50_seconds, frt_p90_seconds, fcr_rate]\nstatus: running\n`,
  );
  const ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: tmp.dir }));
  try {
    const [counts] = await queryRows<{ events: number; exposures: number; customers: number; tickets: number }>(
      ch,
      "SELECT (SELECT count() FROM events) AS events, (SELECT count() FROM events WHERE type = 'experiment_exposure') AS exposures, (SELECT uniqExact(customer_id) FROM events WHERE type = 'experiment_exposure') AS customers, (SELECT count() FROM ticket_facts FINAL) AS tickets",
    );
    const now = new Date(END);
    const open = `/api/v1/experiments/${KEY}/results`; // what the page asks: until now
    const url = `${open}?from=${new Date(START).toISOString()}&to=${now.toISOString()}`;
    const cold = await buildDashboardServer({ ch, now: () => now, webRoot: false, experimentsDir: dir, experimentsCacheSeconds: 0 });
    const served = await buildDashboardServer({ ch, now: () => now, webRoot: false, experimentsDir: dir });
    const check = async (app: typeof cold, u: string) => {
      const res = await app.inject({ url: u });
      if (res.statusCode !== 200) throw new Error(`${u}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return res;
    };
    const before = await statementsRun();
    const body = (await check(cold, url)).json() as {
      variants: { name: string; customers: number; tickets: number }[];
      comparisons: { metric: string; p_value: number | null; diff: number | null }[];
      srm: { p_value: number | null };
    };
    const perComputation = (await statementsRun()) - before;
    const cases: [string, () => Promise<unknown>][] = [
      ['results, computed on every request (cache off: a first look without the warm-up)', () => check(cold, open)],
      ['results as served, open range (the page: one 60 s snapshot)', () => check(served, open)],
      ['results as served, given range (its own 60 s snapshot)', () => check(served, url)],
      ['list (exposure counts of every experiment)', () => check(cold, '/api/v1/experiments')],
    ];
    const lines: string[] = [];
    let coldP50 = 1000;
    for (const [name, fn] of cases) {
      const t = await time(fn, ITERATIONS);
      if (fn === cases[0]![1]) coldP50 = t.p50;
      lines.push(`| ${name} | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.max)} |`);
      process.stderr.write(`${name}: p50 ${ms(t.p50)} ms, p95 ${ms(t.p95)} ms\n`);
    }
    await cold.close();
    await served.close();

    // The first look at a freshly started server: it listens, its warm-up computes the running experiment (its
    // statements seen run, then time for the statistics), then the page's request — one per server.
    const firsts: number[] = [];
    const waits: number[] = [];
    for (let i = 0; i < FRESH; i++) {
      const app = await buildDashboardServer({ ch, now: () => now, webRoot: false, experimentsDir: dir });
      const s0 = await statementsRun();
      const t0 = performance.now();
      await app.listen({ port: 0, host: '127.0.0.1' });
      while ((await statementsRun()) < s0 + perComputation) await sleep(20);
      await sleep(Math.max(2000, 2 * coldP50));
      waits.push(performance.now() - t0);
      const t1 = performance.now();
      await check(app, open);
      firsts.push(performance.now() - t1);
      if ((await statementsRun()) !== s0 + perComputation) throw new Error('the first look computed: the warm-up had not');
      await app.close();
    }
    const f = stats(firsts);
    const name = `results, first look after start (warm-up done; ${FRESH} fresh servers, ${Math.round(Math.min(...waits) / 1000)}–${Math.round(Math.max(...waits) / 1000)} s after listen)`;
    lines.push(`| ${name} | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.max)} |`);
    process.stderr.write(`${name}: p50 ${ms(f.p50)} ms, p95 ${ms(f.p95)} ms\n`);
    const cpu = cpus();
    console.log(`
### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${cpu[0]?.model.trim()}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, chDB (embedded), Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}

Data set: ${Number(counts!.events).toLocaleString('en-US')} events (${Number(counts!.exposures).toLocaleString('en-US')} exposures of ${Number(counts!.customers).toLocaleString('en-US')} customers, ${Number(counts!.tickets).toLocaleString('en-US')} tickets), generated in ${genSeconds.toFixed(0)} s; ${ITERATIONS} timed requests per case after 2 warm-up requests (first look: one per fresh server).
Variants: ${body.variants.map((v) => `${v.name} ${v.customers.toLocaleString('en-US')} customers / ${v.tickets.toLocaleString('en-US')} tickets`).join(', ')}; SRM p = ${body.srm.p_value?.toFixed(3)}; ${body.comparisons.map((c) => `${c.metric} p = ${c.p_value === null ? '—' : c.p_value.toPrecision(2)}`).join(', ')}.

| request | p50 ms | p95 ms | max ms |
|---|---|---|---|
${lines.join('\n')}
`);
  } finally {
    await ch.close();
    tmp.cleanup();
  }
});
