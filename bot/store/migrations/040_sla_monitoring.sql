-- SLA monitoring (bot/alerts, monitoring/): indexes for the exporter's scrape-time
-- queries and the state of escalation messages.

-- Open tickets are a small, hot subset: a partial index keeps the per-scrape
-- aggregate (monitoring/sla-snapshot.ts) an index scan whatever the history size.
CREATE INDEX IF NOT EXISTS tickets_open_sla_idx
  ON tickets (queue, first_response_due_at)
  INCLUDE (status, first_response_at, created_at, resolution_due_at)
  WHERE status <> 'resolved';

-- FRT percentiles over the last hour of first responses.
CREATE INDEX IF NOT EXISTS tickets_first_response_at_idx
  ON tickets (first_response_at)
  WHERE first_response_at IS NOT NULL;

-- One escalation message per Alertmanager alert (fingerprint = labels hash):
-- edited when it resolves, reused when it fires again soon after (flap damping).
CREATE TABLE IF NOT EXISTS alert_messages (
  fingerprint   text PRIMARY KEY,
  alertname     text NOT NULL,
  queue         text,
  severity      text,
  status        text NOT NULL,              -- firing | resolved
  chat_id       bigint NOT NULL,
  message_id    bigint,                     -- NULL while muted (recorded, not posted)
  ticket_ids    bigint[] NOT NULL DEFAULT '{}',
  starts_at     timestamptz NOT NULL,
  first_posted_at timestamptz,
  last_fired_at timestamptz NOT NULL,
  resolved_at   timestamptz,
  -- The short "resolved" follow-up is posted at most once per flap window.
  last_followup_at timestamptz,
  fire_count    int NOT NULL DEFAULT 1,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS alert_messages_status_idx ON alert_messages (status, queue);

-- "Mute 1 h" from an escalation message: alerts of a muted queue are recorded, not posted.
CREATE TABLE IF NOT EXISTS alert_mutes (
  queue       text PRIMARY KEY,
  muted_until timestamptz NOT NULL,
  muted_by    bigint NOT NULL,
  muted_at    timestamptz NOT NULL DEFAULT now()
);

-- Daily digests, one row per local date: the claim that prevents double sending.
CREATE TABLE IF NOT EXISTS alert_digests (
  digest_date date PRIMARY KEY,
  claimed_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz,
  chat_id     bigint,
  message_id  bigint
);
