-- Service features state (bot/features): scheduled jobs, ratings, KB suggestions,
-- follow-ups, broadcast opt-outs and deliveries, anti-spam counters.

-- Durable scheduler: one row per job; claimed rows are 'running' with a lease, so
-- a job survives restarts and a second process never runs it at the same time.
CREATE TABLE IF NOT EXISTS feature_jobs (
  id           bigserial PRIMARY KEY,
  kind         text NOT NULL,
  -- Scheduling the same thing twice (a retried hook, two processes) is a no-op.
  dedup_key    text NOT NULL UNIQUE,
  ticket_id    bigint,
  payload      jsonb NOT NULL DEFAULT '{}',
  due_at       timestamptz NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'cancelled', 'failed')),
  attempts     int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX IF NOT EXISTS feature_jobs_due ON feature_jobs (due_at) WHERE status IN ('pending', 'running');

-- Latest rating per ticket and survey (every press is an event; this row is the current answer).
CREATE TABLE IF NOT EXISTS ratings (
  ticket_id   bigint NOT NULL REFERENCES tickets (id),
  survey      text NOT NULL CHECK (survey IN ('csat', 'nps')),
  customer_id bigint NOT NULL,
  score       int,
  sent_at     timestamptz NOT NULL,
  rated_at    timestamptz,
  PRIMARY KEY (ticket_id, survey)
);

-- The article offered to a new ticket and what the customer answered (first answer wins).
CREATE TABLE IF NOT EXISTS kb_suggestions (
  ticket_id    bigint PRIMARY KEY REFERENCES tickets (id),
  article_id   text NOT NULL,
  language     text NOT NULL,
  score        double precision NOT NULL,
  message_id   int,
  suggested_at timestamptz NOT NULL,
  outcome      text CHECK (outcome IN ('solved', 'human')),
  answered_at  timestamptz
);

-- "Did it help?" per resolution (a ticket resolved twice gets two).
CREATE TABLE IF NOT EXISTS followups (
  id          bigserial PRIMARY KEY,
  ticket_id   bigint NOT NULL REFERENCES tickets (id),
  resolved_at timestamptz NOT NULL,
  sent_at     timestamptz,
  helped      bool,
  answered_at timestamptz,
  UNIQUE (ticket_id, resolved_at)
);

-- Customer preferences the features own (language lives on customers).
CREATE TABLE IF NOT EXISTS customer_settings (
  customer_id        bigint PRIMARY KEY,
  broadcast_opt_out  bool NOT NULL DEFAULT false,
  real_messages      int NOT NULL DEFAULT 0,   -- accepted customer messages (anti-spam newcomer rule)
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS broadcasts (
  id                bigserial PRIMARY KEY,
  text              text NOT NULL,
  urgent            bool NOT NULL DEFAULT false,
  created_by        bigint NOT NULL,
  status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'cancelled', 'scheduled', 'sending', 'done')),
  status_chat_id    bigint,
  status_thread_id  int,
  status_message_id int,
  recipients        int NOT NULL DEFAULT 0,
  delivered         int NOT NULL DEFAULT 0,
  failed            int NOT NULL DEFAULT 0,
  opted_out         int NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  scheduled_for     timestamptz,
  finished_at       timestamptz
);

-- One row per recipient, written before the send: a restarted broadcast never sends twice.
CREATE TABLE IF NOT EXISTS broadcast_deliveries (
  broadcast_id bigint NOT NULL REFERENCES broadcasts (id),
  customer_id  bigint NOT NULL,
  status       text NOT NULL CHECK (status IN ('sending', 'delivered', 'failed')),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (broadcast_id, customer_id)
);
