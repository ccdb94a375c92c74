-- The community chat guard (issue 17, item 6; bot/features/community-guard/): captcha_passed / captcha_failed carry
-- how the person came (join_kind: a join request, or joining directly) and, when passed, how long the captcha took;
-- staff_clone_flagged carries join_kind too. The person is the event's customer_id, a pseudonym like every
-- customer's (bot/store/pseudonyms.ts) — never a Telegram id, a name or a username.
ALTER TABLE events{{LOCAL}} {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS join_kind       LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS captcha_seconds Nullable(Float64);

{{#cluster}}
ALTER TABLE events {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS join_kind       LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS captcha_seconds Nullable(Float64);
{{/cluster}}

-- Spam/phishing share (item 7) counts captcha failures too: trust_facts gets captcha_failed rows. One view feeds
-- trust_facts again: the new one is created before 070's is dropped, so an insert both see is absorbed
-- (ReplacingMergeTree by event_id, read with FINAL).
CREATE MATERIALIZED VIEW IF NOT EXISTS trust_facts_v2_mv{{LOCAL}} {{ON_CLUSTER}}
TO trust_facts{{LOCAL}}
AS SELECT
    event_id,
    occurred_at,
    type,
    reason
FROM events{{LOCAL}}
WHERE type IN ('message_in', 'spam_blocked', 'secret_masked', 'fake_reported', 'captcha_failed');

DROP VIEW IF EXISTS trust_facts_mv{{LOCAL}} {{ON_CLUSTER}};

-- captcha_failed events written before this migration, once (the view sees only new inserts; a repeat is absorbed).
INSERT INTO trust_facts
SELECT event_id, occurred_at, type, reason
FROM events
WHERE type = 'captcha_failed';
