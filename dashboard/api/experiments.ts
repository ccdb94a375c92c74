/**
 * The experiments' API, inside the analytics plugin's /api/v1 scope (its bearer
 * token, strict validation and error handler):
 *   GET /experiments                    the files (EXPERIMENTS_DIR) with their exposure counts, and the files' problems
 *   GET /experiments/:key/results       variants, comparisons, SRM (analytics/experiments/analysis.ts); ?format=csv
 *   GET /experiments/:key/results.csv   the comparisons as CSV
 * Results are computed on request and kept for `cacheSeconds` per (experiment,
 * range), then served once more while one refresh runs — the way
 * experimentation platforms serve "snapshots": a dashboard and a team lead
 * looking at the same experiment share one computation, and only the first
 * look waits for it (a snapshot nobody asked for in ten lifetimes is computed
 * anew). A range left open (no `to`: "until now", what the page asks) is one
 * snapshot, computed until the moment it was computed, not a new computation
 * per request; a given `to` is always computed for that range. And once the
 * server listens, the running experiments' open-range results are computed in
 * the background (`warmSeconds`: at start, then on that schedule, one at a
 * time, before they go stale; failures logged), so the page's first look does
 * not wait either (a cold computation at 1 M customers takes about a second:
 * BENCHMARKS.md). A snapshot's JSON body is serialized once (ahead, by the
 * warm-up) and sent as it is. The list's exposure counts are kept, served stale
 * while refreshed, and computed ahead the same way.
 */
import { type Static, Type, type TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifySchema } from 'fastify';
import { experimentResults, exposureCounts, type ExperimentResults } from '../../analytics/experiments/analysis.js';
import { type ExperimentDefinition, loadExperimentsDir } from '../../analytics/experiments/definition.js';
import type { QueryRunner } from '../../analytics/query.js';
import { sendCsv, wantsCsv } from './csv.js';
import { BadRequest, parseInstant } from './params.js';

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const Num = (description: string) => Nullable(Type.Number({ description }));

const METHODS = ['welch_t', 'two_proportion_z', 'delta_ratio', 'bootstrap_percentile'] as const;

export const ExperimentsQuery = Type.Object({}, { additionalProperties: false });
export const ResultsParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 80, description: 'The experiment key (its file’s `key`)' }) });
export const ResultsQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 40, description: 'Customers first exposed from (ISO 8601, inclusive); default: 90 days before `to`' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'Until (exclusive); tickets after it are left out; default: now' })),
    format: Type.Optional(Type.Unsafe<'json' | 'csv'>({ type: 'string', enum: ['json', 'csv'], description: 'json (default) or csv (the comparisons)' })),
  },
  { additionalProperties: false },
);

const VariantDef = Type.Object({ name: Type.String(), weight: Type.Number(), customers: Type.Integer({ description: 'Customers first exposed to it' }) });
export const ExperimentListSchema = Type.Object({
  experiments: Type.Array(
    Type.Object({
      key: Type.String(),
      surface: Type.String(),
      status: Type.String({ description: 'draft | running | stopped' }),
      file: Type.String(),
      description: Nullable(Type.String()),
      winner: Nullable(Type.String({ description: 'A stopped experiment’s shipped variant' })),
      holdout: Type.Number(),
      metrics: Type.Array(Type.String(), { description: 'The first is the primary' }),
      variants: Type.Array(VariantDef, { description: 'The first is the control' }),
      customers: Type.Integer({ description: 'Exposed customers, each once' }),
      first_exposure: Nullable(Type.String({ format: 'date-time' })),
      last_exposure: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  problems: Type.Array(Type.Object({ file: Type.String(), message: Type.String() }), { description: 'Files left out, and why' }),
});

const Cell = Type.Object({ value: Num('The variant’s value of the metric'), n: Type.Integer({ description: 'Customers it is computed over' }) });
export const ComparisonSchema = Type.Object({
  metric: Type.String(),
  variant: Type.String(),
  baseline: Type.String({ description: 'The control' }),
  value: Num('The variant’s value'),
  baseline_value: Num('The control’s value'),
  diff: Num('value − baseline_value'),
  rel_diff: Num('diff ÷ baseline_value'),
  ci_low: Num('95 % confidence interval of diff, low end'),
  ci_high: Num('95 % confidence interval of diff, high end'),
  p_value: Num('Fixed-horizon two-sided p-value'),
  method: Type.Unsafe<(typeof METHODS)[number]>({ type: 'string', enum: [...METHODS], description: 'The test used' }),
  sequential_p_value: Num('Always-valid p-value (mSPRT, normal mixture): valid however often the results are looked at'),
  reason: Nullable(Type.String({ description: 'Why the numbers are null (too few customers, zero variance, no data)' })),
});
export const ResultsSchema = Type.Object({
  experiment: Type.Object({
    key: Type.String(),
    surface: Type.String(),
    status: Type.String(),
    file: Type.String(),
    metrics: Type.Array(Type.String()),
    primary_metric: Type.String(),
    holdout: Type.Number(),
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    customers: Type.Integer(),
    first_exposure: Nullable(Type.String({ format: 'date-time' })),
    last_exposure: Nullable(Type.String({ format: 'date-time' })),
    days: Type.Number({ description: 'Days from the first exposure to the end of the range (or now)' }),
    exposures_by_day: Type.Array(Type.Object({ day: Type.String(), variant: Type.String(), customers: Type.Integer() })),
    power: Type.Object({
      metric: Type.String(),
      mde: Num('Minimum detectable effect (absolute) at the current sample, α = 0.05, power 0.8'),
      mde_relative: Num('The MDE relative to the control'),
      target_effect: Type.Number({ description: 'The relative effect the sample is planned for' }),
      customers_needed: Nullable(Type.Integer()),
      days_needed: Num('Days of exposure still needed at the current rate (0 = enough)'),
      reason: Nullable(Type.String()),
    }),
    sequential_tuning: Type.Number({ description: 'mSPRT tuning N* (GrowthBook’s)' }),
    unknown_variant_customers: Type.Integer(),
  }),
  variants: Type.Array(
    Type.Object({
      name: Type.String(),
      weight: Type.Number(),
      customers: Type.Integer(),
      tickets: Type.Integer(),
      metrics: Type.Record(Type.String(), Cell),
    }),
  ),
  comparisons: Type.Array(ComparisonSchema),
  srm: Type.Object({ p_value: Num('Chi-square test of customers per variant against the weights'), mismatch: Type.Boolean({ description: 'p < 0.001' }) }),
});

const NotFound = Type.Object({ statusCode: Type.Literal(404), error: Type.String(), message: Type.String() });
export const COMPARISON_COLUMNS = Object.keys(ComparisonSchema.properties);

/** What the plugin hands over: its route options builder (summary, tags, 400/401 responses, error formatter) and the timed runner. */
export interface ExperimentRoutesOptions {
  route: (schema: FastifySchema & { querystring: unknown }, summary: string, csv: boolean) => { schema: FastifySchema };
  run: (endpoint: string) => QueryRunner;
  now: () => Date;
  /** EXPERIMENTS_DIR */
  dir: string;
  /** How long a computed result is served again (0: never). */
  cacheSeconds?: number;
  /**
   * Once listening, compute the running experiments' results (default range) at start and then every this many
   * seconds, ahead of their going stale (default: half of cacheSeconds; 0: never; never when nothing is cached).
   */
  warmSeconds?: number;
  /** Relative effect the days-needed estimate aims at. */
  targetEffect?: number;
}

const DEFAULT_DAYS = 90;

function notFound(reply: FastifyReply, key: string) {
  return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no experiment "${key}" in the experiments directory` });
}

/** A results request's range as asked: an end left out (undefined) is open, resolved when the results are computed. */
export interface AskedRange {
  from: Date | undefined;
  to: Date | undefined;
}

/** from/to of a results request as given: both optional, ISO 8601, from < to (checked against `now` for an open end). */
export function askedRange(q: { from?: string | undefined; to?: string | undefined }, now: Date): AskedRange {
  const asked = { from: q.from !== undefined ? parseInstant('from', q.from) : undefined, to: q.to !== undefined ? parseInstant('to', q.to) : undefined };
  resolveRange(asked, now);
  return asked;
}

/** The range an asked one stands for at `now`: `to` default now, `from` default 90 days before `to`. */
export function resolveRange(a: AskedRange, now: Date): { from: Date; to: Date } {
  const to = a.to ?? now;
  const from = a.from ?? new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
  if (from.getTime() >= to.getTime()) throw new BadRequest(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  return { from, to };
}

/** from/to of a results request, resolved at `now`. */
export function resultsRange(q: { from?: string | undefined; to?: string | undefined }, now: Date): { from: Date; to: Date } {
  return resolveRange(askedRange(q, now), now);
}

/** One computation's results, and its JSON body once serialized (each snapshot is serialized once, not per request). */
interface Snapshot {
  results: ExperimentResults;
  body?: string;
}

interface Entry {
  /** When its computation started: the snapshot's age counts from there. */
  at: number;
  result: Promise<Snapshot>;
  settled?: Snapshot;
  refreshing?: boolean;
}

export const experimentRoutes: FastifyPluginAsync<ExperimentRoutesOptions> = async (api, o) => {
  const cacheMs = Math.max(0, (o.cacheSeconds ?? 60) * 1000);
  /** A stale snapshot older than this is not served again (its experiment nobody looked at for long): computed anew. */
  const staleLimitMs = 10 * cacheMs;
  /**
   * Per (definition, range as asked): the latest computation, its settled result, whether a refresh runs. Keyed by
   * the given ends' instants (two spellings of one instant share an entry) and open ends as open (null): every
   * "until now" request of an experiment shares one snapshot, computed until the moment it was computed, while a
   * given `to` — even one equal to now — is its own entry, computed for that range.
   */
  const cache = new Map<string, Entry>();
  /** Computations nobody awaits (refreshes, the warm-up's): closing waits for them. */
  const background = new Set<Promise<unknown>>();
  let closed = false;

  async function compute(def: ExperimentDefinition, asked: AskedRange): Promise<Snapshot> {
    const now = o.now();
    const results = await experimentResults(
      o.run('experiment-results'),
      def,
      resolveRange(asked, now),
      now,
      o.targetEffect !== undefined ? { targetEffect: o.targetEffect } : {},
    );
    return { results };
  }

  /**
   * The snapshot's JSON body by the results' response schema, with the compiler fastify serializes the route's
   * replies with (the same output), kept with the snapshot: a request sends it as it is, and the warm-up serializes
   * ahead — so the first look after start does not pay for a freshly generated serializer's first run either.
   * Undefined before the server is ready (no compiler yet): the route serializes the object then.
   */
  let serializeResults: ((r: ExperimentResults) => string) | undefined;
  function bodyOf(snap: Snapshot): string | undefined {
    serializeResults ??= api.serializerCompiler?.({ schema: ResultsSchema, method: 'GET', url: '/experiments/:key/results', httpStatus: '200' });
    if (!serializeResults) return undefined;
    snap.body ??= serializeResults(snap.results);
    return snap.body;
  }

  const cacheKey = (def: ExperimentDefinition, asked: AskedRange): string => JSON.stringify([def, asked.from?.getTime() ?? null, asked.to?.getTime() ?? null]);

  function track(p: Promise<unknown>): Promise<unknown> {
    background.add(p);
    const done = () => background.delete(p);
    p.then(done, done);
    return p;
  }

  /** Starts one refresh of a settled entry (unless one runs); the entry is replaced when it succeeds, kept when it fails. */
  function refresh(id: string, def: ExperimentDefinition, asked: AskedRange, hit: Entry): Promise<unknown> {
    if (hit.refreshing || closed) return Promise.resolve();
    hit.refreshing = true;
    const at = Date.now();
    return track(
      compute(def, asked).then(
        (r) => {
          cache.set(id, { at, result: Promise.resolve(r), settled: r });
        },
        (e: unknown) => {
          hit.refreshing = false;
          api.log.warn({ err: e, experiment: def.key }, 'experiments: refreshing the results failed (the last ones are served meanwhile)');
        },
      ),
    );
  }

  /**
   * Fresh results (younger than cacheSeconds) are served as they are; stale ones
   * are served once more while one refresh computes the next (stale while
   * revalidate), so only the first look at an experiment waits for ClickHouse.
   */
  function results(def: ExperimentDefinition, asked: AskedRange): Promise<Snapshot> {
    if (cacheMs <= 0) return compute(def, asked);
    const id = cacheKey(def, asked);
    const t = Date.now();
    const hit = cache.get(id);
    if (hit && t - hit.at < cacheMs) return hit.settled ? Promise.resolve(hit.settled) : hit.result;
    if (hit?.settled && t - hit.at < staleLimitMs) {
      void refresh(id, def, asked, hit);
      return Promise.resolve(hit.settled);
    }
    if (hit && !hit.settled) return hit.result; // still computing (slower than cacheSeconds): share it
    // forget what nobody asked for in ten lifetimes (the warm-up keeps the running experiments')
    for (const [k, v] of cache) if (v.settled && t - v.at >= staleLimitMs) cache.delete(k);
    const entry: Entry = { at: t, result: compute(def, asked) };
    cache.set(id, entry);
    entry.result.then(
      (r) => {
        entry.settled = r;
      },
      () => {
        if (cache.get(id) === entry) cache.delete(id);
      },
    );
    return entry.result;
  }

  const warmMs = cacheMs > 0 ? Math.max(0, (o.warmSeconds ?? cacheMs / 2000) * 1000) : 0;
  /**
   * The running experiments' open-range results ("until now", what the page asks), computed ahead: a missing
   * entry, or one that would go stale before the next round, is (re)computed — one experiment at a time, so the
   * warm-up never takes more than one computation's worth of ClickHouse and CPU from the requests.
   */
  async function warm(): Promise<void> {
    const { experiments } = await loadExperimentsDir(o.dir);
    for (const def of experiments.filter((e) => e.status === 'running')) {
      if (closed) return;
      const asked: AskedRange = { from: undefined, to: undefined };
      const id = cacheKey(def, asked);
      const hit = cache.get(id);
      if (!hit || (hit.settled && Date.now() - hit.at >= staleLimitMs))
        await results(def, asked).catch((e: unknown) =>
          api.log.warn({ err: e, experiment: def.key }, 'experiments: computing the results ahead failed (the first look will compute them)'),
        );
      else if (hit.settled && Date.now() - hit.at >= cacheMs - warmMs) await refresh(id, def, asked, hit);
      const settled = cache.get(id)?.settled;
      if (settled) bodyOf(settled);
    }
    // The page's list too: computed before its first look, refreshed before it goes stale.
    if (!closed && (!list || Date.now() - list.at >= cacheMs - warmMs))
      await refreshList().catch((e: unknown) => api.log.warn({ err: e }, 'experiments: counting the exposures ahead failed (the list will count them)'));
  }
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    if (closed) return;
    track(
      warm()
        .catch((e: unknown) => api.log.warn({ err: e }, 'experiments: warming the results failed'))
        .finally(() => {
          if (closed) return;
          timer = setTimeout(next, warmMs);
          timer.unref();
        }),
    );
  };
  // once listening: a server built and only injected into (tests, tools) computes nothing it is not asked for
  if (warmMs > 0) api.addHook('onListen', async () => next());
  api.addHook('onClose', async () => {
    closed = true;
    clearTimeout(timer);
    while (background.size > 0) await Promise.allSettled([...background]);
  });

  /**
   * The list's exposure counts, kept like the results (a 1 M-customer experiment takes a second to count): fresh for
   * cacheSeconds, then served stale while one refresh runs (replaced when it succeeds, kept when it fails); computed
   * ahead by the warm-up; forgotten after ten lifetimes unasked.
   */
  type Counts = Awaited<ReturnType<typeof exposureCounts>>;
  let list: { at: number; counts: Counts } | undefined;
  let listPending: Promise<Counts> | undefined;
  function refreshList(): Promise<Counts> {
    if (!listPending) {
      const at = Date.now();
      const p = exposureCounts(o.run('experiments'))
        .then((counts) => {
          list = { at, counts };
          return counts;
        })
        .finally(() => {
          listPending = undefined;
        });
      listPending = p;
      track(p.catch(() => undefined));
    }
    return listPending;
  }
  function listCounts(): Promise<Counts> {
    if (cacheMs <= 0) return exposureCounts(o.run('experiments'));
    const age = list ? Date.now() - list.at : Number.POSITIVE_INFINITY;
    if (list && age < staleLimitMs) {
      if (age >= cacheMs) void refreshList().catch((e: unknown) => api.log.warn({ err: e }, 'experiments: refreshing the exposure counts failed'));
      return Promise.resolve(list.counts);
    }
    return refreshList();
  }

  async function find(key: string): Promise<ExperimentDefinition | undefined> {
    return (await loadExperimentsDir(o.dir)).experiments.find((e) => e.key === key);
  }

  api.get(
    '/experiments',
    o.route(
      { querystring: ExperimentsQuery, response: { 200: ExperimentListSchema } },
      'The experiments (EXPERIMENTS_DIR) with their exposure counts, and files left out',
      false,
    ),
    async () => {
      const [{ experiments, problems }, counts] = await Promise.all([loadExperimentsDir(o.dir), listCounts()]);
      return {
        experiments: experiments.map((e) => {
          const c = counts.get(e.key);
          return {
            key: e.key,
            surface: e.surface,
            status: e.status,
            file: e.file,
            description: e.description ?? null,
            winner: e.winner ?? null,
            holdout: e.holdout ?? 0,
            metrics: e.metrics,
            variants: e.variants.map((v) => ({ name: v.name, weight: v.weight, customers: c?.variants[v.name] ?? 0 })),
            customers: e.variants.reduce((s, v) => s + (c?.variants[v.name] ?? 0), 0),
            first_exposure: c?.first ?? null,
            last_exposure: c?.last ?? null,
          };
        }),
        problems,
      };
    },
  );

  const withNotFound = (r: { schema: FastifySchema }) => ({ ...r, schema: { ...r.schema, response: { ...(r.schema.response as object), 404: NotFound } } });

  api.get<{ Params: Static<typeof ResultsParams>; Querystring: Static<typeof ResultsQuery> }>(
    '/experiments/:key/results',
    withNotFound(
      o.route(
        { params: ResultsParams, querystring: ResultsQuery, response: { 200: ResultsSchema } },
        "An experiment's results: per variant its customers, tickets and metrics; each variant against the control per metric (difference, 95 % interval, p-value, method, always-valid p-value); the sample-ratio check",
        true,
      ),
    ),
    async (req, reply) => {
      const asked = askedRange(req.query, o.now()); // 400 before anything else
      const def = await find(req.params.key);
      if (!def) return notFound(reply, req.params.key);
      const snap = await results(def, asked);
      if (wantsCsv(req)) return sendCsv(reply, `experiment-${def.key}`, snap.results.comparisons, COMPARISON_COLUMNS);
      const body = bodyOf(snap);
      return body === undefined ? snap.results : reply.type('application/json; charset=utf-8').send(body);
    },
  );

  api.get<{ Params: Static<typeof ResultsParams>; Querystring: Static<typeof ResultsQuery> }>(
    '/experiments/:key/results.csv',
    withNotFound(
      o.route({ params: ResultsParams, querystring: ResultsQuery, response: { 200: { type: 'string' } } }, "An experiment's comparisons as CSV", false),
    ),
    async (req, reply) => {
      const asked = askedRange(req.query, o.now()); // 400 before anything else
      const def = await find(req.params.key);
      if (!def) return notFound(reply, req.params.key);
      const snap = await results(def, asked);
      return sendCsv(reply, `experiment-${def.key}`, snap.results.comparisons, COMPARISON_COLUMNS);
    },
  );
};
