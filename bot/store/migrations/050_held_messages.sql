-- Customer messages anti-spam holds instead of relaying at once (bot/features/antispam/held.ts):
-- a newcomer's links and media wait for an agent's tap on the ticket card, messages over the rate
-- limit wait for their slot (release_at). Each message already joined its ticket (message_in); the
-- relay copies it from the customer's chat on release, so only what the relay needs is kept here,
-- never the text. A restart loses nothing: the rows and the release jobs are durable.
CREATE TABLE IF NOT EXISTS held_messages (
  id                  bigserial PRIMARY KEY,
  customer_id         bigint NOT NULL REFERENCES customers (id),
  message_id          int NOT NULL,               -- in the customer's private chat (chat id = customer id)
  ticket_id           bigint NOT NULL REFERENCES tickets (id),
  reason              text NOT NULL CHECK (reason IN ('link', 'media', 'rate_limit')),
  kind                text NOT NULL,              -- message kind (photo, text…), for the topic's notes
  media_group_id      text,                       -- album parts are released together
  reply_to_message_id int,                        -- reply threading survives the hold
  sent_at             timestamptz NOT NULL,       -- the message's Telegram date
  release_at          timestamptz,                -- rate_limit: when its slot frees up; NULL: an agent releases it
  state               text NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'released', 'discarded')),
  settled_at          timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  -- A redelivered update is held once.
  UNIQUE (customer_id, message_id)
);
CREATE INDEX IF NOT EXISTS held_messages_ticket ON held_messages (ticket_id) WHERE state = 'held';
CREATE INDEX IF NOT EXISTS held_messages_queue ON held_messages (customer_id, release_at) WHERE state = 'held';
