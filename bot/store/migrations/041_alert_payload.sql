-- The last Alertmanager alert (labels, annotations, startsAt) of each escalation
-- message, so the bot can re-render the message between notifications when the
-- tickets behind a firing alert change (bot/alerts/escalations.ts refresh()).
ALTER TABLE alert_messages ADD COLUMN IF NOT EXISTS alert jsonb;
