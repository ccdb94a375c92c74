-- Staff: the agent dimension's labels, id → display name ("Anna K.").
--
-- The desk's store is the source (bot/store/migrations/070_staff.sql): when it sees an
-- agent for the first time or under a new name it writes a staff_updated event to the
-- outbox in the same transaction; bus and ingest carry it like every other fact, and
-- the ingest writes this row (ingest/sink.ts) — the name itself never enters `events`.
-- The latest name by the store's clock wins: ReplacingMergeTree(updated_at) collapses
-- duplicates and older names on merge; readers take argMax(display_name, updated_at)
-- per id, so rows not merged yet change nothing. No TTL: a label outlives the events.
CREATE TABLE IF NOT EXISTS staff{{LOCAL}} {{ON_CLUSTER}}
(
    id            Int64,
    display_name  String,
    updated_at    DateTime64(3, 'UTC')
)
ENGINE = {{REPLICATED}}ReplacingMergeTree(updated_at)
ORDER BY id
-- as events: a retried insert (same deduplication token) is dropped, not stored twice
SETTINGS non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

{{#cluster}}
CREATE TABLE IF NOT EXISTS staff {{ON_CLUSTER}} AS staff_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), staff_local, cityHash64(id));
{{/cluster}}
