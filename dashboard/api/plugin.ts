/**
 * The analytics HTTP surface as one encapsulated fastify plugin:
 *   /api/v1/*   JSON (or CSV) analytics, bearer-token protected when a token is set
 *   /api/docs   OpenAPI document and Swagger UI
 *   /           the built web app (dashboard/web/dist)
 * Hosts compose it (dashboard/main.ts, scripts/start.ts) with `{ ch }` and the configured categories.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bearerAuth from '@fastify/bearer-auth';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifySchema, FastifySchemaValidationError } from 'fastify';
import { Histogram } from 'prom-client';
import { VIP_QUEUE, type Category } from '../../bot/routing.js';
import type { ClickHouse } from '../../core/clickhouse.js';
import { registry } from '../../core/metrics.js';
import { webAppPlugin } from '../../core/web-app.js';
import { loadDashboardConfig } from '../config.js';
import { auditRoutes } from './audit.js';
import { sendCsv, wantsCsv } from './csv.js';
import { configuredDimensions } from './dimensions.js';
import { experimentRoutes } from './experiments.js';
import { reportRoutes } from './reports.js';
import { loadExperimentsConfig } from '../../analytics/experiments/config.js';
import { METRICS, type MetricValues, type Registry } from '../../analytics/registry.js';
import { incidentSummary, incidentTimeline } from '../../analytics/incidents.js';
import { SELFSERVICE, selfServiceSummary } from '../../analytics/selfservice.js';
import type { BreakdownDimension } from '../../analytics/ticket-facts.js';
import { AGENT_ID_REASON, BadRequest, checkBucketCount, parseFilter, parseRange, parseTimeZone } from './params.js';
import * as q from './queries.js';
import { categoryWeights } from '../../sla/priority.js';
import { loadMonitoringConfig } from '../../sla/exporter/config.js';
import * as S from './schemas.js';

export interface AnalyticsPluginOptions {
  ch: ClickHouse;
  /** Bearer token required on /api/v1/*; undefined = open (loopback-only hosts, see server.ts). */
  token?: string | undefined;
  /** Live panel look-back by ticket creation time, seconds (default 30 days). */
  liveWindowSeconds?: number;
  /** Directory of the built web app; false = don't serve it. Default dashboard/web/dist. */
  webRoot?: string | false;
  /** The configured categories (CATEGORIES) whose labels /dimensions serves; default: the configuration's defaults. */
  categories?: readonly Category[];
  /** DEFAULT_QUEUE; default: the configuration's default. */
  defaultQueue?: string;
  /** Clock for SLA outcomes and the live panel (tests pin it). */
  now?: () => Date;
  /** The metric definitions the API serves (default: analytics/registry.ts; tests add their own). */
  metrics?: Registry<MetricValues>;
  /** EXPERIMENTS_DIR (default: the configuration's); the experiments' files for /api/v1/experiments. */
  experimentsDir?: string;
  /** How long an experiment's computed results are served again, seconds (default 60; 0: never). */
  experimentsCacheSeconds?: number;
  /**
   * Once listening, the running experiments' "until now" results are computed at start and every this many seconds
   * ahead of going stale, so the page's first look does not wait (default half of experimentsCacheSeconds; 0: never).
   */
  experimentsWarmSeconds?: number;
}

export const DEFAULT_WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

const queryDuration =
  (registry.getSingleMetric('analytics_query_duration_seconds') as Histogram<'endpoint'> | undefined) ??
  new Histogram({
    name: 'analytics_query_duration_seconds',
    help: 'Time the analytics API spent in ClickHouse per request, by endpoint',
    labelNames: ['endpoint'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

/** Validation errors as one readable sentence, listing allowed values for enums. */
function formatValidationErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const parts = errors.map((e) => {
    const field = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : String((e.params as { missingProperty?: string }).missingProperty ?? dataVar);
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
    if (allowed) return `${field} must be one of ${allowed.join(', ')}`;
    if (e.keyword === 'additionalProperties') return `unknown parameter ${(e.params as { additionalProperty?: string }).additionalProperty}`;
    if (e.keyword === 'required') return `${field} is required`;
    if (field === 'agent' && (e.keyword === 'minimum' || e.keyword === 'maximum')) return AGENT_ID_REASON;
    return `${field} ${e.message ?? 'is invalid'}`;
  });
  return new BadRequest(parts.join('; '));
}

/**
 * Fastify's default validator silently drops unknown query parameters; here a
 * typo such as `queu=L1` must fail instead of returning unfiltered numbers.
 */
function strictValidator() {
  const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  (addFormats as unknown as (a: Ajv) => Ajv)(ajv);
  return ({ schema }: { schema: object }) => ajv.compile(schema);
}

function route(schema: FastifySchema & { querystring: unknown }, summary: string, csv: boolean) {
  const okJson = (schema.response as { 200: unknown } | undefined)?.[200];
  return {
    schema: {
      ...schema,
      summary,
      tags: ['analytics'],
      security: [{ bearerAuth: [] }],
      response: {
        200: csv
          ? {
              description: 'OK (JSON, or CSV with format=csv / Accept: text/csv)',
              content: { 'application/json': { schema: okJson }, 'text/csv': { schema: { type: 'string' } } },
            }
          : okJson,
        400: S.ErrorSchema,
        401: { type: 'object', properties: { error: { type: 'string' } } },
      },
    },
    schemaErrorFormatter: formatValidationErrors,
  };
}

export const analyticsPlugin: FastifyPluginAsync<AnalyticsPluginOptions> = async (app, opts) => {
  const now = opts.now ?? (() => new Date());
  const liveWindowSeconds = opts.liveWindowSeconds ?? 30 * 86_400;
  const defaults = loadDashboardConfig({}); // the declared defaults, for hosts (tests) that pass no categories
  const dimensions = configuredDimensions(opts.categories ?? defaults.categories, opts.defaultQueue ?? defaults.DEFAULT_QUEUE);
  // The desk's priority order for the live panel's next_up: CATEGORIES' order weighs categories (sla/priority.ts).
  const livePriority = { vipQueue: VIP_QUEUE, categoryWeight: categoryWeights((opts.categories ?? defaults.categories).map((c) => c.key)) };
  const runner = q.clickHouseRunner(opts.ch);
  // Fields, validation, serialization and the OpenAPI document follow the metric definitions.
  const metrics: Registry<MetricValues> = opts.metrics ?? METRICS;
  const M = opts.metrics ? S.metricSchemas(opts.metrics) : S.DEFAULT_METRIC_SCHEMAS;
  const fields = metrics.keys;
  const timed = (endpoint: string): q.QueryRunner => {
    const run: q.QueryRunner = async (sql, params) => {
      const end = queryDuration.startTimer({ endpoint });
      try {
        return await runner(sql, params);
      } finally {
        end();
      }
    };
    // the per-day rollup (analytics/rollup.ts) is kept through the same connection (its recomputations are not timed here)
    if (runner.rollup) run.rollup = runner.rollup;
    return run;
  };

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Support desk analytics API',
        version: '1',
        description: 'Ticket analytics and SLA state from ClickHouse aggregates. Rates are fractions 0–1, durations seconds, null = no data.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'ANALYTICS_TOKEN' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(
    async (api: FastifyInstance) => {
      if (opts.token) {
        await api.register(bearerAuth, {
          keys: new Set([opts.token]),
          addHook: true,
          errorResponse: () => ({ error: 'missing or invalid bearer token (Authorization: Bearer $ANALYTICS_TOKEN)' }),
        });
      }
      api.setValidatorCompiler(strictValidator());
      api.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
        const status = err.statusCode ?? 500;
        if (status >= 500) request.log.error({ err }, 'analytics request failed');
        return reply.code(status).send({
          statusCode: status,
          error: status === 400 ? 'Bad Request' : status === 401 ? 'Unauthorized' : 'Internal Server Error',
          message: status >= 500 ? 'analytics query failed; see the server log' : err.message,
        });
      });

      api.get(
        '/dimensions',
        route(
          { querystring: S.DimensionsQuery, response: { 200: S.DimensionsSchema } },
          'Labels of the configured categories and queues, for showing the keys the other endpoints use',
          false,
        ),
        async () => dimensions,
      );

      api.get<{ Querystring: Static<typeof S.SummaryQuery> }>(
        '/summary',
        route({ querystring: S.SummaryQuery, response: { 200: M.MetricsSchema } }, 'Metrics of the tickets created in [from, to)', true),
        async (req, reply) => {
          const m = await q.summary(timed('summary'), parseRange(req.query), parseFilter(req.query), now(), metrics);
          return wantsCsv(req) ? sendCsv(reply, 'summary', [m], fields) : m;
        },
      );

      api.get<{ Querystring: Static<typeof S.SelfServiceQuery> }>(
        '/selfservice',
        route(
          { querystring: S.SelfServiceQuery, response: { 200: S.SelfServiceSchema } },
          'What customers did in the Mini App in [from, to): app opens, articles read, helpful answers, deflections (by the time they acted)',
          true,
        ),
        async (req, reply) => {
          const m = await selfServiceSummary(timed('selfservice'), parseRange(req.query));
          return wantsCsv(req) ? sendCsv(reply, 'selfservice', [m], SELFSERVICE.keys) : m;
        },
      );

      api.get<{ Querystring: Static<typeof S.IncidentsQuery> }>(
        '/incidents',
        route(
          { querystring: S.IncidentsQuery, response: { 200: S.IncidentsSchema } },
          'Incidents in [from, to): time to detect and acknowledge, tickets per incident, and the timeline (suspected, opened, resolved) the volume chart marks',
          true,
        ),
        async (req, reply) => {
          const range = parseRange(req.query);
          const [m, timeline] = await Promise.all([incidentSummary(timed('incidents'), range), incidentTimeline(timed('incidents'), range)]);
          return wantsCsv(req)
            ? sendCsv(reply, 'incidents', timeline, ['incident_id', 'category', 'suspected_at', 'opened_at', 'resolved_at', 'tickets'])
            : { metrics: m, timeline };
        },
      );

      api.get<{ Querystring: Static<typeof S.BreakdownQuery> }>(
        '/breakdown',
        route(
          { querystring: S.BreakdownQuery, response: { 200: { type: 'array', items: M.BreakdownRowSchema } } },
          'The summary metrics per queue, category, agent or language',
          true,
        ),
        async (req, reply) => {
          const rows = await q.breakdown(timed('breakdown'), req.query.by as BreakdownDimension, parseRange(req.query), parseFilter(req.query), now(), metrics);
          const columns = ['key', ...(req.query.by === 'agent' ? ['label'] : []), ...fields];
          return wantsCsv(req) ? sendCsv(reply, `breakdown-${req.query.by}`, rows, columns) : rows;
        },
      );

      api.get<{ Querystring: Static<typeof M.TimeseriesQuery> }>(
        '/timeseries',
        route({ querystring: M.TimeseriesQuery, response: { 200: M.TimeseriesSchema } }, 'One metric per hour or day of ticket creation', true),
        async (req, reply) => {
          const range = parseRange(req.query);
          const interval = req.query.interval ?? 'day';
          checkBucketCount(range, interval, q.MAX_BUCKETS);
          const tz = parseTimeZone(req.query.tz);
          const points = await q.timeseries(timed('timeseries'), req.query.metric, interval, tz, range, parseFilter(req.query), now(), metrics);
          // The zone as asked for (an alias stays an alias); ClickHouse got its canonical name.
          return wantsCsv(req)
            ? sendCsv(reply, `timeseries-${req.query.metric}`, points, ['t', 'value'])
            : { metric: req.query.metric, interval, tz: req.query.tz ?? tz, points };
        },
      );

      api.get<{ Querystring: Static<typeof S.HeatmapQuery> }>(
        '/heatmap',
        route({ querystring: S.HeatmapQuery, response: { 200: S.HeatmapSchema } }, 'Tickets created by weekday × hour', true),
        async (req, reply) => {
          const tz = parseTimeZone(req.query.tz);
          const cells = await q.heatmap(timed('heatmap'), tz, parseRange(req.query), parseFilter(req.query), now());
          return wantsCsv(req) ? sendCsv(reply, 'heatmap', cells, ['weekday', 'hour', 'tickets']) : { tz: req.query.tz ?? tz, cells };
        },
      );

      api.get<{ Querystring: Static<typeof S.FrtQuery> }>(
        '/frt-distribution',
        route({ querystring: S.FrtQuery, response: { 200: S.FrtDistributionSchema } }, 'Tickets by first response time bucket', true),
        async (req, reply) => {
          const rows = await q.frtDistribution(timed('frt-distribution'), parseRange(req.query), parseFilter(req.query), now());
          return wantsCsv(req) ? sendCsv(reply, 'frt-distribution', rows, ['bucket', 'min_seconds', 'max_seconds', 'tickets', 'share']) : rows;
        },
      );

      api.get<{ Querystring: Static<typeof S.LiveQuery> }>(
        '/live',
        route(
          { querystring: S.LiveQuery, response: { 200: S.LiveSchema } },
          'Open tickets now: by queue and status, oldest waiting, at risk and breached',
          true,
        ),
        async (req, reply) => {
          const l = await q.live(timed('live'), now(), liveWindowSeconds, parseFilter(req.query), undefined, livePriority);
          return wantsCsv(req) ? sendCsv(reply, 'live', l.by_queue, ['queue', 'status', 'open', 'at_risk', 'breached']) : l;
        },
      );

      // the CSAT target the monitoring alerts on (SLA_CSAT_TARGET); the SLA rates' are their definitions'
      await api.register(reportRoutes, { route, run: timed, now, targets: { default: { csat_avg: Number(loadMonitoringConfig().SLA_CSAT_TARGET) } } });

      await api.register(auditRoutes, { route, run: timed, now });

      await api.register(experimentRoutes, {
        route,
        run: timed,
        now,
        dir: opts.experimentsDir ?? loadExperimentsConfig().EXPERIMENTS_DIR,
        ...(opts.experimentsCacheSeconds !== undefined ? { cacheSeconds: opts.experimentsCacheSeconds } : {}),
        ...(opts.experimentsWarmSeconds !== undefined ? { warmSeconds: opts.experimentsWarmSeconds } : {}),
      });
    },
    { prefix: '/api/v1' },
  );

  const webRoot = opts.webRoot ?? DEFAULT_WEB_ROOT;
  if (webRoot !== false)
    await app.register(webAppPlugin, { root: webRoot, mountPath: '/', title: 'The analytics dashboard', buildCommand: 'npm run build:web' });
};

export default analyticsPlugin;
