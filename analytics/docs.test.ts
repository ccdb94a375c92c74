/**
 * The docs and the web app's metric list are generated from the metric
 * definitions and up to date: README.md and dashboard/README.md (between the
 * metrics markers) and dashboard/web/src/metrics.generated.ts.
 */
import { describe, expect, it } from 'vitest';
import { metricDocs, webMetricList } from '../scripts/metrics-docs.js';
import { describeTarget, metricsTable, withMetricsTable } from './docs.js';
import { atLeast, atMost, count, aggregate, metric, slaTarget } from './metric.js';
import { METRICS } from './registry.js';

describe('generated metric docs', () => {
  it.each(metricDocs().map((d) => [d.path, d] as const))('%s is up to date (npm run config:docs -- --write)', (_path, d) => {
    expect(d.current, `${d.path} is stale: npm run config:docs -- --write`).toBe(d.wanted);
  });

  it('list every metric, a new one too', () => {
    const extra = metric({
      key: 'test_metric',
      title: 'Test',
      meaning: 'A throwaway metric.',
      unit: 'count',
      better: 'neither',
      sql: count(aggregate('test_n', 'count()')),
    });
    const table = metricsTable(METRICS.with(extra));
    for (const k of [...METRICS.keys, 'test_metric']) expect(table).toContain(`| \`${k}\` |`);
    expect(webMetricList(METRICS.with(extra))).toContain('test_metric: {"title":"Test"');
    expect(() => withMetricsTable('no markers here', table, 'X.md')).toThrow(/markers/);
  });

  it('describe targets in words, never an SLA number', () => {
    expect(describeTarget(slaTarget('first_response', 2), 'seconds')).toBe("≤ the queue's first-response target (`SLA_TARGETS`)");
    expect(describeTarget(atLeast(0.6, { warn: 0.5, upTo: 0.75, source: 'playbook' }), 'ratio')).toBe('60–75 % (playbook)');
    expect(describeTarget(atMost(0.15, { warn: 0.2, source: 'playbook' }), 'ratio')).toBe('≤ 15 % (playbook)');
    expect(describeTarget(atLeast(4.5, { warn: 4, source: 'playbook', variable: 'SLA_CSAT_TARGET' }), 'score')).toBe('≥ 4.5 (playbook; `SLA_CSAT_TARGET`)');
  });
});
