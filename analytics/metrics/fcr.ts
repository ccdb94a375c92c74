/** First-contact resolution, reopens and repeat contacts: did the first answer settle it? */
import { aggregate, atLeast, atMost, metric, ratio } from '../metric.js';
import { TICKET } from '../ticket-facts.js';
import { RESOLVED_N, TICKETS } from './volume.js';

export const RESOLVED_REPLIED = aggregate('resolved_replied', `countIf(${TICKET.resolved} AND NOT ${TICKET.noReply})`);
export const FCR = aggregate('fcr', `countIf(${TICKET.resolved} AND ${TICKET.oneReply} AND reopened = 0)`);
export const REOPENED_N = aggregate('reopened_n', 'sum(reopened)');
/** The desk's ticket_opened.is_repeat_contact: another ticket of the customer resolved in the 7 days before. */
export const REPEAT_N = aggregate('repeat_n', 'sum(repeat_contact)');

export const fcrRate = metric({
  key: 'fcr_rate',
  title: 'FCR',
  meaning: 'Resolved tickets with exactly one agent reply and never reopened ÷ resolved tickets with at least one agent reply.',
  unit: 'ratio',
  better: 'higher',
  target: atLeast(0.6, { warn: 0.5, upTo: 0.75, source: 'playbook' }),
  sql: ratio(FCR, RESOLVED_REPLIED),
  grafana: { panels: ['stat'], unit: 'percentunit' },
});

export const reopenRate = metric({
  key: 'reopen_rate',
  title: 'Reopened',
  meaning: 'Tickets reopened at least once ÷ resolved tickets.',
  unit: 'ratio',
  better: 'lower',
  sql: ratio(REOPENED_N, RESOLVED_N),
});

export const repeatContactRate = metric({
  key: 'repeat_contact_rate',
  title: 'Repeat contacts',
  meaning: 'Tickets whose customer had another ticket resolved in the 7 days before (as the desk flagged it on ticket_opened) ÷ tickets created.',
  unit: 'ratio',
  better: 'lower',
  target: atMost(0.15, { warn: 0.2, source: 'playbook' }),
  sql: ratio(REPEAT_N, TICKETS),
  // in an experiment: did the customer come back (the share of customers with a repeat contact after exposure)
  perCustomer: { share: REPEAT_N },
  grafana: { panels: ['stat'], unit: 'percentunit' },
});
