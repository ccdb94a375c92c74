-- Every resolution, by customer: the repeat-contact metric asks whether a
-- customer had another ticket resolved in the 7 days before a new one opened,
-- which is a lookup by customer over a time window. Keyed by event id so a
-- duplicated ticket_resolved collapses on merge; readers only test existence,
-- so rows not merged yet cannot change a result.
CREATE TABLE IF NOT EXISTS customer_resolutions{{LOCAL}} {{ON_CLUSTER}}
(
    resolved_at  DateTime64(3, 'UTC'),
    customer_id  Int64,
    ticket_id    UInt64,
    event_id     UUID
)
ENGINE = {{REPLICATED}}ReplacingMergeTree
PARTITION BY toYYYYMM(resolved_at)
ORDER BY (toStartOfDay(resolved_at), customer_id, ticket_id, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS customer_resolutions_mv{{LOCAL}} {{ON_CLUSTER}}
TO customer_resolutions{{LOCAL}}
AS SELECT occurred_at AS resolved_at, customer_id, ticket_id, event_id
FROM events{{LOCAL}}
WHERE type = 'ticket_resolved' AND ticket_id != 0 AND customer_id != 0;

{{#cluster}}
CREATE TABLE IF NOT EXISTS customer_resolutions {{ON_CLUSTER}} AS customer_resolutions_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), customer_resolutions_local, cityHash64(customer_id));
{{/cluster}}
