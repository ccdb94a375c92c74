-- A per-day rollup of the registry's additive aggregates, for long ranges (issue 18, item 7: a year-long
-- dashboard range on 10 M events). analytics/rollup.ts owns both tables; what is rolled up and how a day is
-- read is explained there. In short:
--
-- 1. ticket_days_touched: when each creation day (UTC) of ticket_facts last got rows, by the server's clock.
--    A view on ticket_facts itself (it fires for every block the ticket_facts views insert), so a late event,
--    a re-delivered one, a ticket that changed queue or got rated months later all touch the day the ticket
--    was created. The backfill below touches every day that already has tickets.
CREATE TABLE IF NOT EXISTS ticket_days_touched{{LOCAL}} {{ON_CLUSTER}}
(
    day        Date,
    touched_at SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{REPLICATED}}AggregatingMergeTree
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS ticket_days_touched_mv{{LOCAL}} {{ON_CLUSTER}}
TO ticket_days_touched{{LOCAL}}
AS SELECT
    toDate(ticket_created_at, 'UTC') AS day,
    max(now64(3, 'UTC')) AS touched_at
FROM ticket_facts{{LOCAL}}
GROUP BY day;

INSERT INTO ticket_days_touched{{LOCAL}}
SELECT toDate(ticket_created_at, 'UTC') AS day, now64(3, 'UTC') AS touched_at
FROM ticket_facts{{LOCAL}}
GROUP BY day;

-- 2. ticket_rollup_days: per creation day, dimension and definition (a hash of the rolled-up aggregates' SQL:
--    a changed metric reads none of the old rows) one row, recomputed whole from ticket_facts FINAL when the day
--    was touched after its last computation — never added to, so a re-delivered event cannot count twice and a
--    ticket that moved to another queue leaves its old group. The latest computation replaces the others
--    (computed_at, the server's clock when it started, is the version). The dimension '' is the whole day; the
--    others (queue, category, agent, language) hold one group per value (`keys`). Per group: the additive
--    aggregates (`counts`, in the definition's order) and, for counts that grow with "now" (SLA deadlines
--    passed), the deadlines still pending in milliseconds (`pending`), which a query compares with its own now.
CREATE TABLE IF NOT EXISTS ticket_rollup_days{{LOCAL}} {{ON_CLUSTER}}
(
    definition  UInt64,
    dimension   LowCardinality(String),
    day         Date,
    computed_at DateTime64(3, 'UTC'),
    keys        Array(String),
    counts      Array(Array(Float64)),
    pending     Array(Array(Array(Int64)))
)
ENGINE = {{REPLICATED}}ReplacingMergeTree(computed_at)
ORDER BY (definition, dimension, day);

{{#cluster}}
CREATE TABLE IF NOT EXISTS ticket_days_touched {{ON_CLUSTER}} AS ticket_days_touched_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), ticket_days_touched_local, cityHash64(day));
CREATE TABLE IF NOT EXISTS ticket_rollup_days {{ON_CLUSTER}} AS ticket_rollup_days_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), ticket_rollup_days_local, cityHash64(definition, dimension, day));
{{/cluster}}
