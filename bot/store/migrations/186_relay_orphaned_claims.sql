-- At-least-once for cut-off copies (flagged): a relay claim left by a process that died mid-copy is "orphaned".
-- The desk marks every claim it finds at start orphaned (bot/app.ts start, MessagePairRepo.orphanClaims), before
-- it handles any update; claiming a key whose row is orphaned takes it over, so the redelivered update is copied
-- again and the agents are told it may appear twice (bot/telegram/relay.ts). A claim of the running process is
-- never orphaned: it is still a copy under way.
ALTER TABLE relay_inflight ADD COLUMN IF NOT EXISTS orphaned boolean NOT NULL DEFAULT false;
