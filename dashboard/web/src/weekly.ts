/**
 * The "Weekly report" section: GET /api/v1/reports/weekly for the chosen ISO week (the week input; default the
 * last complete week) — top contact reasons by category and by KB article with
 * the change from the week before, what the KB could not answer, SLA and CSAT per queue against target, the
 * hardest cases and the week's incidents — and its CSV. Every text from the API goes in as text, never markup.
 */
import type { Static } from '@sinclair/typebox';
import type { WeeklyReportSchema } from '../../api/reports.js';
import { ApiError, downloadCsv, getJson } from './api.js';
import { DASH, duration, num, pct } from './format.js';
import { $, el } from './dom.js';

type Report = Static<typeof WeeklyReportSchema>;
type Reason = Report['reasons']['categories'][number];
type Case = Report['hardest']['lowest_csat'][number];
type Targeted = Report['queues'][number]['metrics']['csat_avg'];

function table(wrap: HTMLElement, heads: string[], rows: (string | HTMLElement)[][], empty: string): void {
  wrap.replaceChildren();
  if (rows.length === 0) return void wrap.append(el('p', empty, { class: 'state' }));
  const t = el('table');
  const head = el('tr');
  for (const h of heads) head.append(el('th', h));
  t.append(el('thead'), el('tbody'));
  t.tHead!.append(head);
  for (const r of rows) {
    const tr = el('tr');
    for (const c of r) {
      const td = el('td');
      if (typeof c === 'string') td.textContent = c;
      else td.append(c);
      tr.append(td);
    }
    t.tBodies[0]!.append(tr);
  }
  wrap.append(t);
}

/** "+100 %", "−50 %", "new". */
export function changeText(r: Pick<Reason, 'change_pct'>): string {
  if (r.change_pct === null) return 'new';
  return `${r.change_pct > 0 ? '+' : r.change_pct < 0 ? '−' : '±'}${num(Math.abs(r.change_pct), 1)} %`;
}

const reasonRows = (xs: Reason[]) => xs.map((r) => [r.key || '(none)', num(r.count), num(r.previous), changeText(r)]);

function targeted(m: Targeted, format: (v: number | null) => string): HTMLElement {
  const span = el('span', `${format(m.value)} / ${format(m.target)}`);
  if (m.met !== null) span.className = m.met ? 'met' : 'missed';
  span.title = m.met === null ? 'no data' : m.met ? 'target met' : 'target missed';
  return span;
}

/** The chosen week: the week input's (the page's address belongs to the filters, state.ts); none: the last complete week. */
let chosen: string | undefined;

async function refresh(): Promise<void> {
  const section = $('weekly');
  section.classList.add('loading');
  const hint = $('weekly-hint');
  try {
    const r = await getJson<Report>('reports/weekly', { week: chosen });
    ($('weekly-week') as HTMLInputElement).value = r.week;
    hint.textContent = `${r.week}: ${new Date(r.from).toLocaleDateString('en-GB')} – ${new Date(new Date(r.to).getTime() - 1).toLocaleDateString('en-GB')} (${r.tz}) · ${num(r.tickets)} tickets, the week before ${num(r.previous_tickets)}`;
    const heads = ['Reason', 'Tickets', 'Week before', 'Change'];
    table($('table-weekly-categories'), heads, reasonRows(r.reasons.categories), 'No tickets this week');
    table($('table-weekly-articles'), ['KB article', ...heads.slice(1)], reasonRows(r.reasons.kb_articles), 'No KB suggestions this week');
    table(
      $('table-weekly-unanswered'),
      ['Category', 'Tickets'],
      r.unanswered.categories.map((c) => [c.key || '(none)', num(c.count)]),
      'The KB had a suggestion for every ticket',
    );
    table(
      $('table-weekly-queues'),
      ['Queue', 'Tickets', 'SLA response / target', 'SLA resolution / target', 'CSAT / target'],
      r.queues.map((q) => [
        q.queue || '(none)',
        num(q.tickets),
        targeted(q.metrics.sla_first_response_met_rate, (v) => pct(v)),
        targeted(q.metrics.sla_resolution_met_rate, (v) => pct(v)),
        targeted(q.metrics.csat_avg, (v) => (v === null ? DASH : num(v, 2))),
      ]),
      'No tickets this week',
    );
    const cases = (label: string, xs: Case[], value: (c: Case) => string) =>
      xs.map((c) => [label, `#${c.ticket_id}`, c.queue, c.category || '(none)', value(c)]);
    table(
      $('table-weekly-hardest'),
      ['Why', 'Ticket', 'Queue', 'Category', 'Value'],
      [
        ...cases('Longest resolution', r.hardest.longest_resolution, (c) => duration(c.resolution_seconds)),
        ...cases('Lowest CSAT', r.hardest.lowest_csat, (c) => `${c.csat ?? DASH} ★`),
        ...cases('Most reopens', r.hardest.most_reopens, (c) => `× ${c.reopens}`),
      ],
      'No hard cases this week',
    );
    table(
      $('table-weekly-incidents'),
      ['Incident', 'Category', 'Opened', 'Resolved', 'Tickets'],
      r.incidents.list.map((i) => [
        `#${i.incident_id}`,
        i.category || '(none)',
        new Date(i.opened_at).toLocaleString('en-GB'),
        i.resolved_at ? new Date(i.resolved_at).toLocaleString('en-GB') : 'open',
        num(i.tickets),
      ]),
      'No incidents this week',
    );
    section.dataset.state = 'data';
  } catch (e) {
    section.dataset.state = 'error';
    hint.textContent = e instanceof ApiError ? e.message : 'failed to load the weekly report';
  } finally {
    section.classList.remove('loading');
  }
}

$('weekly-week').addEventListener('change', (e) => {
  const v = (e.target as HTMLInputElement).value;
  if (!v || v === chosen) return;
  chosen = v;
  void refresh();
});
$('weekly-csv').addEventListener('click', () => {
  const w = ($('weekly-week') as HTMLInputElement).value || undefined;
  void downloadCsv('reports/weekly', { week: w }, `weekly-${w ?? 'last'}.csv`);
});
void refresh();
