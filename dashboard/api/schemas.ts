/**
 * Request and response schemas of the analytics API (TypeBox → JSON Schema):
 * fastify validates requests with them, serializes responses with them, and
 * @fastify/swagger publishes them as the OpenAPI document at /api/docs.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { BREAKDOWN_DIMENSIONS, METRIC_FIELDS, type MetricField } from './metrics-sql.js';
import { FRT_BUCKETS } from './queries.js';

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
/** A string enum as one `enum` keyword (clear validation messages, compact OpenAPI). */
const StringEnum = <const V extends readonly string[]>(values: V, description: string) =>
  Type.Unsafe<V[number]>({ type: 'string', enum: [...values], description });

const METRIC_DOCS: Record<MetricField, string> = {
  tickets_created: 'Tickets created in [from, to)',
  tickets_resolved: 'Of those, tickets resolved at least once',
  frt_p50_seconds: 'Median first response time (first human reply − creation), seconds',
  frt_p90_seconds: '90th percentile first response time, seconds',
  frt_bh_p50_seconds: 'Median first response time in business hours, seconds',
  frt_bh_p90_seconds: '90th percentile first response time in business hours, seconds',
  resolution_p50_seconds: 'Median time to first resolution, seconds',
  resolution_p90_seconds: '90th percentile time to first resolution, seconds',
  fcr_rate: 'Resolved with exactly one agent reply and never reopened ÷ resolved with ≥ 1 agent reply',
  auto_resolution_rate: 'Resolved with no agent reply ÷ resolved',
  reopen_rate: 'Reopened at least once ÷ resolved',
  csat_pct: 'Latest CSAT rating 4–5 ÷ rated tickets',
  csat_avg: 'Average latest CSAT rating (1–5)',
  csat_responses: 'Tickets with a CSAT rating',
  csat_response_rate: 'Surveyed tickets that were rated ÷ tickets sent a CSAT survey',
  nps: 'Net promoter score: 100 × (promoters 9–10 − detractors 0–6) ÷ responses',
  nps_responses: 'Tickets with an NPS rating',
  repeat_contact_rate: 'Tickets whose customer had another ticket resolved in the 7 days before ÷ tickets created (as the desk flagged it on ticket_opened)',
  sla_first_response_met_rate: 'First-response deadlines met ÷ (met + missed); still unanswered past the deadline = missed',
  sla_resolution_met_rate: 'Resolution deadlines met ÷ (met + missed); still unresolved past the deadline = missed',
};

export const MetricName = StringEnum(METRIC_FIELDS, 'A metric field of the summary');

const metricProperties = Object.fromEntries(
  METRIC_FIELDS.map((f) => [f, Nullable(Type.Number({ description: `${METRIC_DOCS[f]}. null when there is no data.` }))]),
) as unknown as Record<MetricField, TSchema>;

export const MetricsSchema = Type.Object(metricProperties, { $id: 'Metrics', additionalProperties: false, description: 'Analytics of the ticket cohort; rates are fractions 0–1' });

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
  agent: Type.Optional(Type.Integer({ description: "Telegram user id of the ticket's agent" })),
  format: Format,
};

const Tz = Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone for buckets (default UTC), e.g. Europe/Berlin' }));

export const SummaryQuery = Type.Object(FilterQuery, { additionalProperties: false });
export const BreakdownQuery = Type.Object(
  { by: StringEnum(BREAKDOWN_DIMENSIONS, 'Dimension: the ticket’s current queue, category, agent or language'), ...FilterQuery },
  { additionalProperties: false },
);
export const TimeseriesQuery = Type.Object(
  { metric: MetricName, interval: Type.Optional(StringEnum(['hour', 'day'] as const, 'Bucket size (default day)')), tz: Tz, ...FilterQuery },
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

export const BreakdownRowSchema = Type.Object(
  {
    key: Type.String({ description: "The dimension's value; empty = none" }),
    label: Type.Optional(Type.String({ description: 'by=agent: the agent’s display name ("Anna K."), when the desk has seen them act' })),
    ...metricProperties,
  },
  { additionalProperties: false },
);
export const TimeseriesSchema = Type.Object({
  metric: MetricName,
  interval: Type.String(),
  tz: Type.String(),
  points: Type.Array(Type.Object({ t: Type.String({ format: 'date-time', description: 'bucket start' }), value: Nullable(Type.Number()) })),
});
export const HeatmapSchema = Type.Object({
  tz: Type.String(),
  cells: Type.Array(
    Type.Object({ weekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday' }), hour: Type.Integer({ minimum: 0, maximum: 23 }), tickets: Type.Integer() }),
  ),
});
export const FrtDistributionSchema = Type.Array(
  Type.Object({
    bucket: StringEnum(FRT_BUCKETS.map(([b]) => b), 'bucket label'),
    min_seconds: Type.Number(),
    max_seconds: Nullable(Type.Number()),
    tickets: Type.Integer(),
    share: Nullable(Type.Number()),
  }),
);
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
    Type.Object({ ticket_id: Type.Integer(), queue: Type.String(), status: Type.String(), waiting_since: Type.String({ format: 'date-time' }), waiting_seconds: Type.Number() }),
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
});

export const DimensionsQuery = Type.Object({}, { additionalProperties: false });
export const DimensionsSchema = Type.Object(
  {
    categories: Type.Array(
      Type.Object({ key: Type.String({ description: 'As the data carries it: the `category` filter and breakdown key' }), label: Type.String({ description: 'Its label in CATEGORIES' }), queue: Type.String({ description: 'The queue it routes to' }) }, { additionalProperties: false }),
      { description: 'The configured categories (CATEGORIES), in configured order' },
    ),
    queues: Type.Array(Type.Object({ key: Type.String({ description: 'As the data carries it: the `queue` filter and breakdown key' }), label: Type.String({ description: 'Name to show' }) }, { additionalProperties: false }), {
      description: 'The queues the configuration routes to: each category’s, DEFAULT_QUEUE and VIP',
    }),
  },
  { additionalProperties: false, description: 'Labels of the configured categories and queues; keys found in the data but not listed here are not configured (any more)' },
);

export const ErrorSchema = Type.Object({ statusCode: Type.Integer(), error: Type.String(), message: Type.String() });
