/**
 * Everything generated from the metric definitions (analytics/) outside code
 * that imports them: the metric tables of README.md and dashboard/README.md, the
 * web app's typed metric list (dashboard/web/src/metrics.generated.ts: the
 * browser bundle gets titles, units, directions and targets, not the SQL), and
 * the Grafana dashboards (grafana/dashboards/*.json, as grafana/dashboards.ts writes them).
 * `npm run config:docs -- --write` writes them with the configuration docs,
 * `-- --check` fails when they are stale, and so does analytics/docs.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricsTable, metricsTableWithViews, withMetricsTable } from '../analytics/docs.js';
import type { MetricDefinition } from '../analytics/metric.js';
import { METRICS, type MetricValues, type Registry } from '../analytics/registry.js';
import { SELFSERVICE } from '../analytics/selfservice.js';
import { DEFAULT_SLA_TARGETS, parseSlaTargets, type SlaTarget } from '../sla/policy.js';
import { loadDashboardConfig } from '../dashboard/config.js';
import { DASHBOARDS, dashboardJson } from '../grafana/dashboards.js';

const ROOT = join(import.meta.dirname, '..');
export const WEB_METRIC_LIST = 'dashboard/web/src/metrics.generated.ts';

/** A target as the tiles compare with it: good at/beyond `good`, "near" up to `warn`. */
function webTarget(d: MetricDefinition, sla: SlaTarget): Record<string, unknown> | undefined {
  const t = d.target;
  if (!t) return undefined;
  if (t.kind === 'sla') {
    const good = t.deadline === 'first_response' ? sla.firstResponseSeconds : sla.resolutionSeconds;
    return { good, warn: good * t.warnFactor, sla: t.deadline };
  }
  return { good: t.value, warn: t.warn, ...(t.upTo !== undefined ? { upTo: t.upTo } : {}) };
}

/** The web app's metric list as TypeScript source. */
export function webMetricList<V extends MetricValues>(metrics: Registry<V> = METRICS as unknown as Registry<V>): string {
  const config = loadDashboardConfig({});
  const targets = parseSlaTargets(DEFAULT_SLA_TARGETS);
  const sla = targets.get(config.DEFAULT_QUEUE)!;
  const entries = metrics.metrics.map((d) => {
    const info = { title: d.title, meaning: d.meaning, unit: d.unit, better: d.better, ...(d.target ? { target: webTarget(d, sla) } : {}) };
    return `  ${d.key}: ${JSON.stringify(info)},`;
  });
  return `/**
 * The metrics as the web app shows them — titles, meanings, units, directions and
 * targets — generated from the metric definitions (analytics/) by
 * \`npm run config:docs -- --write\`; do not edit (a test fails when it is stale).
 * SLA targets (\`sla\`) are the desk's default configuration for its default queue
 * (\`SLA_TARGETS\` ${DEFAULT_SLA_TARGETS}, \`DEFAULT_QUEUE\` ${config.DEFAULT_QUEUE}).
 */
export interface MetricInfo {
  title: string;
  meaning: string;
  unit: 'count' | 'seconds' | 'ratio' | 'score' | 'nps';
  better: 'higher' | 'lower' | 'neither';
  /** Good at or beyond \`good\`, near target up to \`warn\`; \`upTo\`: shown as a range. */
  target?: { good: number; warn: number; upTo?: number; sla?: 'first_response' | 'resolution' };
}

export const METRIC_INFO = {
${entries.join('\n')}
} as const satisfies Record<string, MetricInfo>;

export type MetricKey = keyof typeof METRIC_INFO;
`;
}

/** Each generated file: path, and its current and wanted text. */
export function metricDocs(): { path: string; current: string; wanted: string }[] {
  const read = (p: string) => {
    try {
      return readFileSync(join(ROOT, p), 'utf8');
    } catch {
      return '';
    }
  };
  const readme = read('README.md');
  const dashboardReadme = read('dashboard/README.md');
  return [
    { path: 'README.md', current: readme, wanted: withMetricsTable(readme, metricsTable(), 'README.md') },
    { path: 'dashboard/README.md', current: dashboardReadme, wanted: withMetricsTable(dashboardReadme, metricsTableWithViews(), 'dashboard/README.md') },
    // The tiles show the Mini App's self-service metrics too (their own registry and endpoint, /selfservice).
    { path: WEB_METRIC_LIST, current: read(WEB_METRIC_LIST), wanted: webMetricList(METRICS.with(...SELFSERVICE.metrics)) },
    ...(Object.keys(DASHBOARDS) as (keyof typeof DASHBOARDS)[]).map((name) => {
      const path = `grafana/dashboards/${name}.json`;
      return { path, current: read(path), wanted: dashboardJson(name) };
    }),
  ];
}

/** Writes the stale ones; returns their paths. */
export function writeMetricDocs(): string[] {
  const stale = metricDocs().filter((d) => d.current !== d.wanted);
  for (const d of stale) writeFileSync(join(ROOT, d.path), d.wanted);
  return stale.map((d) => d.path);
}

/** The paths that are stale. */
export function staleMetricDocs(): string[] {
  return metricDocs()
    .filter((d) => d.current !== d.wanted)
    .map((d) => d.path);
}
