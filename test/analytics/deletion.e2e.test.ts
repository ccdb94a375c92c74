/**
 * The deletion test (issue 14 acceptance; issue 17 item 8), end to end: customers and an agent talk through
 * the Telegram sandbox to the real desk (PGlite), the published events go into chDB and the dashboard API
 * reports them. Then Annabel deletes her data from the Mini App (`DELETE /app/api/me`, signed launch data from
 * the sandbox). Afterwards:
 *  - PostgreSQL holds no name, username or message of hers, nor her Telegram id (every row of every table);
 *  - nothing in ClickHouse can be tied to her Telegram id: no column of any table holds it (nor anyone
 *    else's — events carry pseudonyms), and her pseudonym cannot be recomputed: her key is gone (a new one
 *    gives another), while the events that carry the old one are all still there;
 *  - the dashboard's numbers (summary, agent breakdown, live panel) are exactly what they were.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../core/clickhouse.js';
import { buildDashboardServer } from '../../dashboard/server.js';
import { miniAppPlugin } from '../../bot/miniapp/plugin.js';
import { analyticsIdOf } from '../../bot/store/pseudonyms.js';
import type { SupportEvent } from '../../schemas/events.js';
import { AGENT, startFeatureHarness, type FeatureHarness } from '../bot/feature-harness.js';
import { clickhouseColumnsHolding, rowsContaining } from '../helpers/personal-data.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from './chdb.js';

const HOUR = 3600;
const T0 = Math.floor(Date.now() / 1000 / HOUR) * HOUR - 24 * HOUR;
const ANN = 7_301_234_567;
const BOB = 7_309_876_543;
const CYD = 7_305_555_123;
const HERS = ['Annabel', 'Quuxley', 'annabel_q', 'zebra parcel', 'carrier pigeon', String(ANN)];

let h: FeatureHarness;
let db: AnalyticsDb;
let dashboard: FastifyInstance;
let app: FastifyInstance;
let published: SupportEvent[];

const at = (unix: number) => h.client.setClock({ unix });

/** The customer writes (with this profile) and a ticket opens; returns its topic. */
async function conversation(customer: number, profile: { first_name: string; last_name?: string; username?: string }, text: string, start: number) {
  await at(start);
  await h.client.sendCustomerMessage(customer, { text, ...profile, language_code: 'en', date: start });
  await h.client.waitFor(
    async () => (await h.db.query<{ id: number }>(`SELECT id FROM tickets WHERE customer_id = $1 AND status <> 'resolved'`, [customer])).rows[0]?.id,
    { what: `open ticket of ${customer}`, timeoutMs: 10_000 },
  );
  return h.thread(customer);
}

async function agentSays(thread: number, customer: number, text: string, date: number) {
  await at(date);
  await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text, date });
  await h.client.waitForCustomerMessage(customer, text);
}

async function resolveAndRate(thread: number, customer: number, date: number, score: string) {
  await at(date);
  await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve', date });
  await h.client.waitForCustomerMessage(customer, /How would you rate our help/);
  await h.client.pressCustomerButton(customer, score);
}

/** What the dashboard shows for the story's period. */
async function dashboardNumbers(): Promise<unknown[]> {
  const range = `from=${new Date((T0 - HOUR) * 1000).toISOString()}&to=${new Date((T0 + 12 * HOUR) * 1000).toISOString()}`;
  const get = async (url: string) => {
    const res = await dashboard.inject({ url });
    expect(res.statusCode, url).toBe(200);
    return res.json() as unknown;
  };
  return [await get(`/api/v1/summary?${range}`), await get(`/api/v1/breakdown?by=agent&${range}`), await get(`/api/v1/breakdown?by=queue&${range}`)];
}

beforeAll(async () => {
  h = await startFeatureHarness({
    botEnv: { WEBAPP_URL: 'http://127.0.0.1:9/app/' },
    env: { KB_AUTO_ANSWER: '0', SPAM_NEWCOMER_MESSAGES: '0', SPAM_NEWCOMER_AGE: '0', SPAM_DUPLICATE_WINDOW: '0', NPS_ENABLED: '0', FOLLOWUP_DELAY: '0' },
  });
  db = await openAnalyticsDb();

  // Annabel: two tickets (a repeat contact), both answered, resolved and rated
  const ann = { first_name: 'Annabel', last_name: 'Quuxley', username: 'annabel_q' };
  let thread = await conversation(ANN, ann, 'where is my zebra parcel?', T0);
  await agentSays(thread, ANN, 'Annabel, your zebra parcel ships today', T0 + 600);
  await resolveAndRate(thread, ANN, T0 + 1800, '5');
  thread = await conversation(ANN, ann, 'can I pay by carrier pigeon?', T0 + 3 * HOUR);
  await agentSays(thread, ANN, 'No carrier pigeons, sorry Annabel', T0 + 3 * HOUR + 1200);
  await resolveAndRate(thread, ANN, T0 + 4 * HOUR, '4');

  // Bob: answered late, resolved, rated low; Cyd: still waiting
  thread = await conversation(BOB, { first_name: 'Bob' }, 'my refund is missing', T0 + HOUR);
  await agentSays(thread, BOB, 'Bob, checking the refund', T0 + HOUR + 2400);
  await resolveAndRate(thread, BOB, T0 + 2 * HOUR, '2');
  await conversation(CYD, { first_name: 'Cyd' }, 'the app crashes on start', T0 + 5 * HOUR);

  await h.client.setClock({ unix: Math.floor(Date.now() / 1000) });
  published = await h.settle();
  await ingest(db.ch, published, 3);
  dashboard = await buildDashboardServer({ ch: db.ch, webRoot: false });
  app = Fastify();
  await app.register(miniAppPlugin, { desk: h.desk.services, runtime: h.features.runtime, maxAgeSeconds: 86_400, ratePerMinute: 1000, webRoot: false });
  await app.ready();
}, 180_000);

afterAll(async () => {
  await app?.close();
  await dashboard?.close();
  await db?.close();
  await h?.close();
});

const callApp = async (userId: number, method: 'GET' | 'DELETE', url: string) =>
  app.inject({ method, url: `/app/api${url}`, headers: { authorization: `tma ${(await h.client.openWebApp(userId)).init_data}` } });

describe('deleting a customer (DELETE /app/api/me)', () => {
  it('leaves no trace of her in PostgreSQL or ClickHouse, and the dashboard unchanged', async () => {
    const before = await dashboardNumbers();
    expect((before[0] as { tickets_created: number }).tickets_created).toBe(4);
    const pseudonym = await analyticsIdOf(h.desk.services.db, ANN);
    const hers = async () =>
      Number((await queryRows<{ n: string }>(db.ch, 'SELECT count() AS n FROM events WHERE customer_id = {p:Int64}', { p: pseudonym }))[0]!.n);
    const herEvents = await hers();
    expect(herEvents).toBeGreaterThan(10);
    // the scan finds what is there (her pseudonym, in the events and the per-ticket facts)…
    expect(await clickhouseColumnsHolding(db.ch, [String(pseudonym)])).toEqual(expect.arrayContaining(['events.customer_id', 'ticket_facts.customer_id']));
    // …and ClickHouse never held a Telegram id of a customer, nor a name or a message
    expect(await clickhouseColumnsHolding(db.ch, [...HERS, String(BOB), String(CYD), 'refund is missing'])).toEqual([]);

    // her copy first: everything, her messages included
    const exported = await callApp(ANN, 'GET', '/me/export');
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain('zebra parcel');
    expect(exported.body).toContain('annabel_q');
    const pg = h.desk.services.db;
    expect((await rowsContaining(pg, HERS)).length).toBeGreaterThan(5);

    const erased = await callApp(ANN, 'DELETE', '/me');
    expect(erased.statusCode, erased.body).toBe(200);

    // PostgreSQL: no name, username, message or id of hers in any row of any table
    expect(await rowsContaining(pg, HERS)).toEqual([]);
    // Bob's and Cyd's are untouched
    expect(await rowsContaining(pg, ['Bob', 'refund is missing', 'Cyd'])).not.toEqual([]);

    // the pipeline goes on: whatever the erasure published (nothing: her tickets were resolved) reaches ClickHouse
    const after = await h.settle();
    await ingest(db.ch, after.slice(published.length));
    expect(after.slice(published.length).filter((e) => e.customer_id === pseudonym)).toEqual([]);

    // ClickHouse: still no column holding her id or strings; her events all there, under a pseudonym nobody can recompute
    expect(await clickhouseColumnsHolding(db.ch, HERS)).toEqual([]);
    expect(await hers()).toBe(herEvents);
    expect((await pg.query('SELECT 1 FROM customer_keys WHERE customer_id = $1', [ANN])).rows).toEqual([]);
    expect(await analyticsIdOf(pg, ANN)).not.toBe(pseudonym); // a new key, a new pseudonym

    // the dashboard's numbers are exactly what they were
    expect(await dashboardNumbers()).toEqual(before);
  });
});
