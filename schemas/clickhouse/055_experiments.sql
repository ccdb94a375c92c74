-- Experiments (issue 16, bot/experiments/): experiment_exposure carries the experiment's key and the
-- variant the customer got, the first time they met its surface (once per customer and experiment).
-- Keys and variant names only; the customer is the event's customer_id like everywhere.
ALTER TABLE events{{LOCAL}} {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS experiment LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS variant    LowCardinality(String) DEFAULT '';

{{#cluster}}
ALTER TABLE events {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS experiment LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS variant    LowCardinality(String) DEFAULT '';
{{/cluster}}
