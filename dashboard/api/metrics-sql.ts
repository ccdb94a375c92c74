/**
 * The API's metric fields and the ticket vocabulary, re-exported from their
 * one home, `analytics/` (metric definitions: `analytics/metrics/*.ts`, API
 * order: `analytics/registry.ts`, a ticket's state: `analytics/ticket-facts.ts`).
 * Nothing is defined here.
 */
export { METRIC_FIELDS, type MetricField, type Metrics } from '../../analytics/registry.js';
export { BREAKDOWN_DIMENSIONS, DIMENSION_SQL, TICKET, ticketsFrom, type BreakdownDimension, type TicketFilter } from '../../analytics/ticket-facts.js';

import { METRICS, type MetricField, type Metrics } from '../../analytics/registry.js';
/** Fields that are counts: 0 (never null) for an empty cohort. */
export const COUNT_FIELDS: ReadonlySet<MetricField> = new Set(METRICS.metrics.filter((d) => d.unit === 'count').map((d) => d.key as MetricField));
/** SELECT list of the aggregates the given metrics need. */
export const aggregateSelectList = (fields?: readonly MetricField[]): string => METRICS.selectList(fields);
/** The metric fields from one row of aggregates (missing aggregates → counts 0, the rest null). */
export const metricsFrom = (row: Record<string, unknown>, fields?: readonly MetricField[]): Metrics => METRICS.valuesFrom(row, fields);
