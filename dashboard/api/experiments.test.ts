/**
 * The experiments' API over the experiment scenario in chDB and an experiments
 * directory: the list with exposure counts and the files' problems, the
 * results (the analysis' own numbers, the JSON shape, JSON-safe), CSV,
 * 404 for an unknown key, 400 for bad dates, the bearer token, OpenAPI; and the
 * results' snapshots (the routes alone, counting computations): one per open
 * range however often it is asked, a given range its own, computed ahead once
 * listening (serialized too), failures of the warm-up logged and retried.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { experimentResults } from '../../analytics/experiments/analysis.js';
import { clickHouseRunner, type QueryRunner } from '../../analytics/query.js';
import { ingest, openAnalyticsDb, type AnalyticsDb } from '../../test/analytics/chdb.js';
import { DEF, NOW, RANGE, scenario } from '../../test/analytics/experiment-scenario.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { buildDashboardServer } from '../server.js';
import { experimentRoutes, type ExperimentRoutesOptions } from './experiments.js';

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

describe('results snapshots and the warm-up', () => {
  /** The routes alone with a runner that counts the results' computations (one `run('experiment-results')` each). */
  async function routes(o: Partial<ExperimentRoutesOptions>, fail = false, list: (real: QueryRunner) => QueryRunner = (real) => real) {
    const computations: string[] = [];
    const logs: string[] = [];
    const failing: QueryRunner = async () => {
      throw new Error('ClickHouse is down (test)');
    };
    const app = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => void logs.push(line) } } });
    await app.register(experimentRoutes, {
      route: (schema) => ({ schema }),
      run: (endpoint) => {
        if (endpoint === 'experiment-results') computations.push(endpoint);
        if (endpoint === 'experiments') return list(clickHouseRunner(db.ch));
        return fail && endpoint === 'experiment-results' ? failing : clickHouseRunner(db.ch);
      },
      now: () => NOW,
      dir,
      ...o,
    });
    const results = async (qs = '') => {
      const res = await app.inject({ url: `/experiments/receipt-style/results${qs}` });
      expect(res.statusCode, qs).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8'); // the snapshot's body, serialized once
      return res.json();
    };
    return { app, computations, logs, results };
  }
  const def = { ...DEF, file: 'receipt-style.yaml' };
  const direct = async (range: { from: Date; to: Date }) => JSON.parse(JSON.stringify(await experimentResults(clickHouseRunner(db.ch), def, range, NOW)));

  it('an open range ("until now") is one snapshot for every request; a given `to`, even now, is computed for its range', async () => {
    const { app, computations, results } = await routes({ cacheSeconds: 3600, warmSeconds: 0 });
    try {
      const [a, b] = await Promise.all([results(), results()]);
      expect(await results()).toEqual(a);
      expect(b).toEqual(a);
      expect(computations).toHaveLength(1);
      const openRange = { from: new Date(NOW.getTime() - 90 * 86_400_000), to: NOW };
      expect(a).toEqual(await direct(openRange));

      // to = the open range's own end: still not the open snapshot
      expect(await results(`?to=${NOW.toISOString()}`)).toEqual(a);
      expect(computations).toHaveLength(2);
      // the same instant spelled otherwise shares that entry
      const plus = new Date(NOW.getTime() + 3 * 3_600_000).toISOString().replace('Z', '+03:00');
      await results(`?to=${encodeURIComponent(plus)}`);
      expect(computations).toHaveLength(2);

      expect(await results(`?${range}`)).toEqual(await direct(RANGE));
      expect(computations).toHaveLength(3);
      // a given `from`, open end: its own snapshot, until now
      const fromOnly = await results(`?from=${RANGE.from.toISOString()}`);
      expect(fromOnly.experiment.to).toBe(NOW.toISOString());
      expect(fromOnly).toEqual(await direct({ from: RANGE.from, to: NOW }));
      await results(`?from=${RANGE.from.toISOString()}`);
      expect(computations).toHaveLength(4);
    } finally {
      await app.close();
    }
  });

  it("once listening, computes the running experiments' open-range results before the first request", async () => {
    const { app, computations, results } = await routes({ cacheSeconds: 3600, warmSeconds: 3600 });
    try {
      await app.ready();
      expect(computations).toHaveLength(0); // built and injected into only: nothing ahead
      await app.listen({ port: 0, host: '127.0.0.1' });
      await vi.waitFor(() => expect(computations).toHaveLength(1), { timeout: 30_000, interval: 20 });
      const body = await results();
      expect(body).toEqual(await direct({ from: new Date(NOW.getTime() - 90 * 86_400_000), to: NOW }));
      expect(computations).toHaveLength(1); // served from the warm-up's snapshot (kb-cards is no running experiment)
    } finally {
      await app.close();
    }
  });

  it('the list: counted ahead once listening; when stale, served as it was while one recount runs', async () => {
    let counts = 0;
    let gate: (() => void) | undefined;
    const held = await routes({ cacheSeconds: 0.2, warmSeconds: 0 }, false, (real) => async (sql, params) => {
      counts++;
      if (counts > 1) await new Promise<void>((r) => (gate = r)); // the recount waits until the test lets it go
      return real(sql, params);
    });
    try {
      await held.app.listen({ port: 0, host: '127.0.0.1' });
      const list = async () => {
        const res = await held.app.inject({ url: '/experiments' });
        expect(res.statusCode).toBe(200);
        return res.json();
      };
      const first = await list();
      expect(counts).toBe(1);
      await new Promise((r) => setTimeout(r, 300)); // stale now
      expect(await list()).toEqual(first); // answered while the recount is held at its gate
      expect(await list()).toEqual(first);
      expect(counts).toBe(2); // one recount for both looks
      gate!(); // closing waits for the recount
    } finally {
      await held.app.close();
    }

    // With the warm-up on, the first look finds the counts already there.
    let ahead = 0;
    const warmed = await routes({ cacheSeconds: 3600, warmSeconds: 3600 }, false, (real) => {
      ahead++;
      return real;
    });
    try {
      await warmed.app.listen({ port: 0, host: '127.0.0.1' });
      await vi.waitFor(() => expect(ahead).toBe(1), { timeout: 30_000, interval: 20 });
      expect((await warmed.app.inject({ url: '/experiments' })).statusCode).toBe(200);
      expect(ahead).toBe(1);
    } finally {
      await warmed.app.close();
    }
  });

  it('warm-up failures are logged and retried, the routes keep answering, and closing stops it', async () => {
    const { app, computations, logs } = await routes({ cacheSeconds: 3600, warmSeconds: 0.05 }, true);
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      await vi.waitFor(() => expect(computations.length).toBeGreaterThanOrEqual(2), { timeout: 30_000, interval: 20 });
      expect(logs.join('\n')).toContain('experiments: computing the results ahead failed');
      expect(logs.join('\n')).toContain('ClickHouse is down (test)');
      expect((await app.inject({ url: '/experiments' })).statusCode).toBe(200);
      const res = await app.inject({ url: '/experiments/receipt-style/results' });
      expect(res.statusCode).toBe(500);
    } finally {
      await app.close();
    }
    const after = computations.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(computations).toHaveLength(after);
  });
});
