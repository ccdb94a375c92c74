/** Escalation chat, Alertmanager webhook and daily digest settings. */
import { defineConfig, env } from '../../core/env.js';
import { checkEscalationThreadId } from '../telegram/settings.js';

const loadAlertsEnv = defineConfig('alerts', {
  ALERTMANAGER_WEBHOOK_TOKEN: env.optionalString({
    doc: 'Bearer token Alertmanager sends to POST /hooks/alertmanager (its credentials_file holds the same). Unset: the hook answers 401 to everyone.',
    secret: true,
  }),
  ESCALATION_CHAT_ID: env.chatId({ default: -1002000000002, doc: 'Chat where SLA alerts, the daily digest and /sla go (team leads and integrations only).' }),
  ESCALATION_THREAD_ID: env.optionalInt({ doc: 'Forum topic in ESCALATION_CHAT_ID for alerts and digests. Unset: the general topic / the chat itself.' }),
  ALERT_FLAP_WINDOW: env.duration({
    default: '10m',
    doc: 'An alert that fires again this soon after it resolved is posted anew as a reply to its old message, which then links to it (a re-fire always notifies); the "resolved" follow-up is posted at most once per window.',
  }),
  ALERT_REFRESH_INTERVAL: env.duration({
    default: '15s',
    doc: 'How often firing alert messages are re-checked against the ticket store between Alertmanager notifications (new breaches get a reply; a message that is gone is posted again).',
  }),
  ALERT_MUTE_DURATION: env.duration({ default: '1h', doc: 'How long the Mute button under an escalation message silences that queue in Telegram.' }),
  ALERT_WEBHOOK_BODY_LIMIT: env.int({ default: 1_048_576, min: 1024, doc: 'Largest Alertmanager webhook body accepted, in bytes (larger → 413).' }),
  DIGEST_TIME: env.string({
    default: '09:00',
    allowEmpty: true,
    doc: 'Local time (HH:MM) the daily digest of yesterday is posted to the escalation chat. Empty: no digest.',
  }),
  DIGEST_TIMEZONE: env.string({ default: 'UTC', doc: 'IANA time zone of DIGEST_TIME and of the digest\'s "yesterday".' }),
});
export type AlertsConfig = ReturnType<typeof loadAlertsEnv>;

/** The alerts' settings; a thread Telegram would refuse (ESCALATION_THREAD_ID=1, General) is an error at start-up. */
export function loadAlertsConfig(source?: Record<string, string | undefined>): AlertsConfig {
  const config = loadAlertsEnv(source);
  checkEscalationThreadId(config.ESCALATION_THREAD_ID);
  return config;
}
