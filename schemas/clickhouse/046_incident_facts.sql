-- Incident analytics (issue 15, item 5; events from 045_incidents.sql).
--
-- 1. Which tickets were linked to an incident and which got the automatic "known issue" reply: a view of its
--    own feeds only these two columns (as 012 and 035 do), every other column of its rows is its aggregate's
--    neutral element. "Linked" means linked at some point (an agent's later /unlink does not undo that the
--    ticket came with an outage). Tickets from before incidents existed read 0: none was linked.
ALTER TABLE ticket_facts{{LOCAL}} {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS incident_linked SimpleAggregateFunction(max, UInt8),
    ADD COLUMN IF NOT EXISTS known_issue     SimpleAggregateFunction(max, UInt8);

{{#cluster}}
ALTER TABLE ticket_facts {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS incident_linked SimpleAggregateFunction(max, UInt8),
    ADD COLUMN IF NOT EXISTS known_issue     SimpleAggregateFunction(max, UInt8);
{{/cluster}}

CREATE MATERIALIZED VIEW IF NOT EXISTS ticket_incident_mv{{LOCAL}} {{ON_CLUSTER}}
TO ticket_facts{{LOCAL}} (ticket_created_at DateTime64(3, 'UTC'), ticket_id UInt64, incident_linked UInt8, known_issue UInt8)
AS SELECT
    assumeNotNull(ticket_created_at) AS ticket_created_at,
    ticket_id,
    max(link_action = 'linked') AS incident_linked,
    max(coalesce(known_issue_reply, false)) AS known_issue
FROM events{{LOCAL}}
WHERE type = 'ticket_linked' AND ticket_id != 0 AND ticket_created_at IS NOT NULL
GROUP BY ticket_created_at, ticket_id;

-- 2. The incidents themselves: one row per incident event (suspected, opened, updated, resolved) and per
--    link, by the events' own time — the incident metrics' rows (analytics/incidents.ts) and the dashboard's
--    timeline. Ids, enums, counts and durations only. ReplacingMergeTree read with FINAL: one row per event.
CREATE TABLE IF NOT EXISTS incident_facts{{LOCAL}} {{ON_CLUSTER}}
(
    event_id         UUID,
    occurred_at      DateTime64(3, 'UTC'),
    type             LowCardinality(String),
    incident_id      UInt64,
    spike_id         UInt64,
    ticket_id        UInt64,
    category         LowCardinality(String),
    key_kind         LowCardinality(String),
    link_action      LowCardinality(String),
    tickets          UInt32,
    detect_seconds   Nullable(Float64),
    ack_seconds      Nullable(Float64),
    incident_seconds Nullable(Float64),
    eta_at           Nullable(DateTime64(3, 'UTC'))
)
ENGINE = {{REPLICATED}}ReplacingMergeTree
ORDER BY (type, occurred_at, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS incident_facts_mv{{LOCAL}} {{ON_CLUSTER}}
TO incident_facts{{LOCAL}}
AS SELECT
    event_id,
    occurred_at,
    type,
    coalesce(incident_id, 0) AS incident_id,
    coalesce(spike_id, 0) AS spike_id,
    coalesce(ticket_id, 0) AS ticket_id,
    coalesce(category, '') AS category,
    key_kind,
    link_action,
    coalesce(incident_tickets, 0) AS tickets,
    detect_seconds,
    ack_seconds,
    incident_seconds,
    eta_at
FROM events{{LOCAL}}
WHERE type IN ('incident_suspected', 'incident_opened', 'incident_updated', 'incident_resolved', 'ticket_linked');

{{#cluster}}
CREATE TABLE IF NOT EXISTS incident_facts {{ON_CLUSTER}} AS incident_facts_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), incident_facts_local, cityHash64(event_id));
{{/cluster}}
