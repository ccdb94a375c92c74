/**
 * Analytics query benchmark: `npx tsx bench/queries/run.ts [--tickets N] [--iterations N]`.
 *
 * Generates 10 events per ticket (default 1 M tickets → 10 M events over one
 * year) straight into chDB with INSERT … SELECT FROM numbers(), through the
 * same materialized views production uses; then measures every API endpoint
 * (through fastify inject: validation, SQL, serialization), the same summary
 * computed from the raw events table, and freshness (insertRows → visible in
 * /summary). Prints a Markdown block for BENCHMARKS.md.
 */
import { execSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseCli, runMain } from '../../core/cli.js';
import { createClickHouse, insertRows, loadClickHouseConfig, queryRows, type ClickHouse } from '../../core/clickhouse.js';
import { migrate } from '../../core/migrate.js';
import { buildDashboardServer } from '../../dashboard/server.js';
import { METRIC_FIELDS, METRICS } from '../../analytics/registry.js';
import { breakdown, clickHouseRunner } from '../../analytics/query.js';
import { BREAKDOWN_DIMENSIONS, chTime } from '../../analytics/ticket-facts.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { generateEvents } from './dataset.js';

const { values: args } = parseCli({
  usage: 'npx tsx bench/queries/run.ts [--tickets N] [--iterations N] [--data-dir DIR]',
  description: 'Benchmarks the analytics API over generated data in chDB (10 events per ticket).',
  options: { tickets: { type: 'string' }, iterations: { type: 'string' }, 'data-dir': { type: 'string' }, 'generate-only': { type: 'boolean' } },
  optionHelp: [
    '--tickets N      tickets to generate (default 1000000)',
    '--iterations N   timed runs per endpoint (default 40)',
    '--data-dir DIR   keep chDB data in DIR and reuse it when it already holds the data set (default: a temporary directory)',
    '--generate-only  only create the data set in --data-dir (the benchmark runs this in a child process)',
  ],
});

const TICKETS = Number(args.tickets ?? 1_000_000);
const ITERATIONS = Number(args.iterations ?? 40);
const YEAR_MS = 365 * 86_400_000;
const START = Date.UTC(2025, 0, 1);
const END = START + YEAR_MS;

const DATA_SET = { tickets: TICKETS, start: START, end: END };

/**
 * The same summary straight from raw events: deduplicated with FINAL, each
 * ticket's state computed by the SELECT of the materialized view that feeds
 * ticket_facts — read from the migrated database, never restated here — then
 * the API's own aggregates. The cohort is filtered in a subquery standing in
 * for the view's `events` (the view's ticket_created_at alias would shadow the
 * column in a WHERE around it).
 */
async function rawSummarySql(ch: ClickHouse): Promise<string> {
  const views = (
    await queryRows<{ name: string; as_select: string; create_table_query: string }>(
      ch,
      "SELECT name, as_select, create_table_query FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'",
    )
  ).filter((v) => /\sTO\s+(`?\w+`?\.)?`?ticket_facts`?\s/.test(v.create_table_query));
  if (views.length !== 1) throw new Error(`expected one materialized view feeding ticket_facts, found ${views.map((v) => v.name).join(', ') || 'none'}`);
  const source = /\bFROM\s+(`?\w+`?\.)?`?events`?(?=\s)/g;
  const perTicket = views[0]!.as_select;
  if ((perTicket.match(source) ?? []).length !== 1) throw new Error(`${views[0]!.name} does not read events once: ${perTicket}`);
  const cohort = `FROM (SELECT * FROM events FINAL
    WHERE ticket_id != 0 AND ticket_created_at >= {from:DateTime64(3)} AND ticket_created_at < {to:DateTime64(3)})`;
  return `SELECT ${METRICS.selectList()} FROM (${perTicket.replace(source, cohort)})`;
}

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};
const ms = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toString());

/**
 * p50/p95 wall time, and the mean CPU time of the process per request (chDB runs in this process, so it
 * includes the queries' threads): on a shared machine the CPU figure compares runs the load skews.
 */
async function time(fn: () => Promise<unknown>, n: number): Promise<{ p50: number; p95: number; cpu: number }> {
  // warm-up: marks, page cache, and ClickHouse's JIT, which compiles an expression on its fourth use (~100 ms once)
  for (let i = 0; i < 5; i++) await fn();
  const xs: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  const c = process.cpuUsage(c0);
  return { p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), cpu: (c.user + c.system) / 1000 / n };
}

/**
 * Waits (up to two minutes) until no background merge runs, so the timings
 * measure queries against a settled table rather than queries competing with
 * the merges of the bulk load for the same two cores. Returns seconds waited.
 */
async function backgroundMergesSettled(ch: ClickHouse): Promise<number> {
  const t0 = performance.now();
  let quiet = 0;
  while (performance.now() - t0 < 120_000 && quiet < 3) {
    const [m] = await queryRows<{ n: number }>(ch, 'SELECT count() AS n FROM system.merges');
    quiet = Number(m?.n) === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return (performance.now() - t0) / 1000;
}

/** Creates the data set in `dir` unless it is there, and waits for background merges. */
async function prepareDataSet(dir: string): Promise<{ genSeconds: number; settleSeconds: number }> {
  const ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: dir }));
  try {
    await migrate(ch, { eventsTtlDays: 3650 });
    const [existing] = await queryRows<{ n: number }>(ch, 'SELECT count() AS n FROM events');
    const genSeconds = Number(existing?.n) >= TICKETS * 10 ? 0 : await generateEvents(ch, DATA_SET);
    return { genSeconds, settleSeconds: await backgroundMergesSettled(ch) };
  } finally {
    await ch.close();
  }
}

/**
 * The data set is created by a child process: the timed process then starts
 * like a dashboard service does, instead of carrying the allocations of a
 * 10 M-row bulk load (which made every query ~25 % slower in the same process).
 */
function prepareInChild(dir: string): { genSeconds: number; settleSeconds: number } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--generate-only', '--data-dir', dir, '--tickets', String(TICKETS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`data set generation failed (exit ${r.status ?? r.signal})`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { genSeconds: number; settleSeconds: number };
}

runMain(async () => {
  if (args['generate-only']) {
    if (!args['data-dir']) throw new Error('--generate-only needs --data-dir');
    console.log(JSON.stringify(await prepareDataSet(args['data-dir'])));
    return;
  }
  const tmp = args['data-dir'] ? { dir: args['data-dir'], cleanup: () => undefined } : tmpDataDir('desk-bench-queries-');
  const { genSeconds, settleSeconds } = prepareInChild(tmp.dir);
  const ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: tmp.dir }));
  try {
    const [counts] = await queryRows<{ events: number; tickets: number; facts_rows: number }>(
      ch,
      'SELECT (SELECT count() FROM events) AS events, (SELECT uniqExact(ticket_id) FROM ticket_facts) AS tickets, (SELECT count() FROM ticket_facts) AS facts_rows',
    );
    const now = new Date(END);
    const app = await buildDashboardServer({ ch, now: () => now, webRoot: false });
    const month = { from: new Date(END - 45 * 86_400_000).toISOString(), to: new Date(END - 15 * 86_400_000).toISOString() };
    const year = { from: new Date(START).toISOString(), to: new Date(END).toISOString() };
    const qs = (r: { from: string; to: string }, extra = '') => `from=${r.from}&to=${r.to}${extra}`;
    // What the dashboard requests for a range (dashboard/web/src/main.ts loadAll; a year is shown by day, in the viewer's zone).
    const tz = '&tz=Europe/Berlin';
    const yearPage: [string, string][] = [
      ['summary', `/api/v1/summary?${qs(year)}`],
      ['selfservice', `/api/v1/selfservice?${qs(year)}`],
      ['timeseries tickets by day', `/api/v1/timeseries?metric=tickets_created&interval=day&${qs(year, tz)}`],
      ['incidents', `/api/v1/incidents?${qs(year)}`],
      ['timeseries frt_p50 by day', `/api/v1/timeseries?metric=frt_p50_seconds&interval=day&${qs(year, tz)}`],
      ['timeseries frt_p90 by day', `/api/v1/timeseries?metric=frt_p90_seconds&interval=day&${qs(year, tz)}`],
      ['frt-distribution', `/api/v1/frt-distribution?${qs(year)}`],
      ['heatmap', `/api/v1/heatmap?${qs(year, tz)}`],
      ['breakdown by category', `/api/v1/breakdown?by=category&${qs(year)}`],
      ['breakdown by queue', `/api/v1/breakdown?by=queue&${qs(year)}`],
      ['breakdown by agent', `/api/v1/breakdown?by=agent&${qs(year)}`],
    ];
    const endpoints: [string, string][] = [
      ['summary (30 d)', `/api/v1/summary?${qs(month)}`],
      ['summary (30 d, queue=L2)', `/api/v1/summary?${qs(month, '&queue=L2')}`],
      ['breakdown by agent (30 d)', `/api/v1/breakdown?by=agent&${qs(month)}`],
      ['timeseries frt_p90 by day (30 d)', `/api/v1/timeseries?metric=frt_p90_seconds&interval=day&${qs(month)}`],
      ['timeseries tickets by hour (30 d)', `/api/v1/timeseries?metric=tickets_created&interval=hour&${qs(month)}`],
      ['heatmap (30 d)', `/api/v1/heatmap?${qs(month)}`],
      ['frt-distribution (30 d)', `/api/v1/frt-distribution?${qs(month)}`],
      ['live (30 d window)', '/api/v1/live'],
      ['summary (365 d, 1 M tickets)', `/api/v1/summary?${qs(year)}`],
      ...yearPage.map(([name, url]): [string, string] => [`${name} (365 d)`, url]).filter(([, url]) => !url.startsWith('/api/v1/summary?')),
    ];
    const rows: string[] = [];
    const results: Record<string, { p50: number; p95: number; cpu: number }> = {};

    // the first year-long requests of a process on new data: each computes up to 92 days of the per-day rollup
    // (analytics/rollup.ts) and reads the others from ticket_facts; a deployment keeps it day by day
    const coldMs: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      const res = await app.inject({ url: `/api/v1/summary?${qs(year)}` });
      if (res.statusCode !== 200) throw new Error(`cold summary: ${res.statusCode} ${res.body}`);
      coldMs.push(performance.now() - t0);
    }
    process.stderr.write(`first four year-long summaries (they build the rollup): ${coldMs.map(ms).join(', ')} ms\n`);
    for (const [name, url] of endpoints) {
      const r = await time(async () => {
        const res = await app.inject({ url });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      }, ITERATIONS);
      results[name] = r;
      rows.push(`| ${name} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.cpu)} |`);
      process.stderr.write(`${name}: p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms, CPU ${ms(r.cpu)} ms/request, load ${loadavg()[0]!.toFixed(1)}\n`);
    }

    // the whole page for a year: every panel's request at once, as the browser sends them (chDB runs them one after another)
    {
      const name = `dashboard page (365 d): ${yearPage.length} requests at once`;
      const r = await time(
        () =>
          Promise.all(
            yearPage.map(async ([, url]) => {
              const res = await app.inject({ url });
              if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
            }),
          ),
        Math.max(10, Math.round(ITERATIONS / 2)),
      );
      results[name] = r;
      rows.push(`| ${name} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.cpu)} |`);
      process.stderr.write(`${name}: p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms, CPU ${ms(r.cpu)} ms/request, load ${loadavg()[0]!.toFixed(1)}\n`);
    }

    // the same summary from raw events, and a check that both agree — for the month and for the year (the rollup's days)
    const rawSql = await rawSummarySql(ch);
    const rawParams = (r: { from: string; to: string }) => ({ from: chTime(new Date(r.from)), to: chTime(new Date(r.to)), now: chTime(now) });
    const rawMonth = await time(() => queryRows(ch, rawSql, rawParams(month)), 5);
    const rawYear = await time(() => queryRows(ch, rawSql, rawParams(year)), 3);
    const differing = (api: Record<string, unknown>, raw: Record<string, unknown>) =>
      METRIC_FIELDS.filter((f) => {
        const a = (api[f] as number | null | undefined) ?? null;
        const b = (raw[f] as number | null | undefined) ?? null;
        return a === null || b === null ? a !== b : Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a));
      });
    const mismatches: string[] = [];
    for (const [label, r] of [
      ['30 d', month],
      ['365 d', year],
    ] as const) {
      const [rawRow] = await queryRows<Record<string, unknown>>(ch, rawSql, rawParams(r));
      const api = (await app.inject({ url: `/api/v1/summary?${qs(r)}` })).json() as Record<string, unknown>;
      mismatches.push(...differing(api, METRICS.valuesFrom(rawRow ?? {})).map((f) => `${f} (${label})`));
    }
    // each year-long breakdown (rollup + ticket_facts) against the same breakdown read from ticket_facts alone
    const direct = clickHouseRunner(ch, { rollupQuietMs: false });
    for (const by of BREAKDOWN_DIMENSIONS) {
      const api = (await app.inject({ url: `/api/v1/breakdown?by=${by}&${qs(year)}` })).json() as Record<string, unknown>[];
      const ref = await breakdown(direct, by, { from: new Date(year.from), to: new Date(year.to) }, {}, now);
      if (api.length !== ref.length) mismatches.push(`breakdown by ${by}: ${api.length} groups, ${ref.length} read from ticket_facts`);
      api.forEach((g, i) => {
        const want = ref[i] as Record<string, unknown> | undefined;
        if (!want || g.key !== want.key) mismatches.push(`breakdown by ${by}: group ${i} is ${String(g.key)}, ${String(want?.key)} read from ticket_facts`);
        else mismatches.push(...differing(g, want).map((f) => `${f} (breakdown by ${by}, ${String(g.key)})`));
      });
    }
    if (mismatches.length > 0) process.exitCode = 1;

    // freshness: a new ticket's events inserted → visible in /summary
    const fresh: number[] = [];
    for (let i = 0; i < 20; i++) {
      const created = new Date(END - 86_400_000 + i * 60_000).toISOString();
      const queue = `fresh${i}`;
      const t0 = performance.now();
      await insertRows(ch, 'events', [
        {
          event_id: crypto.randomUUID(),
          schema_version: 1,
          type: 'ticket_opened',
          occurred_at: created,
          emitted_at: created,
          ticket_id: 50_000_000 + i,
          ticket_created_at: created,
          customer_id: 1,
          queue,
          first_response_due_at: created,
          resolution_due_at: created,
          is_repeat_contact: false,
        },
      ]);
      for (;;) {
        const res = (await app.inject({ url: `/api/v1/summary?from=${new Date(END - 2 * 86_400_000).toISOString()}&to=${year.to}&queue=${queue}` })).json() as {
          tickets_created: number;
        };
        if (res.tickets_created === 1) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      fresh.push(performance.now() - t0);
    }
    await app.close();

    const cpu = (() => {
      try {
        return execSync("lscpu | sed -n 's/^Model name:[[:space:]]*//p'", { encoding: 'utf8' }).trim();
      } catch {
        return cpus()[0]?.model ?? 'unknown';
      }
    })();
    const speedup = rawMonth.p50 / results['summary (30 d)']!.p50;
    console.log(`
### Run ${new Date().toISOString().slice(0, 10)} — ${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, chDB (embedded), Node ${process.version}

Data: ${Number(counts?.events).toLocaleString('en-US')} events, ${Number(counts?.tickets).toLocaleString('en-US')} tickets over 365 days (generated in ${genSeconds.toFixed(0)} s through the MVs, then ${settleSeconds.toFixed(0)} s until background merges settled; ticket_facts holds ${Number(counts?.facts_rows).toLocaleString('en-US')} rows). ${ITERATIONS} timed requests per endpoint through fastify inject, after five warm-up requests.

| endpoint | p50 ms | p95 ms | CPU ms/request |
|---|---:|---:|---:|
${rows.join('\n')}
| raw events: same summary (30 d), FINAL + GROUP BY ticket | ${ms(rawMonth.p50)} | ${ms(rawMonth.p95)} | ${ms(rawMonth.cpu)} |
| raw events: same summary (365 d) | ${ms(rawYear.p50)} | ${ms(rawYear.p95)} | ${ms(rawYear.cpu)} |

- Aggregates vs raw, 30-day summary: **${speedup.toFixed(0)}× faster** (p50); the 30-day and the year's summary against the raw events, and each year-long breakdown against ticket_facts alone: ${mismatches.length === 0 ? 'identical in every field' : `differ in ${mismatches.join(', ')}`}.
- The first four year-long summaries of the process (each computes up to 92 days of the per-day rollup, where it was not kept yet): ${coldMs.map(ms).join(', ')} ms.
- Freshness (insertRows of a new ticket → visible in /summary, 20 trials): p50 ${ms(quantile(fresh, 0.5))} ms, p95 ${ms(quantile(fresh, 0.95))} ms.
`);
  } finally {
    await ch.close();
    tmp.cleanup();
  }
});
