-- The customer Mini App (issue 14, bot/miniapp/): where a ticket was opened (ticket_opened.channel, and
-- kb_outcome.channel for a deflection in the app), the app's own events (app_opened.entry,
-- kb_article_viewed, kb_article_helpful.helpful). Ids and enums only: no text, no names.
-- Events written before this read as channel '' (the chat: the app did not exist).
ALTER TABLE events{{LOCAL}} {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS channel LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS entry   LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS helpful Nullable(Bool);

{{#cluster}}
ALTER TABLE events {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS channel LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS entry   LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS helpful Nullable(Bool);
{{/cluster}}
