-- Copy-then-record (issue 18, item 6): a relay's idempotency key (the source message) is claimed here before
-- the copy and removed in the statement that records the message pair. A key left without a pair is a copy
-- whose record a crash cut off: since migration 186 it is marked orphaned at the next start and the redelivery
-- copies it again, flagged to the agents (bot/store/message-pairs.ts, bot/telegram/relay.ts).
CREATE TABLE IF NOT EXISTS relay_inflight (
  source_chat_id    bigint NOT NULL,
  source_message_id int NOT NULL,
  claimed_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_chat_id, source_message_id)
);
