-- Raw events: one row per event, as validated by schemas/events.ts.
-- Duplicates (at-least-once delivery) collapse on merge: ReplacingMergeTree keyed
-- by the event id; metrics never count rows of this table directly.
-- Ordered for the dashboard's filters: type, then queue and time.
CREATE TABLE IF NOT EXISTS events{{LOCAL}} {{ON_CLUSTER}}
(
    event_id                  UUID,
    schema_version            UInt8,
    type                      LowCardinality(String),
    occurred_at               DateTime64(3, 'UTC'),
    emitted_at                DateTime64(3, 'UTC'),
    ingested_at               DateTime64(3, 'UTC') DEFAULT now64(3),
    ticket_id                 UInt64 DEFAULT 0,
    ticket_created_at         Nullable(DateTime64(3, 'UTC')),
    customer_id               Int64 DEFAULT 0,
    agent_id                  Int64 DEFAULT 0,
    queue                     LowCardinality(String) DEFAULT '',
    category                  LowCardinality(String) DEFAULT '',
    language                  LowCardinality(String) DEFAULT '',
    -- type-specific fields (see schemas/events.ts)
    message_kind              LowCardinality(String) DEFAULT '',
    text_length               UInt32 DEFAULT 0,
    is_first_response         Bool DEFAULT false,
    first_response_seconds    Nullable(Float64),
    first_response_bh_seconds Nullable(Float64),
    reply_kind                LowCardinality(String) DEFAULT '',
    kb_article_id             LowCardinality(String) DEFAULT '',
    kb_score                  Nullable(Float64),
    from_status               LowCardinality(String) DEFAULT '',
    to_status                 LowCardinality(String) DEFAULT '',
    previous_agent_id         Int64 DEFAULT 0,
    from_queue                LowCardinality(String) DEFAULT '',
    to_queue                  LowCardinality(String) DEFAULT '',
    reason                    LowCardinality(String) DEFAULT '',
    first_response_due_at     Nullable(DateTime64(3, 'UTC')),
    resolution_due_at         Nullable(DateTime64(3, 'UTC')),
    is_repeat_contact         Nullable(Bool),
    resolved_by               LowCardinality(String) DEFAULT '',
    resolution_seconds        Nullable(Float64),
    resolution_bh_seconds     Nullable(Float64),
    agent_replies             Nullable(UInt32),
    survey                    LowCardinality(String) DEFAULT '',
    score                     Nullable(UInt8),
    outcome                   LowCardinality(String) DEFAULT '',
    helped                    Nullable(Bool),
    sla_kind                  LowCardinality(String) DEFAULT '',
    due_at                    Nullable(DateTime64(3, 'UTC')),
    macro                     LowCardinality(String) DEFAULT '',
    broadcast_id              String DEFAULT '',
    recipients                Nullable(UInt32),
    delivered                 Nullable(UInt32),
    failed                    Nullable(UInt32),
    opted_out                 Nullable(UInt32)
)
ENGINE = {{REPLICATED}}ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (type, queue, toStartOfHour(occurred_at), ticket_id, event_id)
TTL toDateTime(occurred_at) + INTERVAL {{EVENTS_TTL_DAYS}} DAY
SETTINGS non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

{{#cluster}}
CREATE TABLE IF NOT EXISTS events {{ON_CLUSTER}} AS events_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), events_local, cityHash64(ticket_id));
{{/cluster}}
