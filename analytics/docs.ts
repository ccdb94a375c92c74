/**
 * The metric tables of the docs (README.md, dashboard/README.md), generated
 * from the definitions: `npm run config:docs -- --write` rewrites them between
 * their markers, a test fails when they are stale.
 */
import type { MetricDefinition, Target, Unit } from './metric.js';
import { METRICS, type MetricValues, type Registry } from './registry.js';

export const METRICS_START = '<!-- metrics:start -->';
export const METRICS_END = '<!-- metrics:end -->';

const UNIT: Record<Unit, string> = { count: 'count', seconds: 'seconds', ratio: 'fraction 0–1', score: '1–5', nps: '−100…100' };
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** A target in words and numbers: "≥ 4.5 (playbook; `SLA_CSAT_TARGET`)", "≤ the queue's first-response target". */
export function describeTarget(t: Target | undefined, unit: Unit): string {
  if (!t) return '—';
  if (t.kind === 'sla') return `≤ the queue's ${t.deadline === 'first_response' ? 'first-response' : 'resolution'} target (\`SLA_TARGETS\`)`;
  const v = (x: number) => (unit === 'ratio' ? `${Math.round(x * 100)} %` : String(x));
  const value =
    t.upTo !== undefined ? `${unit === 'ratio' ? Math.round(t.value * 100) : t.value}–${v(t.upTo)}` : `${t.kind === 'at_least' ? '≥' : '≤'} ${v(t.value)}`;
  return `${value} (${t.source === 'playbook' ? 'playbook' : 'the desk'}${t.variable ? `; \`${t.variable}\`` : ''})`;
}

function prometheusCell(d: MetricDefinition): string {
  const p = d.prometheus;
  if (!p) return '—';
  const labels = Object.entries(p.labels ?? {}).map(([k, v]) => `${k}="${v}"`);
  const w = p.window.source === 'store' ? p.window.window.describe : p.window.describe;
  return `\`${p.name}${labels.length ? `{${labels.join(',')}}` : ''}\` per queue: ${w}`;
}

/** The table for README.md: field, meaning (with the business-hours variant), unit, better, target. */
export function metricsTable<V extends MetricValues>(metrics: Registry<V> = METRICS as unknown as Registry<V>): string {
  const rows = metrics.metrics.map((d) => {
    const meaning = `${d.meaning}${d.businessHours ? ` Business hours: \`${d.businessHours}\`.` : ''}`;
    return `| \`${d.key}\` | ${cell(meaning)} | ${UNIT[d.unit]} | ${d.better} | ${cell(describeTarget(d.target, d.unit))} |`;
  });
  return ['| field | meaning | unit | better | target |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The table for dashboard/README.md: the README's, plus where each metric is exported and shown. */
export function metricsTableWithViews<V extends MetricValues>(metrics: Registry<V> = METRICS as unknown as Registry<V>): string {
  const rows = metrics.metrics.map((d) => {
    const grafana = d.grafana ? `${d.grafana.panels.join(' + ')}${d.grafana.byQueue ? ' per queue' : ''}` : '—';
    return `| \`${d.key}\` | ${cell(d.meaning)} | ${UNIT[d.unit]} | ${cell(describeTarget(d.target, d.unit))} | ${cell(prometheusCell(d))} | ${grafana} |`;
  });
  return ['| field | meaning | unit | target | Prometheus | Grafana (Overview) |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** `doc` with the text between the metrics markers replaced by `table`. */
export function withMetricsTable(doc: string, table: string, file: string): string {
  const a = doc.indexOf(METRICS_START);
  const b = doc.indexOf(METRICS_END);
  if (a < 0 || b < a) throw new Error(`${file} lacks the ${METRICS_START} … ${METRICS_END} markers`);
  return `${doc.slice(0, a + METRICS_START.length)}\n${table}\n${doc.slice(b)}`;
}
