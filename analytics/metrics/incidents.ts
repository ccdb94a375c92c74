/**
 * Incidents (issue 15): outages the desk detected from a spike of new tickets and answered once. Two kinds of
 * rows, as self-service has:
 *
 * - tickets (`ticket_facts`, the registry): how many of the period's tickets were linked to an incident, and how
 *   many got the automatic "known issue" reply instead of waiting for an agent;
 * - the incidents themselves (`incident_facts`, schemas/clickhouse/046): flags, openings, links — a registry of
 *   their own (`INCIDENTS` in analytics/incidents.ts) over the events' time; queue and agent do not apply.
 */
import { aggregate, count, metric, quantile, quantilesAggregate, ratio } from '../metric.js';
import { TICKET } from '../ticket-facts.js';
import { TICKETS } from './volume.js';

// ---- over ticket_facts (the registry) ----------------------------------------

const LINKED = aggregate('incident_linked_n', `countIf(${TICKET.incidentLinked})`);
const KNOWN_ISSUE = aggregate('known_issue_n', `countIf(${TICKET.knownIssue})`);

export const incidentLinkedShare = metric({
  key: 'incident_linked_share',
  title: 'Linked to incidents',
  meaning: 'Tickets created in the period that were linked to an incident (by the desk or by an agent) ÷ tickets created.',
  unit: 'ratio',
  better: 'neither',
  sql: ratio(LINKED, TICKETS),
  grafana: { panels: ['stat'], unit: 'percentunit' },
});

export const knownIssueReplies = metric({
  key: 'known_issue_replies',
  title: 'Known-issue replies',
  meaning: 'Tickets created in the period that got the automatic "known issue" reply (a new ticket about an open incident).',
  unit: 'count',
  better: 'neither',
  sql: count(KNOWN_ISSUE),
});

// ---- over incident_facts (analytics/incidents.ts) ------------------------------

const SUSPECTED = aggregate('incidents_suspected_n', "countIf(type = 'incident_suspected')");
const OPENED = aggregate('incidents_opened_n', "countIf(type = 'incident_opened')");
const LINKS = aggregate('incident_links_n', "uniqExactIf(tuple(incident_id, ticket_id), type = 'ticket_linked' AND link_action = 'linked')");
const DETECT_Q = quantilesAggregate(
  'detect_q',
  "quantilesExactInclusiveIf(0.5)(assumeNotNull(detect_seconds), type = 'incident_suspected' AND detect_seconds IS NOT NULL)",
);
const ACK_Q = quantilesAggregate('ack_q', "quantilesExactInclusiveIf(0.5)(assumeNotNull(ack_seconds), type = 'incident_opened' AND ack_seconds IS NOT NULL)");

export const incidentsSuspected = metric({
  key: 'incidents_suspected',
  title: 'Suspected incidents',
  meaning: 'Spikes the detector flagged to the escalation chat in the period (one post per spike).',
  unit: 'count',
  better: 'neither',
  sql: count(SUSPECTED),
});

export const incidentsOpened = metric({
  key: 'incidents_opened',
  title: 'Incidents',
  meaning: 'Incidents opened in the period (a suspected one confirmed, or opened with /incident).',
  unit: 'count',
  better: 'lower',
  sql: count(OPENED),
});

export const timeToDetectP50 = metric({
  key: 'time_to_detect_p50_seconds',
  title: 'Time to detect P50',
  meaning: "Median time from the first ticket of a spike's window to the suspected-incident flag, over the flags of the period.",
  unit: 'seconds',
  better: 'lower',
  sql: quantile(DETECT_Q, 0),
});

export const timeToAcknowledgeP50 = metric({
  key: 'time_to_acknowledge_p50_seconds',
  title: 'Time to acknowledge P50',
  meaning: 'Median time from the suspected-incident flag to a team lead confirming it, over the incidents opened from a flag in the period.',
  unit: 'seconds',
  better: 'lower',
  sql: quantile(ACK_Q, 0),
});

export const ticketsPerIncident = metric({
  key: 'tickets_per_incident',
  title: 'Tickets per incident',
  meaning: 'Tickets linked to incidents in the period (each ticket once per incident) ÷ incidents opened in the period.',
  unit: 'score',
  better: 'neither',
  sql: ratio(LINKS, OPENED),
});
