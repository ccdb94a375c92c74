-- Repeat contacts from the producer's flag instead of a query-time join.
--
-- ticket_opened.is_repeat_contact is set by the desk when the ticket is created,
-- from its own records: "the customer had another ticket resolved in the 7 days
-- before". Reading it as a per-ticket aggregate makes the metric a plain count
-- (the join over customer_resolutions cost more than every other metric together)
-- and keeps it idempotent. A second view feeds only this column into ticket_facts:
-- every other column of its rows is the neutral element of its aggregate
-- (NULL for min, the zero tuple / 0 for max), so merges are unaffected.
ALTER TABLE ticket_facts{{LOCAL}} {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS repeat_contact SimpleAggregateFunction(max, UInt8);

CREATE MATERIALIZED VIEW IF NOT EXISTS ticket_repeat_contact_mv{{LOCAL}} {{ON_CLUSTER}}
TO ticket_facts{{LOCAL}} (ticket_created_at DateTime64(3, 'UTC'), ticket_id UInt64, repeat_contact UInt8)
AS SELECT
    assumeNotNull(ticket_created_at) AS ticket_created_at,
    ticket_id,
    max(coalesce(is_repeat_contact, false)) AS repeat_contact
FROM events{{LOCAL}}
WHERE type = 'ticket_opened' AND ticket_id != 0 AND ticket_created_at IS NOT NULL
GROUP BY ticket_created_at, ticket_id;

-- Tickets opened before this migration: the same rows, once (max makes a re-run harmless).
INSERT INTO ticket_facts (ticket_created_at, ticket_id, repeat_contact)
SELECT assumeNotNull(ticket_created_at), ticket_id, 1
FROM events
WHERE type = 'ticket_opened' AND is_repeat_contact AND ticket_id != 0 AND ticket_created_at IS NOT NULL
GROUP BY ticket_created_at, ticket_id;

-- The per-resolution table only served the join; nothing else reads it.
DROP TABLE IF EXISTS customer_resolutions_mv{{LOCAL}} {{ON_CLUSTER}};
DROP TABLE IF EXISTS customer_resolutions{{LOCAL}} {{ON_CLUSTER}};
{{#cluster}}
DROP TABLE IF EXISTS customer_resolutions {{ON_CLUSTER}};
{{/cluster}}
