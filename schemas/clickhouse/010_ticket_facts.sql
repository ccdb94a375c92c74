-- Per-ticket state for analytics, kept by an incremental materialized view.
--
-- Every column is an idempotent aggregate (min, max, latest-by-(occurred_at, event_id)),
-- so a duplicated or re-ordered event changes nothing: a ticket's row converges to
-- the same state whatever order its events arrive in and however often. "Latest X"
-- is stored as max(tuple(occurred_at, event_id, X)): tuples compare left to right,
-- so the maximum is the latest event and carries its value, ties broken by event id.
-- The all-default tuple (1970, zero UUID, '') means "no such event yet".
--
-- Ordered by ticket creation time then ticket id: every event carries
-- ticket_created_at, so a cohort filter [from, to) reads a contiguous key range.
-- Readers GROUP BY (ticket_created_at, ticket_id) and re-apply min/max to merge
-- rows that background merges have not combined yet.
CREATE TABLE IF NOT EXISTS ticket_facts{{LOCAL}} {{ON_CLUSTER}}
(
    ticket_created_at      DateTime64(3, 'UTC'),
    ticket_id              UInt64,
    customer_id            SimpleAggregateFunction(max, Int64),
    -- latest non-empty envelope values: the ticket's current queue, category, language, agent
    queue_latest           SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), UUID, String)),
    category_latest        SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), UUID, String)),
    language_latest        SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), UUID, String)),
    agent_latest           SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), UUID, Int64)),
    -- latest status: status_changed.to_status; ticket_opened → new, ticket_resolved → resolved,
    -- ticket_reopened → waiting_agent (a later status_changed wins)
    status_latest          SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), UUID, String)),
    opened                 SimpleAggregateFunction(max, UInt8),
    -- first human reply (message_out); bot_reply never stops the clock
    first_reply_at         SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    first_reply_bh_seconds SimpleAggregateFunction(min, Nullable(Float64)),
    -- smallest and largest agent-reply event id: none → 0 replies, equal → exactly 1, else ≥ 2
    reply_min_id           SimpleAggregateFunction(min, Nullable(UUID)),
    reply_max_id           SimpleAggregateFunction(max, Nullable(UUID)),
    first_resolved_at      SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    reopened               SimpleAggregateFunction(max, UInt8),
    csat_surveyed          SimpleAggregateFunction(max, UInt8),
    nps_surveyed           SimpleAggregateFunction(max, UInt8),
    csat_latest            SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), UUID, UInt8)),
    nps_latest             SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), UUID, UInt8)),
    -- SLA deadlines: from ticket_opened, overridden by the latest queue_changed
    opened_fr_due_at       SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    opened_res_due_at      SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    queue_change_latest    SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), UUID, DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))),
    last_event_at          SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{REPLICATED}}AggregatingMergeTree
PARTITION BY toYYYYMM(ticket_created_at)
ORDER BY (ticket_created_at, ticket_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS ticket_facts_mv{{LOCAL}} {{ON_CLUSTER}}
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
    max(occurred_at) AS last_event_at
FROM events{{LOCAL}}
WHERE ticket_id != 0 AND ticket_created_at IS NOT NULL
GROUP BY ticket_created_at, ticket_id;

{{#cluster}}
CREATE TABLE IF NOT EXISTS ticket_facts {{ON_CLUSTER}} AS ticket_facts_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), ticket_facts_local, cityHash64(ticket_id));
{{/cluster}}
