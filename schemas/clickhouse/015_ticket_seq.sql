-- "Latest value" ordered by the ticket's own sequence, not by a clock.
--
-- 010 took a ticket's latest status, queue, … as max(tuple(occurred_at, event_id, value)).
-- Clocks disagree: a history replayed with past message dates while button presses
-- are stamped with the processing time, or a backlog Telegram delivers late, gives a
-- later action an earlier occurred_at — a category press stamped "now" outranked the
-- resolution dated days ago, and resolved tickets showed as open and overdue.
-- Events now carry ticket_seq, the ticket's version in the desk's store when the event
-- was written (schemas/events.ts, the clock rule), and every "latest" column becomes
-- max(tuple(ticket_seq, occurred_at, event_id, value)): the sequence decides, the clock
-- and the event id only order events of one change or events written before ticket_seq
-- existed (they read as 0: earlier than any change since). Still an idempotent max, so
-- duplicated, late or shuffled events converge to the same row.
--
-- A tuple column cannot change its arity in place, so the ordered values live in new
-- *_last columns, fed by a new view. Order of statements, as in 013: the new view is
-- created before the old one is dropped (an insert seen by both is absorbed by max),
-- then the tickets written before are copied over from the old columns with
-- ticket_seq 0 — from ticket_facts itself, as `events` may have expired by TTL. The old
-- *_latest columns are left in place (dropping them would make that copy fail on a
-- re-run) and are no longer written or read.
ALTER TABLE events{{LOCAL}} {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS ticket_seq UInt32 DEFAULT 0 AFTER ticket_created_at;

ALTER TABLE ticket_facts{{LOCAL}} {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS queue_last        SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, String)) CODEC(NONE),
    ADD COLUMN IF NOT EXISTS category_last     SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, String)) CODEC(NONE),
    ADD COLUMN IF NOT EXISTS language_last     SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, String)) CODEC(NONE),
    ADD COLUMN IF NOT EXISTS agent_last        SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, Int64)) CODEC(NONE),
    ADD COLUMN IF NOT EXISTS status_last       SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, String)) CODEC(NONE),
    ADD COLUMN IF NOT EXISTS csat_last         SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, UInt8)) CODEC(NONE),
    ADD COLUMN IF NOT EXISTS nps_last          SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, UInt8)) CODEC(NONE),
    ADD COLUMN IF NOT EXISTS queue_change_last SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))) CODEC(NONE);

{{#cluster}}
-- A Distributed table keeps the columns it was created with: add them there too
-- (repeat_contact included, which 012 added to the shard tables only).
ALTER TABLE events {{ON_CLUSTER}} ADD COLUMN IF NOT EXISTS ticket_seq UInt32 DEFAULT 0 AFTER ticket_created_at;
ALTER TABLE ticket_facts {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS repeat_contact    SimpleAggregateFunction(max, UInt8),
    ADD COLUMN IF NOT EXISTS queue_last        SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, String)),
    ADD COLUMN IF NOT EXISTS category_last     SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, String)),
    ADD COLUMN IF NOT EXISTS language_last     SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, String)),
    ADD COLUMN IF NOT EXISTS agent_last        SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, Int64)),
    ADD COLUMN IF NOT EXISTS status_last       SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, String)),
    ADD COLUMN IF NOT EXISTS csat_last         SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, UInt8)),
    ADD COLUMN IF NOT EXISTS nps_last          SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, UInt8)),
    ADD COLUMN IF NOT EXISTS queue_change_last SimpleAggregateFunction(max, Tuple(UInt32, DateTime64(3, 'UTC'), UUID, DateTime64(3, 'UTC'), DateTime64(3, 'UTC')));
{{/cluster}}

CREATE MATERIALIZED VIEW IF NOT EXISTS ticket_facts_v3_mv{{LOCAL}} {{ON_CLUSTER}}
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
    max(type = 'ticket_opened' AND coalesce(is_repeat_contact, false)) AS repeat_contact
FROM events{{LOCAL}}
WHERE ticket_id != 0 AND ticket_created_at IS NOT NULL
GROUP BY ticket_created_at, ticket_id;

DROP TABLE IF EXISTS ticket_facts_v2_mv{{LOCAL}} {{ON_CLUSTER}};

-- Tickets written before: their latest values as 010–014 chose them, at ticket_seq 0
-- (the all-default tuple stays all-default). max makes a re-run harmless.
INSERT INTO ticket_facts (ticket_created_at, ticket_id, queue_last, category_last, language_last, agent_last, status_last, csat_last, nps_last, queue_change_last)
SELECT
    ticket_created_at,
    ticket_id,
    tuple(toUInt32(0), queue_latest.1, queue_latest.2, queue_latest.3),
    tuple(toUInt32(0), category_latest.1, category_latest.2, category_latest.3),
    tuple(toUInt32(0), language_latest.1, language_latest.2, language_latest.3),
    tuple(toUInt32(0), agent_latest.1, agent_latest.2, agent_latest.3),
    tuple(toUInt32(0), status_latest.1, status_latest.2, status_latest.3),
    tuple(toUInt32(0), csat_latest.1, csat_latest.2, csat_latest.3),
    tuple(toUInt32(0), nps_latest.1, nps_latest.2, nps_latest.3),
    tuple(toUInt32(0), queue_change_latest.1, queue_change_latest.2, queue_change_latest.3, queue_change_latest.4)
FROM ticket_facts FINAL;
