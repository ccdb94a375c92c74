/**
 * The weekly report (issue 15, item 6): for a week [from, to) — what customers wrote about and how that changed
 * from the week before, what the knowledge base could not answer, the hardest cases, SLA and CSAT per queue
 * against their targets, and the week's incidents. The dashboard (GET /api/v1/reports/weekly) and the bot's
 * Monday post in the team leads' chat both call `weeklyReport`.
 *
 * Every number is a registry metric (tickets created, SLA met rates, CSAT) computed by the cohort statements
 * of analytics/query.ts, or a ticket's own state (`TICKET`): nothing here restates a metric's formula, and
 * only ticket_facts and incident_facts are read (the KB suggestions and reopens: ClickHouse 065, 066).
 * What ClickHouse cannot know comes in as input: the keyword clusters of first messages live only in the
 * desk's store (bot/incidents), and the targets per queue are the desk's configuration.
 */
import { incidentSummary, incidentTimeline, type IncidentSpan, type IncidentValues } from '../incidents.js';
import { csatAvg, csatResponses } from '../metrics/quality.js';
import { slaFirstResponseMetRate, slaResolutionMetRate } from '../metrics/sla.js';
import { ticketsCreated } from '../metrics/volume.js';
import { breakdown, cohortParams, type QueryRunner, type Range } from '../query.js';
import { createRegistry } from '../registry.js';
import { DIMENSION_SQL, TICKET, ticketsFrom } from '../ticket-facts.js';

/** Tickets created per reason (a category, a KB article): the registry's count. */
const VOLUME = createRegistry([ticketsCreated]);
/** Per queue: volume, SLA met rates and CSAT. */
const QUEUE_METRICS = createRegistry([ticketsCreated, slaFirstResponseMetRate, slaResolutionMetRate, csatAvg, csatResponses]);
export type QueueMetricKey = 'sla_first_response_met_rate' | 'sla_resolution_met_rate' | 'csat_avg';
const TARGETED: readonly QueueMetricKey[] = ['sla_first_response_met_rate', 'sla_resolution_met_rate', 'csat_avg'];

export const HARDEST_CASES = 5;
export const TOP_REASONS = 5;

export interface ReasonCount {
  key: string;
  /** tickets this week */
  count: number;
}

export interface ReasonRow extends ReasonCount {
  /** tickets the week before */
  previous: number;
  /** (count − previous) ÷ previous × 100, one decimal; null when the week before had none */
  change_pct: number | null;
}

export interface HardCase {
  ticket_id: number;
  queue: string;
  category: string;
  /** first resolution − creation; null while unresolved */
  resolution_seconds: number | null;
  /** the latest rating, 1–5; null when not rated */
  csat: number | null;
  reopens: number;
}

export interface QueueTargets {
  /** per metric, the desk-wide target (default: the definition's own threshold) */
  default?: Partial<Record<QueueMetricKey, number>>;
  /** per queue and metric, a queue's own target */
  queues?: Record<string, Partial<Record<QueueMetricKey, number>>>;
}

export interface QueueLine {
  queue: string;
  tickets: number;
  csat_responses: number;
  metrics: Record<QueueMetricKey, { value: number | null; target: number | null; met: boolean | null }>;
}

export interface WeeklyReportInput {
  range: Range;
  /** The clock SLA outcomes are judged by (a deadline not yet past counts in neither). */
  now: Date;
  /**
   * The keyword clusters of the tickets' first messages, from the desk's store (bot/incidents, `kw:` keys):
   * this week's and the week before's counts; `unanswered`: this week's tickets whose first message got no
   * KB suggestion, per cluster. Absent: the report has no cluster rows.
   */
  clusters?: { current: readonly ReasonCount[]; previous: readonly ReasonCount[]; unanswered?: readonly ReasonCount[] };
  targets?: QueueTargets;
  top?: number;
}

export interface WeeklyReport {
  from: string;
  to: string;
  tickets: number;
  previous_tickets: number;
  reasons: { categories: ReasonRow[]; kb_articles: ReasonRow[]; clusters: ReasonRow[] };
  /** Candidates for new articles: tickets whose first message got no KB suggestion. */
  unanswered: { tickets: number; categories: ReasonCount[]; clusters: ReasonCount[] };
  hardest: { longest_resolution: HardCase[]; lowest_csat: HardCase[]; most_reopens: HardCase[] };
  queues: QueueLine[];
  incidents: { summary: IncidentValues; list: IncidentSpan[] };
}

/** The week before. */
export function previousWeek(r: Range): Range {
  const len = r.to.getTime() - r.from.getTime();
  return { from: new Date(r.from.getTime() - len), to: r.from };
}

/** Change in percent, one decimal; null without a base. */
export function changePct(count: number, previous: number): number | null {
  return previous === 0 ? null : Math.round(((count - previous) / previous) * 1000) / 10;
}

/** Rows of this week joined with the week before: busiest first (then key), the top `n`. */
export function compareReasons(current: readonly ReasonCount[], previous: readonly ReasonCount[], n: number): ReasonRow[] {
  const before = new Map(previous.map((p) => [p.key, p.count]));
  return current
    .filter((c) => c.count > 0)
    .map((c) => ({ key: c.key, count: c.count, previous: before.get(c.key) ?? 0, change_pct: changePct(c.count, before.get(c.key) ?? 0) }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
    .slice(0, n);
}

async function byCategory(run: QueryRunner, range: Range, now: Date): Promise<ReasonCount[]> {
  const rows = await breakdown(run, 'category', range, {}, now, VOLUME);
  return rows.map((r) => ({ key: r.key, count: r.tickets_created }));
}

/** Tickets created per first-suggested KB article. */
async function byArticle(run: QueryRunner, range: Range, now: Date): Promise<ReasonCount[]> {
  const sql = `SELECT ${TICKET.kbArticle} AS key, ${VOLUME.selectList()} ${ticketsFrom({}, [TICKET.kbSuggested])} GROUP BY key`;
  const rows = await run(sql, cohortParams(range, {}, now));
  return rows.map((r) => ({ key: String(r.key), count: VOLUME.valuesFrom(r).tickets_created }));
}

/** Tickets created per category that got no KB suggestion at all. */
async function unansweredByCategory(run: QueryRunner, range: Range, now: Date): Promise<ReasonCount[]> {
  const sql = `SELECT ${DIMENSION_SQL.category.key} AS key, ${VOLUME.selectList()}
    ${ticketsFrom({}, [`NOT ${TICKET.kbSuggested}`])}
    GROUP BY ${DIMENSION_SQL.category.group}`;
  const rows = await run(sql, cohortParams(range, {}, now));
  return rows.map((r) => ({ key: String(r.key), count: VOLUME.valuesFrom(r).tickets_created })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** The hardest cases of the week's tickets: one ordering per list, ties by ticket id. */
async function hardest(run: QueryRunner, range: Range, now: Date, n: number): Promise<WeeklyReport['hardest']> {
  const list = async (where: string, order: string): Promise<HardCase[]> => {
    const sql = `SELECT ticket_id,
        ${TICKET.queue} AS queue,
        ${TICKET.category} AS category,
        ${TICKET.resolved} AS is_resolved,
        ${TICKET.resolution} AS resolution_seconds,
        ${TICKET.csat} AS csat,
        ${TICKET.reopens} AS reopens
      ${ticketsFrom({}, [where])}
      ORDER BY ${order}, ticket_id
      LIMIT {n:UInt32}`;
    const rows = await run(sql, { ...cohortParams(range, {}, now), n });
    return rows.map((r) => ({
      ticket_id: Number(r.ticket_id),
      queue: String(r.queue),
      category: String(r.category),
      resolution_seconds: Number(r.is_resolved) ? Number(r.resolution_seconds) : null,
      csat: Number(r.csat) > 0 ? Number(r.csat) : null,
      reopens: Number(r.reopens),
    }));
  };
  return {
    longest_resolution: await list(TICKET.resolved, 'resolution_seconds DESC'),
    lowest_csat: await list(`${TICKET.csat} > 0`, 'csat ASC'),
    most_reopens: await list(`${TICKET.reopens} > 0`, 'reopens DESC'),
  };
}

/** A metric's target: the queue's own, else the desk-wide one, else the definition's threshold. */
function targetOf(key: QueueMetricKey, queue: string, t: QueueTargets | undefined): number | null {
  const own = t?.queues?.[queue]?.[key] ?? t?.default?.[key];
  if (own !== undefined) return own;
  const def = QUEUE_METRICS.get(key).target;
  return def && def.kind === 'at_least' ? def.value : null;
}

async function perQueue(run: QueryRunner, range: Range, now: Date, targets: QueueTargets | undefined): Promise<QueueLine[]> {
  const rows = await breakdown(run, 'queue', range, {}, now, QUEUE_METRICS);
  return rows.map((r) => {
    const metrics = {} as QueueLine['metrics'];
    for (const k of TARGETED) {
      const value = r[k];
      const target = targetOf(k, r.key, targets);
      metrics[k] = { value, target, met: value === null || target === null ? null : value >= target };
    }
    return { queue: r.key, tickets: r.tickets_created, csat_responses: r.csat_responses, metrics };
  });
}

export async function weeklyReport(run: QueryRunner, input: WeeklyReportInput): Promise<WeeklyReport> {
  const { range, now } = input;
  const top = input.top ?? TOP_REASONS;
  const before = previousWeek(range);
  const [cats, catsBefore, arts, artsBefore, unanswered, hard, queues, summary, list] = await Promise.all([
    byCategory(run, range, now),
    byCategory(run, before, now),
    byArticle(run, range, now),
    byArticle(run, before, now),
    unansweredByCategory(run, range, now),
    hardest(run, range, now, HARDEST_CASES),
    perQueue(run, range, now, input.targets),
    incidentSummary(run, range),
    incidentTimeline(run, range),
  ]);
  const total = (xs: readonly ReasonCount[]) => xs.reduce((s, x) => s + x.count, 0);
  const clusters = input.clusters;
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    tickets: total(cats),
    previous_tickets: total(catsBefore),
    reasons: {
      categories: compareReasons(cats, catsBefore, top),
      kb_articles: compareReasons(arts, artsBefore, top),
      clusters: clusters ? compareReasons(clusters.current, clusters.previous, top) : [],
    },
    unanswered: {
      tickets: total(unanswered),
      categories: unanswered,
      clusters: [...(clusters?.unanswered ?? [])].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).slice(0, top),
    },
    hardest: hard,
    queues,
    incidents: { summary, list },
  };
}
