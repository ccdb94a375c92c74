/** The desk's Prometheus metrics, in the process registry (core/metrics.ts). */
import { Counter, Gauge } from 'prom-client';
import { registry } from '../core/metrics.js';

/** Backlog sources of the desks running in this process (normally one). */
const backlogSources = new Set<() => Promise<number>>();

function once<T>(name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export const outboxBacklogGauge = once(
  'desk_outbox_backlog',
  () =>
    new Gauge({
      name: 'desk_outbox_backlog',
      help: 'Events written to the outbox and not yet published to the bus',
      registers: [registry],
      async collect() {
        let n = 0;
        for (const f of backlogSources) n += await f().catch(() => 0);
        this.set(n);
      },
    }),
);

export const relayedMessages = once(
  'desk_relayed_messages_total',
  () =>
    new Counter({
      name: 'desk_relayed_messages_total',
      help: 'Messages relayed, by direction (in: customer → topic, out: agent → customer)',
      labelNames: ['direction'] as const,
      registers: [registry],
    }),
);

export const updatesHandled = once(
  'desk_updates_total',
  () => new Counter({ name: 'desk_updates_total', help: 'Telegram updates handled, by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
);

export const etaOverTarget = once(
  'desk_eta_over_target_total',
  () =>
    new Counter({
      name: 'desk_eta_over_target_total',
      help: "Receipts that told a customer an ETA beyond the queue's first-response target (the queue is slower than its SLA), by queue",
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
);

export function trackBacklog(source: () => Promise<number>): () => void {
  backlogSources.add(source);
  return () => backlogSources.delete(source);
}

/** The start-up self-check's degraded checks (bot/self-check.ts): 1 while a check is out of reach and retried. */
export const selfCheckDegraded = once(
  'desk_self_check_degraded',
  () =>
    new Gauge({
      name: 'desk_self_check_degraded',
      help: 'Checks of the start-up self-check that are degraded (the Bot API or a store out of reach, retried with back-off): 1, else 0',
      labelNames: ['check'] as const,
      registers: [registry],
    }),
);

/** Sources of held customer messages (bot/delivery-repair.ts) of the desks in this process. */
const awaitingSources = new Set<() => Promise<number>>();

export const messagesAwaitingDelivery = once(
  'desk_messages_awaiting_delivery',
  () =>
    new Gauge({
      name: 'desk_messages_awaiting_delivery',
      help: 'Customer messages that could not reach the support group yet (e.g. its topics cannot be created) and wait for the repair loop',
      registers: [registry],
      async collect() {
        let n = 0;
        for (const f of awaitingSources) n += await f().catch(() => 0);
        this.set(n);
      },
    }),
);

export function trackAwaitingDelivery(source: () => Promise<number>): () => void {
  awaitingSources.add(source);
  return () => awaitingSources.delete(source);
}

/** Updates-lag sources (bot/telegram/updates-lag.ts) of the desks in this process. */
const updatesLagSources = new Set<() => number>();

export const updatesLagGauge = once(
  'desk_updates_lag_seconds',
  () =>
    new Gauge({
      name: 'desk_updates_lag_seconds',
      help: "How far the desk is behind Telegram's updates: age of the oldest update fetched (or posted to the webhook) and not yet handled, by its Telegram date; 0 when none is pending",
      registers: [registry],
      collect() {
        let s = 0;
        for (const f of updatesLagSources) s = Math.max(s, f());
        this.set(s);
      },
    }),
);

export function trackUpdatesLag(source: () => number): () => void {
  updatesLagSources.add(source);
  return () => updatesLagSources.delete(source);
}
