/** Settings of the all-in-one `npm start` (scripts/start.ts). */
import { defineConfig, env } from '../core/env.js';

export const loadStartConfig = defineConfig('start', {
  SIMULATE: env.bool({
    default: true,
    doc: 'The demo (npm start with DEMO=1 or no configuration): run the traffic simulator (customers and agents) so the dashboard has living data. 0: the sandbox alone.',
  }),
  SIMULATE_HISTORY_DAYS: env.int({
    default: 7,
    min: 0,
    max: 60,
    doc: 'The demo: on a fresh DATA_DIR, first replay this many past days of traffic (fast, with past dates).',
  }),
  SIMULATE_EXPERIMENT_EFFECT: env.int({
    default: 80,
    min: 0,
    max: 100,
    doc: 'The demo: the real effect the simulator plays for the running demo experiment (experiments/receipt-style.yaml; whichever surface it tests, receipt or notifications) — percent of customers who met its variant (the step-by-step receipt) and would have rated below 5 who rate 5 instead (80: CSAT up by about 0.5–0.9, significant over the replayed week; 0: an A/A test).',
  }),
  PROMETHEUS_PORT: env.int({
    default: 9090,
    min: 1,
    max: 65535,
    doc: 'npm start: port of the embedded Prometheus on 127.0.0.1 (another free port, with a warning, when this one is busy).',
  }),
  ALERTMANAGER_PORT: env.int({
    default: 9093,
    min: 1,
    max: 65535,
    doc: 'npm start: port of the embedded Alertmanager on 127.0.0.1 (another free port, with a warning, when this one is busy).',
  }),
  ALERTING: env.bool({ default: true, doc: 'npm start: start Prometheus and Alertmanager when they are on PATH. 0 turns the embedded alerting stack off.' }),
});
