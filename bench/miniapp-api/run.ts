/**
 * The Mini App API under a large store: `GET /app/api/tickets` (a customer's list: their tickets with status,
 * ETA while waiting, last message, agent) and a ticket page with 500 messages (`GET /app/api/tickets/{n}`).
 *
 *   npx tsx bench/miniapp-api/run.ts [--tickets 1000000] [--per-customer 5] [--requests 2000]
 *
 * The store is the desk's own (PGlite in a scratch dir, or PostgreSQL with DATABASE_URL), migrated by the desk,
 * filled with generated customers and tickets in bulk (one customer in ten with an open ticket — one in a hundred
 * waiting for a first answer, so the list computes its ETA, the others answered and waiting on the customer —; every ticket with its last message in ticket_messages), plus one ticket with
 * 500 messages. Requests go through the real plugin (sign-in with signed launch data, validation, the queries,
 * serialisation) by fastify's inject — no network — each signed for a random customer. Targets (issue 14):
 * list p95 ≤ 20 ms with 1 M tickets, page p95 ≤ 50 ms with 500 messages.
 *
 * Results go to BENCHMARKS.md `## Mini App API`.
 */
import { cpus, totalmem } from 'node:os';
import Fastify from 'fastify';
import type { Bus } from '../../core/bus/types.js';
import { parseCli, runMain } from '../../core/cli.js';
import { loadPostgresConfig, openDatabase } from '../../core/postgres.js';
import { signInitData } from '../../core/telegram-webapp.js';
import { createDesk } from '../../bot/app.js';
import { loadBotConfig } from '../../bot/config.js';
import { createFeatures } from '../../bot/features/features.js';
import { miniAppPlugin } from '../../bot/miniapp/plugin.js';
import { loadFeaturesConfig } from '../../bot/runtime/config.js';
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

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

runMain(async () => {
  const { values } = parseCli({
    usage: 'npx tsx bench/miniapp-api/run.ts [--tickets N] [--per-customer N] [--requests N]',
    description: 'Mini App API latency with a large store: the ticket list and a 500-message ticket page (BENCHMARKS.md, Mini App API).',
    options: {
      tickets: { type: 'string', default: '1000000' },
      'per-customer': { type: 'string', default: '5' },
      requests: { type: 'string', default: '2000' },
    },
    optionHelp: [
      '--tickets N        tickets in the store (default 1000000)',
      '--per-customer N  tickets per customer (default 5)',
      '--requests N       timed list requests (default 2000; the page gets a quarter)',
    ],
  });
  const tickets = Number(values.tickets);
  const perCustomer = Number(values['per-customer']);
  const requests = Number(values.requests);
  const customers = Math.ceil(tickets / perCustomer);

  const tmp = tmpDataDir('bench-miniapp-');
  const pgConfig = loadPostgresConfig();
  const db = await openDatabase({ ...pgConfig, DATA_DIR: tmp.dir });
  const config = loadBotConfig({ LOG_LEVEL: 'warn', THROTTLE: '0' });
  const features = createFeatures(loadFeaturesConfig({}), { watchFiles: false, manualScheduler: true });
  // The desk is built (migrations, services) but never started: no Telegram, no polling.
  const desk = await createDesk({ db, bus: nullBus, config, apiRoot: 'http://127.0.0.1:9', features });
  const store = pgConfig.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

  let t0 = Date.now();
  const BASE = 1_000_000_000;
  await db.query(`INSERT INTO customers (id, first_name, language_code) SELECT $1::bigint + g, 'Customer', 'en' FROM generate_series(1, $2::int) g`, [
    BASE,
    customers,
  ]);
  await db.query(`INSERT INTO staff (id, display_name) VALUES (900001, 'Maria K.') ON CONFLICT DO NOTHING`);
  // Ticket g belongs to customer ((g - 1) % customers) + 1; the newest ticket of one customer in ten is open (one in a hundred unanswered).
  await db.query(
    `INSERT INTO tickets (customer_id, status, queue, category, language, agent_id, created_at, first_response_at, first_response_due_at,
                          resolution_due_at, resolved_at, resolved_by, intake_state)
     SELECT $1::bigint + ((g - 1) % $2) + 1,
            CASE WHEN g > $3 - $2 AND (g % 100) = 0 THEN 'waiting_agent' WHEN g > $3 - $2 AND (g % 10) = 0 THEN 'waiting_customer' ELSE 'resolved' END,
            (ARRAY['L1','L2','payments'])[1 + g % 3], 'payment', 'en',
            CASE WHEN g > $3 - $2 AND (g % 100) = 0 THEN NULL ELSE 900001 END,
            now() - make_interval(mins => ($3 - g) / 10),
            CASE WHEN g > $3 - $2 AND (g % 100) = 0 THEN NULL ELSE now() - make_interval(mins => ($3 - g) / 10) + interval '12 minutes' END,
            now() - make_interval(mins => ($3 - g) / 10) + interval '15 minutes',
            now() - make_interval(mins => ($3 - g) / 10) + interval '4 hours',
            CASE WHEN g > $3 - $2 AND (g % 10) = 0 THEN NULL ELSE now() - make_interval(mins => ($3 - g) / 10) + interval '2 hours' END,
            CASE WHEN g > $3 - $2 AND (g % 10) = 0 THEN NULL ELSE 'agent' END,
            'done'
     FROM generate_series(1, $3::int) g`,
    [BASE, customers, tickets],
  );
  await db.query(
    `INSERT INTO ticket_messages (ticket_id, customer_id, sender, agent_id, text, sent_at)
     SELECT id, customer_id, 'agent', 900001, 'Here is what we found — it should work now.', created_at + interval '12 minutes' FROM tickets`,
  );
  const page = (
    await db
      .query<{ id: number }>(
        `INSERT INTO tickets (customer_id, status, queue, category, language, agent_id, created_at, first_response_at, first_response_due_at, resolution_due_at, intake_state)
       VALUES ($1, 'in_progress', 'L1', 'payment', 'en', 900001, now() - interval '3 days', now() - interval '3 days', now(), now(), 'done') RETURNING id`,
        [BASE + customers + 1],
      )
      .catch(async () => {
        await db.query(`INSERT INTO customers (id, first_name) VALUES ($1, 'Long talker')`, [BASE + customers + 1]);
        return db.query<{ id: number }>(
          `INSERT INTO tickets (customer_id, status, queue, category, language, agent_id, created_at, first_response_at, first_response_due_at, resolution_due_at, intake_state)
         VALUES ($1, 'in_progress', 'L1', 'payment', 'en', 900001, now() - interval '3 days', now() - interval '3 days', now(), now(), 'done') RETURNING id`,
          [BASE + customers + 1],
        );
      })
  ).rows[0]!.id;
  await db.query(
    `INSERT INTO ticket_messages (ticket_id, customer_id, sender, agent_id, text, media_kind, sent_at)
     SELECT $1, $2, CASE WHEN g % 2 = 0 THEN 'agent' ELSE 'customer' END, CASE WHEN g % 2 = 0 THEN 900001 END,
            'Message number ' || g || ' of a long conversation about a payment that did not arrive.', CASE WHEN g % 25 = 0 THEN 'photo' END,
            now() - interval '3 days' + make_interval(mins => g)
     FROM generate_series(1, 500) g`,
    [page, BASE + customers + 1],
  );
  await db.query('ANALYZE');
  const fillSeconds = (Date.now() - t0) / 1000;

  const app = Fastify();
  await app.register(miniAppPlugin, { desk: desk.services, runtime: features.runtime, maxAgeSeconds: 86_400, ratePerMinute: 1e9, webRoot: false });
  await app.ready();
  const auth = (id: number) => `tma ${signInitData(config.token, { user: { id, first_name: 'Customer' } })}`;

  async function timed(label: string, n: number, next: () => { url: string; authorization: string }): Promise<number[]> {
    for (let i = 0; i < Math.min(50, n); i++) await app.inject({ method: 'GET', ...pick(next()) }); // warm-up
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = next();
      const s = process.hrtime.bigint();
      const res = await app.inject({ method: 'GET', ...pick(r) });
      out.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    return out.sort((a, b) => a - b);
  }
  const pick = (r: { url: string; authorization: string }) => ({ url: r.url, headers: { authorization: r.authorization } });

  t0 = Date.now();
  const list = await timed('list', requests, () => ({ url: '/app/api/tickets', authorization: auth(BASE + 1 + Math.floor(Math.random() * customers)) }));
  const pageAuth = auth(BASE + customers + 1);
  const pageTimes = await timed('page', Math.max(200, Math.floor(requests / 4)), () => ({ url: `/app/api/tickets/${page}`, authorization: pageAuth }));
  const check = await app.inject({ method: 'GET', url: `/app/api/tickets/${page}`, headers: { authorization: pageAuth } });
  const messages = (check.json() as { messages: unknown[] }).messages.length;

  console.log(
    JSON.stringify(
      {
        store,
        tickets: tickets + 1,
        customers,
        fill_seconds: fillSeconds,
        list: { requests, p50: ms(pct(list, 50)), p95: ms(pct(list, 95)), p99: ms(pct(list, 99)) },
        page: { messages, requests: pageTimes.length, p50: ms(pct(pageTimes, 50)), p95: ms(pct(pageTimes, 95)), p99: ms(pct(pageTimes, 99)) },
        timed_seconds: (Date.now() - t0) / 1000,
        machine: { cpus: cpus().length, model: cpus()[0]?.model, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version },
      },
      null,
      2,
    ),
  );
  await app.close();
  await db.close();
  tmp.cleanup();
});
