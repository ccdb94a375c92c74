-- The knowledge-base articles suggested to each ticket (issue 15, item 6: the weekly report's reasons by KB
-- article and the tickets the KB could not answer), so the report reads ticket_facts, not the raw events:
-- (time, event id, article) of every kb_suggested — an event delivered twice is one element — and the
-- ticket's first article is arrayMin. A view of its own feeds only this column (as 012, 040 and 065 do); every
-- other column of its rows is its aggregate's neutral element. Tickets from before it read an empty array
-- (no suggestion recorded). Uncompressed like every ticket_facts column (014).
ALTER TABLE ticket_facts{{LOCAL}} {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS kb_suggestions SimpleAggregateFunction(groupUniqArrayArray, Array(Tuple(DateTime64(3, 'UTC'), UUID, String))) CODEC(NONE);

{{#cluster}}
ALTER TABLE ticket_facts {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS kb_suggestions SimpleAggregateFunction(groupUniqArrayArray, Array(Tuple(DateTime64(3, 'UTC'), UUID, String))) CODEC(NONE);
{{/cluster}}

CREATE MATERIALIZED VIEW IF NOT EXISTS ticket_kb_suggestions_mv{{LOCAL}} {{ON_CLUSTER}}
TO ticket_facts{{LOCAL}} (ticket_created_at DateTime64(3, 'UTC'), ticket_id UInt64, kb_suggestions Array(Tuple(DateTime64(3, 'UTC'), UUID, String)))
AS SELECT
    assumeNotNull(ticket_created_at) AS ticket_created_at,
    ticket_id,
    groupUniqArray(tuple(occurred_at, event_id, assumeNotNull(kb_article_id))) AS kb_suggestions
FROM events{{LOCAL}}
WHERE type = 'kb_suggested' AND ticket_id != 0 AND ticket_created_at IS NOT NULL AND kb_article_id IS NOT NULL
GROUP BY ticket_created_at, ticket_id;
