-- Experiments (bot/experiments/, issue 16).
--
-- The first time a customer meets an experiment's surface: the variant they got, written with the
-- experiment_exposure event's outbox row in one transaction (INSERT … ON CONFLICT DO NOTHING is the
-- "exactly once per customer and experiment"). Also what keeps a customer's variant when the file's
-- weights change mid-experiment (the hash alone would move some of them).
CREATE TABLE IF NOT EXISTS experiment_exposures (
  customer_id    bigint NOT NULL,
  experiment_key text NOT NULL,
  variant        text NOT NULL,
  ticket_id      bigint,
  exposed_at     timestamptz NOT NULL,
  PRIMARY KEY (customer_id, experiment_key)
);

-- The articles found for a new ticket's first message while the customer has not seen them yet (question_order =
-- category_first: shown after the category is picked) or is choosing among them (kb_format = search: the matching
-- questions as buttons). Best first; ids and scores only, never the message.
CREATE TABLE IF NOT EXISTS kb_candidates (
  ticket_id   bigint PRIMARY KEY REFERENCES tickets (id),
  article_ids text[] NOT NULL,
  scores      double precision[] NOT NULL,
  -- true: waiting for the category (question_order = category_first); false: offered as a list (kb_format = search).
  deferred    boolean NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
