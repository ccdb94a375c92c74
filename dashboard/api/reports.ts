/**
 * GET /api/v1/reports/weekly (issue 15, item 6): the weekly report of analytics/reports/weekly.ts as JSON, or
 * as one CSV table (format=csv) — a row per reason, unanswered group, hard case, queue metric and incident.
 * The week is an ISO week (`week=2026-W14`) or the seven days from `from`, in `tz` (default UTC); neither:
 * the last complete week. Keyword clusters live in the desk's store, not here: the bot's post has them.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifySchema } from 'fastify';
import type { QueryRunner } from '../../analytics/query.js';
import { weeklyReport, type QueueTargets, type WeeklyReport } from '../../analytics/reports/weekly.js';
import { isoWeekOf, isoWeekRange, lastWeekRange } from '../../core/weeks.js';
import { sendCsv, wantsCsv } from './csv.js';
import { BadRequest, parseInstant, parseTimeZone } from './params.js';

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);

export const WeeklyReportQuery = Type.Object(
  {
    week: Type.Optional(Type.String({ maxLength: 8, description: 'ISO week, e.g. 2026-W14 (Monday 00:00 to Monday 00:00 in tz)', examples: ['2026-W14'] })),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'Start of a seven-day period (ISO 8601; instead of week)' })),
    tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of the week (default UTC)' })),
    format: Type.Optional(Type.Unsafe<'json' | 'csv'>({ type: 'string', enum: ['json', 'csv'], description: 'Response format; `Accept: text/csv` works too' })),
  },
  { additionalProperties: false },
);

const Reason = Type.Object(
  {
    key: Type.String({ description: "category key, KB article id or keyword cluster ('' = none)" }),
    count: Type.Integer({ description: 'tickets created this week' }),
    previous: Type.Integer({ description: 'tickets created the week before' }),
    change_pct: Nullable(Type.Number({ description: '(count − previous) ÷ previous × 100; null when previous is 0' })),
  },
  { additionalProperties: false },
);
const Count = Type.Object({ key: Type.String(), count: Type.Integer() }, { additionalProperties: false });
const HardCase = Type.Object(
  {
    ticket_id: Type.Integer(),
    queue: Type.String(),
    category: Type.String(),
    resolution_seconds: Nullable(Type.Number()),
    csat: Nullable(Type.Integer()),
    reopens: Type.Integer(),
  },
  { additionalProperties: false },
);
const Targeted = Type.Object(
  { value: Nullable(Type.Number()), target: Nullable(Type.Number()), met: Nullable(Type.Boolean()) },
  { additionalProperties: false },
);

export const WeeklyReportSchema = Type.Object(
  {
    week: Type.String({ description: 'ISO week of `from` in tz' }),
    tz: Type.String(),
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    tickets: Type.Integer(),
    previous_tickets: Type.Integer(),
    reasons: Type.Object(
      { categories: Type.Array(Reason), kb_articles: Type.Array(Reason, { description: 'by the first article suggested' }), clusters: Type.Array(Reason) },
      { additionalProperties: false },
    ),
    unanswered: Type.Object(
      { tickets: Type.Integer(), categories: Type.Array(Count), clusters: Type.Array(Count) },
      { additionalProperties: false, description: 'tickets whose first message got no KB suggestion: candidates for new articles' },
    ),
    hardest: Type.Object(
      { longest_resolution: Type.Array(HardCase), lowest_csat: Type.Array(HardCase), most_reopens: Type.Array(HardCase) },
      { additionalProperties: false },
    ),
    queues: Type.Array(
      Type.Object(
        {
          queue: Type.String(),
          tickets: Type.Integer(),
          csat_responses: Type.Integer(),
          metrics: Type.Object(
            { sla_first_response_met_rate: Targeted, sla_resolution_met_rate: Targeted, csat_avg: Targeted },
            { additionalProperties: false },
          ),
        },
        { additionalProperties: false },
      ),
    ),
    incidents: Type.Object(
      {
        summary: Type.Record(Type.String(), Nullable(Type.Number())),
        list: Type.Array(
          Type.Object({
            incident_id: Type.Integer(),
            category: Type.String(),
            opened_at: Type.String(),
            resolved_at: Nullable(Type.String()),
            suspected_at: Nullable(Type.String()),
            tickets: Type.Integer(),
          }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  {
    $id: 'WeeklyReport',
    additionalProperties: false,
    description: 'The weekly report: reasons, unanswered questions, hardest cases, queues vs target, incidents',
  },
);

export interface ReportRoutesOptions {
  route: (schema: FastifySchema & { querystring: unknown }, summary: string, csv: boolean) => { schema: FastifySchema };
  run: (endpoint: string) => QueryRunner;
  now: () => Date;
  targets?: QueueTargets;
}

/** The week asked for: an ISO week, seven days from `from`, or the last complete week; a 400 saying what is wrong. */
export function parseWeek(q: { week?: string | undefined; from?: string | undefined }, zone: string, now: Date): { from: Date; to: Date } {
  if (q.week !== undefined && q.from !== undefined) throw new BadRequest('give week or from, not both');
  if (q.week !== undefined) {
    const r = isoWeekRange(q.week, zone);
    if (!r) throw new BadRequest(`week must be an ISO week such as 2026-W14, got "${q.week}"`);
    return r;
  }
  if (q.from !== undefined) {
    const from = parseInstant('from', q.from);
    return { from, to: new Date(from.getTime() + 7 * 86_400_000) };
  }
  return lastWeekRange(now, zone);
}

/** The report as one table: section, key, what, value, previous, change_pct, target, met. */
export function reportRows(r: WeeklyReport): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const reasons = (section: string, xs: WeeklyReport['reasons']['categories']) => {
    for (const x of xs) rows.push({ section, key: x.key, what: 'tickets', value: x.count, previous: x.previous, change_pct: x.change_pct });
  };
  reasons('reason_category', r.reasons.categories);
  reasons('reason_kb_article', r.reasons.kb_articles);
  reasons('reason_cluster', r.reasons.clusters);
  for (const x of r.unanswered.categories) rows.push({ section: 'unanswered_category', key: x.key, what: 'tickets', value: x.count });
  for (const x of r.unanswered.clusters) rows.push({ section: 'unanswered_cluster', key: x.key, what: 'tickets', value: x.count });
  const cases = (section: string, what: 'resolution_seconds' | 'csat' | 'reopens', xs: WeeklyReport['hardest']['lowest_csat']) => {
    for (const c of xs) rows.push({ section, key: c.ticket_id, what, value: c[what] });
  };
  cases('longest_resolution', 'resolution_seconds', r.hardest.longest_resolution);
  cases('lowest_csat', 'csat', r.hardest.lowest_csat);
  cases('most_reopens', 'reopens', r.hardest.most_reopens);
  for (const q of r.queues)
    for (const [what, m] of Object.entries(q.metrics)) rows.push({ section: 'queue', key: q.queue, what, value: m.value, target: m.target, met: m.met });
  for (const i of r.incidents.list) rows.push({ section: 'incident', key: i.incident_id, what: i.category, value: i.tickets });
  return rows;
}

export const reportRoutes: FastifyPluginAsync<ReportRoutesOptions> = async (api, o) => {
  api.get<{ Querystring: Static<typeof WeeklyReportQuery> }>(
    '/reports/weekly',
    o.route(
      { querystring: WeeklyReportQuery, response: { 200: WeeklyReportSchema } },
      'The weekly report: top contact reasons with the change from the week before, what the KB could not answer, the hardest cases, SLA and CSAT per queue vs target, incidents',
      true,
    ),
    async (req, reply) => {
      const zone = parseTimeZone(req.query.tz);
      const range = parseWeek(req.query, zone, o.now());
      const report = await weeklyReport(o.run('reports-weekly'), { range, now: o.now(), ...(o.targets ? { targets: o.targets } : {}) });
      if (wantsCsv(req))
        return sendCsv(reply, `weekly-${isoWeekOf(range.from, zone)}`, reportRows(report), [
          'section',
          'key',
          'what',
          'value',
          'previous',
          'change_pct',
          'target',
          'met',
        ]);
      return { week: isoWeekOf(range.from, zone), tz: req.query.tz ?? zone, ...report };
    },
  );
};
