/**
 * Whole experiments end to end through the real path (issue 16): customers meet three running experiments — the
 * receipt, the resolution's notifications (chat) and the help centre's kb_format (the Mini App's API, an exposure
 * outside any ticket) — through the Telegram sandbox → the desk assigns, stores and exposes them and writes every event to its outbox →
 * the outbox relay publishes → the embedded bus (the on-disk log `npm start` runs) → the ingest service (batches,
 * deduplication tokens, offsets committed after the insert) → chDB with the project's migrations →
 * `GET /api/v1/experiments/:key/results`. The API's numbers must equal what the test computes from its own
 * scenario (who is in which variant by the GrowthBook hash, how many tickets each opened, which score each gave):
 * customers and tickets per variant, one exposure per customer, CSAT per variant (and for the receipt, split 10:10,
 * its delta-method comparison and Welch's on tickets per customer), the SRM check. Then every event is delivered
 * again, shuffled: nothing changes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignVariant } from '../../analytics/experiments/assign.js';
import type { ExperimentDefinition } from '../../analytics/experiments/definition.js';
import { deltaRatio, type RatioStats, welch } from '../../analytics/experiments/stats/fixed.js';
import { srm } from '../../analytics/experiments/stats/srm.js';
import { miniAppPlugin } from '../../bot/miniapp/plugin.js';
import { createEmbeddedBus } from '../../core/bus/embedded.js';
import type { Bus } from '../../core/bus/types.js';
import { queryRows } from '../../core/clickhouse.js';
import { buildDashboardServer } from '../../dashboard/server.js';
import { loadIngestConfig } from '../../ingest/config.js';
import { startIngest, type IngestService } from '../../ingest/service.js';
import { waitFor } from '../../ingest/test-support.js';
import { makeEvent } from '../../schemas/validate.js';
import { AGENT, openTicket, startFeatureHarness, type FeatureHarness } from '../bot/feature-harness.js';
import { tmpDataDir } from '../helpers/tmp.js';
import { openAnalyticsDb, type AnalyticsDb } from './chdb.js';

const KEY = 'receipt-e2e';
const TOPIC = 'support.events';
const experiment = (key: string, surface: ExperimentDefinition['surface'], variant: string): ExperimentDefinition => ({
  key,
  surface,
  variants: [
    { name: 'control', weight: 1 },
    { name: variant, weight: 1 },
  ],
  metrics: ['csat_avg', 'tickets_created'],
  status: 'running',
  file: `${key}.yaml`,
});
/** The receipt's split is chosen (10 : 10); the others fall as the hash puts the same customers. */
const DEF = experiment(KEY, 'receipt', 'steps');
const DEFS = [DEF, experiment('notify-e2e', 'notifications', 'summary'), experiment('help-e2e', 'kb_format', 'search')];
/** The customer's variant of `def`, by the test's own GrowthBook hash. */
const variantOf = (def: ExperimentDefinition, c: { id: number }) => assignVariant(def, c.id)!.variant;

/** The scenario: per variant, ten customers; the CSAT each gives (null: never rates) and whether they come back with a second ticket. */
const PLAN: Record<string, { score: number | null; again: boolean }[]> = {
  control: [3, 4, 2, null, 4, 5, 3, 2, 4, 3].map((score, i) => ({ score, again: i % 5 === 0 })),
  steps: [5, 5, 4, 5, null, 4, 5, 3, 5, 5].map((score, i) => ({ score, again: i % 4 === 1 })),
};

interface Customer {
  id: number;
  variant: string;
  score: number | null;
  again: boolean;
}

/** Telegram ids the GrowthBook hash puts in each variant (the test's own assignment, not the desk's). */
function customers(): Customer[] {
  const out: Customer[] = [];
  for (const variant of ['control', 'steps']) {
    let id = 83_000;
    for (const step of PLAN[variant]!) {
      while (assignVariant(DEF, id)?.variant !== variant) id++;
      out.push({ id: id++, variant, ...step });
    }
  }
  return out;
}

const PEOPLE = customers();
const busDir = tmpDataDir('desk-experiment-e2e-bus-');
const experimentsDir = tmpDataDir('desk-experiment-e2e-files-');
let h: FeatureHarness;
let analytics: AnalyticsDb;
let bus: Bus;
let ingest: IngestService;
let app: FastifyInstance;
let miniApp: FastifyInstance;
let range: string;
let forwarded = 0;

/**
 * Puts `messages` on the embedded bus the ingest service reads, then one marker event of its own, and waits until
 * the marker is in ClickHouse: one partition, batches in order, so everything before it is in too.
 */
async function deliver(messages: { key: string | null; value: string | Buffer }[]): Promise<void> {
  const marker = makeEvent<'app_opened'>({ type: 'app_opened', customer_id: 1, entry: 'menu', occurred_at: new Date().toISOString() });
  const producer = await bus.producer();
  await producer.send(TOPIC, [...messages, { key: null, value: JSON.stringify(marker) }]);
  await producer.close();
  await waitFor(async () => (await queryRows(analytics.ch, `SELECT 1 FROM events WHERE event_id = '${marker.event_id}'`)).length > 0, 30_000);
}

/** What the desk published since the last call (its outbox relay's messages), onto the embedded bus. */
async function forward(): Promise<void> {
  await h.settle();
  const messages = h.bus.sent.slice(forwarded).map((m) => ({ key: m.key ?? null, value: m.value }));
  forwarded = h.bus.sent.length;
  await deliver(messages);
}

/**
 * One customer's story: they open the Mini App's help centre twice (kb_format exposes them, no ticket), then a ticket
 * (its receipt exposes them), an agent's answer and resolve (its notice exposes them), their rating; maybe a second ticket.
 */
async function play(c: Customer): Promise<void> {
  for (let visit = 0; visit < 2; visit++) {
    const authorization = `tma ${(await h.client.openWebApp(c.id)).init_data}`;
    const res = await miniApp.inject({ method: 'GET', url: '/app/api/kb/format', headers: { authorization } });
    expect(res.json()).toEqual({ variant: variantOf(DEFS[2]!, c) });
  }
  const { thread } = await openTicket(h, c.id, { name: `C${c.id}` });
  const answer = `Hello C${c.id}, it is sorted now`;
  await h.client.sendSupportMessage({ from_id: AGENT, first_name: 'Maria', thread_id: thread, text: answer });
  await h.client.waitForCustomerMessage(c.id, answer, { timeoutMs: 15_000 });
  await h.client.sendSupportMessage({ from_id: AGENT, thread_id: thread, text: '/resolve' });
  await h.client.waitForCustomerMessage(c.id, /How would you rate our help/, { timeoutMs: 15_000 });
  if (c.score !== null) {
    const press = await h.client.pressCustomerButton(c.id, String(c.score));
    await h.client.waitForCallbackAnswer(c.id, press.message_id, { timeoutMs: 15_000 });
  }
  if (c.again) await openTicket(h, c.id, { name: `C${c.id}`, text: 'one more question about my contract, please' });
}

beforeAll(async () => {
  for (const d of DEFS)
    writeFileSync(
      join(experimentsDir.dir, d.file),
      `key: ${d.key}\nsurface: ${d.surface}\nvariants:\n${d.variants.map((v) => `  - { name: ${v.name}, weight: ${v.weight} }\n`).join('')}metrics: [${d.metrics.join(', ')}]\nstatus: running\n`,
    );
  [h, analytics] = await Promise.all([startFeatureHarness({ botEnv: { EXPERIMENTS_DIR: experimentsDir.dir } }), openAnalyticsDb()]);
  miniApp = Fastify();
  await miniApp.register(miniAppPlugin, { desk: h.desk.services, runtime: h.features.runtime, maxAgeSeconds: 86_400, ratePerMinute: 1000, webRoot: false });
  await miniApp.ready();
  bus = createEmbeddedBus({ dir: join(busDir.dir, 'bus'), defaultPartitions: 1 });
  ingest = await startIngest({
    bus,
    ch: analytics.ch,
    config: loadIngestConfig({
      KAFKA_TOPIC: TOPIC,
      KAFKA_DLQ_TOPIC: `${TOPIC}.dlq`,
      KAFKA_PARTITIONS: '1',
      KAFKA_GROUP_ID: 'experiment-e2e-ingest',
      INGEST_BATCH_SIZE: '200',
      INGEST_BATCH_MS: '50',
    }),
  });
  const from = new Date(Date.now() - 3_600_000);
  // Five customers at a time, each story in order.
  for (let i = 0; i < PEOPLE.length; i += 5) await Promise.all(PEOPLE.slice(i, i + 5).map(play));
  await forward();
  const to = new Date(Date.now() + 60_000);
  range = `from=${from.toISOString()}&to=${to.toISOString()}`;
  app = await buildDashboardServer({ ch: analytics.ch, now: () => to, webRoot: false, experimentsDir: experimentsDir.dir, experimentsCacheSeconds: 0 });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await miniApp?.close();
  await ingest?.stop();
  await bus?.close();
  await analytics?.close();
  await h?.close();
  busDir.cleanup();
  experimentsDir.cleanup();
});

interface Results {
  experiment: { key: string; customers: number; unknown_variant_customers: number };
  variants: { name: string; customers: number; tickets: number; metrics: Record<string, { value: number | null; n: number }> }[];
  comparisons: {
    metric: string;
    variant: string;
    baseline: string;
    value: number;
    baseline_value: number;
    diff: number;
    p_value: number;
    ci_low: number;
    ci_high: number;
    method: string;
  }[];
  srm: { p_value: number | null; mismatch: boolean };
}

async function results(key = KEY): Promise<{ body: Results; raw: string }> {
  const res = await app.inject({ url: `/api/v1/experiments/${key}/results?${range}` });
  expect(res.statusCode).toBe(200);
  expect(res.body).not.toMatch(/NaN|Infinity/);
  return { body: res.json() as Results, raw: res.body };
}

/** The test's own per-customer CSAT sums (x: the scores, y: how many) of the receipt's variant. */
function csatStats(variant: string): RatioStats {
  const s: RatioStats = { n: 0, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 };
  for (const c of PEOPLE.filter((p) => p.variant === variant)) {
    const x = c.score ?? 0;
    const y = c.score === null ? 0 : 1;
    Object.assign(s, { n: s.n + 1, sumX: s.sumX + x, sumY: s.sumY + y, sumXX: s.sumXX + x * x, sumYY: s.sumYY + y * y, sumXY: s.sumXY + x * y });
  }
  return s;
}

describe('sandbox → desk → outbox → bus → ingest → ClickHouse → results API', () => {
  it.each(DEFS)("$surface ($key): the desk assigned each customer the test's own variant, stored and published one exposure each", async (def) => {
    const stored = await h.db.query<{ customer_id: string; variant: string }>(
      'SELECT customer_id, variant FROM experiment_exposures WHERE experiment_key = $1',
      [def.key],
    );
    expect(new Map(stored.rows.map((r) => [Number(r.customer_id), r.variant]))).toEqual(new Map(PEOPLE.map((c) => [c.id, variantOf(def, c)])));
    const published = h.bus.events().filter((e) => e.type === 'experiment_exposure' && e.experiment === def.key);
    expect(published).toHaveLength(PEOPLE.length);
    expect(new Set(published.map((e) => e.customer_id)).size).toBe(PEOPLE.length);
    // The help centre's exposure belongs to no ticket; the chat's to the ticket that met the surface.
    expect(new Set(published.map((e) => e.ticket_id === null))).toEqual(new Set([def.surface === 'kb_format']));
    const inClickHouse = await queryRows<{ n: string; customers: string }>(
      analytics.ch,
      `SELECT count() AS n, uniqExact(customer_id) AS customers FROM events FINAL WHERE type = 'experiment_exposure' AND experiment = '${def.key}'`,
    );
    expect(inClickHouse.map((r) => [Number(r.n), Number(r.customers)])).toEqual([[PEOPLE.length, PEOPLE.length]]);
    // …and the list counts them once.
    const list = (await app.inject({ url: '/api/v1/experiments' })).json() as {
      experiments: { key: string; customers: number; variants: { name: string; customers: number }[] }[];
    };
    const listed = list.experiments.find((e) => e.key === def.key)!;
    expect(listed.customers).toBe(PEOPLE.length);
    expect(listed.variants.map((v) => [v.name, v.customers])).toEqual(
      def.variants.map((v) => [v.name, PEOPLE.filter((c) => variantOf(def, c) === v.name).length]),
    );
  });

  it.each(DEFS)('$surface ($key): customers, tickets, CSAT and tickets per customer per variant, and SRM, as the scenario says', async (def) => {
    const { body } = await results(def.key);
    expect(body.experiment.customers).toBe(PEOPLE.length);
    expect(body.experiment.unknown_variant_customers).toBe(0);
    const observed: number[] = [];
    for (const { name } of def.variants) {
      const mine = PEOPLE.filter((c) => variantOf(def, c) === name);
      const rated = mine.filter((c) => c.score !== null);
      const tickets = mine.length + mine.filter((c) => c.again).length;
      const v = body.variants.find((x) => x.name === name)!;
      observed.push(mine.length);
      expect(v.customers).toBe(mine.length);
      expect(v.tickets).toBe(tickets);
      expect(v.metrics.csat_avg!.n).toBe(rated.length);
      if (rated.length) expect(v.metrics.csat_avg!.value).toBeCloseTo(rated.reduce((s, c) => s + c.score!, 0) / rated.length, 12);
      else expect(v.metrics.csat_avg!.value).toBeNull();
      expect(v.metrics.tickets_created!.n).toBe(mine.length);
      if (mine.length) expect(v.metrics.tickets_created!.value).toBeCloseTo(tickets / mine.length, 12);
    }
    // Chi-square of the test's own counts against the weights.
    const split = srm(
      observed,
      def.variants.map((v) => v.weight),
    );
    expect(body.srm.mismatch).toBe(false);
    expect(body.srm.p_value).toBeCloseTo(split.pValue!, 12);
  });

  it('the receipt (10 : 10): CSAT by the delta method and tickets per customer by Welch, from the scenario', async () => {
    const { body } = await results();
    expect(body.variants.map((v) => v.customers)).toEqual([10, 10]);
    // CSAT: the delta method over the scenario's own per-customer sums.
    const csat = body.comparisons.find((c) => c.metric === 'csat_avg' && c.variant === 'steps')!;
    const want = deltaRatio(csatStats('steps'), csatStats('control'));
    if (!want.ok) throw new Error(want.reason);
    expect(csat).toMatchObject({ baseline: 'control', method: 'delta_ratio' });
    expect(csat.diff).toBeCloseTo(want.estimate.diff, 12);
    expect(csat.ci_low).toBeCloseTo(want.estimate.ciLow, 12);
    expect(csat.ci_high).toBeCloseTo(want.estimate.ciHigh, 12);
    expect(csat.p_value).toBeCloseTo(want.estimate.pValue, 12);
    expect(csat.diff).toBeGreaterThan(1); // 4.5 vs 3.33: what the scenario was written to show

    // Tickets per customer: Welch's t-test over the per-customer counts.
    const perCustomer = (variant: string) => {
      const xs = PEOPLE.filter((c) => c.variant === variant).map((c) => (c.again ? 2 : 1));
      return { n: xs.length, sum: xs.reduce((a, b) => a + b, 0), sumSq: xs.reduce((a, b) => a + b * b, 0) };
    };
    const tickets = body.comparisons.find((c) => c.metric === 'tickets_created' && c.variant === 'steps')!;
    const wantTickets = welch(perCustomer('steps'), perCustomer('control'));
    if (!wantTickets.ok) throw new Error(wantTickets.reason);
    expect(tickets.method).toBe('welch_t');
    expect(tickets.diff).toBeCloseTo(wantTickets.estimate.diff, 12);
    expect(tickets.p_value).toBeCloseTo(wantTickets.estimate.pValue, 12);

    // 10 : 10 against weights 1 : 1 — chi-square 0, p = 1.
    expect(body.srm).toEqual({ p_value: 1, mismatch: false });
  });

  it('every event delivered again, shuffled, changes nothing', async () => {
    const before = await Promise.all(DEFS.map(async (d) => (await results(d.key)).raw));
    const again = h.bus.sent.map((m) => ({ key: m.key ?? null, value: m.value }));
    // A fixed shuffle (a linear congruential generator): the same order on every run.
    let seed = 16;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = again.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [again[i], again[j]] = [again[j]!, again[i]!];
    }
    await deliver(again);
    expect(await Promise.all(DEFS.map(async (d) => (await results(d.key)).raw))).toEqual(before);
  });
});
