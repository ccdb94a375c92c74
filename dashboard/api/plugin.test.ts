/**
 * The analytics API over a seeded desk in chDB: every endpoint against the
 * TypeScript reference, CSV, bearer auth, 400s with reasons, OpenAPI — and the
 * whole API still answering, with the same numbers, after the raw events table
 * is taken away (it reads only the aggregates the MVs keep).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from '../../core/clickhouse.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { deskEvents, quietTicket, seededDesk, type TicketSpec } from '../../test/analytics/history.js';
import { referenceBreakdown, referenceSummary, sameMetrics } from '../../test/analytics/reference.js';
import type { SupportEvent } from '../../schemas/events.js';
import { loadDashboardConfig } from '../config.js';
import { buildDashboardServer, isLoopback } from '../server.js';
import { METRIC_FIELDS, type Metrics } from '../../analytics/registry.js';

const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);
const DAY = 86_400_000;
const FROM = new Date(NOW - 14 * DAY).toISOString();
const TO = new Date(NOW).toISOString();
const range = `from=${FROM}&to=${TO}`;
const MIN = 60_000;

/** Open tickets in their own queue so the live panel's numbers are exact. */
function liveTicket(id: number, createdMinAgo: number, frDueMin: number, extra: Partial<TicketSpec> = {}): TicketSpec {
  return quietTicket({ id, customer: 9000 + id, createdAt: NOW - createdMinAgo * MIN, queue: 'LIVE', frDueMin, ...extra });
}

let db: AnalyticsDb;
let app: FastifyInstance;
let events: SupportEvent[];

beforeAll(async () => {
  db = await openAnalyticsDb();
  const specs = [
    ...seededDesk({ tickets: 600, days: 14, end: NOW, seed: 7 }),
    liveTicket(90_001, 30, 15), // unanswered past its 15-minute deadline → breached
    liveTicket(90_002, 12, 15), // deadline in 3 minutes → at risk
    liveTicket(90_003, 5, 15), // not due yet
    liveTicket(90_004, 300, 15, { agent: 42, replies: [3], resDueMin: 240 }), // answered, resolution deadline passed → breached
    liveTicket(90_005, 300, 15), // unanswered, both deadlines passed → breached, listed by its first-response deadline
  ];
  events = deskEvents(specs);
  await ingest(db.ch, events, 4);
  app = await buildDashboardServer({ ch: db.ch, now: () => new Date(NOW), webRoot: false });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const ref = { from: Date.parse(FROM), to: Date.parse(TO), now: NOW };

describe('GET /api/v1/summary', () => {
  it('returns exactly the metric fields, equal to the reference', async () => {
    const res = await get(`/api/v1/summary?${range}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as Metrics;
    expect(Object.keys(body)).toEqual([...METRIC_FIELDS]);
    expect(sameMetrics(body, referenceSummary(events, ref))).toEqual([]);
    expect(body.tickets_created).toBeGreaterThan(500);
    for (const f of METRIC_FIELDS) expect(body[f], f).not.toBeNull();
  });

  it('filters by queue, category and agent', async () => {
    const all = (await get(`/api/v1/summary?${range}`)).json() as Metrics;
    for (const filter of [{ queue: 'L2' }, { category: 'payment' }, { agent: 501 }, { queue: 'L1', category: 'account' }]) {
      const qs = new URLSearchParams(Object.entries(filter).map(([k, v]) => [k, String(v)])).toString();
      const body = (await get(`/api/v1/summary?${range}&${qs}`)).json() as Metrics;
      expect(sameMetrics(body, referenceSummary(events, { ...ref, filter })), qs).toEqual([]);
      expect(body.tickets_created).toBeLessThan(all.tickets_created);
      expect(body.tickets_created).toBeGreaterThan(0);
    }
  });

  it('gives nulls (and zero counts) for an empty cohort', async () => {
    const body = (await get('/api/v1/summary?from=2020-01-01&to=2020-01-02')).json() as Metrics;
    expect(body.tickets_created).toBe(0);
    expect(body.csat_responses).toBe(0);
    expect(body.frt_p50_seconds).toBeNull();
    expect(body.fcr_rate).toBeNull();
    expect(body.repeat_contact_rate).toBeNull();
  });
});

describe('GET /api/v1/breakdown', () => {
  it.each(['queue', 'category', 'agent', 'language'] as const)('by %s equals the reference', async (by) => {
    const res = await get(`/api/v1/breakdown?by=${by}&${range}`);
    expect(res.statusCode).toBe(200);
    const rows = res.json() as ({ key: string } & Metrics)[];
    const expected = referenceBreakdown(events, by, ref);
    expect(rows.map((r) => r.key)).toEqual(expected.map((r) => r.key));
    rows.forEach((r, i) => expect(sameMetrics(r, expected[i]!), `${by}=${r.key}`).toEqual([]));
    expect(rows.reduce((a, r) => a + r.tickets_created, 0)).toBe(referenceSummary(events, ref).tickets_created);
  });

  it('by agent labels the agents the staff table names (the latest name), as JSON and CSV', async () => {
    await insertRows(db.ch, 'staff', [
      { id: 501, display_name: 'Anna K.', updated_at: '2026-02-01T10:00:00.000Z' },
      { id: 501, display_name: 'Anna B.', updated_at: '2026-02-20T10:00:00.000Z' }, // renamed: the later name wins
      { id: 502, display_name: 'Boris <b>P.', updated_at: '2026-02-01T10:00:00.000Z' },
    ]);
    try {
      const rows = (await get(`/api/v1/breakdown?by=agent&${range}`)).json() as ({ key: string; label?: string } & Metrics)[];
      expect(rows.find((r) => r.key === '501')?.label).toBe('Anna B.');
      expect(rows.find((r) => r.key === '502')?.label).toBe('Boris <b>P.');
      const unnamed = rows.filter((r) => r.key !== '501' && r.key !== '502');
      expect(unnamed.length).toBeGreaterThan(0);
      for (const r of unnamed) expect(r, `agent ${r.key}`).not.toHaveProperty('label');
      expect(Object.keys(rows[0]!)).toEqual(['key', ...(rows[0]!.label ? ['label'] : []), ...METRIC_FIELDS]);
      const csv = (await get(`/api/v1/breakdown?by=agent&format=csv&${range}`)).body.trim().split('\n');
      expect(csv[0]!.startsWith('key,label,tickets_created,')).toBe(true);
      expect(csv.find((l) => l.startsWith('501,'))).toMatch(/^501,Anna B\.,\d+,/);
      // other dimensions have no label
      expect((await get(`/api/v1/breakdown?by=queue&${range}`)).json()[0]).not.toHaveProperty('label');
    } finally {
      await db.ch.client.command({ query: 'TRUNCATE TABLE staff' });
    }
  });
});

describe('GET /api/v1/timeseries', () => {
  it('daily tickets add up to the summary and cover every day', async () => {
    const body = (await get(`/api/v1/timeseries?metric=tickets_created&interval=day&${range}`)).json() as { points: { t: string; value: number }[] };
    // 12:00 to 12:00 over 14 days overlaps 15 calendar days; the first bucket starts at midnight
    expect(body.points).toHaveLength(15);
    expect(body.points.reduce((a, p) => a + p.value, 0)).toBe(referenceSummary(events, ref).tickets_created);
    expect(body.points[0]!.t).toBe('2026-02-16T00:00:00.000Z');
  });

  it('hourly FRT P90 per bucket equals the reference for that hour', async () => {
    const body = (await get(`/api/v1/timeseries?metric=frt_p90_seconds&interval=hour&${range}`)).json() as { points: { t: string; value: number | null }[] };
    expect(body.points).toHaveLength(14 * 24);
    const sample = body.points.filter((p) => p.value !== null).slice(0, 5);
    expect(sample.length).toBe(5);
    for (const p of sample) {
      const from = Date.parse(p.t);
      expect(p.value).toBeCloseTo(referenceSummary(events, { from, to: from + 3_600_000, now: NOW }).frt_p90_seconds!, 6);
    }
  });

  it('day buckets follow the requested time zone', async () => {
    const body = (await get(`/api/v1/timeseries?metric=tickets_created&interval=day&tz=Asia/Kolkata&${range}`)).json() as {
      tz: string;
      points: { t: string }[];
    };
    expect(body.tz).toBe('Asia/Kolkata');
    expect(body.points[1]!.t).toMatch(/T18:30:00\.000Z$/); // local midnight at UTC+5:30
  });
});

describe('GET /api/v1/heatmap and /frt-distribution', () => {
  it('heat map has 7 × 24 cells adding up to the tickets created', async () => {
    const body = (await get(`/api/v1/heatmap?${range}`)).json() as { cells: { weekday: number; hour: number; tickets: number }[] };
    expect(body.cells).toHaveLength(168);
    expect(body.cells.reduce((a, c) => a + c.tickets, 0)).toBe(referenceSummary(events, ref).tickets_created);
    const busiest = body.cells.reduce((a, c) => (c.tickets > a.tickets ? c : a));
    expect(busiest.hour).toBeGreaterThanOrEqual(9); // the seeded desk is busier in working hours
    expect(busiest.hour).toBeLessThan(18);
  });

  it('FRT distribution buckets count the answered tickets', async () => {
    const body = (await get(`/api/v1/frt-distribution?${range}`)).json() as { bucket: string; tickets: number; share: number }[];
    expect(body.map((b) => b.bucket)).toEqual(['0–5 m', '5–15 m', '15–60 m', '1–4 h', '4–24 h', '24 h+']);
    const answered = (await get(`/api/v1/summary?${range}`)).json() as Metrics;
    expect(body.reduce((a, b) => a + b.tickets, 0)).toBeGreaterThan(answered.tickets_created * 0.8);
    expect(body.reduce((a, b) => a + b.share, 0)).toBeCloseTo(1, 9);
  });
});

describe('GET /api/v1/live', () => {
  it('counts open, at-risk and breached tickets and lists them', async () => {
    const body = (await get('/api/v1/live?queue=LIVE')).json() as {
      open_tickets: number;
      at_risk: number;
      breached: number;
      oldest_waiting: { ticket_id: number } | null;
      tickets: { ticket_id: number; state: string; sla: string; overdue_seconds: number }[];
    };
    expect(body.open_tickets).toBe(5);
    expect(body.at_risk).toBe(1);
    expect(body.breached).toBe(3);
    expect(body.oldest_waiting?.ticket_id).toBe(90_005);
    expect(body.tickets.map((t) => [t.ticket_id, t.state, t.sla])).toEqual([
      [90_005, 'breached', 'first_response'],
      [90_004, 'breached', 'resolution'],
      [90_001, 'breached', 'first_response'],
      [90_002, 'at_risk', 'first_response'],
    ]);
    expect(body.tickets[2]!.overdue_seconds).toBeCloseTo(15 * 60, 0);
  });

  it('covers the whole desk without a filter', async () => {
    const body = (await get('/api/v1/live')).json() as { open_tickets: number; by_queue: { queue: string; open: number }[] };
    expect(body.open_tickets).toBeGreaterThan(4);
    expect(new Set(body.by_queue.map((r) => r.queue))).toContain('L1');
  });
});

describe('GET /api/v1/dimensions', () => {
  const DEFAULTS = {
    categories: [
      { key: 'payment', label: 'Payment', queue: 'payments' },
      { key: 'account', label: 'Account', queue: 'L1' },
      { key: 'features', label: 'Features', queue: 'L1' },
      { key: 'complaint', label: 'Complaint', queue: 'L2' },
      { key: 'ideas', label: 'Ideas', queue: 'L1' },
    ],
    queues: [
      { key: 'payments', label: 'Payments' },
      { key: 'L1', label: 'L1' },
      { key: 'L2', label: 'L2' },
      { key: 'VIP', label: 'VIP' },
    ],
  };

  it("labels the configuration's default categories and their queues", async () => {
    const res = await get('/api/v1/dimensions');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(DEFAULTS);
  });

  it('serves the categories and default queue it is given (CATEGORIES, DEFAULT_QUEUE)', async () => {
    const cfg = loadDashboardConfig({ CATEGORIES: 'Billing & refunds:billing, Login problems, Bugs:L2', DEFAULT_QUEUE: 'first_line' });
    const custom = await buildDashboardServer({ ch: db.ch, webRoot: false, categories: cfg.categories, defaultQueue: cfg.DEFAULT_QUEUE });
    try {
      expect((await custom.inject({ url: '/api/v1/dimensions' })).json()).toEqual({
        categories: [
          { key: 'billing_refunds', label: 'Billing & refunds', queue: 'billing' },
          { key: 'login_problems', label: 'Login problems', queue: 'first_line' },
          { key: 'bugs', label: 'Bugs', queue: 'L2' },
        ],
        queues: [
          { key: 'billing', label: 'Billing' },
          { key: 'first_line', label: 'First line' },
          { key: 'L2', label: 'L2' },
          { key: 'VIP', label: 'VIP' },
        ],
      });
    } finally {
      await custom.close();
    }
  });

  it('rejects parameters, is behind the token and documented with its schema', async () => {
    expect((await get('/api/v1/dimensions?lang=en')).json()).toMatchObject({ statusCode: 400, message: 'unknown parameter lang' });
    const secured = await buildDashboardServer({ ch: db.ch, host: '0.0.0.0', token: 's3cret', webRoot: false });
    try {
      expect((await secured.inject({ url: '/api/v1/dimensions' })).statusCode).toBe(401);
      expect((await secured.inject({ url: '/api/v1/dimensions', headers: { authorization: 'Bearer s3cret' } })).json()).toEqual(DEFAULTS);
    } finally {
      await secured.close();
    }
    const doc = (await get('/api/docs/json')).json() as {
      paths: Record<string, { get: { security: unknown; responses: Record<string, { content: Record<string, { schema: { properties: object } }> }> } }>;
    };
    const op = doc.paths['/api/v1/dimensions']!.get;
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(op.responses['200']!.content['application/json']!.schema.properties)).toEqual(['categories', 'queues']);
  });

  it('a bad CATEGORIES is a configuration error naming the variable', () => {
    expect(() => loadDashboardConfig({ CATEGORIES: 'Payment:pay ments' })).toThrow(/^Invalid configuration: CATEGORIES .*bad queue name/);
  });
});

describe('CSV', () => {
  it.each([
    [`/api/v1/summary?${range}`, 'tickets_created,tickets_resolved,frt_p50_seconds'],
    [`/api/v1/breakdown?by=queue&${range}`, 'key,tickets_created'],
    [`/api/v1/timeseries?metric=csat_avg&${range}`, 't,value'],
    [`/api/v1/heatmap?${range}`, 'weekday,hour,tickets'],
    [`/api/v1/frt-distribution?${range}`, 'bucket,min_seconds,max_seconds,tickets,share'],
    ['/api/v1/live?', 'queue,status,open,at_risk,breached'],
  ])('%s as CSV by format=csv and by Accept', async (url, header) => {
    for (const res of [await get(`${url}&format=csv`), await get(url, { accept: 'text/csv' })]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const lines = res.body.trim().split('\n');
      expect(lines[0]!.startsWith(header)).toBe(true);
      expect(lines.length).toBeGreaterThan(1);
    }
  });

  it('summary CSV carries the same numbers as JSON', async () => {
    const json = (await get(`/api/v1/summary?${range}`)).json() as Metrics;
    const [head, row] = (await get(`/api/v1/summary?${range}&format=csv`)).body.trim().split('\n');
    const values = Object.fromEntries(head!.split(',').map((k, i) => [k, row!.split(',')[i]]));
    expect(Number(values.tickets_created)).toBe(json.tickets_created);
    expect(Number(values.csat_avg)).toBeCloseTo(json.csat_avg!, 12);
  });
});

describe('bad parameters → 400 with the reason', () => {
  it.each([
    [`/api/v1/summary?from=${TO}&to=${FROM}`, /from .* must be before to/],
    ['/api/v1/summary?from=yesterday&to=2026-01-01', /from must be an ISO 8601 date/],
    ['/api/v1/summary?from=2026-02-30&to=2026-03-05', /from is not a valid date/],
    ['/api/v1/summary?to=2026-03-05', /from is required/],
    [`/api/v1/summary?${range}&colour=red`, /unknown parameter colour/],
    [`/api/v1/summary?${range}&agent=bob`, /agent must be integer/],
    [`/api/v1/timeseries?metric=happiness&${range}`, /metric must be one of tickets_created, .*sla_resolution_met_rate/],
    [`/api/v1/timeseries?metric=nps&interval=week&${range}`, /interval must be one of hour, day/],
    [`/api/v1/timeseries?metric=nps&tz=Mars/Olympus&${range}`, /tz must be an IANA time zone/],
    ['/api/v1/timeseries?metric=nps&interval=hour&from=2020-01-01&to=2026-01-01', /buckets requested; at most 10000/],
    [`/api/v1/breakdown?by=planet&${range}`, /by must be one of queue, category, agent, language/],
    [`/api/v1/summary?${range}&format=xml`, /format must be one of json, csv/],
    // Integers that are not Telegram ids (ClickHouse's Int64 would fail on them: a 500 before).
    [`/api/v1/summary?${range}&agent=1e29`, /agent must be a Telegram user id/],
    [`/api/v1/summary?${range}&agent=99999999999999999999`, /agent must be a Telegram user id/],
    [`/api/v1/summary?${range}&agent=-5`, /agent must be a Telegram user id/],
    [`/api/v1/breakdown?by=queue&${range}&agent=1e29`, /agent must be a Telegram user id/],
    ['/api/v1/live?agent=1e29', /agent must be a Telegram user id/],
    // A zone Intl accepts case-insensitively but ClickHouse does not (a 500 before): the canonical name is in the reason.
    [`/api/v1/timeseries?metric=nps&tz=europe/berlin&${range}`, /tz must be an IANA time zone .*did you mean "Europe\/Berlin"/],
    [`/api/v1/heatmap?tz=europe/berlin&${range}`, /did you mean "Europe\/Berlin"/],
    [`/api/v1/heatmap?tz=utc&${range}`, /did you mean "UTC"/],
  ])('%s', async (url, reason) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect((res.json() as { message: string }).message).toMatch(reason);
  });
});

describe('auth', () => {
  it('requires the bearer token when one is configured', async () => {
    const secured = await buildDashboardServer({ ch: db.ch, host: '0.0.0.0', token: 's3cret', now: () => new Date(NOW), webRoot: false });
    try {
      expect((await secured.inject({ url: `/api/v1/summary?${range}` })).statusCode).toBe(401);
      expect((await secured.inject({ url: `/api/v1/summary?${range}`, headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
      const ok = await secured.inject({ url: `/api/v1/summary?${range}`, headers: { authorization: 'Bearer s3cret' } });
      expect(ok.statusCode).toBe(200);
      expect((await secured.inject({ url: '/api/v1/live?format=csv', headers: { authorization: 'Bearer s3cret' } })).statusCode).toBe(200);
    } finally {
      await secured.close();
    }
  });

  it('puts /metrics, /healthz and /api/docs behind the token beyond loopback, and leaves them open on loopback', async () => {
    const secured = await buildDashboardServer({ ch: db.ch, host: '0.0.0.0', token: 's3cret', now: () => new Date(NOW), webRoot: false });
    try {
      for (const url of ['/metrics', '/healthz', '/api/docs', '/api/docs/json']) {
        expect((await secured.inject({ url })).statusCode, url).toBe(401);
        expect((await secured.inject({ url, headers: { authorization: 'Bearer wrong' } })).statusCode, url).toBe(401);
        expect((await secured.inject({ url, headers: { authorization: 'Bearer s3cret' } })).statusCode, url).toBe(200);
        expect((await get(url)).statusCode, `loopback ${url}`).toBe(200);
      }
    } finally {
      await secured.close();
    }
  });

  it('refuses to serve beyond loopback without a token', async () => {
    await expect(buildDashboardServer({ ch: db.ch, host: '0.0.0.0', webRoot: false })).rejects.toThrow(/ANALYTICS_TOKEN/);
    await expect(buildDashboardServer({ ch: db.ch, host: '192.168.1.10', webRoot: false })).rejects.toThrow(
      /ANALYTICS_TOKEN must be set when HOST \(192\.168\.1\.10\)/,
    );
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
  });
});

describe('OpenAPI and /metrics', () => {
  it('serves the OpenAPI document and Swagger UI at /api/docs', async () => {
    const doc = (await get('/api/docs/json')).json() as { openapi: string; paths: Record<string, unknown>; components: { securitySchemes: object } };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/v1/audit',
        '/api/v1/breakdown',
        '/api/v1/dimensions',
        '/api/v1/experiments',
        '/api/v1/experiments/{key}/results',
        '/api/v1/experiments/{key}/results.csv',
        '/api/v1/frt-distribution',
        '/api/v1/heatmap',
        '/api/v1/incidents',
        '/api/v1/live',
        '/api/v1/reports/weekly',
        '/api/v1/selfservice',
        '/api/v1/summary',
        '/api/v1/timeseries',
      ].sort(),
    );
    expect(doc.components.securitySchemes).toHaveProperty('bearerAuth');
    const ui = await get('/api/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toMatch(/swagger/i);
  });

  it('exposes query timings on /metrics', async () => {
    const res = await get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/analytics_query_duration_seconds_count\{endpoint="summary"\} \d+/);
  });
});

describe('reads aggregates only', () => {
  it('answers every endpoint with the same numbers after the raw events table is gone', async () => {
    const urls = [
      `/api/v1/summary?${range}`,
      `/api/v1/breakdown?by=agent&${range}`,
      `/api/v1/timeseries?metric=sla_first_response_met_rate&interval=hour&${range}`,
      `/api/v1/heatmap?${range}`,
      `/api/v1/frt-distribution?${range}`,
      '/api/v1/live',
    ];
    const before = await Promise.all(urls.map(async (u) => (await get(u)).body));
    await db.ch.client.command({ query: 'RENAME TABLE events TO events_away' });
    try {
      for (const [i, u] of urls.entries()) {
        const res = await get(u);
        expect(res.statusCode, u).toBe(200);
        expect(res.body, u).toBe(before[i]);
      }
    } finally {
      await db.ch.client.command({ query: 'RENAME TABLE events_away TO events' });
    }
  });
});
