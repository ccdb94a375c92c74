-- Escalations and urgent tickets (issue 15, bot/features/urgent/): ticket_escalated carries why
-- (reason: frt_risk, needs_expert, stop_word, manual — the shared `reason` column), from_queue, to_queue,
-- and whether the ticket is urgent after it (a stop word marks it). Events written before read urgent NULL.
ALTER TABLE events{{LOCAL}} {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS urgent Nullable(Bool);

-- A ticket once urgent stays first in the priority order (sla/priority.ts): the live panel's "next up" reads
-- it per ticket. A view of its own feeds only this column, as 012 does for repeat_contact: every other
-- column of its rows is its aggregate's neutral element, so merges are unaffected.
ALTER TABLE ticket_facts{{LOCAL}} {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS urgent SimpleAggregateFunction(max, UInt8);

{{#cluster}}
ALTER TABLE events {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS urgent Nullable(Bool);
ALTER TABLE ticket_facts {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS urgent SimpleAggregateFunction(max, UInt8);
{{/cluster}}

CREATE MATERIALIZED VIEW IF NOT EXISTS ticket_urgent_mv{{LOCAL}} {{ON_CLUSTER}}
TO ticket_facts{{LOCAL}} (ticket_created_at DateTime64(3, 'UTC'), ticket_id UInt64, urgent UInt8)
AS SELECT
    assumeNotNull(ticket_created_at) AS ticket_created_at,
    ticket_id,
    max(coalesce(urgent, false)) AS urgent
FROM events{{LOCAL}}
WHERE type = 'ticket_escalated' AND ticket_id != 0 AND ticket_created_at IS NOT NULL
GROUP BY ticket_created_at, ticket_id;
