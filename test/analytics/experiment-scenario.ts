/**
 * An experiment scenario for analytics and API tests: 120 customers split
 * between control and steps, their tickets (some before their exposure), their
 * exposures (some delivered twice, some contradicted by a later exposure), and
 * two customers exposed outside the range.
 */
import type { ExperimentDefinition } from '../../analytics/experiments/definition.js';
import type { SupportEvent } from '../../schemas/events.js';
import { assertEvent } from '../../schemas/validate.js';
import { deskEvents, nextEventId, prng, quietTicket, type TicketSpec } from './history.js';

export const DAY = 86_400_000;
export const T0 = Date.parse('2026-03-02T09:00:00Z');
export const RANGE = { from: new Date(T0 - 3_600_000), to: new Date(T0 + 12 * DAY) };
export const NOW = RANGE.to;
export const METRIC_KEYS = ['csat_avg', 'repeat_contact_rate', 'auto_resolution_rate', 'frt_p50_seconds', 'frt_p90_seconds', 'fcr_rate', 'tickets_created'];
export const DEF: ExperimentDefinition = {
  key: 'receipt-style',
  surface: 'receipt',
  variants: [
    { name: 'control', weight: 1 },
    { name: 'steps', weight: 1 },
  ],
  metrics: METRIC_KEYS,
  status: 'running',
  file: 'receipt-style.yaml',
};

export interface Exposure {
  id: string;
  customer: number;
  variant: string;
  at: number;
  ticket: number;
  ticketCreated: number;
}

/** The scenario: 120 customers, their tickets (some before exposure), their exposures (some duplicated or conflicting). */
export function scenario() {
  const r = prng(16);
  const tickets: TicketSpec[] = [];
  const exposures: Exposure[] = [];
  let id = 1;
  for (let c = 0; c < 120; c++) {
    const customer = 70_000 + c;
    const variant = r() < 0.5 ? 'control' : 'steps';
    const start = T0 + c * 50 * 60_000;
    const ticketOf = (createdAt: number, exposed: boolean): TicketSpec => {
      const replied = r() < (variant === 'steps' ? 0.6 : 0.75);
      const frt = Math.round(2 + r() ** 2 * (variant === 'steps' ? 40 : 60));
      const resolved = r() < 0.85;
      const nReplies = replied ? (r() < 0.6 ? 1 : 2) : 0;
      const replies = Array.from({ length: nReplies }, (_, k) => frt + k * 7);
      const end = (replies.at(-1) ?? 1) + 30;
      const reopened = resolved && r() < 0.1;
      const rated = resolved && r() < 0.7;
      const good = r() < (variant === 'steps' && exposed ? 0.85 : 0.65);
      return quietTicket({
        id: id++,
        customer,
        createdAt,
        agent: replied ? 900 : null,
        replies,
        lifecycle: resolved ? (reopened ? [end, end + 5, end + 20] : [end]) : [],
        csatSurveyAt: rated ? end + 25 : null,
        csat: rated ? [{ at: end + 26, score: good ? 4 + Math.round(r()) : 1 + Math.floor(r() * 3) }] : [],
      });
    };
    // an earlier, unexposed ticket (resolved: the exposed one after it is a repeat contact)
    if (c % 7 === 0) tickets.push(ticketOf(start - 2 * DAY, false));
    const first = ticketOf(start, true);
    tickets.push(first);
    const at = start + 1000;
    const exposure = { id: nextEventId(), customer, variant, at, ticket: first.id, ticketCreated: start };
    exposures.push(exposure);
    // the same event delivered twice; a conflicting later exposure (another variant) that must not count
    if (c % 5 === 0) exposures.push({ ...exposure });
    if (c % 11 === 0) exposures.push({ ...exposure, id: nextEventId(), at: at + 3 * DAY, variant: variant === 'control' ? 'steps' : 'control' });
    for (let k = Math.floor(r() * 3); k > 0; k--) tickets.push(ticketOf(start + Math.round((0.5 + r() * 6) * DAY), true));
  }
  // exposed before the range and after it: not in the results
  for (const [customer, at] of [
    [79_001, RANGE.from.getTime() - DAY],
    [79_002, RANGE.to.getTime() + 1000],
  ] as const) {
    const t = quietTicket({ id: id++, customer, createdAt: at - 500, replies: [3], agent: 900 });
    tickets.push(t);
    exposures.push({ id: nextEventId(), customer, variant: 'control', at, ticket: t.id, ticketCreated: at - 500 });
  }
  const exposureEvents = exposures.map((e) =>
    assertEvent({
      event_id: e.id,
      schema_version: 1,
      type: 'experiment_exposure',
      occurred_at: new Date(e.at).toISOString(),
      emitted_at: new Date(e.at).toISOString(),
      ticket_id: e.ticket,
      ticket_created_at: new Date(e.ticketCreated).toISOString(),
      customer_id: e.customer,
      agent_id: null,
      queue: 'L1',
      category: null,
      language: 'en',
      experiment: DEF.key,
      variant: e.variant,
    }),
  );
  return { tickets, exposures, events: [...deskEvents(tickets), ...exposureEvents] as SupportEvent[] };
}
