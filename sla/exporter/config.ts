/**
 * SLA monitoring settings. The targets the alert rules compare against are
 * exported as gauges, so the Prometheus rules hold no numbers a deployment
 * would change: first-response targets come from the desk's SLA_TARGETS
 * (passed in by the entry point), the CSAT target from here (its default is the
 * CSAT metric's target).
 */
import { csatAvg } from '../../analytics/metrics/quality.js';
import { defineConfig, env } from '../../core/env.js';

/** The CSAT metric's target (analytics/metrics/quality.ts), the variable's default. */
function csatTargetDefault(): string {
  const t = csatAvg.target;
  if (t?.kind !== 'at_least' || t.variable !== 'SLA_CSAT_TARGET') throw new Error('csat_avg must have an at_least target overridden by SLA_CSAT_TARGET');
  return String(t.value);
}

export const loadMonitoringConfig = defineConfig('monitoring', {
  SLA_CSAT_TARGET: env.string({
    default: csatTargetDefault(),
    form: 'a number from 1 to 5 (e.g. 4.5)',
    doc: 'CSAT target (1–5) exported as support_csat_target; the CSAT alert fires below it.',
  }),
  SLA_IMMINENT_WINDOW: env.duration({ default: '5m', doc: 'A ticket counts as "breach imminent" this long before its first-response deadline.' }),
  SLA_RESOLUTION_IMMINENT_WINDOW: env.duration({
    default: '30m',
    doc: 'An open ticket counts as "resolution breach imminent" this long before its resolution deadline: the ResolutionSlaImminent alert, and the desk\'s sla_warning(resolution) event.',
  }),
  SLA_CSAT_REFRESH: env.duration({
    default: '60s',
    doc: 'How often the 24 h CSAT gauge re-reads ClickHouse (scrapes between refreshes reuse the last value).',
  }),
});
export type MonitoringConfig = ReturnType<typeof loadMonitoringConfig>;

/** The playbook's first-response targets, used when the entry point passes none (seconds). */
export const DEFAULT_FIRST_RESPONSE_TARGETS: ReadonlyMap<string, number> = new Map([
  ['L1', 15 * 60],
  ['L2', 30 * 60],
  ['VIP', 5 * 60],
  ['payments', 10 * 60],
  ['security', 5 * 60],
]);
