/**
 * Monitoring's contribution to the bot (bot/EXTENSION.md §2):
 *   alertsComposer       — /sla, Take and Mute buttons; pass to createDesk({ composers: [alertsComposer] })
 *   alertmanagerPlugin   — POST /hooks/alertmanager; register with { desk: desk.services }
 *   startDigestScheduler — the daily digest; start with desk.services (+ ClickHouse)
 *   registerSlaCollectors — SLA gauges on /metrics; call once per bot process
 */
import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { createAlertsComposer } from './composer.js';

let inner: Composer<BotContext> | undefined;
/** Built on the first update, so importing this module never reads configuration. */
export const alertsComposer = new Composer<BotContext>();
alertsComposer.lazy(() => (inner ??= createAlertsComposer()));

export { createAlertsComposer } from './composer.js';
export { alertmanagerPlugin, type AlertmanagerPluginOptions, type AlertsHookDesk } from './alertmanager-plugin.js';
export { Escalations } from './escalations.js';
export { loadAlertsConfig, type AlertsConfig } from './config.js';
export { registerSlaCollectors, type SlaCollectorOptions } from '../../monitoring/sla-collectors.js';
export { createDigestScheduler, type DigestScheduler } from './digest-scheduler.js';

import type { ClickHouse } from '../../core/clickhouse.js';
import { logger } from '../../core/log.js';
import { clickHouseRunner } from '../../dashboard/api/queries.js';
import type { Desk } from '../context.js';
import { loadAlertsConfig } from './config.js';
import { createDigestScheduler, type DigestScheduler } from './digest-scheduler.js';

/** The daily digest for a process that has both the desk and ClickHouse (scripts/start.ts, bot with CLICKHOUSE_URL). */
export function startDailyDigest(desk: Desk, ch: ClickHouse): DigestScheduler {
  return createDigestScheduler({
    db: desk.db,
    api: desk.api,
    run: clickHouseRunner(ch),
    supportChatId: desk.config.supportChatId,
    config: loadAlertsConfig(),
    log: logger('digest'),
  });
}
