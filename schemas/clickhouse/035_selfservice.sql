-- Self-service in the customer Mini App (issue 14, item 9; events from 030_miniapp.sql).
--
-- 1. Where a ticket was opened: ticket_opened.channel ('app' from the Mini App's new-request form, '' or
--    'chat' from a message to the bot) as the per-ticket flag from_app. One view feeds all of ticket_facts
--    (one insert gives one row per ticket, which the property tests check), so as in 013 and 015 a new view
--    with the column is created before the old one is dropped (an insert seen by both is absorbed by max),
--    and the tickets opened in the app before it are filled in from `events` (max makes a re-run harmless).
--    Tickets opened before the app existed were all chat: 0 is right for them.
ALTER TABLE ticket_facts{{LOCAL}} {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS from_app SimpleAggregateFunction(max, UInt8);

{{#cluster}}
ALTER TABLE ticket_facts {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS from_app SimpleAggregateFunction(max, UInt8);
{{/cluster}}

CREATE MATERIALIZED VIEW IF NOT EXISTS ticket_facts_v4_mv{{LOCAL}} {{ON_CLUSTER}}
TO ticket_facts{{LOCAL}}
AS SELECT
    assumeNotNull(ticket_created_at) AS ticket_created_at,
    ticket_id,
    max(customer_id) AS customer_id,
    maxIf(tuple(ticket_seq, occurred_at, event_id, toString(queue)), queue != '') AS queue_last,
    maxIf(tuple(ticket_seq, occurred_at, event_id, toString(category)), category != '') AS category_last,
    maxIf(tuple(ticket_seq, occurred_at, event_id, toString(language)), language != '') AS language_last,
    maxIf(tuple(ticket_seq, occurred_at, event_id, agent_id), agent_id != 0) AS agent_last,
    maxIf(
        tuple(ticket_seq, occurred_at, event_id, multiIf(type = 'status_changed', toString(to_status), type = 'ticket_opened', 'new', type = 'ticket_resolved', 'resolved', 'waiting_agent')),
        type IN ('status_changed', 'ticket_opened', 'ticket_resolved', 'ticket_reopened')
    ) AS status_last,
    max(type = 'ticket_opened') AS opened,
    min(if(type = 'message_out', occurred_at, NULL)) AS first_reply_at,
    min(if(type = 'message_out', first_response_bh_seconds, NULL)) AS first_reply_bh_seconds,
    min(if(type = 'message_out', event_id, NULL)) AS reply_min_id,
    max(if(type = 'message_out', event_id, NULL)) AS reply_max_id,
    min(if(type = 'ticket_resolved', occurred_at, NULL)) AS first_resolved_at,
    max(type = 'ticket_reopened') AS reopened,
    max(type = 'survey_sent' AND survey = 'csat') AS csat_surveyed,
    max(type = 'survey_sent' AND survey = 'nps') AS nps_surveyed,
    maxIf(tuple(ticket_seq, occurred_at, event_id, assumeNotNull(score)), type = 'csat_rated' AND score IS NOT NULL) AS csat_last,
    maxIf(tuple(ticket_seq, occurred_at, event_id, assumeNotNull(score)), type = 'nps_rated' AND score IS NOT NULL) AS nps_last,
    min(if(type = 'ticket_opened', first_response_due_at, NULL)) AS opened_fr_due_at,
    min(if(type = 'ticket_opened', resolution_due_at, NULL)) AS opened_res_due_at,
    maxIf(
        tuple(ticket_seq, occurred_at, event_id, assumeNotNull(first_response_due_at), assumeNotNull(resolution_due_at)),
        type = 'queue_changed' AND first_response_due_at IS NOT NULL AND resolution_due_at IS NOT NULL
    ) AS queue_change_last,
    max(occurred_at) AS last_event_at,
    max(type = 'ticket_opened' AND coalesce(is_repeat_contact, false)) AS repeat_contact,
    max(type = 'ticket_opened' AND channel = 'app') AS from_app
FROM events{{LOCAL}}
WHERE ticket_id != 0 AND ticket_created_at IS NOT NULL
GROUP BY ticket_created_at, ticket_id;

DROP TABLE IF EXISTS ticket_facts_v3_mv{{LOCAL}} {{ON_CLUSTER}};

INSERT INTO ticket_facts (ticket_created_at, ticket_id, from_app)
SELECT assumeNotNull(ticket_created_at), ticket_id, 1
FROM events
WHERE type = 'ticket_opened' AND channel = 'app' AND ticket_id != 0 AND ticket_created_at IS NOT NULL
GROUP BY ticket_created_at, ticket_id;

-- 2. What customers do in the app that is not a ticket: opening it, reading an article, "Did this help?",
--    "Solved by this article" before any request was sent (kb_outcome solved, channel app: a deflection),
--    and the requests it sent (ticket_opened, channel app) — the self-service metrics' rows
--    (analytics/metrics/selfservice.ts), one per event, ids and enums only.
--    ReplacingMergeTree read with FINAL keeps them idempotent: one row per `row_key`, the event id —
--    except a "Did this help?" answer, whose key is customer and article, so the latest answer of a
--    customer about an article replaces the earlier ones (the version is the answer's time).
CREATE TABLE IF NOT EXISTS app_facts{{LOCAL}} {{ON_CLUSTER}}
(
    row_key       String,
    occurred_at   DateTime64(3, 'UTC'),
    type          LowCardinality(String),
    customer_id   Int64,
    kb_article_id LowCardinality(String),
    helpful       UInt8,
    entry         LowCardinality(String)
)
ENGINE = {{REPLICATED}}ReplacingMergeTree(occurred_at)
ORDER BY (type, row_key);

CREATE MATERIALIZED VIEW IF NOT EXISTS app_facts_mv{{LOCAL}} {{ON_CLUSTER}}
TO app_facts{{LOCAL}}
AS SELECT
    if(type = 'kb_article_helpful', concat(toString(customer_id), ':', toString(kb_article_id)), toString(event_id)) AS row_key,
    occurred_at,
    type,
    customer_id,
    kb_article_id,
    toUInt8(coalesce(helpful, false)) AS helpful,
    entry
FROM events{{LOCAL}}
WHERE type IN ('app_opened', 'kb_article_viewed', 'kb_article_helpful')
   OR (type = 'kb_outcome' AND outcome = 'solved' AND channel = 'app')
   OR (type = 'ticket_opened' AND channel = 'app');

{{#cluster}}
CREATE TABLE IF NOT EXISTS app_facts {{ON_CLUSTER}} AS app_facts_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), app_facts_local, cityHash64(row_key));
{{/cluster}}
