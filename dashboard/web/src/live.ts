/** The live panel: open tickets per queue, at risk and breached now, the oldest waiting ticket, the breaching list, the next up. */
import type { Live } from './api.js';
import { duration, num } from './format.js';
import { palette } from './theme.js';

const STATUS_ORDER = ['new', 'waiting_agent', 'in_progress', 'waiting_customer', 'unknown'];
const STATUS_LABEL: Record<string, string> = {
  new: 'new',
  waiting_agent: 'waiting for agent',
  in_progress: 'in progress',
  waiting_customer: 'waiting for customer',
  unknown: 'unknown',
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls = '', text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}

/** `queueName` gives a queue key its configured label. */
export function renderLive(container: HTMLElement, live: Live, queueName: (key: string) => string): void {
  const p = palette();
  const colors: Record<string, string> = { new: p.bad, waiting_agent: p.warn, in_progress: p.series[0]!, waiting_customer: p.muted, unknown: p.border };
  container.dataset.points = String(live.by_queue.length);
  container.dataset.state = 'data';

  const stats = el('div', 'live-stats');
  const stat = (n: string, label: string, cls = '') => {
    const s = el('div', `live-stat ${cls}`);
    s.append(el('div', 'n', n), el('div', 'l', label));
    stats.append(s);
  };
  stat(num(live.open_tickets), 'open tickets');
  stat(num(live.waiting_first_response), 'waiting for an agent');
  stat(num(live.at_risk), 'at risk (≤ 5 min)', live.at_risk ? 'warn' : '');
  stat(num(live.breached), 'breached SLA', live.breached ? 'bad' : '');

  const bars = el('div', 'queue-bars');
  const queues = [...new Set(live.by_queue.map((r) => r.queue))];
  const max = Math.max(1, ...queues.map((q) => live.by_queue.filter((r) => r.queue === q).reduce((a, r) => a + r.open, 0)));
  for (const q of queues) {
    const rows = live.by_queue.filter((r) => r.queue === q).sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
    const total = rows.reduce((a, r) => a + r.open, 0);
    const row = el('div', 'row');
    const track = el('div', 'track');
    track.style.width = `${(total / max) * 100}%`;
    for (const r of rows) {
      const seg = el('span');
      seg.style.flex = String(r.open);
      seg.style.background = colors[r.status] ?? p.border;
      seg.title = `${queueName(q)}: ${r.open} ${STATUS_LABEL[r.status] ?? r.status}`;
      track.append(seg);
    }
    row.append(el('span', '', queueName(q)), track, el('span', '', String(total)));
    bars.append(row);
  }

  const oldest = el('p', 'hint');
  oldest.textContent = live.oldest_waiting
    ? `Oldest without a first answer: #${live.oldest_waiting.ticket_id} (${queueName(live.oldest_waiting.queue)}) for ${duration(live.oldest_waiting.waiting_seconds)}`
    : 'Every open ticket has had a first answer.';

  const list = el('ul', 'live-list');
  for (const t of live.tickets.slice(0, 30)) {
    const li = el('li');
    const left = el('span', '', `#${t.ticket_id} · ${queueName(t.queue)} · ${t.sla === 'first_response' ? 'first response' : 'resolution'}`);
    const right = el('span', `pill ${t.state}`, t.state === 'breached' ? `${duration(t.overdue_seconds)} over` : `due in ${duration(-t.overdue_seconds)}`);
    li.append(left, right);
    list.append(li);
  }
  if (!live.tickets.length) list.append(el('li', '', 'No ticket at risk or breaching. 🎉'));

  // The order to work in (sla/priority.ts, as /sla shows it): urgent › VIP › running deadline › category.
  const next = el('ol', 'live-list next-up');
  next.setAttribute('aria-label', 'Next up');
  for (const t of live.next_up) {
    const li = el('li');
    const left = el('span', '', `${t.urgent ? '🚨 ' : ''}#${t.ticket_id} · ${queueName(t.queue)}`);
    const right = el(
      'span',
      `pill ${t.overdue_seconds > 0 ? 'breached' : ''}`,
      t.overdue_seconds > 0 ? `${duration(t.overdue_seconds)} over` : `due in ${duration(-t.overdue_seconds)}`,
    );
    li.append(left, right);
    next.append(li);
  }
  const nextTitle = el('p', 'hint', live.next_up.length ? 'Next up (urgent › VIP › deadline › category):' : 'Nothing waiting.');
  container.replaceChildren(stats, bars, oldest, list, nextTitle, next);
}
