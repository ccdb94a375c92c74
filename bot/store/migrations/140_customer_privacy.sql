-- Privacy (issue 17 item 8, issue 14 deletion; bot/store/pseudonyms.ts, bot/store/privacy.ts).
--
-- Pseudonymous analytics ids: every event's customer_id is HMAC-SHA256(key, Telegram id) cut to a positive
-- 53-bit integer, with a random 32-byte key per customer kept only here. A leaked ClickHouse names nobody;
-- deleting the key (eraseCustomer) makes the customer's events unlinkable for good while every aggregate
-- stays as it was. A separate table (not a column of customers) so a key can exist before the customer's
-- row (an event about someone the desk has not stored) and the erasure removes exactly one row.
CREATE TABLE IF NOT EXISTS customer_keys (
  customer_id bigint PRIMARY KEY,                               -- Telegram user id
  key         bytea NOT NULL CHECK (octet_length(key) = 32),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- The ticket's customer pseudonym, computed once when the ticket opens: the events of a ticket are built
-- from the ticket row the code already holds (bot/store/outbox.ts), so the hot path reads no key.
-- NULL on tickets from before this migration: the outbox computes and stores it on their next event.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS analytics_id bigint;

-- An erased customer's tickets are kept for the desk's integrity (numbers, audit, ratings, SLA history)
-- but moved to a row of their own that names nobody: customers.id = -(2^52 + n), a range no Telegram
-- chat uses, banned and blocked so nothing is ever sent to it.
CREATE SEQUENCE IF NOT EXISTS erased_customer_seq;

-- The audit trail stays append-only, with one narrow exception: inside an erasure (the transaction sets
-- desk.erasing_customer to the customer's id) a row of that customer may have customer_id / actor_id
-- replaced by the erased row's negative id, and nothing else changed. DELETE is still refused.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE erasing text := coalesce(current_setting('desk.erasing_customer', true), ''); BEGIN IF TG_OP = 'UPDATE' AND erasing <> '' AND (NEW.customer_id IS NOT DISTINCT FROM OLD.customer_id OR (OLD.customer_id::text = erasing AND NEW.customer_id < 0)) AND (NEW.actor_id = OLD.actor_id OR (OLD.actor_id::text = erasing AND NEW.actor_id < 0)) AND (NEW.id, NEW.at, NEW.action, NEW.ticket_id, NEW.detail) IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.action, OLD.ticket_id, OLD.detail) THEN RETURN NEW; END IF; RAISE EXCEPTION 'audit_log is append-only'; END $$;
