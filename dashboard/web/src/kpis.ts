/**
 * KPI tiles: each shows one metric with its title, direction and target from the
 * metric definitions (metrics.generated.ts, generated from analytics/), and a line
 * of related metrics.
 */
import type { Metrics } from './api.js';
import { DASH, duration, num, pct, signed } from './format.js';
import { METRIC_INFO, type MetricInfo, type MetricKey } from './metrics.generated.js';

type Status = 'good' | 'warn' | 'bad' | 'neutral';

interface Tile {
  id: string;
  /** The metric the tile shows and judges. */
  metric: MetricKey;
  value: (m: Metrics) => string;
  unit?: (m: Metrics) => string;
  sub: (m: Metrics) => string;
}

const v = (m: Metrics, k: MetricKey) => m[k] ?? null;

/** On target at/beyond `good` (in the metric's better direction), near it up to `warn`. */
export function status(info: MetricInfo, x: number | null): Status {
  const t = info.target;
  if (!t || x === null) return 'neutral';
  const beyond = (a: number, b: number) => (info.better === 'lower' ? a <= b : a >= b);
  return beyond(x, t.good) ? 'good' : beyond(x, t.warn) ? 'warn' : 'bad';
}

/** "≤ 15 m", "≥ 4.5", "60–75 %", "≤ 15 %". */
export function targetText(info: MetricInfo): string {
  const t = info.target;
  if (!t) return '';
  const show = (x: number) => (info.unit === 'seconds' ? duration(x) : info.unit === 'ratio' ? pct(x) : String(x));
  if (t.upTo !== undefined) return info.unit === 'ratio' ? `${Math.round(t.good * 100)}–${pct(t.upTo)}` : `${t.good}–${t.upTo}`;
  return `${info.better === 'lower' ? '≤' : '≥'} ${show(t.good)}`;
}

export const TILES: Tile[] = [
  {
    id: 'tickets',
    metric: 'tickets_created',
    value: (m) => num(v(m, 'tickets_created')),
    sub: (m) => `${num(v(m, 'tickets_resolved'))} resolved · ${pct(v(m, 'auto_resolution_rate'))} automatically`,
  },
  {
    id: 'frt',
    metric: 'frt_p50_seconds',
    value: (m) => duration(v(m, 'frt_p50_seconds')),
    sub: (m) => `P90 ${duration(v(m, 'frt_p90_seconds'))} · business-hours P50 ${duration(v(m, 'frt_bh_p50_seconds'))}`,
  },
  {
    id: 'resolution',
    metric: 'resolution_p50_seconds',
    value: (m) => duration(v(m, 'resolution_p50_seconds')),
    sub: (m) => `P90 ${duration(v(m, 'resolution_p90_seconds'))}`,
  },
  {
    id: 'csat',
    metric: 'csat_avg',
    value: (m) => num(v(m, 'csat_avg'), 2),
    unit: () => '/ 5',
    sub: (m) => `${pct(v(m, 'csat_pct'))} satisfied · ${num(v(m, 'csat_responses'))} ratings (${pct(v(m, 'csat_response_rate'))} response)`,
  },
  { id: 'fcr', metric: 'fcr_rate', value: (m) => pct(v(m, 'fcr_rate')), sub: (m) => `first-contact resolution · ${pct(v(m, 'reopen_rate'), 1)} reopened` },
  { id: 'repeat', metric: 'repeat_contact_rate', value: (m) => pct(v(m, 'repeat_contact_rate'), 1), sub: () => 'another ticket resolved ≤ 7 d before' },
  { id: 'sla-fr', metric: 'sla_first_response_met_rate', value: (m) => pct(v(m, 'sla_first_response_met_rate'), 1), sub: () => 'deadlines met' },
  { id: 'sla-res', metric: 'sla_resolution_met_rate', value: (m) => pct(v(m, 'sla_resolution_met_rate'), 1), sub: () => 'deadlines met' },
  { id: 'nps', metric: 'nps', value: (m) => signed(v(m, 'nps')), sub: (m) => `${num(v(m, 'nps_responses'))} responses` },
  {
    id: 'channel',
    metric: 'app_ticket_share',
    value: (m) => pct(v(m, 'app_ticket_share')),
    sub: (m) => {
      const all = v(m, 'tickets_created');
      const app = v(m, 'app_tickets');
      return `${num(app)} from the app · ${num(all === null || app === null ? null : all - app)} by chat · ${num(v(m, 'app_opens'))} app opens`;
    },
  },
  {
    id: 'deflection',
    metric: 'deflection_rate',
    value: (m) => pct(v(m, 'deflection_rate')),
    sub: (m) => `${num(v(m, 'kb_deflections'))} solved by an article before sending · ${pct(v(m, 'kb_helpful_rate'))} say articles helped`,
  },
];

const BADGE: Record<Status, string> = { good: 'on target', warn: 'near target', bad: 'off target', neutral: 'no data' };

export function renderKpis(container: HTMLElement, m: Metrics | null): void {
  container.innerHTML = '';
  for (const t of TILES) {
    const info: MetricInfo = METRIC_INFO[t.metric];
    const judged = info.target !== undefined;
    const st: Status = m && judged ? status(info, v(m, t.metric)) : 'neutral';
    const el = document.createElement('div');
    el.className = `kpi ${st}`;
    el.dataset.kpi = t.id;
    el.title = info.meaning;
    const value = m ? t.value(m) : DASH;
    el.innerHTML = `
      <div class="label"><span></span>${judged ? `<span class="badge"></span>` : ''}</div>
      <div class="value"><span class="v"></span><small></small></div>
      <div class="target"></div>`;
    el.querySelector('.label span')!.textContent = info.title;
    if (judged) el.querySelector('.badge')!.textContent = BADGE[st];
    el.querySelector('.v')!.textContent = value;
    el.querySelector('small')!.textContent = m && t.unit && value !== DASH ? t.unit(m) : '';
    const target = targetText(info);
    el.querySelector('.target')!.textContent = [target ? `target ${target}` : '', m ? t.sub(m) : ''].filter(Boolean).join(' · ');
    container.append(el);
  }
}
