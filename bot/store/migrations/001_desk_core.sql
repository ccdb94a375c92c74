-- Desk core state: customers, tickets, relayed message pairs, the event outbox.
-- Columns listed in docs/CONTRACTS.md are relied on by features and monitoring.

CREATE TABLE IF NOT EXISTS customers (
  id            bigint PRIMARY KEY,                 -- Telegram user id
  first_name    text NOT NULL DEFAULT '',
  last_name     text,
  username      text,
  language_code text,
  thread_id     int,                                -- forum topic in SUPPORT_CHAT_ID
  -- Lease for creating the topic: whoever sets it first creates the topic, everyone else waits for thread_id.
  topic_claim    text,
  topic_claim_at timestamptz,
  is_vip        bool NOT NULL DEFAULT false,
  banned        bool NOT NULL DEFAULT false,
  blocked_bot   bool NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS customers_thread_id ON customers (thread_id) WHERE thread_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS tickets (
  id                    bigserial PRIMARY KEY,      -- the ticket number (#id)
  customer_id           bigint NOT NULL REFERENCES customers (id),
  status                text NOT NULL CHECK (status IN ('new', 'waiting_agent', 'in_progress', 'waiting_customer', 'resolved')),
  queue                 text NOT NULL,
  category              text,
  language              text,
  agent_id              bigint,
  created_at            timestamptz NOT NULL,       -- Telegram date of the opening message
  first_response_at     timestamptz,
  first_response_due_at timestamptz NOT NULL,
  resolution_due_at     timestamptz NOT NULL,
  resolved_at           timestamptz,
  resolved_by           text,
  reopened_count        int NOT NULL DEFAULT 0,
  agent_replies         int NOT NULL DEFAULT 0,
  customer_messages     int NOT NULL DEFAULT 0,
  is_repeat_contact     bool NOT NULL DEFAULT false,
  -- Intake: 'steps' (feature steps running or waiting), 'category' (keyboard shown), 'done'.
  intake_state          text NOT NULL DEFAULT 'steps',
  opening_message_id    int,                        -- the customer's message that opened it
  card_message_id       int,                        -- the ticket card in the topic
  updated_at            timestamptz NOT NULL DEFAULT now()
);
-- The database-level guarantee behind "one open ticket per customer".
CREATE UNIQUE INDEX IF NOT EXISTS tickets_one_open_per_customer ON tickets (customer_id) WHERE status <> 'resolved';
CREATE INDEX IF NOT EXISTS tickets_customer ON tickets (customer_id, id);
CREATE INDEX IF NOT EXISTS tickets_open_by_queue ON tickets (queue, created_at) WHERE status <> 'resolved';
CREATE INDEX IF NOT EXISTS tickets_first_response ON tickets (queue, first_response_at) WHERE first_response_at IS NOT NULL;

-- One row per relayed message: makes relays idempotent per source message and maps replies and edits both ways.
CREATE TABLE IF NOT EXISTS message_pairs (
  source_chat_id    bigint NOT NULL,
  source_message_id int NOT NULL,
  target_chat_id    bigint NOT NULL,
  target_message_id int NOT NULL,
  ticket_id         bigint REFERENCES tickets (id),
  direction         text NOT NULL CHECK (direction IN ('in', 'out')),  -- in: customer → topic; out: agent → customer
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_chat_id, source_message_id)
);
CREATE INDEX IF NOT EXISTS message_pairs_target ON message_pairs (target_chat_id, target_message_id);

-- Internal notes (/note): kept for the team, never relayed to the customer.
CREATE TABLE IF NOT EXISTS notes (
  id         bigserial PRIMARY KEY,
  ticket_id  bigint REFERENCES tickets (id),
  agent_id   bigint NOT NULL,
  message_id int,
  text       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS notes_ticket ON notes (ticket_id);

-- Transactional outbox: events written with the state change that caused them; bot/outbox-relay.ts publishes them.
CREATE TABLE IF NOT EXISTS outbox (
  id           bigserial PRIMARY KEY,
  topic        text NOT NULL,
  key          text,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
