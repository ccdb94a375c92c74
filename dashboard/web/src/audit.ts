/**
 * The "Audit trail" section: GET /api/v1/audit (dashboard/api/audit.ts) — the staff's actions newest first, filtered
 * by day range (local calendar days, `to` inclusive), staff id, action and ticket; "Older" follows the API's cursor,
 * "Newest" goes back to the first page; CSV downloads the same filters. Staff show by name (with their id),
 * customers only as the pseudonym the API gives. Every text from the API goes in as text, never markup.
 */
import type { Static } from '@sinclair/typebox';
import type { AuditSchema } from '../../api/audit.js';
import { ApiError, downloadCsv, getJson } from './api.js';
import { $, el } from './dom.js';

type Audit = Static<typeof AuditSchema>;
type Filters = Record<'from' | 'to' | 'actor' | 'action' | 'ticket', string | undefined>;

const input = (id: string) => $(id) as HTMLInputElement;
const PAGE = 50;

/** A local calendar day as the instant it starts; `next`: the day after (for an inclusive `to`). */
function dayStart(v: string, next = false): string | undefined {
  if (!v) return undefined;
  const [y, m, d] = v.split('-').map(Number);
  return new Date(y!, m! - 1, d! + (next ? 1 : 0)).toISOString();
}

function filters(): Filters {
  return {
    from: dayStart(input('audit-from').value),
    to: dayStart(input('audit-to').value, true),
    actor: input('audit-actor').value.trim() || undefined,
    action: ($('audit-action') as HTMLSelectElement).value || undefined,
    ticket: input('audit-ticket').value.trim() || undefined,
  };
}

function render(a: Audit): void {
  const wrap = $('table-audit');
  wrap.replaceChildren();
  if (a.rows.length === 0) return void wrap.append(el('p', 'No staff actions match', { class: 'state' }));
  const t = el('table');
  const head = el('tr');
  for (const h of ['Time', 'Staff', 'Action', 'Ticket', 'Customer']) head.append(el('th', h));
  t.append(el('thead'), el('tbody'));
  t.tHead!.append(head);
  for (const r of a.rows) {
    const tr = el('tr');
    tr.append(
      el('td', new Date(r.at).toLocaleString('en-GB')),
      el('td', r.actor ? `${r.actor} (${r.actor_id})` : String(r.actor_id)),
      el('td', r.action),
      el('td', r.ticket_id === null ? '—' : `#${r.ticket_id}`),
      el('td', r.customer ?? '—'),
    );
    t.tBodies[0]!.append(tr);
  }
  wrap.append(t);
}

/** The action filter's choices: those recorded in the range, keeping the chosen one. */
function actionChoices(actions: string[]): void {
  const select = $('audit-action') as HTMLSelectElement;
  const chosen = select.value;
  const all = [...new Set([...actions, ...(chosen ? [chosen] : [])])].sort();
  select.replaceChildren(el('option', 'any', { value: '' }), ...all.map((a) => el('option', a, { value: a })));
  select.value = chosen;
}

let applied: Filters = filters();
let cursor: string | undefined;

async function refresh(): Promise<void> {
  const section = $('audit');
  section.classList.add('loading');
  try {
    const a = await getJson<Audit>('audit', { ...applied, limit: String(PAGE), cursor });
    render(a);
    actionChoices(a.actions);
    $('audit-hint').textContent =
      `${new Date(a.from).toLocaleDateString('en-GB')} – ${new Date(new Date(a.to).getTime() - 1).toLocaleDateString('en-GB')} · ${a.rows.length} shown${cursor ? ' (older page)' : ''}`;
    const older = $('audit-older') as HTMLButtonElement;
    older.hidden = a.next_cursor === null;
    older.dataset.cursor = a.next_cursor ?? '';
    ($('audit-newest') as HTMLButtonElement).hidden = cursor === undefined;
    section.dataset.state = 'data';
  } catch (e) {
    section.dataset.state = 'error';
    const wrap = $('table-audit');
    wrap.replaceChildren(el('p', e instanceof ApiError ? e.message : 'failed to load the audit trail', { class: 'state error' }));
  } finally {
    section.classList.remove('loading');
  }
}

$('audit-filters').addEventListener('submit', (e) => {
  e.preventDefault();
  applied = filters();
  cursor = undefined;
  void refresh();
});
$('audit-older').addEventListener('click', (e) => {
  cursor = (e.currentTarget as HTMLButtonElement).dataset.cursor || undefined;
  void refresh();
});
$('audit-newest').addEventListener('click', () => {
  cursor = undefined;
  void refresh();
});
$('audit-csv').addEventListener('click', () => {
  void downloadCsv('audit', applied, 'audit.csv');
});
void refresh();
