-- Each customer's FIRST exposure to each experiment (issue 16, results API at 1 M exposed customers):
-- min over (occurred_at, event_id) of the customer's experiment_exposure events, with the variant and the
-- ticket of that first event in the same tuple, so `first.3` is the variant of the earliest exposure.
-- AggregatingMergeTree keyed by (experiment, customer_id): a duplicate or a late (out-of-order) exposure
-- only adds a row whose min merges with the rest, so readers merge with FINAL (or min()) and the answer
-- never depends on delivery order, on merges, or on the backfill below overlapping the view.
-- Read by analytics/experiments/analysis.ts instead of grouping the events on every request.
CREATE TABLE IF NOT EXISTS experiment_exposures_first{{LOCAL}} {{ON_CLUSTER}}
(
    experiment   LowCardinality(String),
    customer_id  Int64,
    -- (occurred_at, event_id, variant, ticket_id) of the first exposure
    first        SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), UUID, String, UInt64))
)
ENGINE = {{REPLICATED}}AggregatingMergeTree
ORDER BY (experiment, customer_id);

{{#cluster}}
CREATE TABLE IF NOT EXISTS experiment_exposures_first {{ON_CLUSTER}} AS experiment_exposures_first_local
ENGINE = Distributed('{{CLUSTER}}', currentDatabase(), experiment_exposures_first_local, cityHash64(customer_id));
{{/cluster}}

-- The view writes through the plain name (on a cluster the Distributed table, sharded by customer): a customer's
-- rows all land on one shard, so readers may merge them with FINAL.
CREATE MATERIALIZED VIEW IF NOT EXISTS experiment_exposures_first_mv{{LOCAL}} {{ON_CLUSTER}}
TO experiment_exposures_first
AS SELECT experiment, customer_id, min(tuple(occurred_at, event_id, toString(variant), ticket_id)) AS first
FROM events{{LOCAL}}
WHERE type = 'experiment_exposure' AND customer_id != 0
GROUP BY experiment, customer_id;

-- Exposures written before this migration, once (the view sees only new inserts; an exposure both in the
-- view and here is the same min twice).
INSERT INTO experiment_exposures_first
SELECT experiment, customer_id, min(tuple(occurred_at, event_id, toString(variant), ticket_id)) AS first
FROM events
WHERE type = 'experiment_exposure' AND customer_id != 0
GROUP BY experiment, customer_id;
