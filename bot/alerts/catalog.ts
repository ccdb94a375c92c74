/**
 * What the bot knows about the alerts of prometheus/rules: an icon and which
 * tickets to look up; each one's title is `alert-<name>` in
 * locales/<lang>/alerts.ftl. An alert not listed here is still posted,
 * plainly, from its labels and annotations.
 */
import type { BreachKind } from '../../sla/exporter/snapshot.js';

export interface AlertKind {
  icon: string;
  /** The tickets behind the alert (per queue); undefined → the alert is not about tickets. */
  tickets?: BreachKind;
}

export const ALERT_CATALOG: Readonly<Record<string, AlertKind>> = {
  FirstResponseSlaBreached: { icon: '🔴', tickets: 'first_response_breached' },
  FirstResponseSlaImminent: { icon: '🟠', tickets: 'first_response_imminent' },
  ResolutionSlaBreached: { icon: '🟠', tickets: 'resolution_breached' },
  ResolutionSlaImminent: { icon: '🟡', tickets: 'resolution_imminent' },
  FirstResponseP90AboveTarget: { icon: '🟡', tickets: 'frt_p90' },
  CsatBelowTarget: { icon: '🟡' },
  QueueEtaAboveTarget: { icon: '🟡' },
  DeskDown: { icon: '🔴' },
  SlaExporterFailing: { icon: '🟠' },
  IngestLagHigh: { icon: '🟠' },
  DeadLettersGrowing: { icon: '🟠' },
  OutboxStuck: { icon: '🔴' },
  TelegramErrors: { icon: '🟠' },
  BotUpdateErrors: { icon: '🟠' },
  SuspectedIncidentUnacknowledged: { icon: '🚨' },
};
