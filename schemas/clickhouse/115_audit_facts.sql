-- The audit trail as the dashboard reads it (issue 17, item 2): one row per staff_action event — who acted
-- (agent_id, a staff id: the dashboard names them from `staff`), the action, the ticket and the ticket's
-- customer as their pseudonym (bot/store/pseudonyms.ts), never a Telegram id of a customer. The desk's
-- PostgreSQL `audit_log` (bot/audit.ts) is the record; this is its analytics copy, written by the same
-- transaction's event. ReplacingMergeTree read with FINAL: one row per event, so a duplicate delivery shows once.
-- Ordered by time for the page's newest-first paging (dashboard/api/audit.ts).
CREATE TABLE IF NOT EXISTS audit_facts{{LOCAL}} {{ON_CLUSTER}}
(
    event_id    UUID,
    occurred_at DateTime64(3, 'UTC'),
    actor_id    Int64,
    action      LowCardinality(String),
    ticket_id   UInt64,
    customer_id Int64
)
ENGINE = {{REPLICATED}}ReplacingMergeTree
ORDER BY (occurred_at, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS audit_facts_mv{{LOCAL}} {{ON_CLUSTER}}
TO audit_facts{{LOCAL}}
AS SELECT
    event_id,
    occurred_at,
    agent_id AS actor_id,
    reason AS action,
    ticket_id,
    customer_id
FROM events{{LOCAL}}
WHERE type = 'staff_action';

{{#cluster}}
CREATE TABLE IF NOT EXISTS audit_facts {{ON_CLUSTER}} AS audit_facts_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), audit_facts_local, cityHash64(event_id));
{{/cluster}}

-- staff_action events written before this migration, once (the view sees only new inserts).
INSERT INTO audit_facts
SELECT event_id, occurred_at, agent_id, reason, ticket_id, customer_id
FROM events
WHERE type = 'staff_action';
