-- Messages the ingest could not accept, with the reason and where they came from.
-- Keyed by origin so a re-delivered bad message is stored once.
CREATE TABLE IF NOT EXISTS dead_letters{{LOCAL}} {{ON_CLUSTER}}
(
    received_at  DateTime64(3, 'UTC') DEFAULT now64(3),
    source       LowCardinality(String),
    topic        String,
    partition    Int32,
    offset       Int64,
    reason       LowCardinality(String),
    detail       String,
    payload      String
)
ENGINE = {{REPLICATED}}ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(received_at)
ORDER BY (source, topic, partition, offset)
TTL toDateTime(received_at) + INTERVAL 90 DAY;

{{#cluster}}
CREATE TABLE IF NOT EXISTS dead_letters {{ON_CLUSTER}} AS dead_letters_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), dead_letters_local, rand());
{{/cluster}}
