/**
 * SLA outcomes: the share of deadlines met. A ticket's deadlines are its
 * ticket_opened's, overridden by the latest queue_changed's. Met = answered
 * (resolved) by the deadline; missed = later, or still open past it; a ticket
 * not yet due counts in neither. `{now:DateTime64(3)}` decides what is past.
 * A ticket resolved before its first-response deadline without a human reply
 * (the customer accepted a knowledge-base answer) had no first response at
 * stake: it counts in neither, not as missed. The deadlines' counts are
 * `dueCount`s: settled tickets, plus pending ones whose deadline has passed
 * (so a per-day rollup can keep the pending deadlines, analytics/rollup.ts).
 */
import { aggregate, atLeast, dueCount, metric, ratio } from '../metric.js';
import { TICKET } from '../ticket-facts.js';

export const FR_MET_N = aggregate('fr_met_n', `countIf(first_reply_at <= ${TICKET.frDue})`);
export const FR_DUE_N = dueCount('fr_due_n', {
  settled: `${TICKET.frDue} != 0 AND ${TICKET.replied}`,
  pending: `${TICKET.frDue} != 0 AND NOT (${TICKET.replied}) AND (first_resolved_at IS NULL OR first_resolved_at > ${TICKET.frDue})`,
  deadline: TICKET.frDue,
});
export const RES_MET_N = aggregate('res_met_n', `countIf(first_resolved_at <= ${TICKET.resDue})`);
export const RES_DUE_N = dueCount('res_due_n', {
  settled: `${TICKET.resDue} != 0 AND ${TICKET.resolved}`,
  pending: `${TICKET.resDue} != 0 AND NOT (${TICKET.resolved})`,
  deadline: TICKET.resDue,
});

export const slaFirstResponseMetRate = metric({
  key: 'sla_first_response_met_rate',
  title: 'SLA response',
  meaning:
    'First-response deadlines met ÷ (met + missed); a ticket still unanswered past its deadline counts as missed, one not yet due — or settled without a human answer before its deadline (a knowledge-base answer accepted) — in neither; the deadline is ticket_opened’s, or the latest queue_changed’s.',
  unit: 'ratio',
  better: 'higher',
  target: atLeast(0.9, { warn: 0.8, source: 'desk' }),
  sql: ratio(FR_MET_N, FR_DUE_N),
  grafana: { panels: ['stat', 'timeseries'], unit: 'percentunit' },
});

export const slaResolutionMetRate = metric({
  key: 'sla_resolution_met_rate',
  title: 'SLA resolution',
  meaning:
    'Resolution deadlines met ÷ (met + missed); a ticket still unresolved past its deadline counts as missed, one not yet due in neither; the deadline is ticket_opened’s, or the latest queue_changed’s.',
  unit: 'ratio',
  better: 'higher',
  target: atLeast(0.9, { warn: 0.8, source: 'desk' }),
  sql: ratio(RES_MET_N, RES_DUE_N),
  grafana: { panels: ['stat'], unit: 'percentunit' },
});
