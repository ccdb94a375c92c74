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
