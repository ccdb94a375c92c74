/**
 * Request and response schemas of the analytics API (TypeBox → JSON Schema):
 * fastify validates requests with them, serializes responses with them, and
 * @fastify/swagger publishes them as the OpenAPI document at /api/docs.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { MetricDefinition, Unit } from '../../analytics/metric.js';
import { METRICS, type MetricField, type MetricValues, type Registry } from '../../analytics/registry.js';
import { INCIDENTS } from '../../analytics/incidents.js';
import { SELFSERVICE } from '../../analytics/selfservice.js';
import { BREAKDOWN_DIMENSIONS } from '../../analytics/ticket-facts.js';
import { FRT_BUCKETS } from './queries.js';

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
/** A string enum as one `enum` keyword (clear validation messages, compact OpenAPI). */
const StringEnum = <const V extends readonly string[]>(values: V, description: string) =>
  Type.Unsafe<V[number]>({ type: 'string', enum: [...values], description });

const Instant = (what: string) =>
  Type.String({
    description: `${what}: ISO 8601 date or date-time; without an offset it is UTC`,
    examples: ['2026-01-01', '2026-01-01T00:00:00Z'],
    maxLength: 40,
  });

const Format = Type.Optional(StringEnum(['json', 'csv'] as const, 'Response format; `Accept: text/csv` works too'));

export const FilterQuery = {
  from: Instant('Start of the cohort (ticket creation time, inclusive)'),
  to: Instant('End of the cohort (exclusive)'),
  queue: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: "The ticket's current queue" })),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "The ticket's category" })),
  agent: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "Telegram user id of the ticket's agent" })),
  format: Format,
};

const Tz = Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone for buckets (default UTC), e.g. Europe/Berlin' }));

export const SummaryQuery = Type.Object(FilterQuery, { additionalProperties: false });
export const BreakdownQuery = Type.Object(
  { by: StringEnum(BREAKDOWN_DIMENSIONS, 'Dimension: the ticket’s current queue, category, agent or language'), ...FilterQuery },
  { additionalProperties: false },
);
export const HeatmapQuery = Type.Object({ tz: Tz, ...FilterQuery }, { additionalProperties: false });
export const FrtQuery = Type.Object(FilterQuery, { additionalProperties: false });
export const LiveQuery = Type.Object(
  {
    queue: FilterQuery.queue,
    category: FilterQuery.category,
    agent: FilterQuery.agent,
    format: Format,
  },
  { additionalProperties: false },
);

const UNIT_DOC: Record<Unit, string> = {
  count: 'A count',
  seconds: 'Seconds',
  ratio: 'A fraction 0–1',
  score: '1–5',
  nps: '−100 to 100',
};
/** A metric field's schema, described by its definition. */
const metricProperty = (d: MetricDefinition) => Nullable(Type.Number({ description: `${d.meaning} ${UNIT_DOC[d.unit]}; null when there is no data.` }));

/**
 * The schemas that list the metric fields, built from the metric definitions
 * (analytics/registry.ts): a new definition appears in validation, serialization
 * and the OpenAPI document by itself.
 */
export function metricSchemas<V extends MetricValues>(metrics: Registry<V>) {
  const MetricName = StringEnum(metrics.keys, 'A metric field of the summary');
  const metricProperties = Object.fromEntries(metrics.metrics.map((d) => [d.key, metricProperty(d)])) as unknown as Record<keyof V & string, TSchema>;
  return {
    MetricName,
    MetricsSchema: Type.Object(metricProperties, {
      $id: 'Metrics',
      additionalProperties: false,
      description: 'Analytics of the ticket cohort; rates are fractions 0–1',
    }),
    BreakdownRowSchema: Type.Object(
      {
        key: Type.String({ description: "The dimension's value; empty = none" }),
        label: Type.Optional(Type.String({ description: 'by=agent: the agent’s display name ("Anna K."), when the desk has seen them act' })),
        ...metricProperties,
      },
      { additionalProperties: false },
    ),
    TimeseriesQuery: Type.Object(
      { metric: MetricName, interval: Type.Optional(StringEnum(['hour', 'day'] as const, 'Bucket size (default day)')), tz: Tz, ...FilterQuery },
      { additionalProperties: false },
    ),
    TimeseriesSchema: Type.Object({
      metric: MetricName,
      interval: Type.String(),
      tz: Type.String(),
      points: Type.Array(Type.Object({ t: Type.String({ format: 'date-time', description: 'bucket start' }), value: Nullable(Type.Number()) })),
    }),
  };
}
export type MetricSchemas = ReturnType<typeof metricSchemas>;

export const DEFAULT_METRIC_SCHEMAS = metricSchemas(METRICS);

/** The Mini App's self-service metrics (analytics/selfservice.ts): by the events' time, no ticket filters. */
export const SelfServiceQuery = Type.Object(
  { from: Instant('Start of the period (the time customers acted, inclusive)'), to: Instant('End of the period (exclusive)'), format: Format },
  { additionalProperties: false },
);
export const SelfServiceSchema = Type.Object(Object.fromEntries(SELFSERVICE.metrics.map((d) => [d.key, metricProperty(d)])), {
  $id: 'SelfServiceMetrics',
  additionalProperties: false,
  description: 'What customers did in the Mini App that is no ticket; rates are fractions 0–1',
});
/** Incidents (analytics/incidents.ts): their metrics and the timeline the volume chart marks, by the events' time. */
export const IncidentsQuery = Type.Object(
  { from: Instant('Start of the period (inclusive)'), to: Instant('End of the period (exclusive)'), format: Format },
  { additionalProperties: false },
);
export const IncidentsSchema = Type.Object(
  {
    metrics: Type.Object(Object.fromEntries(INCIDENTS.metrics.map((d) => [d.key, metricProperty(d)])), { additionalProperties: false }),
    timeline: Type.Array(
      Type.Object({
        incident_id: Type.Integer(),
        category: Type.String({ description: "the incident's category key, '' when it has none" }),
        suspected_at: Nullable(Type.String({ format: 'date-time', description: 'the suspected-incident flag it was confirmed from' })),
        opened_at: Type.String({ format: 'date-time' }),
        resolved_at: Nullable(Type.String({ format: 'date-time', description: 'null while open' })),
        tickets: Type.Integer({ description: 'tickets linked to it' }),
      }),
    ),
  },
  { $id: 'Incidents', additionalProperties: false, description: 'Incident metrics of the period and the incidents open at any time in it, oldest first' },
);
export const MetricName = DEFAULT_METRIC_SCHEMAS.MetricName as ReturnType<typeof StringEnum<readonly MetricField[]>>;
export const { MetricsSchema, BreakdownRowSchema, TimeseriesQuery, TimeseriesSchema } = DEFAULT_METRIC_SCHEMAS;
export const HeatmapSchema = Type.Object({
  tz: Type.String(),
  cells: Type.Array(
    Type.Object({
      weekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday' }),
      hour: Type.Integer({ minimum: 0, maximum: 23 }),
      tickets: Type.Integer(),
    }),
  ),
});
export const FrtDistributionSchema = Type.Array(
  Type.Object({
    bucket: StringEnum(
      FRT_BUCKETS.map(([b]) => b),
      'bucket label',
    ),
    min_seconds: Type.Number(),
    max_seconds: Nullable(Type.Number()),
    tickets: Type.Integer(),
    share: Nullable(Type.Number()),
  }),
);
const NextUpSchema = Type.Object({
  ticket_id: Type.Integer(),
  queue: Type.String(),
  status: Type.String(),
  category: Type.String({ description: "the category key, '' before one is picked" }),
  urgent: Type.Boolean({ description: 'a stop word marked it urgent' }),
  sla: StringEnum(['first_response', 'resolution'] as const, 'the deadline running now'),
  due_at: Type.String({ format: 'date-time' }),
  overdue_seconds: Type.Number({ description: 'seconds past the deadline; negative = still to go' }),
});
const LiveTicketSchema = Type.Object({
  ticket_id: Type.Integer(),
  queue: Type.String(),
  status: Type.String(),
  agent: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  sla: StringEnum(['first_response', 'resolution'] as const, 'the deadline at risk or passed'),
  due_at: Type.String({ format: 'date-time' }),
  overdue_seconds: Type.Number({ description: 'seconds past the deadline; negative = still to go' }),
  state: StringEnum(['breached', 'at_risk'] as const, 'breached, or first-response deadline within 5 minutes'),
});
export const LiveSchema = Type.Object({
  as_of: Type.String({ format: 'date-time' }),
  open_tickets: Type.Integer(),
  waiting_first_response: Type.Integer(),
  at_risk: Type.Integer(),
  breached: Type.Integer(),
  oldest_waiting: Nullable(
    Type.Object({
      ticket_id: Type.Integer(),
      queue: Type.String(),
      status: Type.String(),
      waiting_since: Type.String({ format: 'date-time' }),
      waiting_seconds: Type.Number(),
    }),
  ),
  by_queue: Type.Array(
    Type.Object({
      queue: Type.String(),
      status: Type.String(),
      open: Type.Integer(),
      at_risk: Type.Integer({ description: 'no first response, its deadline within 5 minutes' }),
      breached: Type.Integer({ description: 'past either deadline (each ticket once)' }),
      first_response_breached: Type.Integer({ description: 'no first response, its deadline passed (as /sla "breached")' }),
      resolution_breached: Type.Integer({ description: 'resolution deadline passed (as /sla "past resolution")' }),
    }),
  ),
  tickets: Type.Array(LiveTicketSchema),
  next_up: Type.Array(NextUpSchema, {
    description: 'the first open tickets in the order to work them (sla/priority.ts: urgent › VIP › running deadline › category), as /sla shows',
  }),
});

export const DimensionsQuery = Type.Object({}, { additionalProperties: false });
export const DimensionsSchema = Type.Object(
  {
    categories: Type.Array(
      Type.Object(
        {
          key: Type.String({ description: 'As the data carries it: the `category` filter and breakdown key' }),
          label: Type.String({ description: 'Its label in CATEGORIES' }),
          queue: Type.String({ description: 'The queue it routes to' }),
        },
        { additionalProperties: false },
      ),
      { description: 'The configured categories (CATEGORIES), in configured order' },
    ),
    queues: Type.Array(
      Type.Object(
        {
          key: Type.String({ description: 'As the data carries it: the `queue` filter and breakdown key' }),
          label: Type.String({ description: 'Name to show' }),
        },
        { additionalProperties: false },
      ),
      {
        description: 'The queues the configuration routes to: each category’s, DEFAULT_QUEUE and VIP',
      },
    ),
  },
  {
    additionalProperties: false,
    description: 'Labels of the configured categories and queues; keys found in the data but not listed here are not configured (any more)',
  },
);

export const ErrorSchema = Type.Object({ statusCode: Type.Integer(), error: Type.String(), message: Type.String() });
