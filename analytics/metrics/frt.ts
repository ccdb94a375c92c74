/**
 * First response time: the first human agent reply relayed to the customer
 * (`message_out`) minus the ticket's creation. Bot and knowledge-base answers
 * do not stop the clock. Exact percentiles: quantilesExactInclusive, linear
 * interpolation between closest ranks (Excel's PERCENTILE.INC, PostgreSQL's
 * percentile_cont).
 */
import { metric, quantile, quantilesOf, slaTarget, type StoreWindow } from '../metric.js';
import { TICKET } from '../ticket-facts.js';

export const FRT_Q = quantilesOf('frt_q', { value: TICKET.frt, where: TICKET.replied, levels: [0.5, 0.9] });
/** `first_response_bh_seconds` of the first reply: business seconds of the queue's calendar (calendar seconds for 24/7 queues). */
export const FRT_BH_Q = quantilesOf('frt_bh_q', { value: 'first_reply_bh_seconds', levels: [0.5, 0.9] });

/**
 * The same quantiles live, from the desk's store: tickets first answered in the
 * hour before now, per queue. The exporter's FRT gauges and `/sla` read it, so
 * an alert and a human asking see the same number the moment a reply is sent.
 */
export const FRT_LAST_HOUR: StoreWindow = {
  name: 'frt_last_hour',
  describe: 'tickets first answered in the last hour (the desk store, live)',
  sql: `
SELECT queue,
       count(*)::int AS n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at))::float8 AS p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at))::float8 AS p90
FROM tickets
WHERE first_response_at > $1::timestamptz - interval '1 hour' AND first_response_at <= $1::timestamptz
GROUP BY queue`,
  sample: { name: 'support_first_responses_last_hour', help: 'First responses given in the last hour (the sample behind the FRT quantiles).' },
};

const FRT_GAUGE = {
  name: 'support_first_response_time_seconds',
  help: 'First-response time over tickets first answered in the last hour (quantile 0.5 and 0.9); absent when none were.',
} as const;

export const frtP50 = metric({
  key: 'frt_p50_seconds',
  title: 'FRT P50',
  meaning:
    'Median first response time: the first human agent reply relayed to the customer (message_out) minus creation, over the tickets that have one; bot and knowledge-base answers do not count.',
  unit: 'seconds',
  better: 'lower',
  target: slaTarget('first_response', 2),
  sql: quantile(FRT_Q, 0),
  businessHours: 'frt_bh_p50_seconds',
  prometheus: { ...FRT_GAUGE, labels: { quantile: '0.5' }, window: { source: 'store', window: FRT_LAST_HOUR, column: 'p50' } },
  grafana: { panels: ['stat', 'timeseries'], unit: 's' },
});

export const frtP90 = metric({
  key: 'frt_p90_seconds',
  title: 'FRT P90',
  meaning: '90th percentile first response time (first human reply minus creation).',
  unit: 'seconds',
  better: 'lower',
  target: slaTarget('first_response', 2),
  sql: quantile(FRT_Q, 1),
  businessHours: 'frt_bh_p90_seconds',
  prometheus: {
    ...FRT_GAUGE,
    labels: { quantile: '0.9' },
    window: { source: 'store', window: FRT_LAST_HOUR, column: 'p90' },
    target: { name: 'support_sla_first_response_target_seconds', help: "First-response target per queue in seconds (the desk's SLA_TARGETS)." },
  },
  grafana: { panels: ['stat', 'timeseries'], unit: 's' },
});

export const frtBhP50 = metric({
  key: 'frt_bh_p50_seconds',
  title: 'FRT P50, business hours',
  meaning:
    "Median first response time in business seconds of the ticket's queue calendar (first_response_bh_seconds of the first reply; calendar seconds for 24/7 queues).",
  unit: 'seconds',
  better: 'lower',
  target: slaTarget('first_response', 2),
  sql: quantile(FRT_BH_Q, 0),
});

export const frtBhP90 = metric({
  key: 'frt_bh_p90_seconds',
  title: 'FRT P90, business hours',
  meaning: "90th percentile first response time in business seconds of the ticket's queue calendar.",
  unit: 'seconds',
  better: 'lower',
  target: slaTarget('first_response', 2),
  sql: quantile(FRT_BH_Q, 1),
});
