/** Resolution: how long tickets take to be resolved, and how many the desk resolved without an agent. */
import { aggregate, metric, quantile, quantilesOf, ratio, slaTarget } from '../metric.js';
import { TICKET } from '../ticket-facts.js';
import { RESOLVED_N } from './volume.js';

export const RESOLUTION_Q = quantilesOf('resolution_q', { value: TICKET.resolution, where: TICKET.resolved, levels: [0.5, 0.9] });
export const AUTO = aggregate('auto', `countIf(${TICKET.resolved} AND ${TICKET.noReply})`);

export const resolutionP50 = metric({
  key: 'resolution_p50_seconds',
  title: 'Resolution P50',
  meaning: 'Median time to resolution: the first resolution minus creation, over the tickets resolved.',
  unit: 'seconds',
  better: 'lower',
  target: slaTarget('resolution', 6),
  sql: quantile(RESOLUTION_Q, 0),
});

export const resolutionP90 = metric({
  key: 'resolution_p90_seconds',
  title: 'Resolution P90',
  meaning: '90th percentile time to resolution (first resolution minus creation).',
  unit: 'seconds',
  better: 'lower',
  target: slaTarget('resolution', 6),
  sql: quantile(RESOLUTION_Q, 1),
  grafana: { panels: ['stat'], unit: 's' },
});

export const autoResolutionRate = metric({
  key: 'auto_resolution_rate',
  title: 'Auto-resolved',
  meaning: 'Resolved tickets no agent replied to (the knowledge base, the bot or auto-close answered) ÷ resolved tickets.',
  unit: 'ratio',
  better: 'higher',
  sql: ratio(AUTO, RESOLVED_N),
  grafana: { panels: ['stat'], unit: 'percentunit' },
});
