/**
 * The experiments' API over the experiment scenario in chDB and an experiments
 * directory: the list with exposure counts and the files' problems, the
 * results (the analysis' own numbers, the issue's JSON shape, JSON-safe), CSV,
 * 404 for an unknown key, 400 for bad dates, the bearer token, OpenAPI.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentResults } from '../../analytics/experiments/analysis.js';
import { clickHouseRunner } from '../../analytics/query.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { DEF, NOW, RANGE, scenario } from '../../test/analytics/experiment-scenario.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { buildDashboardServer } from '../server.js';

const TOKEN = 'experiments-test-token';
let db: AnalyticsDb;
let app: FastifyInstance;
const tmp = tmpDataDir('desk-experiments-api-');
const dir = join(tmp.dir, 'experiments');

beforeAll(async () => {
  db = await openAnalyticsDb();
  await ingest(db.ch, scenario().events, 3);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'receipt-style.yaml'),
    `key: receipt-style
surface: receipt
variants:
  - { name: control, weight: 1 }
  - { name: steps, weight: 1 }
metrics: [${DEF.metrics.join(', ')}]
status: running
`,
  );
  writeFileSync(join(dir, 'broken.yaml'), 'key: [unclosed\n');
  writeFileSync(
    join(dir, 'kb.yaml'),
    'key: kb-cards\nsurface: kb_format\nvariants:\n  - { name: control, weight: 1 }\n  - { name: search, weight: 0 }\nmetrics: [csat_avg]\nstatus: draft\n',
  );
  app = await buildDashboardServer({ ch: db.ch, now: () => NOW, webRoot: false, token: TOKEN, experimentsDir: dir, experimentsCacheSeconds: 0 });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await db?.close();
  tmp.cleanup();
});

const auth = { authorization: `Bearer ${TOKEN}` };
const get = (url: string, headers: Record<string, string> = auth) => app.inject({ method: 'GET', url, headers });
const range = `from=${RANGE.from.toISOString()}&to=${RANGE.to.toISOString()}`;

describe('GET /api/v1/experiments', () => {
  it('lists the valid files with exposure counts and the problems of the others', async () => {
    const res = await get('/api/v1/experiments');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.experiments.map((e: { key: string }) => e.key)).toEqual(['receipt-style']);
    const e = body.experiments[0];
    expect(e).toMatchObject({ surface: 'receipt', status: 'running', file: 'receipt-style.yaml', metrics: DEF.metrics, holdout: 0 });
    expect(e.customers).toBe(122);
    expect(e.variants.map((v: { name: string }) => v.name)).toEqual(['control', 'steps']);
    expect(e.variants[0].customers + e.variants[1].customers).toBe(122);
    expect(body.problems.map((p: { file: string }) => p.file).sort()).toEqual(['broken.yaml', 'kb.yaml']);
    expect(body.problems.find((p: { file: string }) => p.file === 'broken.yaml').message).toMatch(/malformed YAML/);
  });
});

describe('GET /api/v1/experiments/:key/results', () => {
  it("answers the issue's shape with the analysis' numbers", async () => {
    const res = await get(`/api/v1/experiments/receipt-style/results?${range}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/NaN|Infinity/);
    const body = res.json();
    const want = JSON.parse(JSON.stringify(await experimentResults(clickHouseRunner(db.ch), { ...DEF, file: 'receipt-style.yaml' }, RANGE, NOW)));
    expect(body).toEqual(want);
    expect(Object.keys(body)).toEqual(['experiment', 'variants', 'comparisons', 'srm']);
    expect(Object.keys(body.variants[0])).toEqual(expect.arrayContaining(['name', 'customers', 'tickets', 'metrics']));
    expect(Object.keys(body.variants[0].metrics.csat_avg)).toEqual(['value', 'n']);
    expect(Object.keys(body.comparisons[0])).toEqual(
      expect.arrayContaining([
        'metric',
        'variant',
        'baseline',
        'value',
        'baseline_value',
        'diff',
        'rel_diff',
        'ci_low',
        'ci_high',
        'p_value',
        'method',
        'sequential_p_value',
      ]),
    );
    expect(Object.keys(body.srm)).toEqual(['p_value', 'mismatch']);
    expect(body.comparisons).toHaveLength(DEF.metrics.length);
  });

  it('CSV: ?format=csv and /results.csv, one row per comparison', async () => {
    for (const url of [`/api/v1/experiments/receipt-style/results?${range}&format=csv`, `/api/v1/experiments/receipt-style/results.csv?${range}`]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/csv/);
      const lines = res.body.trim().split('\n');
      expect(lines[0]).toBe('metric,variant,baseline,value,baseline_value,diff,rel_diff,ci_low,ci_high,p_value,method,sequential_p_value,reason');
      expect(lines).toHaveLength(1 + DEF.metrics.length);
    }
  });

  it('defaults the range to the 90 days before now', async () => {
    const res = await get('/api/v1/experiments/receipt-style/results');
    expect(res.statusCode).toBe(200);
    expect(res.json().experiment.to).toBe(NOW.toISOString());
  });

  it('unknown key → 404; a key with only an invalid file → 404', async () => {
    for (const key of ['nope', 'kb-cards', 'x'.repeat(70)]) {
      const res = await get(`/api/v1/experiments/${key}/results?${range}`);
      expect(res.statusCode, key).toBe(404);
      expect(res.json().message).toContain(key);
    }
    expect((await get(`/api/v1/experiments/nope/results.csv?${range}`)).statusCode).toBe(404);
  });

  it('bad dates → 400 with the reason', async () => {
    for (const [qs, reason] of [
      ['from=yesterday&to=2026-03-01', /from must be an ISO 8601/],
      ['from=2026-02-30&to=2026-03-05', /not a valid date/],
      ['from=2026-03-05&to=2026-03-01', /must be before/],
      ['since=2026-03-01', /unknown parameter since/],
    ] as const) {
      const res = await get(`/api/v1/experiments/receipt-style/results?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().message, qs).toMatch(reason);
    }
  });

  it('needs the analytics token', async () => {
    expect((await get('/api/v1/experiments', {})).statusCode).toBe(401);
    expect((await get(`/api/v1/experiments/receipt-style/results?${range}`, { authorization: 'Bearer wrong' })).statusCode).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await get('/api/docs/json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/experiments', '/api/v1/experiments/{key}/results', '/api/v1/experiments/{key}/results.csv']),
    );
    const results = doc.paths['/api/v1/experiments/{key}/results'].get;
    expect(Object.keys(results.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
  });
});
