-- Outbox pruning (bot/outbox-relay.ts prune()): published rows older than OUTBOX_RETENTION are deleted in
-- bounded batches. The partial index finds them by publication time without touching the unpublished backlog.
CREATE INDEX IF NOT EXISTS outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;
