/** KPI tiles against the playbook's targets (CSAT ≥ 4.5, FCR 60–75 %, repeat contacts ≤ 15 %, SLA met). */
import type { Metrics } from './api.js';
import { DASH, duration, num, pct, signed } from './format.js';

type Status = 'good' | 'warn' | 'bad' | 'neutral';

interface Tile {
  id: string;
  label: string;
  value: (m: Metrics) => string;
  unit?: (m: Metrics) => string;
  sub: (m: Metrics) => string;
  target?: string;
  status?: (m: Metrics) => Status;
}

const v = (m: Metrics, k: string) => m[k] ?? null;
/** Higher is better: good at/above `good`, warn at/above `warn`. */
const atLeast = (k: string, good: number, warn: number) => (m: Metrics): Status => {
  const x = v(m, k);
  return x === null ? 'neutral' : x >= good ? 'good' : x >= warn ? 'warn' : 'bad';
};
const atMost = (k: string, good: number, warn: number) => (m: Metrics): Status => {
  const x = v(m, k);
  return x === null ? 'neutral' : x <= good ? 'good' : x <= warn ? 'warn' : 'bad';
};

export const TILES: Tile[] = [
  { id: 'tickets', label: 'Tickets', value: (m) => num(v(m, 'tickets_created')), sub: (m) => `${num(v(m, 'tickets_resolved'))} resolved · ${pct(v(m, 'auto_resolution_rate'))} automatically` },
  { id: 'frt', label: 'FRT P50', value: (m) => duration(v(m, 'frt_p50_seconds')), sub: (m) => `P90 ${duration(v(m, 'frt_p90_seconds'))} · business-hours P50 ${duration(v(m, 'frt_bh_p50_seconds'))}`, target: '≤ 15 m', status: atMost('frt_p50_seconds', 900, 1800) },
  { id: 'resolution', label: 'Resolution P50', value: (m) => duration(v(m, 'resolution_p50_seconds')), sub: (m) => `P90 ${duration(v(m, 'resolution_p90_seconds'))}`, target: '≤ 4 h', status: atMost('resolution_p50_seconds', 14_400, 86_400) },
  { id: 'csat', label: 'CSAT', value: (m) => num(v(m, 'csat_avg'), 2), unit: () => '/ 5', sub: (m) => `${pct(v(m, 'csat_pct'))} satisfied · ${num(v(m, 'csat_responses'))} ratings (${pct(v(m, 'csat_response_rate'))} response)`, target: '≥ 4.5', status: atLeast('csat_avg', 4.5, 4.0) },
  { id: 'fcr', label: 'FCR', value: (m) => pct(v(m, 'fcr_rate')), sub: (m) => `first-contact resolution · ${pct(v(m, 'reopen_rate'), 1)} reopened`, target: '60–75 %', status: atLeast('fcr_rate', 0.6, 0.5) },
  { id: 'repeat', label: 'Repeat contacts', value: (m) => pct(v(m, 'repeat_contact_rate'), 1), sub: () => 'another ticket resolved ≤ 7 d before', target: '≤ 15 %', status: atMost('repeat_contact_rate', 0.15, 0.2) },
  { id: 'sla-fr', label: 'SLA response', value: (m) => pct(v(m, 'sla_first_response_met_rate'), 1), sub: () => 'deadlines met', target: '≥ 90 %', status: atLeast('sla_first_response_met_rate', 0.9, 0.8) },
  { id: 'sla-res', label: 'SLA resolution', value: (m) => pct(v(m, 'sla_resolution_met_rate'), 1), sub: () => 'deadlines met', target: '≥ 90 %', status: atLeast('sla_resolution_met_rate', 0.9, 0.8) },
  { id: 'nps', label: 'NPS', value: (m) => signed(v(m, 'nps')), sub: (m) => `${num(v(m, 'nps_responses'))} responses`, target: '≥ 30', status: atLeast('nps', 30, 0) },
];

const BADGE: Record<Status, string> = { good: 'on target', warn: 'near target', bad: 'off target', neutral: 'no data' };

export function renderKpis(container: HTMLElement, m: Metrics | null): void {
  container.innerHTML = '';
  for (const t of TILES) {
    const status: Status = m && t.status ? t.status(m) : 'neutral';
    const el = document.createElement('div');
    el.className = `kpi ${status}`;
    el.dataset.kpi = t.id;
    const value = m ? t.value(m) : DASH;
    el.innerHTML = `
      <div class="label"><span></span>${t.status ? `<span class="badge"></span>` : ''}</div>
      <div class="value"><span class="v"></span><small></small></div>
      <div class="target"></div>`;
    el.querySelector('.label span')!.textContent = t.label;
    if (t.status) el.querySelector('.badge')!.textContent = BADGE[status];
    el.querySelector('.v')!.textContent = value;
    el.querySelector('small')!.textContent = m && t.unit && value !== DASH ? t.unit(m) : '';
    el.querySelector('.target')!.textContent = [t.target ? `target ${t.target}` : '', m ? t.sub(m) : ''].filter(Boolean).join(' · ');
    container.append(el);
  }
}
