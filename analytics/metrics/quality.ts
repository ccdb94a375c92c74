/** What customers say: CSAT (1–5) and NPS (0–10), each ticket's latest rating counting once. */
import { aggregate, atLeast, count, metric, minus, n, ratio, times } from '../metric.js';
import { TICKET } from '../ticket-facts.js';

export const CSAT_N = aggregate('csat_n', `countIf(${TICKET.csat} > 0)`);
export const CSAT_GOOD = aggregate('csat_good', `countIf(${TICKET.csat} >= 4)`);
export const CSAT_SUM = aggregate('csat_sum', `sum(${TICKET.csat})`);
export const SURVEYED = aggregate('surveyed', 'sum(csat_surveyed)');
export const SURVEYED_RATED = aggregate('surveyed_rated', `countIf(csat_surveyed = 1 AND ${TICKET.csat} > 0)`);
export const NPS_N = aggregate('nps_n', `countIf(${TICKET.npsRated})`);
export const PROMOTERS = aggregate('promoters', `countIf(${TICKET.nps} >= 9)`);
export const DETRACTORS = aggregate('detractors', `countIf(${TICKET.npsRated} AND ${TICKET.nps} <= 6)`);

/** The exporter's CSAT window: tickets whose latest rating was given in the last 24 h, by the ticket's current queue. */
const RATED_LAST_DAY = {
  source: 'ticket_facts',
  since: TICKET.csatAt,
  seconds: 86_400,
  describe: 'tickets whose latest CSAT rating was given in the last 24 h',
} as const;

export const csatPct = metric({
  key: 'csat_pct',
  title: 'Satisfied',
  meaning: 'Rated tickets whose latest CSAT rating is 4 or 5 ÷ rated tickets.',
  unit: 'ratio',
  better: 'higher',
  sql: ratio(CSAT_GOOD, CSAT_N),
});

export const csatAvg = metric({
  key: 'csat_avg',
  title: 'CSAT',
  meaning: 'Average latest CSAT rating (1–5) of the rated tickets.',
  unit: 'score',
  better: 'higher',
  target: atLeast(4.5, { warn: 4.0, source: 'playbook', variable: 'SLA_CSAT_TARGET' }),
  sql: ratio(CSAT_SUM, CSAT_N),
  prometheus: {
    name: 'support_csat_average_24h',
    help: 'Average CSAT (1–5, latest rating per ticket) over ratings in the last 24 h, per queue.',
    window: RATED_LAST_DAY,
    target: { name: 'support_csat_target', help: 'CSAT target, 1–5 (SLA_CSAT_TARGET).' },
  },
  grafana: { panels: ['stat'], unit: 'none', decimals: 2 },
});

export const csatResponses = metric({
  key: 'csat_responses',
  title: 'CSAT ratings',
  meaning: 'Tickets with a CSAT rating.',
  unit: 'count',
  better: 'higher',
  sql: count(CSAT_N),
  prometheus: {
    name: 'support_csat_ratings_24h',
    help: 'Tickets rated in the last 24 h, per queue (the sample behind support_csat_average_24h).',
    window: RATED_LAST_DAY,
  },
});

export const csatResponseRate = metric({
  key: 'csat_response_rate',
  title: 'CSAT response rate',
  meaning: 'Tickets sent a CSAT survey that were rated ÷ tickets sent a CSAT survey.',
  unit: 'ratio',
  better: 'higher',
  sql: ratio(SURVEYED_RATED, SURVEYED),
});

export const nps = metric({
  key: 'nps',
  title: 'NPS',
  meaning: 'Net promoter score: 100 × (promoters 9–10 − detractors 0–6) ÷ responses, the latest rating per ticket.',
  unit: 'nps',
  better: 'higher',
  target: atLeast(30, { warn: 0, source: 'desk' }),
  sql: ratio(times(100, minus(n(PROMOTERS), n(DETRACTORS))), NPS_N),
  grafana: { panels: ['stat'], unit: 'none', decimals: 0 },
});

export const npsResponses = metric({
  key: 'nps_responses',
  title: 'NPS responses',
  meaning: 'Tickets with an NPS rating.',
  unit: 'count',
  better: 'higher',
  sql: count(NPS_N),
});
