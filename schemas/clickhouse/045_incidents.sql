-- Incidents (issue 15, bot/incidents, bot/features/incidents): incident_suspected, incident_opened,
-- incident_updated, incident_resolved and ticket_linked. Ids, enums, counts and durations only: the first
-- messages' stems a spike may be keyed by never leave the desk (key_kind says 'keywords'), no text, no names.
ALTER TABLE events{{LOCAL}} {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS incident_id        Nullable(UInt64),
    ADD COLUMN IF NOT EXISTS spike_id           Nullable(UInt64),
    ADD COLUMN IF NOT EXISTS key_kind           LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS incident_tickets   Nullable(UInt32),
    ADD COLUMN IF NOT EXISTS incident_customers Nullable(UInt32),
    ADD COLUMN IF NOT EXISTS incident_baseline  Nullable(Float64),
    ADD COLUMN IF NOT EXISTS detect_seconds     Nullable(Float64),
    ADD COLUMN IF NOT EXISTS ack_seconds        Nullable(Float64),
    ADD COLUMN IF NOT EXISTS incident_seconds   Nullable(Float64),
    ADD COLUMN IF NOT EXISTS update_kind        LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS eta_at             Nullable(DateTime64(3, 'UTC')),
    ADD COLUMN IF NOT EXISTS link_action        LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS link_source        LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS known_issue_reply  Nullable(Bool);

{{#cluster}}
ALTER TABLE events {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS incident_id        Nullable(UInt64),
    ADD COLUMN IF NOT EXISTS spike_id           Nullable(UInt64),
    ADD COLUMN IF NOT EXISTS key_kind           LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS incident_tickets   Nullable(UInt32),
    ADD COLUMN IF NOT EXISTS incident_customers Nullable(UInt32),
    ADD COLUMN IF NOT EXISTS incident_baseline  Nullable(Float64),
    ADD COLUMN IF NOT EXISTS detect_seconds     Nullable(Float64),
    ADD COLUMN IF NOT EXISTS ack_seconds        Nullable(Float64),
    ADD COLUMN IF NOT EXISTS incident_seconds   Nullable(Float64),
    ADD COLUMN IF NOT EXISTS update_kind        LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS eta_at             Nullable(DateTime64(3, 'UTC')),
    ADD COLUMN IF NOT EXISTS link_action        LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS link_source        LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS known_issue_reply  Nullable(Bool);
{{/cluster}}
