-- Customer messages the desk could not deliver to the support group yet (issue 18, item 2): the topic
-- cannot be created (wrong SUPPORT_CHAT_ID, topics disabled, the bot lost can_manage_topics) or the
-- copy failed for any reason but the original being gone. The customer got the receipt; the repair loop
-- (bot/delivery-repair.ts) creates the topic and the card and copies these from the customer's chat in
-- order (id), each once (message_pairs skips one copied already), and then deletes the row. Only what the
-- relay needs is kept, never the text.
CREATE TABLE IF NOT EXISTS pending_deliveries (
  id                  bigserial PRIMARY KEY,
  customer_id         bigint NOT NULL REFERENCES customers (id),
  message_id          int NOT NULL,               -- in the customer's private chat (chat id = customer id)
  ticket_id           bigint NOT NULL REFERENCES tickets (id),
  kind                text NOT NULL,              -- message kind, for the agents' note if it cannot be copied
  reply_to_message_id int,                        -- reply threading survives the wait
  created_at          timestamptz NOT NULL DEFAULT now(),
  -- A redelivered update is held once.
  UNIQUE (customer_id, message_id)
);
-- A ticket whose card could not be posted (its topic could not be created): the repair posts it.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS topic_pending boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS tickets_topic_pending ON tickets (customer_id) WHERE topic_pending;
