-- Optimistic concurrency for the hot path: a change made from a ticket row read moments
-- before applies only if nobody changed the ticket since (version unchanged).
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS version int NOT NULL DEFAULT 0;
