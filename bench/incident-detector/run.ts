/**
 * The spike detector's cost per event and its detection delay at a steady rate of new tickets.
 *
 *   npx tsx bench/incident-detector/run.ts [--rate 1000] [--weeks 4] [--events 2000] [--engine pglite|postgres|both] [--min-tickets 5]
 *
 * The store holds `--weeks` weeks of history at `--rate` tickets an hour (each ticket under its category, one of
 * 20, and its first message's cluster, one of 300, both skewed as real topics are), seeded in SQL. Then, in
 * virtual time, `--events` new tickets arrive at the same rate, each going through the desk's own detection step
 * (bot/incidents: recordKeys, the ticket's keys, its link, an open incident for them, detectSpike — what the
 * intake step and the category hook run): the time each takes is the cost per event. Then two outages on top of
 * the steady traffic, and the virtual time from their first ticket to the flag is the detection delay:
 *   - a busy category (its usual share of the rate, about 25 tickets a window) gets 300 extra tickets an hour,
 *     their first messages in three wordings (three new clusters) — whichever of its keys flags first counts;
 *   - a new KB article's topic nobody wrote about before gets 60 tickets an hour.
 * PostgreSQL needs TEST_DATABASE_URL (bash scripts/services.sh start). Results go to BENCHMARKS.md
 * `## Incident detector`.
 */
import { cpus, totalmem } from 'node:os';
import { parseCli, runMain } from '../../core/cli.js';
import type { Db } from '../../core/postgres.js';
import { detectSpike } from '../../bot/incidents/detect.js';
import { DEFAULT_DETECTOR, plan } from '../../bot/incidents/detector.js';
import { IncidentStore } from '../../bot/incidents/store.js';
import { migrateBot } from '../../bot/store/migrate.js';
import { storeEngines } from '../../test/helpers/stores.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';

const CATEGORIES = 20;
const CLUSTERS = 300;
const HOUR = 3_600_000;

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const int = (v: string | undefined, d: number, name: string) => {
  const n = v === undefined ? d : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
};

interface Result {
  engine: string;
  historyRows: number;
  seedSeconds: number;
  perEventMs: { mean: number; p50: number; p95: number; p99: number };
  falseFlags: number;
  falseFlagKeys?: string[];
  busyCategory: { baselinePerWindow: number; delayMinutes: number | null; ticketsToFlag: number; flaggedBy: string | null };
  newCluster: { delayMinutes: number | null; ticketsToFlag: number; flaggedBy: string | null };
}

async function bench(engine: string, db: Db, o: { rate: number; weeks: number; events: number; minTickets: number }): Promise<Result> {
  await migrateBot(db);
  const store = new IncidentStore(db);
  const cfg = { ...DEFAULT_DETECTOR, minTickets: o.minTickets };
  const rand = prng(42);
  const gap = HOUR / o.rate;
  const start = Date.now();
  const historyFrom = start - o.weeks * 7 * 24 * HOUR;

  // History in SQL: ticket g at historyFrom + g·gap, a skewed category and cluster each (power 2 of a uniform).
  const seedStarted = performance.now();
  const n = Math.floor((start - historyFrom) / gap);
  const chunk = 100_000;
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    await db.query(
      `INSERT INTO incident_ticket_keys (ticket_id, key, customer_id, opened_at)
       SELECT g, k.key, 1000000 + (g % 200000), to_timestamp(($3::float8 + g * $4::float8) / 1000)
       FROM generate_series($1::bigint, $2::bigint - 1) AS g,
       -- a uniform number per ticket and key from a multiplicative hash of g (random() here would be drawn once)
       LATERAL (VALUES ('cat:c' || floor(${CATEGORIES} * power(((g * 2654435761) % 4294967296) / 4294967296.0, 2))::int),
                       ('kw:k' || floor(${CLUSTERS} * power(((g * 2246822519 + 374761393) % 4294967296) / 4294967296.0, 2))::int)) AS k(key)
       ON CONFLICT DO NOTHING`,
      [from + 1, to + 1, historyFrom, gap],
    );
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const historyRows = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM incident_ticket_keys')).rows[0]!.n);
  await db.query('ANALYZE incident_ticket_keys');

  let id = n + 10;
  let customer = 5_000_000;
  const skewed = (k: number) => Math.floor(k * rand() ** 2);
  /** One ticket through the desk's detection step; returns the flagged key, if any, and how long it took. */
  const event = async (at: number, keys: string[]) => {
    const t0 = performance.now();
    const ticket = { id: id++, customer_id: customer++, created_at: new Date(at) };
    await store.recordKeys(ticket, keys);
    const all = await store.keysOf(ticket.id);
    await store.linkOf(ticket.id);
    await store.openFor(all);
    const found = await detectSpike(store, all, keys, new Date(at), cfg);
    if (found) {
      const a = found.assessment;
      await store.claimSpike({
        key: found.key,
        tickets: a.tickets,
        customers: a.customers,
        baseline: a.baseline,
        first_ticket_at: a.firstAt ?? new Date(at),
        detected_at: new Date(at),
      });
    }
    return { ms: performance.now() - t0, flagged: found?.key };
  };
  const steadyKeys = () => [`kw:k${skewed(CLUSTERS)}`, `cat:c${skewed(CATEGORIES)}`];

  // Steady traffic: the cost per event.
  let now = start;
  const times: number[] = [];
  let falseFlags = 0;
  const flagged: string[] = [];
  for (let i = 0; i < o.events; i++) {
    now += gap;
    const r = await event(now, steadyKeys());
    times.push(r.ms);
    if (r.flagged) {
      falseFlags++;
      flagged.push(r.flagged);
    }
  }

  // An outage in a busy category (c3: about 6 % of the traffic) and one in a new cluster, each measured alone.
  const outage = async (key: string, perHour: number) => {
    const extraGap = HOUR / perHour;
    const begin = now;
    let nextExtra = now;
    let tickets = 0;
    for (let i = 0; i < 20_000; i++) {
      if (nextExtra <= now + gap) {
        now = nextExtra;
        nextExtra += extraGap;
        tickets++;
        // People describe one outage in a few ways: its clusters, and its category.
        const keys = [`kw:outage-${key}-${i % 3}`, key];
        const r = await event(now, keys);
        if (r.flagged && keys.includes(r.flagged)) return { delayMinutes: (now - begin) / 60_000, ticketsToFlag: tickets, flaggedBy: r.flagged };
      } else {
        now += gap;
        await event(now, steadyKeys());
      }
    }
    return { delayMinutes: null, ticketsToFlag: tickets, flaggedBy: null };
  };
  const busyKey = 'cat:c3';
  const window = cfg.windowSeconds * 1000;
  const busyBaseline = (await store.counts(busyKey, plan(new Date(now), cfg), new Date(historyFrom))).current.tickets;
  const busy = await outage(busyKey, 300);
  now += 2 * window; // the first outage's window passes
  const fresh = await outage('kb:new-article', 60);
  return {
    engine,
    historyRows,
    seedSeconds,
    perEventMs: {
      mean: times.reduce((a, b) => a + b, 0) / times.length,
      p50: quantile(times, 0.5),
      p95: quantile(times, 0.95),
      p99: quantile(times, 0.99),
    },
    falseFlags,
    ...(flagged.length ? { falseFlagKeys: [...new Set(flagged)].slice(0, 10) } : {}),
    busyCategory: { baselinePerWindow: busyBaseline, ...busy },
    newCluster: fresh,
  };
}

runMain(async () => {
  const { values } = parseCli({
    usage: 'npx tsx bench/incident-detector/run.ts [--rate 1000] [--weeks 4] [--events 2000] [--engine pglite|postgres|both]',
    description: "The spike detector's cost per new ticket and its detection delay, over weeks of history in the store.",
    options: { rate: { type: 'string' }, weeks: { type: 'string' }, events: { type: 'string' }, engine: { type: 'string' }, 'min-tickets': { type: 'string' } },
    optionHelp: [
      '--rate N      tickets an hour, in the history and live (1000)',
      '--weeks W     weeks of history in the store (4)',
      '--events E    steady new tickets measured (2000)',
      '--engine X    pglite, postgres (TEST_DATABASE_URL) or both (both when TEST_DATABASE_URL is set, else pglite)',
      '--min-tickets N  INCIDENT_MIN_TICKETS (5)',
    ],
  });
  const o = {
    rate: int(values.rate, 1000, 'rate'),
    weeks: int(values.weeks, 4, 'weeks'),
    events: int(values.events, 2000, 'events'),
    minTickets: int(values['min-tickets'], DEFAULT_DETECTOR.minTickets, 'min-tickets'),
  };
  const which = values.engine ?? (process.env.TEST_DATABASE_URL ? 'both' : 'pglite');
  const tmp = tmpDataDir('bench-incidents-');
  const { engines, cleanup } = storeEngines({ dataDir: tmp.dir, schemaPrefix: 'bench_incidents', poolSize: 2 });
  console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  console.log(
    `rate ${o.rate}/h, ${o.weeks} weeks of history, ${o.events} measured events, window ${DEFAULT_DETECTOR.windowSeconds / 60} min, min tickets ${o.minTickets}`,
  );
  try {
    for (const [name, open] of engines) {
      if (which !== 'both' && which !== name) continue;
      const db = await open();
      try {
        const r = await bench(name, db, o);
        console.log(JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 100) / 100 : v), 2));
      } finally {
        await db.close();
      }
    }
  } finally {
    await cleanup();
    tmp.cleanup();
  }
});
