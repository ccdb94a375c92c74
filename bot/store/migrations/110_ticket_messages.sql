-- Message history of a ticket for the customer's Mini App ticket page (issue 14, item 5): both directions
-- (customer, agent, bot), as the conversation showed them — a customer's text as the agents' topic saw it
-- (a message with a secret is stored masked, never the original: bot/features/secrets/), an agent's as
-- relayed, the bot's own answers (receipt, knowledge-base article). Media by kind and file name only.
--
-- PERSONAL DATA: text and media_name are the customer's conversation. eraseCustomer (bot/store/privacy.ts)
-- deletes a customer's rows: DELETE FROM ticket_messages WHERE customer_id = $1.
-- Analytics never read this table (ClickHouse stays free of message text).
CREATE TABLE IF NOT EXISTS ticket_messages (
  id                bigserial PRIMARY KEY,
  ticket_id         bigint NOT NULL REFERENCES tickets (id),
  customer_id       bigint NOT NULL,
  sender            text NOT NULL CHECK (sender IN ('customer', 'agent', 'bot')),
  -- The agent who wrote it (sender 'agent'); their first name is looked up in staff for the page.
  agent_id          bigint,
  text              text,
  media_kind        text,
  media_name        text,
  -- The message this row stands for (the source of a relayed message, the bot's sent message; null for
  -- one written in the app): an edit updates the row, a redelivered update is stored once.
  chat_id           bigint,
  message_id        bigint,
  channel           text NOT NULL DEFAULT 'chat' CHECK (channel IN ('chat', 'app')),
  sent_at           timestamptz NOT NULL,
  edited_at         timestamptz
);
CREATE INDEX IF NOT EXISTS ticket_messages_ticket ON ticket_messages (ticket_id, sent_at, id);
CREATE INDEX IF NOT EXISTS ticket_messages_customer ON ticket_messages (customer_id);
CREATE UNIQUE INDEX IF NOT EXISTS ticket_messages_source ON ticket_messages (chat_id, message_id) WHERE message_id IS NOT NULL;
