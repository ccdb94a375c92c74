-- Copy-then-record (issue 18, item 6): a relay's idempotency key (the source message) is claimed here before
-- the copy and removed in the statement that records the message pair. A key left without a pair is a copy
-- whose record a crash cut off: a redelivery does not copy it again (bot/store/message-pairs.ts).
CREATE TABLE IF NOT EXISTS relay_inflight (
  source_chat_id    bigint NOT NULL,
  source_message_id int NOT NULL,
  claimed_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_chat_id, source_message_id)
);
