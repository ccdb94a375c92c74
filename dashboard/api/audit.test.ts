/**
 * GET /api/v1/audit over chDB: staff_action events (as the desk's outbox writes them) through audit_facts — the
 * filters (time, actor, action, ticket), newest-first paging by cursor that neither repeats nor skips, staff by
 * name, customers only as pseudonyms, a duplicate delivery shown once, CSV with formula cells defused, 400s with
 * their reasons, and the bearer token.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from '../../core/clickhouse.js';
import type { SupportEvent } from '../../schemas/events.js';
import { assertEvent } from '../../schemas/validate.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { nextEventId } from '../../test/analytics/history.js';
import { buildDashboardServer } from '../server.js';
import { customerLabel } from './audit.js';

const NOW = Date.UTC(2026, 5, 10, 12, 0, 0);
const MIN = 60_000;
const ANNA = 501;
const BORIS = 502;
const PSEUDONYM = 4_503_599_627_370_497; // a 53-bit pseudonym, as bot/store/pseudonyms.ts makes them
const TOKEN = 'audit-test-token-0123456789';

function action(minAgo: number, agent: number, reason: string, ticket?: number): SupportEvent {
  const at = new Date(NOW - minAgo * MIN).toISOString();
  return assertEvent({
    event_id: nextEventId(),
    schema_version: 1,
    type: 'staff_action',
    occurred_at: at,
    emitted_at: at,
    agent_id: agent,
    reason,
    ...(ticket !== undefined
      ? {
          ticket_id: ticket,
          ticket_created_at: new Date(NOW - 600 * MIN).toISOString(),
          customer_id: PSEUDONYM,
          queue: 'L1',
          category: null,
          language: 'en',
          ticket_seq: 1,
        }
      : { ticket_id: null, ticket_created_at: null, customer_id: null, queue: null, category: null, language: null }),
  });
}

let db: AnalyticsDb;
let app: FastifyInstance;
const events: SupportEvent[] = [
  action(100, ANNA, 'take', 7),
  action(90, ANNA, 'reply', 7),
  action(80, BORIS, 'note', 7),
  action(70, ANNA, 'resolve', 7),
  action(60, BORIS, 'ban'),
  action(50, BORIS, 'broadcast'),
  action(40, ANNA, 'take', 8),
  action(30, ANNA, 'mute'),
  action(45 * 24 * 60, ANNA, 'reply', 3), // 45 days ago: outside the default 30 days
];

beforeAll(async () => {
  db = await openAnalyticsDb();
  await ingest(db.ch, events, 3);
  await ingest(db.ch, events.slice(0, 2)); // redelivered: shown once
  await insertRows(db.ch, 'staff', [
    { id: ANNA, display_name: 'Anna K.', updated_at: '2026-06-01 00:00:00.000' },
    { id: BORIS, display_name: '=HYPERLINK("http://x")', updated_at: '2026-06-01 00:00:00.000' },
  ]);
  app = await buildDashboardServer({ ch: db.ch, now: () => new Date(NOW), webRoot: false, token: TOKEN });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };
const get = (url: string, headers: Record<string, string> = auth) => app.inject({ method: 'GET', url, headers });
type Page = {
  rows: { at: string; actor_id: number; actor: string | null; action: string; ticket_id: number | null; customer: string | null }[];
  next_cursor: string | null;
  actions: string[];
};

describe('GET /api/v1/audit', () => {
  it('lists the last 30 days newest first, staff by name, customers by pseudonym, each event once', async () => {
    const res = await get('/api/v1/audit');
    expect(res.statusCode).toBe(200);
    const body = res.json() as Page;
    expect(body.rows.map((r) => [r.action, r.actor_id, r.ticket_id])).toEqual([
      ['mute', ANNA, null],
      ['take', ANNA, 8],
      ['broadcast', BORIS, null],
      ['ban', BORIS, null],
      ['resolve', ANNA, 7],
      ['note', BORIS, 7],
      ['reply', ANNA, 7],
      ['take', ANNA, 7],
    ]);
    expect(body.rows[0]).toEqual({
      at: new Date(NOW - 30 * MIN).toISOString(),
      actor_id: ANNA,
      actor: 'Anna K.',
      action: 'mute',
      ticket_id: null,
      customer: null,
    });
    expect(body.rows[1]!.customer).toBe(customerLabel(PSEUDONYM));
    expect(JSON.stringify(body)).not.toContain(String(PSEUDONYM));
    expect(body.actions).toEqual(['ban', 'broadcast', 'mute', 'note', 'reply', 'resolve', 'take']);
    expect(body.next_cursor).toBeNull();
  });

  it('filters by actor, action, ticket and time', async () => {
    const rows = async (qs: string) => ((await get(`/api/v1/audit?${qs}`)).json() as Page).rows.map((r) => `${r.action}:${r.actor_id}:${r.ticket_id}`);
    expect(await rows(`actor=${BORIS}`)).toEqual([`broadcast:${BORIS}:null`, `ban:${BORIS}:null`, `note:${BORIS}:7`]);
    expect(await rows('action=take')).toEqual([`take:${ANNA}:8`, `take:${ANNA}:7`]);
    expect(await rows('ticket=7&action=reply')).toEqual([`reply:${ANNA}:7`]);
    expect(await rows(`actor=${ANNA}&ticket=7`)).toEqual([`resolve:${ANNA}:7`, `reply:${ANNA}:7`, `take:${ANNA}:7`]);
    const from = new Date(NOW - 65 * MIN).toISOString();
    const to = new Date(NOW - 35 * MIN).toISOString();
    expect(await rows(`from=${from}&to=${to}`)).toEqual([`take:${ANNA}:8`, `broadcast:${BORIS}:null`, `ban:${BORIS}:null`]);
    expect(await rows('from=2026-04-01&to=2026-05-01')).toEqual([`reply:${ANNA}:3`]);
    expect(await rows('action=role_change')).toEqual([]);
  });

  it('pages by cursor without repeating or skipping a row, also when older actions arrive meanwhile', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/api/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as Page;
      expect(body.rows.length).toBeLessThanOrEqual(3);
      seen.push(...body.rows.map((r) => `${r.at}:${r.action}`));
      cursor = body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    const all = ((await get('/api/v1/audit')).json() as Page).rows.map((r) => `${r.at}:${r.action}`);
    expect(seen).toEqual(all);
  });

  it('exports the same filters as CSV, with formula cells defused', async () => {
    const res = await get(`/api/v1/audit?format=csv&actor=${BORIS}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe('at,actor_id,actor,action,ticket_id,customer');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(`${new Date(NOW - 50 * MIN).toISOString()},${BORIS},"'=HYPERLINK(""http://x"")",broadcast,,`);
    expect(lines[3]).toBe(`${new Date(NOW - 80 * MIN).toISOString()},${BORIS},"'=HYPERLINK(""http://x"")",note,7,${customerLabel(PSEUDONYM)}`);
    const all = await get('/api/v1/audit', { ...auth, accept: 'text/csv' });
    expect(all.body.trim().split('\n')).toHaveLength(9);
    for (const cell of all.body.split(/[,\n]/)) expect(cell).not.toMatch(/^[=+@]/);
  });

  it.each([
    ['actor=abc', 'actor must be integer'],
    ['actor=0', 'actor must be >= 1'],
    ['actor=1e29', 'actor must be <= 9007199254740991'],
    ['ticket=-1', 'ticket must be >= 1'],
    ['action=DROP%20TABLE', 'action must match pattern'],
    ['limit=0', 'limit must be >= 1'],
    ['limit=501', 'limit must be at most 500'],
    ['from=2026-02-30', 'from is not a valid date'],
    ['from=2026-06-10&to=2026-06-01', 'must be before to'],
    ['cursor=bm9wZQ', 'cursor must be the next_cursor of an earlier page'],
    ['actr=501', 'unknown parameter actr'],
  ])('answers ?%s with 400 and the reason', async (qs, reason) => {
    const res = await get(`/api/v1/audit?${qs}`);
    expect(res.statusCode, res.body).toBe(400);
    expect((res.json() as { message: string }).message).toContain(reason);
  });

  it('needs the analytics token', async () => {
    expect((await get('/api/v1/audit', {})).statusCode).toBe(401);
    expect((await get('/api/v1/audit', { authorization: 'Bearer wrong' })).statusCode).toBe(401);
    expect((await get('/api/v1/audit?format=csv', {})).statusCode).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/audit');
  });
});
