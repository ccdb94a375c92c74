/** Volume: how many tickets the cohort holds and how many of them were resolved. */
import { aggregate, count, metric } from '../metric.js';

/** Shared with the rates that divide by the cohort or by its resolved tickets. */
export const TICKETS = aggregate('tickets', 'count()');
export const RESOLVED_N = aggregate('resolved_n', 'count(first_resolved_at)');

export const ticketsCreated = metric({
  key: 'tickets_created',
  title: 'Tickets created',
  meaning: 'Tickets created in the period.',
  unit: 'count',
  better: 'neither',
  sql: count(TICKETS),
  grafana: { panels: ['stat', 'timeseries'], unit: 'none', byQueue: true },
});

export const ticketsResolved = metric({
  key: 'tickets_resolved',
  title: 'Tickets resolved',
  meaning: 'Of the tickets created in the period, those resolved at least once.',
  unit: 'count',
  better: 'higher',
  sql: count(RESOLVED_N),
});
