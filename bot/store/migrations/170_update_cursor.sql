-- Long polling that survives a hard crash (issue 18, item 6): the id of the last update the desk has fully
-- processed, with every update before it (bot/telegram/polling.ts). Telegram is confirmed only up to it, so
-- a crash redelivers what was in flight; on start, updates up to it are skipped (processed already).
CREATE TABLE IF NOT EXISTS update_cursor (
  bot_id         bigint PRIMARY KEY,
  last_update_id bigint NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
