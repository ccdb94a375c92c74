-- Exactly once under faults (issue 18, item 6): the ticket event a relayed message produced (message_in for a
-- customer's message, message_out for an agent's reply) is recorded with its source message as key, in the
-- same statement/transaction as the event (bot/tickets/service.ts recordCustomerMessage / recordAgentReplies).
-- A redelivered update (a crash before Telegram was confirmed) finds its key and records nothing twice; an
-- agent reply whose copy a crash cut off before its record still gets its one event. Keys older than a
-- redelivery can be are pruned (bot/telegram/polling.ts).
CREATE TABLE IF NOT EXISTS relay_event_keys (
  source_chat_id    bigint NOT NULL,
  source_message_id int NOT NULL,
  ticket_id         bigint NOT NULL,
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_chat_id, source_message_id)
);
CREATE INDEX IF NOT EXISTS relay_event_keys_recorded_at ON relay_event_keys (recorded_at);
