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

-- question_order = category_first: the KB suggestion found for a new ticket's first message, shown
-- after the customer picked a category (ids and a score only, never the message).
CREATE TABLE IF NOT EXISTS kb_deferred_suggestions (
  ticket_id  bigint PRIMARY KEY REFERENCES tickets (id),
  article_id text NOT NULL,
  language   text NOT NULL,
  score      double precision NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
