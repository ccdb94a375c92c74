/** Sortable metric tables (queues, agents) built from breakdown rows. */
import type { BreakdownRow } from './api.js';
import { DASH, duration, num, pct } from './format.js';

interface Column {
  key: string;
  label: string;
  fmt: (x: number | null) => string;
  /** cell colour against a target */
  tone?: (x: number | null) => '' | 'good' | 'warn' | 'bad';
}

const tone = (good: (x: number) => boolean, warn: (x: number) => boolean) => (x: number | null) =>
  x === null ? '' : good(x) ? 'good' : warn(x) ? 'warn' : 'bad';

export const METRIC_COLUMNS: Column[] = [
  { key: 'tickets_created', label: 'Tickets', fmt: (x) => num(x) },
  { key: 'tickets_resolved', label: 'Resolved', fmt: (x) => num(x) },
  { key: 'frt_p50_seconds', label: 'FRT P50', fmt: duration },
  { key: 'frt_p90_seconds', label: 'FRT P90', fmt: duration },
  { key: 'resolution_p50_seconds', label: 'Resolution P50', fmt: duration },
  {
    key: 'fcr_rate',
    label: 'FCR',
    fmt: (x) => pct(x),
    tone: tone(
      (x) => x >= 0.6,
      (x) => x >= 0.5,
    ),
  },
  {
    key: 'csat_avg',
    label: 'CSAT',
    fmt: (x) => num(x, 2),
    tone: tone(
      (x) => x >= 4.5,
      (x) => x >= 4,
    ),
  },
  { key: 'reopen_rate', label: 'Reopened', fmt: (x) => pct(x, 1) },
  {
    key: 'sla_first_response_met_rate',
    label: 'SLA 1st resp.',
    fmt: (x) => pct(x),
    tone: tone(
      (x) => x >= 0.9,
      (x) => x >= 0.8,
    ),
  },
  {
    key: 'sla_resolution_met_rate',
    label: 'SLA resol.',
    fmt: (x) => pct(x),
    tone: tone(
      (x) => x >= 0.9,
      (x) => x >= 0.8,
    ),
  },
];

export class MetricTable {
  private rows: BreakdownRow[] = [];
  private sortKey = 'tickets_created';
  private desc = true;

  constructor(
    private readonly el: HTMLElement,
    private readonly keyLabel: string,
    private readonly keyText: (k: string, row: BreakdownRow) => string,
  ) {}

  show(rows: BreakdownRow[]): void {
    this.rows = rows;
    this.el.dataset.points = String(rows.length);
    this.render();
  }

  message(text: string, error: boolean): void {
    this.el.dataset.state = error ? 'error' : 'empty';
    this.el.innerHTML = `<div class="state${error ? ' error' : ''}"></div>`;
    this.el.firstElementChild!.textContent = text;
  }

  private render(): void {
    if (this.rows.length === 0) {
      this.message('No tickets in this range', false);
      return;
    }
    this.el.dataset.state = 'data';
    const sorted = [...this.rows].sort((a, b) => {
      const x = a[this.sortKey] ?? -Infinity;
      const y = b[this.sortKey] ?? -Infinity;
      return (this.desc ? y - x : x - y) || a.key.localeCompare(b.key);
    });
    const maxTickets = Math.max(1, ...this.rows.map((r) => r.tickets_created ?? 0));
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const [key, label] of [['key', this.keyLabel], ...METRIC_COLUMNS.map((c) => [c.key, c.label])] as [string, string][]) {
      const th = document.createElement('th');
      th.textContent = label;
      if (key === this.sortKey) th.setAttribute('aria-sort', this.desc ? 'descending' : 'ascending');
      if (key !== 'key')
        th.addEventListener('click', () => {
          this.desc = this.sortKey === key ? !this.desc : true;
          this.sortKey = key;
          this.render();
        });
      head.append(th);
    }
    const body = table.createTBody();
    for (const r of sorted) {
      const tr = body.insertRow();
      const first = tr.insertCell();
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${Math.max(4, ((r.tickets_created ?? 0) / maxTickets) * 60)}px`;
      first.append(bar, document.createTextNode(this.keyText(r.key, r)));
      for (const c of METRIC_COLUMNS) {
        const td = tr.insertCell();
        const x = r[c.key] ?? null;
        td.textContent = x === null ? DASH : c.fmt(x);
        const t = c.tone?.(x);
        if (t) td.className = t;
      }
    }
    this.el.replaceChildren(table);
  }
}
