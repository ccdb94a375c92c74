/**
 * What the bot knows about the alerts of prometheus/rules: a human title and
 * which tickets to look up. An alert not listed here is still posted, plainly,
 * from its labels and annotations.
 */
import type { BreachKind } from '../../monitoring/sla-snapshot.js';

export interface AlertKind {
  title: string;
  icon: string;
  /** The tickets behind the alert (per queue); undefined → the alert is not about tickets. */
  tickets?: BreachKind;
}

export const ALERT_CATALOG: Readonly<Record<string, AlertKind>> = {
  FirstResponseSlaBreached: { title: 'First-response SLA breached', icon: '🔴', tickets: 'first_response_breached' },
  FirstResponseSlaImminent: { title: 'First-response SLA breach imminent', icon: '🟠', tickets: 'first_response_imminent' },
  ResolutionSlaBreached: { title: 'Resolution SLA breached', icon: '🟠', tickets: 'resolution_breached' },
  FirstResponseP90AboveTarget: { title: 'First-response time P90 above target', icon: '🟡', tickets: 'frt_p90' },
  CsatBelowTarget: { title: 'CSAT below target', icon: '🟡' },
  DeskDown: { title: 'Support desk not reachable', icon: '🔴' },
  SlaExporterFailing: { title: 'SLA monitoring cannot read its data', icon: '🟠' },
  IngestLagHigh: { title: 'Analytics ingest lagging', icon: '🟠' },
  DeadLettersGrowing: { title: 'Events dead-lettered', icon: '🟠' },
  OutboxStuck: { title: 'Outbox stuck', icon: '🔴' },
  TelegramErrors: { title: 'Telegram API errors', icon: '🟠' },
  BotUpdateErrors: { title: 'Bot update errors', icon: '🟠' },
};
