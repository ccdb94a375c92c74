-- One view feeds all of ticket_facts again, repeat_contact included.
--
-- 012 fed repeat_contact through a second view, which wrote a second row per
-- ticket: twice the rows for FINAL to merge on every dashboard query. The new
-- view is created before the old ones are dropped, so no insert in between goes
-- unprocessed; an insert seen by both writes the same aggregates twice, which
-- the idempotent columns absorb.
CREATE MATERIALIZED VIEW IF NOT EXISTS ticket_facts_v2_mv{{LOCAL}} {{ON_CLUSTER}}
TO ticket_facts{{LOCAL}}
AS SELECT
    assumeNotNull(ticket_created_at) AS ticket_created_at,
    ticket_id,
    max(customer_id) AS customer_id,
    maxIf(tuple(occurred_at, event_id, toString(queue)), queue != '') AS queue_latest,
    maxIf(tuple(occurred_at, event_id, toString(category)), category != '') AS category_latest,
    maxIf(tuple(occurred_at, event_id, toString(language)), language != '') AS language_latest,
    maxIf(tuple(occurred_at, event_id, agent_id), agent_id != 0) AS agent_latest,
    maxIf(
        tuple(occurred_at, event_id, multiIf(type = 'status_changed', toString(to_status), type = 'ticket_opened', 'new', type = 'ticket_resolved', 'resolved', 'waiting_agent')),
        type IN ('status_changed', 'ticket_opened', 'ticket_resolved', 'ticket_reopened')
    ) AS status_latest,
    max(type = 'ticket_opened') AS opened,
    min(if(type = 'message_out', occurred_at, NULL)) AS first_reply_at,
    min(if(type = 'message_out', first_response_bh_seconds, NULL)) AS first_reply_bh_seconds,
    min(if(type = 'message_out', event_id, NULL)) AS reply_min_id,
    max(if(type = 'message_out', event_id, NULL)) AS reply_max_id,
    min(if(type = 'ticket_resolved', occurred_at, NULL)) AS first_resolved_at,
    max(type = 'ticket_reopened') AS reopened,
    max(type = 'survey_sent' AND survey = 'csat') AS csat_surveyed,
    max(type = 'survey_sent' AND survey = 'nps') AS nps_surveyed,
    maxIf(tuple(occurred_at, event_id, assumeNotNull(score)), type = 'csat_rated' AND score IS NOT NULL) AS csat_latest,
    maxIf(tuple(occurred_at, event_id, assumeNotNull(score)), type = 'nps_rated' AND score IS NOT NULL) AS nps_latest,
    min(if(type = 'ticket_opened', first_response_due_at, NULL)) AS opened_fr_due_at,
    min(if(type = 'ticket_opened', resolution_due_at, NULL)) AS opened_res_due_at,
    maxIf(
        tuple(occurred_at, event_id, assumeNotNull(first_response_due_at), assumeNotNull(resolution_due_at)),
        type = 'queue_changed' AND first_response_due_at IS NOT NULL AND resolution_due_at IS NOT NULL
    ) AS queue_change_latest,
    max(occurred_at) AS last_event_at,
    max(type = 'ticket_opened' AND coalesce(is_repeat_contact, false)) AS repeat_contact
FROM events{{LOCAL}}
WHERE ticket_id != 0 AND ticket_created_at IS NOT NULL
GROUP BY ticket_created_at, ticket_id;

DROP TABLE IF EXISTS ticket_repeat_contact_mv{{LOCAL}} {{ON_CLUSTER}};
DROP TABLE IF EXISTS ticket_facts_mv{{LOCAL}} {{ON_CLUSTER}};
