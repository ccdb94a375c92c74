/**
 * Monitoring's contribution to the bot (bot/EXTENSION.md §2):
 *   alertsComposer        — /sla, Take and Mute buttons; pass to createDesk({ composers: [alertsComposer] })
 *   alertmanagerPlugin    — POST /hooks/alertmanager; register with { desk: desk.services }
 *   startDailyDigest      — the daily digest, for a process with the desk and ClickHouse
 *   registerSlaCollectors — SLA gauges on /metrics; call once per bot process
 */
import { Composer } from 'grammy';
import type { ClickHouse } from '../../core/clickhouse.js';
import { logger } from '../../core/log.js';
import { clickHouseRunner } from '../../analytics/query.js';
import type { BotContext, Desk } from '../context.js';
import { createAlertsComposer } from './composer.js';
import { loadAlertsConfig } from './config.js';
import { createDigestScheduler, type DigestScheduler } from './digest-scheduler.js';
import { useExperimentAnalytics } from './experiments-command.js';
import { useWeeklyReport } from '../features/weekly-report/feature.js';
import { weeklyReportText } from './weekly-report.js';

let inner: Composer<BotContext> | undefined;
/** Built on the first update, so importing this module never reads configuration. */
export const alertsComposer = new Composer<BotContext>();
alertsComposer.lazy(() => (inner ??= createAlertsComposer()));

/** The daily digest for a process that has both the desk and ClickHouse (scripts/start.ts, or the bot with CLICKHOUSE_URL). */
export function startDailyDigest(desk: Desk, ch: ClickHouse): DigestScheduler {
  // the same process answers /experiments with the experiments' results
  useExperimentAnalytics(clickHouseRunner(ch));
  // and posts the weekly report (bot/features/weekly-report)
  useWeeklyReport(weeklyReportText(clickHouseRunner(ch)));
  return createDigestScheduler({
    db: desk.db,
    api: desk.api,
    run: clickHouseRunner(ch),
    supportChatId: desk.config.supportChatId,
    config: loadAlertsConfig(),
    log: logger('digest'),
    t: desk.agentText,
  });
}

export { createAlertsComposer } from './composer.js';
export { alertmanagerPlugin, type AlertmanagerPluginOptions, type AlertsHookDesk } from './alertmanager-plugin.js';
export { Escalations } from './escalations.js';
export { loadAlertsConfig, type AlertsConfig } from './config.js';
export { createDigestScheduler, type DigestScheduler } from './digest-scheduler.js';
export { registerSlaCollectors, type SlaCollectorOptions } from '../../sla/exporter/collectors.js';
