/**
 * The weekly report's text for the team leads' chat (issue 15, item 6; posted by bot/features/weekly-report on
 * WEEKLY_REPORT_DAY/TIME and on /report): analytics/reports/weekly.ts's report — the dashboard's numbers — with the
 * keyword clusters of first messages from the desk's store (incident_ticket_keys' `kw:` keys: first messages the
 * KB had no article for), rendered short in the staff language: top 5 reasons with their change, what the KB
 * could not answer, SLA and CSAT per queue against target, the week's incidents, and the hardest cases linked
 * to their topics. Every name from data is escaped. Here because the alerts are the bot's door to analytics/.
 */
import { DateTime } from 'luxon';
import type { QueryRunner, Range } from '../../analytics/query.js';
import { weeklyReport, type HardCase, type ReasonCount, type ReasonRow, type WeeklyReport } from '../../analytics/reports/weekly.js';
import { isoWeekOf } from '../../core/weeks.js';
import { loadMonitoringConfig } from '../../sla/exporter/config.js';
import type { Desk } from '../context.js';
import { keyLabel } from '../incidents/cluster.js';
import { escapeHtml, formatElapsed, topicLink, type Translate } from '../telegram/present.js';

const SHOWN = 5;
const SHOWN_MINOR = 3;

/** This week's and the week before's keyword clusters of first messages (no KB article matched them). */
async function clusters(desk: Desk, range: Range): Promise<{ current: ReasonCount[]; previous: ReasonCount[]; unanswered: ReasonCount[] }> {
  const len = range.to.getTime() - range.from.getTime();
  const count = async (from: Date, to: Date) =>
    (
      await desk.db.query<{ key: string; n: number }>(
        `SELECT key, count(*)::int AS n FROM incident_ticket_keys WHERE key LIKE 'kw:%' AND opened_at >= $1 AND opened_at < $2 GROUP BY key`,
        [from, to],
      )
    ).rows.map((r) => ({ key: r.key, count: Number(r.n) }));
  const current = await count(range.from, range.to);
  const previous = await count(new Date(range.from.getTime() - len), range.from);
  return { current, previous, unanswered: current };
}

/** Topic threads of the cases' tickets, for their links. */
async function threads(desk: Desk, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const r = await desk.db.query<{ id: number; thread_id: number | null }>(
    'SELECT t.id, c.thread_id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ANY($1::bigint[])',
    [ids],
  );
  return new Map(r.rows.filter((x) => x.thread_id !== null).map((x) => [Number(x.id), Number(x.thread_id)]));
}

/** The report with the desk's clusters; the CSAT target is the one the monitoring alerts on (SLA_CSAT_TARGET). */
export async function buildWeeklyReport(desk: Desk, run: QueryRunner, range: Range, now: Date): Promise<WeeklyReport> {
  const targets = { default: { csat_avg: Number(loadMonitoringConfig().SLA_CSAT_TARGET) } };
  return weeklyReport(run, { range, now, targets, clusters: await clusters(desk, range) });
}

const pct = (v: number | null, digits = 0) => (v === null ? '—' : `${(100 * v).toFixed(digits)}%`);

function change(t: Translate, r: ReasonRow): string {
  if (r.change_pct === null) return t('weekly-new');
  return t('weekly-change', { sign: r.change_pct > 0 ? '▲ +' : r.change_pct < 0 ? '▼ ' : '± ', pct: String(r.change_pct), previous: r.previous });
}

/** The report as one HTML message in the staff language: every name from data escaped. */
export async function renderWeeklyReport(desk: Desk, report: WeeklyReport, zone: string): Promise<string> {
  const t = desk.agentText;
  const category = (k: string) => (k === '' ? t('weekly-no-category') : escapeHtml(desk.config.categories.find((c) => c.key === k)?.label ?? k));
  const cluster = (k: string) => escapeHtml(keyLabel(k, () => undefined));
  const from = DateTime.fromISO(report.from, { zone });
  const to = DateTime.fromISO(report.to, { zone }).minus({ days: 1 });
  const out: string[] = [
    t('weekly-header', { week: isoWeekOf(new Date(report.from), zone), from: from.toFormat('dd.MM'), to: to.toFormat('dd.MM.yyyy') }),
    t('weekly-tickets', {
      tickets: report.tickets,
      previous: report.previous_tickets,
    }),
    '',
    t('weekly-reasons'),
  ];
  if (report.reasons.categories.length === 0) out.push(t('weekly-none'));
  for (const r of report.reasons.categories.slice(0, SHOWN)) out.push(`• ${category(r.key)} — ${r.count} ${change(t, r)}`);
  const minor = (title: string, rows: ReasonRow[], label: (k: string) => string) => {
    if (rows.length)
      out.push(
        `${title} ${rows
          .slice(0, SHOWN_MINOR)
          .map((r) => `${label(r.key)} ${r.count} ${change(t, r)}`)
          .join(' · ')}`,
      );
  };
  minor(t('weekly-articles'), report.reasons.kb_articles, escapeHtml);
  minor(t('weekly-clusters'), report.reasons.clusters, cluster);

  out.push('', t('weekly-unanswered', { tickets: report.unanswered.tickets }));
  if (report.unanswered.clusters.length)
    out.push(
      report.unanswered.clusters
        .slice(0, SHOWN_MINOR)
        .map((c) => `${cluster(c.key)} ${c.count}`)
        .join(' · '),
    );

  out.push('', t('weekly-queues'));
  if (report.queues.length === 0) out.push(t('weekly-none'));
  for (const q of report.queues) {
    const mark = (met: boolean | null) => (met === null ? '' : met ? ' ✅' : ' ⚠️');
    const m = q.metrics;
    out.push(
      `• <b>${escapeHtml(q.queue || '—')}</b> ${t('weekly-queue', {
        tickets: q.tickets,
        response: `${pct(m.sla_first_response_met_rate.value)} / ${pct(m.sla_first_response_met_rate.target)}${mark(m.sla_first_response_met_rate.met)}`,
        resolution: `${pct(m.sla_resolution_met_rate.value)} / ${pct(m.sla_resolution_met_rate.target)}${mark(m.sla_resolution_met_rate.met)}`,
        csat: `${m.csat_avg.value === null ? '—' : m.csat_avg.value.toFixed(2)} / ${m.csat_avg.target ?? '—'}${mark(m.csat_avg.met)}`,
      })}`,
    );
  }

  out.push('', t('weekly-incidents', { count: report.incidents.list.length }));
  for (const i of report.incidents.list)
    out.push(`• #${i.incident_id} ${category(i.category)} — ${t(i.resolved_at ? 'weekly-incident-resolved' : 'weekly-incident-open', { tickets: i.tickets })}`);

  const cases = [...report.hardest.longest_resolution, ...report.hardest.lowest_csat, ...report.hardest.most_reopens];
  const links = await threads(desk, [...new Set(cases.map((c) => c.ticket_id))]);
  const ref = (c: HardCase) => {
    const thread = links.get(c.ticket_id);
    return thread !== undefined ? `<a href="${topicLink(desk.config.supportChatId, thread)}">#${c.ticket_id}</a>` : `#${c.ticket_id}`;
  };
  out.push('', t('weekly-hardest'));
  const list = (title: string, xs: HardCase[], value: (c: HardCase) => string) => {
    if (xs.length) out.push(`${title} ${xs.map((c) => `${ref(c)} (${value(c)})`).join(', ')}`);
  };
  list(t('weekly-longest'), report.hardest.longest_resolution, (c) => formatElapsed(c.resolution_seconds ?? 0, t));
  list(t('weekly-lowest-csat'), report.hardest.lowest_csat, (c) => `${c.csat ?? '—'}★`);
  list(t('weekly-most-reopens'), report.hardest.most_reopens, (c) => `×${c.reopens}`);
  if (cases.length === 0) out.push(t('weekly-none'));
  return out.join('\n');
}

/** What bot/features/weekly-report posts: the report of a week as HTML (`useWeeklyReport(weeklyReportText(run))`). */
export function weeklyReportText(run: QueryRunner): (desk: Desk, range: Range, now: Date, zone: string) => Promise<string> {
  return async (desk, range, now, zone) => renderWeeklyReport(desk, await buildWeeklyReport(desk, run, range, now), zone);
}
