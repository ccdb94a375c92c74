-- Reopen count per ticket (issue 15, item 6: the weekly report's "most reopens"). ticket_facts.reopened says
-- only whether a ticket was reopened; the ids of its ticket_reopened events say how often, and an event
-- delivered twice (at least once) is one id: length(reopen_ids) counts distinct event_id. A view of its own
-- feeds only this column (as 012 and 040 do); every other column of its rows is its aggregate's neutral
-- element, and tickets from before this column read an empty array (0 reopens counted).
ALTER TABLE ticket_facts{{LOCAL}} {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS reopen_ids SimpleAggregateFunction(groupUniqArrayArray, Array(UUID)) CODEC(NONE);

{{#cluster}}
ALTER TABLE ticket_facts {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS reopen_ids SimpleAggregateFunction(groupUniqArrayArray, Array(UUID)) CODEC(NONE);
{{/cluster}}

CREATE MATERIALIZED VIEW IF NOT EXISTS ticket_reopens_mv{{LOCAL}} {{ON_CLUSTER}}
TO ticket_facts{{LOCAL}} (ticket_created_at DateTime64(3, 'UTC'), ticket_id UInt64, reopen_ids Array(UUID))
AS SELECT
    assumeNotNull(ticket_created_at) AS ticket_created_at,
    ticket_id,
    groupUniqArray(event_id) AS reopen_ids
FROM events{{LOCAL}}
WHERE type = 'ticket_reopened' AND ticket_id != 0 AND ticket_created_at IS NOT NULL
GROUP BY ticket_created_at, ticket_id;
