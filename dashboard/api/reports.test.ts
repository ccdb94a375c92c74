/**
 * GET /api/v1/reports/weekly through the dashboard server over chDB: the JSON is analytics/reports/weekly.ts's
 * report of the ISO week asked for, the CSV is its table, a week that does not exist is a 400 saying so, and the
 * route is in the OpenAPI document.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickHouseRunner } from '../../analytics/query.js';
import { weeklyReport } from '../../analytics/reports/weekly.js';
import { isoWeekRange } from '../../core/weeks.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { deskEvents, quietTicket } from '../../test/analytics/history.js';
import { buildDashboardServer } from '../server.js';

const MIN = 60_000;
const MON = Date.parse('2026-03-30T00:00:00Z');
const NOW = new Date('2026-04-08T12:00:00Z');
let db: AnalyticsDb;
let app: FastifyInstance;

beforeAll(async () => {
  db = await openAnalyticsDb();
  const specs = [
    quietTicket({
      id: 1,
      customer: 11,
      createdAt: MON + 60 * MIN,
      category: { at: 1, value: 'payment' },
      lifecycle: [90, 100, 200],
      csat: [{ at: 210, score: 2 }],
    }),
    quietTicket({ id: 2, customer: 12, createdAt: MON + 120 * MIN, category: { at: 1, value: 'payment' }, lifecycle: [30] }),
    quietTicket({ id: 3, customer: 13, createdAt: MON - 86_400_000, category: { at: 1, value: 'account' } }),
  ];
  await ingest(db.ch, deskEvents(specs));
  app = await buildDashboardServer({ ch: db.ch, now: () => NOW, webRoot: false });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('GET /api/v1/reports/weekly', () => {
  it('answers the ISO week with the analytics report', async () => {
    const res = await get('/api/v1/reports/weekly?week=2026-W14');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const expected = await weeklyReport(clickHouseRunner(db.ch), { range: isoWeekRange('2026-W14', 'UTC')!, now: NOW });
    expect(body).toEqual(JSON.parse(JSON.stringify({ week: '2026-W14', tz: 'UTC', ...expected })));
    expect(body.reasons.categories).toEqual([{ key: 'payment', count: 2, previous: 0, change_pct: null }]);
    expect(body.hardest.most_reopens.map((c: { ticket_id: number }) => c.ticket_id)).toEqual([1]);
  });

  it('without a week: the last complete week; from: seven days from it', async () => {
    expect((await get('/api/v1/reports/weekly')).json()).toMatchObject({ week: '2026-W14', from: '2026-03-30T00:00:00.000Z' });
    expect((await get('/api/v1/reports/weekly?from=2026-03-29')).json()).toMatchObject({ from: '2026-03-29T00:00:00.000Z', to: '2026-04-05T00:00:00.000Z' });
    expect((await get('/api/v1/reports/weekly?week=2026-W14&tz=Asia/Tehran')).json()).toMatchObject({ tz: 'Asia/Tehran', from: '2026-03-29T20:30:00.000Z' });
  });

  it('CSV: one table of sections', async () => {
    const res = await get('/api/v1/reports/weekly?week=2026-W14&format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toContain('weekly-2026-W14.csv');
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe('section,key,what,value,previous,change_pct,target,met');
    expect(lines).toContain('reason_category,payment,tickets,2,0,,,');
    expect(lines).toContain('most_reopens,1,reopens,1,,,,');
  });

  it.each([
    ['week=2026-W60', /week must be an ISO week/],
    ['week=2026-14', /week must be an ISO week/],
    ['week=2026-W14&from=2026-03-30', /not both/],
    ['from=yesterday', /from must be an ISO 8601/],
    ['week=2026-W14&tz=Mars/Olympus', /tz must be an IANA time zone/],
    ['weak=2026-W14', /unknown parameter weak/],
  ])('400 for %s', async (query, message) => {
    const res = await get(`/api/v1/reports/weekly?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(message);
  });

  it('reads aggregates only: the same answer with the raw events table gone', async () => {
    const url = '/api/v1/reports/weekly?week=2026-W14';
    const before = (await get(url)).body;
    await db.ch.client.command({ query: 'RENAME TABLE events TO events_away' });
    try {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(before);
    } finally {
      await db.ch.client.command({ query: 'RENAME TABLE events_away TO events' });
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await get('/api/docs/json')).json() as { paths: Record<string, unknown> };
    expect(doc.paths).toHaveProperty('/api/v1/reports/weekly');
  });
});
