-- Spam/phishing share (issue 17, item 7): the customer messages that came in and those the desk caught —
-- held back by anti-spam (spam_blocked), carrying a secret it masked (secret_masked), or reporting an account
-- posing as the desk (fake_reported, bot/features/trust) — one row per event, by the event's own time, with
-- no ticket cohort (a dropped spam message or a report need not belong to a ticket). Ids and enums only.
-- ReplacingMergeTree read with FINAL: one row per event, so a duplicate delivery counts once
-- (the trust metrics' rows, analytics/trust.ts).
CREATE TABLE IF NOT EXISTS trust_facts{{LOCAL}} {{ON_CLUSTER}}
(
    event_id    UUID,
    occurred_at DateTime64(3, 'UTC'),
    type        LowCardinality(String),
    reason      LowCardinality(String)
)
ENGINE = {{REPLICATED}}ReplacingMergeTree
ORDER BY (type, occurred_at, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS trust_facts_mv{{LOCAL}} {{ON_CLUSTER}}
TO trust_facts{{LOCAL}}
AS SELECT
    event_id,
    occurred_at,
    type,
    reason
FROM events{{LOCAL}}
WHERE type IN ('message_in', 'spam_blocked', 'secret_masked', 'fake_reported');

{{#cluster}}
CREATE TABLE IF NOT EXISTS trust_facts {{ON_CLUSTER}} AS trust_facts_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), trust_facts_local, cityHash64(event_id));
{{/cluster}}

-- Events of these types written before this migration, once (the view sees only new inserts).
INSERT INTO trust_facts
SELECT event_id, occurred_at, type, reason
FROM events
WHERE type IN ('message_in', 'spam_blocked', 'secret_masked', 'fake_reported');
