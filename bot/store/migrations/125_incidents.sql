-- Incidents (issue 15, items 3–4; bot/incidents, bot/features/incidents).

-- What the spike detector counts: one row per ticket and key it matches — 'cat:<category>' once the category is
-- known, 'kb:<article id>' or 'kw:<stems>' for the first message's cluster. Counted by (key, opened_at), so the
-- detector reads its windows from here and survives restarts. No text, only keys and ids.
-- No foreign key: an imported history (tickets of another desk) may be counted too.
CREATE TABLE IF NOT EXISTS incident_ticket_keys (
  ticket_id   bigint NOT NULL,
  key         text NOT NULL,
  customer_id bigint NOT NULL,
  opened_at   timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, key)
);
CREATE INDEX IF NOT EXISTS incident_ticket_keys_key_time ON incident_ticket_keys (key, opened_at);
CREATE INDEX IF NOT EXISTS incident_ticket_keys_time ON incident_ticket_keys (opened_at);

-- The categories' history the desk already has is the first weeks' baseline.
INSERT INTO incident_ticket_keys (ticket_id, key, customer_id, opened_at)
SELECT id, 'cat:' || category, customer_id, created_at FROM tickets
WHERE category IS NOT NULL AND created_at > now() - interval '35 days'
ON CONFLICT DO NOTHING;

-- The example first messages a suspected-incident post shows: masked, names stripped, cut short; deleted with the
-- ticket's key rows' window (the detector prunes samples older than a day).
CREATE TABLE IF NOT EXISTS incident_samples (
  ticket_id bigint PRIMARY KEY,
  sample    text NOT NULL,
  opened_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS incident_samples_time ON incident_samples (opened_at);

CREATE TABLE IF NOT EXISTS incidents (
  id                bigserial PRIMARY KEY,
  title             text NOT NULL,
  -- The detector key new tickets are matched by ('cat:payments', 'kb:card-declined'); NULL: linked by hand only.
  key               text,
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  what_happened     text,
  who_affected      text,
  next_steps        text,
  eta_at            timestamptz,
  opened_at         timestamptz NOT NULL,
  opened_by         bigint NOT NULL,
  resolved_at       timestamptz,
  resolved_by       bigint,
  close_tickets     bool NOT NULL DEFAULT false,
  -- ETA updates to linked customers: the last one sent and the one waiting for INCIDENT_UPDATE_MIN_INTERVAL.
  last_update_at    timestamptz,
  update_due_at     timestamptz,
  -- The post pinned in STATUS_CHANNEL_ID.
  status_chat_id    bigint,
  status_message_id int
);
CREATE UNIQUE INDEX IF NOT EXISTS incidents_open_key ON incidents (key) WHERE status = 'open' AND key IS NOT NULL;

-- One suspected-incident post per spike: at most one waiting per key; dismissed ones silence the key for the window.
CREATE TABLE IF NOT EXISTS incident_spikes (
  id              bigserial PRIMARY KEY,
  key             text NOT NULL,
  status          text NOT NULL DEFAULT 'suspected' CHECK (status IN ('suspected', 'confirmed', 'dismissed')),
  tickets         int NOT NULL,
  customers       int NOT NULL,
  baseline        double precision NOT NULL,
  first_ticket_at timestamptz NOT NULL,
  detected_at     timestamptz NOT NULL,
  decided_at      timestamptz,
  decided_by      bigint,
  incident_id     bigint REFERENCES incidents (id),
  chat_id         bigint,
  message_id      int
);
CREATE UNIQUE INDEX IF NOT EXISTS incident_spikes_waiting ON incident_spikes (key) WHERE status = 'suspected';
CREATE INDEX IF NOT EXISTS incident_spikes_key_time ON incident_spikes (key, decided_at);

CREATE TABLE IF NOT EXISTS incident_links (
  incident_id   bigint NOT NULL REFERENCES incidents (id),
  ticket_id     bigint NOT NULL REFERENCES tickets (id),
  customer_id   bigint NOT NULL,
  linked_at     timestamptz NOT NULL,
  -- NULL: linked by the desk (at opening, or a new matching ticket); else the agent who linked it.
  linked_by     bigint,
  unlinked_at   timestamptz,
  -- The "known issue" reply a new matching ticket got.
  known_issue_at timestamptz,
  -- The customer pressed "Notify me when fixed": told at resolution even if unlinked meanwhile.
  notify        bool NOT NULL DEFAULT false,
  PRIMARY KEY (incident_id, ticket_id)
);
CREATE INDEX IF NOT EXISTS incident_links_ticket ON incident_links (ticket_id);

-- The broadcast machinery sends incident messages too: the audience is the incident's linked customers and the
-- text is rendered per customer from the incident ('opened' | 'updated' | 'resolved').
ALTER TABLE broadcasts ADD COLUMN IF NOT EXISTS incident_id bigint REFERENCES incidents (id);
ALTER TABLE broadcasts ADD COLUMN IF NOT EXISTS incident_message text CHECK (incident_message IN ('opened', 'updated', 'resolved'));
CREATE UNIQUE INDEX IF NOT EXISTS broadcasts_incident_once ON broadcasts (incident_id, incident_message) WHERE incident_message IN ('opened', 'resolved');
