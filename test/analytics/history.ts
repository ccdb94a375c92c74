/**
 * Ticket histories for analytics tests: a compact per-ticket spec turned into
 * the schema-valid events the bot would emit. Used by the property tests
 * (specs from fast-check), the API and browser tests (a seeded realistic
 * desk), and the benchmark's sanity checks.
 */
import { assertEvent } from '../../schemas/validate.js';
import type { SupportEvent } from '../../schemas/events.js';

export const QUEUES = ['L1', 'L2', 'VIP', 'payments'] as const;
export const CATEGORIES = ['payment', 'account', 'features', 'complaint', 'ideas'] as const;
export const LANGUAGES = ['en', 'ru', 'de'] as const;

const MIN = 60_000;

/** Everything about one ticket, as offsets in minutes from its creation. */
export interface TicketSpec {
  id: number;
  customer: number;
  createdAt: number; // epoch ms
  queue: string;
  language: string;
  /** category picked by the customer (minute offset), or none */
  category: { at: number; value: string } | null;
  opened: boolean; // false: the ticket_opened event never arrived
  frDueMin: number;
  resDueMin: number;
  /** rerouting with new deadlines */
  queueChange: { at: number; to: string; frDueMin: number; resDueMin: number } | null;
  botReplies: number[];
  agent: number | null;
  /** agent replies relayed to the customer */
  replies: number[];
  /** business-hours FRT reported on the first reply */
  frtBhFactor: number;
  /** alternating resolve / reopen moments: resolve, reopen, resolve, … */
  lifecycle: number[];
  csatSurveyAt: number | null;
  csat: { at: number; score: number }[];
  npsSurveyAt: number | null;
  nps: { at: number; score: number }[];
  /** where ticket_opened says it was opened: the Mini App or the chat (absent: not said, the chat) */
  channel?: 'app' | 'chat';
}

/** A ticket that only opens, in L1 with the default deadlines: tests spell out whatever else happens to it. */
export function quietTicket(t: Pick<TicketSpec, 'id' | 'customer' | 'createdAt'> & Partial<TicketSpec>): TicketSpec {
  return {
    queue: 'L1',
    language: 'en',
    category: null,
    opened: true,
    frDueMin: 15,
    resDueMin: 240,
    queueChange: null,
    botReplies: [],
    agent: null,
    replies: [],
    frtBhFactor: 1,
    lifecycle: [],
    csatSurveyAt: null,
    csat: [],
    npsSurveyAt: null,
    nps: [],
    ...t,
  };
}

let counter = 0;
/** Deterministic, valid UUIDv7-shaped ids (unique per process). */
export function nextEventId(): string {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return `01900000-0000-7000-8000-${hex}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Events of one ticket, in occurrence order: every event has its own millisecond and its own
 * ticket_seq (its step), so "latest" is unambiguous by either.
 */
export function ticketEvents(t: TicketSpec): SupportEvent[] {
  const out: SupportEvent[] = [];
  let queue = t.queue;
  let category: string | null = null;
  let agent: number | null = null;
  const at = (min: number, seq: number) => t.createdAt + min * MIN + seq; // seq keeps same-minute events distinct
  type Step = { min: number; emit: (when: number) => Record<string, unknown> };
  const steps: Step[] = [];
  if (t.opened)
    steps.push({
      min: 0,
      emit: () => ({
        type: 'ticket_opened',
        first_response_due_at: iso(t.createdAt + t.frDueMin * MIN),
        resolution_due_at: iso(t.createdAt + t.resDueMin * MIN),
        is_repeat_contact: false,
        ...(t.channel ? { channel: t.channel } : {}),
      }),
    });
  if (t.category) {
    const c = t.category;
    steps.push({ min: c.at, emit: () => ((category = c.value), { type: 'category_selected' }) });
  }
  if (t.queueChange) {
    const qc = t.queueChange;
    steps.push({
      min: qc.at,
      emit: () => {
        const from = queue;
        queue = qc.to;
        return {
          type: 'queue_changed',
          from_queue: from,
          to_queue: qc.to,
          reason: 'escalation',
          first_response_due_at: iso(t.createdAt + qc.frDueMin * MIN),
          resolution_due_at: iso(t.createdAt + qc.resDueMin * MIN),
        };
      },
    });
  }
  for (const m of t.botReplies) steps.push({ min: m, emit: () => ({ type: 'bot_reply', reply_kind: 'kb', kb_article_id: 'kb-1' }) });
  t.replies.forEach((m, i) =>
    steps.push({
      min: m,
      emit: (when) => {
        agent = t.agent;
        const first = i === 0;
        return {
          type: 'message_out',
          message_kind: 'text',
          is_first_response: first,
          first_response_seconds: first ? (when - t.createdAt) / 1000 : null,
          first_response_bh_seconds: first ? Math.round(((when - t.createdAt) / 1000) * t.frtBhFactor) : null,
        };
      },
    }),
  );
  // the desk moves a ticket to waiting_customer when an agent answers
  for (const m of t.replies) steps.push({ min: m + 0.01, emit: () => ({ type: 'status_changed', from_status: null, to_status: 'waiting_customer' }) });
  t.lifecycle.forEach((m, i) =>
    steps.push({
      min: m,
      emit: (when) =>
        i % 2 === 0
          ? {
              type: 'ticket_resolved',
              resolved_by: 'agent',
              resolution_seconds: (when - t.createdAt) / 1000,
              resolution_bh_seconds: (when - t.createdAt) / 1000,
              agent_replies: 0,
            }
          : { type: 'ticket_reopened', reason: 'customer' },
    }),
  );
  if (t.csatSurveyAt !== null) steps.push({ min: t.csatSurveyAt, emit: () => ({ type: 'survey_sent', survey: 'csat' }) });
  for (const r of t.csat) steps.push({ min: r.at, emit: () => ({ type: 'csat_rated', score: r.score }) });
  if (t.npsSurveyAt !== null) steps.push({ min: t.npsSurveyAt, emit: () => ({ type: 'survey_sent', survey: 'nps' }) });
  for (const r of t.nps) steps.push({ min: r.at, emit: () => ({ type: 'nps_rated', score: r.score }) });

  steps.sort((a, b) => a.min - b.min);
  steps.forEach((s, seq) => {
    const when = at(s.min, seq);
    const body = s.emit(when);
    out.push(
      assertEvent({
        event_id: nextEventId(),
        schema_version: 1,
        occurred_at: iso(when),
        emitted_at: iso(when),
        ticket_id: t.id,
        ticket_created_at: iso(t.createdAt),
        ticket_seq: seq,
        customer_id: t.customer,
        agent_id: agent,
        queue,
        category,
        language: t.language,
        ...body,
      }),
    );
  });
  return out;
}

/**
 * Sets ticket_opened.is_repeat_contact the way the desk does at creation: the
 * customer had another ticket resolved in the 7 days before. (The reference
 * computes the metric from the resolutions themselves, so tests check that the
 * flag and the definition agree.)
 */
export function flagRepeatContacts(events: SupportEvent[]): SupportEvent[] {
  const resolutions = events
    .filter((e) => e.type === 'ticket_resolved')
    .map((e) => ({ customer: e.customer_id, ticket: e.ticket_id, at: Date.parse(e.occurred_at) }));
  return events.map((e) => {
    if (e.type !== 'ticket_opened') return e;
    const created = Date.parse(e.ticket_created_at!);
    const repeat = resolutions.some((r) => r.customer === e.customer_id && r.ticket !== e.ticket_id && r.at >= created - 7 * 86_400_000 && r.at < created);
    return { ...e, is_repeat_contact: repeat };
  });
}

/** All events of a desk's tickets, as the desk would publish them. */
export function deskEvents(specs: readonly TicketSpec[]): SupportEvent[] {
  return flagRepeatContacts(specs.flatMap(ticketEvents));
}

/** A small deterministic PRNG (mulberry32) so seeded histories are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A realistic desk: `tickets` tickets created over `days` days before `end`,
 * busier on weekday afternoons, most answered and resolved, some still open and
 * overdue, ratings on most resolved tickets.
 */
export function seededDesk(o: { tickets: number; days: number; end: number; seed?: number; firstId?: number }): TicketSpec[] {
  const r = prng(o.seed ?? 42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const specs: TicketSpec[] = [];
  const start = o.end - o.days * 86_400_000;
  for (let i = 0; i < o.tickets; i++) {
    // rejection-sample a creation time that favours 9–18 h on weekdays
    let createdAt = start;
    for (;;) {
      createdAt = start + Math.floor(r() * (o.end - start - 3_600_000));
      const d = new Date(createdAt);
      const w = (d.getUTCHours() >= 9 && d.getUTCHours() < 18 ? 1 : 0.25) * (d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.4 : 1);
      if (r() < w) break;
    }
    const queue = r() < 0.6 ? 'L1' : r() < 0.6 ? 'L2' : r() < 0.5 ? 'VIP' : 'payments';
    const frDue = queue === 'VIP' ? 5 : queue === 'L2' ? 30 : queue === 'payments' ? 10 : 15;
    const ageMin = (o.end - createdAt) / MIN;
    const answered = r() < 0.95;
    const firstReply = Math.round(1 + r() ** 3 * (queue === 'L2' ? 120 : queue === 'VIP' ? 12 : 40));
    const nReplies = answered ? (r() < 0.55 ? 1 : 2 + Math.floor(r() * 3)) : 0;
    const replies = Array.from({ length: nReplies }, (_, k) => firstReply + k * Math.round(3 + r() * 40)).filter((m) => m < ageMin);
    const autoResolved = !answered && r() < 0.5;
    const resolvedAt = (replies.at(-1) ?? 2) + Math.round(5 + r() ** 3 * (queue === 'L2' ? 1600 : 420));
    const lifecycle: number[] = [];
    if ((answered || autoResolved) && resolvedAt < ageMin && r() < 0.97) {
      lifecycle.push(resolvedAt);
      if (r() < 0.08 && resolvedAt + 120 < ageMin) {
        lifecycle.push(resolvedAt + 60);
        if (r() < 0.8 && resolvedAt + 180 < ageMin) lifecycle.push(resolvedAt + 180);
      }
    }
    const resolved = lifecycle.length > 0;
    const last = lifecycle.at(-1) ?? 0;
    const surveyed = resolved && last + 5 < ageMin && r() < 0.85;
    const good = r() < 0.86;
    specs.push({
      id: (o.firstId ?? 1) + i,
      customer: 1000 + Math.floor(r() * o.tickets * 2.5),
      createdAt,
      queue,
      language: r() < 0.6 ? 'en' : pick(LANGUAGES),
      category: r() < 0.9 ? { at: 0.5, value: pick(CATEGORIES) } : null,
      opened: true,
      frDueMin: frDue,
      resDueMin: queue === 'L2' ? 1440 : 240,
      queueChange: r() < 0.07 ? { at: 1, to: queue === 'L1' ? 'L2' : 'VIP', frDueMin: frDue * 2, resDueMin: 1440 } : null,
      botReplies: [0.2],
      agent: answered ? 500 + Math.floor(r() * 6) : null,
      replies,
      frtBhFactor: r() < 0.7 ? 1 : 0.5,
      lifecycle,
      csatSurveyAt: surveyed ? last + 1 : null,
      csat: surveyed && r() < 0.6 ? [{ at: last + 2, score: good ? 4 + Math.round(r()) : 1 + Math.floor(r() * 3) }] : [],
      npsSurveyAt: surveyed && r() < 0.5 ? last + 3 : null,
      nps: surveyed && r() < 0.3 ? [{ at: last + 4, score: good ? 7 + Math.floor(r() * 4) : Math.floor(r() * 7) }] : [],
      // three in ten from the Mini App's new-request form (by id: the random stream stays what it was)
      ...(((o.firstId ?? 1) + i) % 10 < 3 ? { channel: 'app' as const } : {}),
    });
  }
  return specs;
}

/**
 * What the customers of a desk did in the Mini App besides its tickets, made up
 * from the tickets opened there: each opened the app, read an article and said
 * whether it helped (three in four yes) before sending; and for every two such
 * tickets another customer's request was solved by an article before it was
 * sent (a deflection). Events with no ticket, as bot/miniapp/api writes them.
 */
export function appActivity(specs: readonly TicketSpec[]): SupportEvent[] {
  const out: SupportEvent[] = [];
  const ev = (customer: number, at: number, body: Record<string, unknown>) =>
    out.push(
      assertEvent({
        event_id: nextEventId(),
        schema_version: 1,
        occurred_at: iso(at),
        emitted_at: iso(at),
        ticket_id: null,
        ticket_created_at: null,
        customer_id: customer,
        agent_id: null,
        queue: null,
        category: null,
        language: 'en',
        ...body,
      }),
    );
  const articles = ['refunds', 'payment-failed', 'delivery-status', 'password-reset'];
  specs
    .filter((t) => t.channel === 'app')
    .forEach((t, k) => {
      const article = articles[k % articles.length]!;
      ev(t.customer, t.createdAt - 3 * MIN, { type: 'app_opened', entry: k % 3 === 0 ? 'menu' : 'other' });
      ev(t.customer, t.createdAt - 2 * MIN, { type: 'kb_article_viewed', kb_article_id: article, channel: 'app' });
      ev(t.customer, t.createdAt - MIN, { type: 'kb_article_helpful', kb_article_id: article, helpful: k % 4 !== 0, channel: 'app' });
      if (k % 2 === 0) {
        const other = t.customer + 1_000_000;
        ev(other, t.createdAt - 5 * MIN, { type: 'app_opened', entry: 'menu' });
        ev(other, t.createdAt - 4 * MIN, { type: 'kb_outcome', kb_article_id: article, outcome: 'solved', channel: 'app' });
      }
    });
  return out;
}
