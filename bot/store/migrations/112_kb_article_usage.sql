-- How the knowledge base is used in the customer Mini App, per article (no customer ids: counts only):
-- the app's "popular solutions" rank by it (bot/miniapp/api/kb.ts), together with the chat's KB outcomes
-- (kb_suggestions). The events (kb_article_viewed, kb_article_helpful, kb_outcome channel 'app') carry the
-- same facts to the analytics.
CREATE TABLE IF NOT EXISTS kb_article_usage (
  article_id   text PRIMARY KEY,
  views        bigint NOT NULL DEFAULT 0,
  helpful      bigint NOT NULL DEFAULT 0,
  not_helpful  bigint NOT NULL DEFAULT 0,
  solved       bigint NOT NULL DEFAULT 0,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
