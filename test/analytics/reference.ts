/**
 * The metric definitions written plainly in TypeScript, straight from the
 * events — no ClickHouse, no materialized views. Tests compare the API with
 * this; a disagreement means one of the two misreads the definition.
 */
import type { SupportEvent } from '../../schemas/events.js';
import { METRIC_FIELDS, type Metrics } from '../../analytics/registry.js';
import type { BreakdownDimension, TicketFilter } from '../../analytics/ticket-facts.js';

type Ev = SupportEvent;

interface Ticket {
  id: number;
  created: number;
  customer: number;
  queue: string;
  category: string;
  language: string;
  agent: number;
  firstReply: number | null;
  frtBh: number | null;
  replyIds: Set<string>;
  firstResolved: number | null;
  reopened: boolean;
  csatSurveyed: boolean;
  csat: number | null;
  nps: number | null;
  frDue: number | null;
  resDue: number | null;
  opened: boolean;
  /** ticket_opened.channel 'app': created in the Mini App */
  fromApp: boolean;
  /** ticket_linked 'linked' at some point */
  incidentLinked: boolean;
  /** ticket_linked with the known-issue reply */
  knownIssue: boolean;
}

const t = (s: string) => Date.parse(s);
/**
 * Later by (ticket_seq, occurred_at, event_id) — the order the MVs use: the ticket's own
 * sequence first (absent = 0), the clock and the event id only within one sequence number.
 */
export function later(a: Ev, b: Ev | undefined): boolean {
  if (!b) return true;
  const sa = a.ticket_seq ?? 0;
  const sb = b.ticket_seq ?? 0;
  if (sa !== sb) return sa > sb;
  if (t(a.occurred_at) !== t(b.occurred_at)) return t(a.occurred_at) > t(b.occurred_at);
  return a.event_id > b.event_id;
}

export function ticketsFrom(events: readonly Ev[]): Map<number, Ticket> {
  const unique = new Map<string, Ev>();
  for (const e of events) unique.set(e.event_id, e);
  const byTicket = new Map<number, Ev[]>();
  for (const e of unique.values()) {
    if (e.ticket_id === null || e.ticket_created_at === null) continue;
    (byTicket.get(e.ticket_id) ?? byTicket.set(e.ticket_id, []).get(e.ticket_id)!).push(e);
  }
  const out = new Map<number, Ticket>();
  for (const [id, evs] of byTicket) {
    const latest = (pred: (e: Ev) => boolean) => evs.filter(pred).reduce<Ev | undefined>((best, e) => (later(e, best) ? e : best), undefined);
    const minTime = (pred: (e: Ev) => boolean) => {
      const ts = evs.filter(pred).map((e) => t(e.occurred_at));
      return ts.length ? Math.min(...ts) : null;
    };
    const replies = evs.filter((e) => e.type === 'message_out');
    const opened = evs.find((e) => e.type === 'ticket_opened') as Extract<Ev, { type: 'ticket_opened' }> | undefined;
    const qc = latest((e) => e.type === 'queue_changed') as Extract<Ev, { type: 'queue_changed' }> | undefined;
    const csat = latest((e) => e.type === 'csat_rated') as Extract<Ev, { type: 'csat_rated' }> | undefined;
    const nps = latest((e) => e.type === 'nps_rated') as Extract<Ev, { type: 'nps_rated' }> | undefined;
    const bh = replies.map((e) => (e as Extract<Ev, { type: 'message_out' }>).first_response_bh_seconds).filter((x): x is number => x !== null);
    out.set(id, {
      id,
      created: t(evs[0]!.ticket_created_at!),
      customer: Math.max(...evs.map((e) => e.customer_id ?? 0)),
      queue: latest((e) => !!e.queue)?.queue ?? '',
      category: latest((e) => !!e.category)?.category ?? '',
      language: latest((e) => !!e.language)?.language ?? '',
      agent: latest((e) => !!e.agent_id)?.agent_id ?? 0,
      firstReply: minTime((e) => e.type === 'message_out'),
      frtBh: bh.length ? Math.min(...bh) : null,
      replyIds: new Set(replies.map((e) => e.event_id)),
      firstResolved: minTime((e) => e.type === 'ticket_resolved'),
      reopened: evs.some((e) => e.type === 'ticket_reopened'),
      csatSurveyed: evs.some((e) => e.type === 'survey_sent' && e.survey === 'csat'),
      csat: csat?.score ?? null,
      nps: nps?.score ?? null,
      frDue: qc ? t(qc.first_response_due_at) : opened ? t(opened.first_response_due_at) : null,
      resDue: qc ? t(qc.resolution_due_at) : opened ? t(opened.resolution_due_at) : null,
      opened: opened !== undefined,
      fromApp: opened?.channel === 'app',
      incidentLinked: evs.some((e) => e.type === 'ticket_linked' && e.link_action === 'linked'),
      knownIssue: evs.some((e) => e.type === 'ticket_linked' && e.known_issue_reply),
    });
  }
  return out;
}

/** quantileExactInclusive: linear interpolation between closest ranks (Excel PERCENTILE.INC). */
export function quantileInclusive(values: number[], p: number): number | null {
  if (!values.length) return null;
  const xs = [...values].sort((a, b) => a - b);
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, xs.length - 1);
  return xs[lo]! + (h - lo) * (xs[hi]! - xs[lo]!);
}

const ratio = (num: number, den: number) => (den === 0 ? null : num / den);
const secs = (a: number, b: number) => Math.max(0, a - b) / 1000;

function metricsOf(cohort: Ticket[], all: Map<number, Ticket>, resolutions: { customer: number; ticket: number; at: number }[], now: number): Metrics {
  const resolved = cohort.filter((x) => x.firstResolved !== null);
  const withReply = resolved.filter((x) => x.replyIds.size >= 1);
  const csat = cohort.filter((x) => x.csat !== null);
  const nps = cohort.filter((x) => x.nps !== null);
  const surveyed = cohort.filter((x) => x.csatSurveyed);
  const slaOutcome = (done: number | null, due: number | null) => (due === null ? null : done !== null ? done <= due : now > due ? false : null);
  // Settled before anyone had to answer (a knowledge-base answer the customer accepted, say): no first-response deadline at stake.
  const settledUnanswered = (x: Ticket) => x.firstReply === null && x.firstResolved !== null && x.frDue !== null && x.firstResolved <= x.frDue;
  const fr = cohort
    .filter((x) => !settledUnanswered(x))
    .map((x) => slaOutcome(x.firstReply, x.frDue))
    .filter((x): x is boolean => x !== null);
  const res = cohort.map((x) => slaOutcome(x.firstResolved, x.resDue)).filter((x): x is boolean => x !== null);
  // judged at creation by the desk, so known once the ticket_opened event has arrived
  const repeat = cohort.filter(
    (x) => x.opened && resolutions.some((r) => r.customer === x.customer && r.ticket !== x.id && r.at >= x.created - 7 * 86_400_000 && r.at < x.created),
  );
  void all;
  const m: Metrics = {
    tickets_created: cohort.length,
    tickets_resolved: resolved.length,
    frt_p50_seconds: quantileInclusive(
      cohort.filter((x) => x.firstReply !== null).map((x) => secs(x.firstReply!, x.created)),
      0.5,
    ),
    frt_p90_seconds: quantileInclusive(
      cohort.filter((x) => x.firstReply !== null).map((x) => secs(x.firstReply!, x.created)),
      0.9,
    ),
    frt_bh_p50_seconds: quantileInclusive(
      cohort.filter((x) => x.frtBh !== null).map((x) => x.frtBh!),
      0.5,
    ),
    frt_bh_p90_seconds: quantileInclusive(
      cohort.filter((x) => x.frtBh !== null).map((x) => x.frtBh!),
      0.9,
    ),
    resolution_p50_seconds: quantileInclusive(
      resolved.map((x) => secs(x.firstResolved!, x.created)),
      0.5,
    ),
    resolution_p90_seconds: quantileInclusive(
      resolved.map((x) => secs(x.firstResolved!, x.created)),
      0.9,
    ),
    fcr_rate: ratio(withReply.filter((x) => x.replyIds.size === 1 && !x.reopened).length, withReply.length),
    auto_resolution_rate: ratio(resolved.filter((x) => x.replyIds.size === 0).length, resolved.length),
    reopen_rate: ratio(cohort.filter((x) => x.reopened).length, resolved.length),
    csat_pct: ratio(csat.filter((x) => x.csat! >= 4).length, csat.length),
    csat_avg: csat.length ? csat.reduce((a, x) => a + x.csat!, 0) / csat.length : null,
    csat_responses: csat.length,
    csat_response_rate: ratio(surveyed.filter((x) => x.csat !== null).length, surveyed.length),
    nps: nps.length ? (100 * (nps.filter((x) => x.nps! >= 9).length - nps.filter((x) => x.nps! <= 6).length)) / nps.length : null,
    nps_responses: nps.length,
    repeat_contact_rate: ratio(repeat.length, cohort.length),
    sla_first_response_met_rate: ratio(fr.filter(Boolean).length, fr.length),
    sla_resolution_met_rate: ratio(res.filter(Boolean).length, res.length),
    app_tickets: cohort.filter((x) => x.fromApp).length,
    app_ticket_share: ratio(cohort.filter((x) => x.fromApp).length, cohort.length),
    incident_linked_share: ratio(cohort.filter((x) => x.incidentLinked).length, cohort.length),
    known_issue_replies: cohort.filter((x) => x.knownIssue).length,
  };
  return m;
}

export interface ReferenceQuery {
  from: number;
  to: number;
  now: number;
  filter?: TicketFilter;
}

function prepare(events: readonly Ev[], q: ReferenceQuery) {
  const all = ticketsFrom(events);
  const f = q.filter ?? {};
  const cohort = [...all.values()].filter(
    (x) =>
      x.created >= q.from &&
      x.created < q.to &&
      (f.queue === undefined || x.queue === f.queue) &&
      (f.category === undefined || x.category === f.category) &&
      (f.agent === undefined || x.agent === f.agent),
  );
  const unique = new Map(events.map((e) => [e.event_id, e]));
  const resolutions = [...unique.values()]
    .filter((e) => e.type === 'ticket_resolved' && e.ticket_id !== null && e.customer_id)
    .map((e) => ({ customer: e.customer_id!, ticket: e.ticket_id!, at: t(e.occurred_at) }));
  return { all, cohort, resolutions };
}

export function referenceSummary(events: readonly Ev[], q: ReferenceQuery): Metrics {
  const { all, cohort, resolutions } = prepare(events, q);
  return metricsOf(cohort, all, resolutions, q.now);
}

export function referenceBreakdown(events: readonly Ev[], by: BreakdownDimension, q: ReferenceQuery): ({ key: string } & Metrics)[] {
  const { all, cohort, resolutions } = prepare(events, q);
  const keyOf = (x: Ticket) => (by === 'agent' ? (x.agent ? String(x.agent) : '') : x[by]);
  const groups = new Map<string, Ticket[]>();
  for (const x of cohort) (groups.get(keyOf(x)) ?? groups.set(keyOf(x), []).get(keyOf(x))!).push(x);
  return [...groups.entries()]
    .map(([key, g]) => ({ key, ...metricsOf(g, all, resolutions, q.now) }))
    .sort((a, b) => b.tickets_created - a.tickets_created || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Equal up to float rounding (ClickHouse and JS sum in different orders). */
export function sameMetrics(a: Metrics, b: Metrics, eps = 1e-9): string[] {
  const diffs: string[] = [];
  for (const f of METRIC_FIELDS) {
    const x = a[f];
    const y = b[f];
    if (x === null || y === null ? x !== y : Math.abs(x - y) > eps * Math.max(1, Math.abs(x), Math.abs(y))) diffs.push(`${f}: ${x} ≠ ${y}`);
  }
  return diffs;
}

/**
 * The self-service metrics (analytics/selfservice.ts) straight from the events:
 * what customers did in the Mini App in [from, to) by the events' own time —
 * the latest "Did this help?" per customer and article (by time, then event id).
 */
export function referenceSelfService(events: readonly Ev[], q: { from: number; to: number }): Record<string, number | null> {
  const unique = [...new Map(events.map((e) => [e.event_id, e])).values()];
  const votes = new Map<string, Extract<Ev, { type: 'kb_article_helpful' }>>();
  for (const e of unique)
    if (e.type === 'kb_article_helpful') {
      const k = `${e.customer_id}:${e.kb_article_id}`;
      const b = votes.get(k);
      if (!b || t(e.occurred_at) > t(b.occurred_at) || (t(e.occurred_at) === t(b.occurred_at) && e.event_id > b.event_id)) votes.set(k, e);
    }
  const inRange = (e: Ev) => t(e.occurred_at) >= q.from && t(e.occurred_at) < q.to;
  const rows = unique.filter((e) => e.type !== 'kb_article_helpful' && inRange(e));
  const latest = [...votes.values()].filter(inRange);
  const deflected = rows.filter((e) => e.type === 'kb_outcome' && e.outcome === 'solved' && e.channel === 'app').length;
  const appTickets = rows.filter((e) => e.type === 'ticket_opened' && e.channel === 'app').length;
  return {
    app_opens: rows.filter((e) => e.type === 'app_opened').length,
    kb_article_views: rows.filter((e) => e.type === 'kb_article_viewed').length,
    kb_helpful_rate: ratio(latest.filter((e) => e.helpful).length, latest.length),
    kb_deflections: deflected,
    deflection_rate: ratio(deflected, deflected + appTickets),
  };
}

/**
 * The incident metrics (analytics/incidents.ts) straight from the events, by the events' own time in
 * [from, to): flags, openings, the median time to detect and to acknowledge, linked tickets per incident.
 */
export function referenceIncidents(events: readonly Ev[], q: { from: number; to: number }): Record<string, number | null> {
  const rows = [...new Map(events.map((e) => [e.event_id, e])).values()].filter((e) => t(e.occurred_at) >= q.from && t(e.occurred_at) < q.to);
  const suspected = rows.filter((e): e is Extract<Ev, { type: 'incident_suspected' }> => e.type === 'incident_suspected');
  const opened = rows.filter((e): e is Extract<Ev, { type: 'incident_opened' }> => e.type === 'incident_opened');
  const links = new Set(rows.flatMap((e) => (e.type === 'ticket_linked' && e.link_action === 'linked' ? [`${e.incident_id}:${e.ticket_id}`] : [])));
  return {
    incidents_suspected: suspected.length,
    incidents_opened: opened.length,
    time_to_detect_p50_seconds: quantileInclusive(
      suspected.flatMap((e) => (e.detect_seconds === null ? [] : [e.detect_seconds])),
      0.5,
    ),
    time_to_acknowledge_p50_seconds: quantileInclusive(
      opened.flatMap((e) => (e.ack_seconds === null ? [] : [e.ack_seconds])),
      0.5,
    ),
    tickets_per_incident: ratio(links.size, opened.length),
  };
}

/** The trust metrics (analytics/trust.ts) of [from, to) by the events' own time: each event once. */
export function referenceTrust(events: readonly Ev[], q: { from: number; to: number }): Record<string, number | null> {
  const rows = [...new Map(events.map((e) => [e.event_id, e])).values()].filter((e) => t(e.occurred_at) >= q.from && t(e.occurred_at) < q.to);
  const n = (...types: string[]) => rows.filter((e) => types.includes(e.type)).length;
  const inbound = n('message_in', 'spam_blocked');
  return {
    spam_phishing_share: ratio(n('spam_blocked', 'secret_masked', 'fake_reported', 'captcha_failed'), inbound),
    inbound_messages: inbound,
    spam_blocked: n('spam_blocked'),
    secrets_masked: n('secret_masked'),
    fake_accounts_reported: n('fake_reported'),
    captchas_failed: n('captcha_failed'),
  };
}
