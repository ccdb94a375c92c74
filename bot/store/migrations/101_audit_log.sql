-- The staff's audit trail (issue 17, item 2; bot/audit.ts): who did what to which ticket or customer, written
-- in the same transaction as the action. Ids, hashes and counts only: never a text or a name.
-- Append-only: the code never updates or deletes a row, and the trigger below refuses it to anyone else.
CREATE TABLE IF NOT EXISTS audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    bigint NOT NULL,
  action      text NOT NULL,
  ticket_id   bigint,
  customer_id bigint,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX IF NOT EXISTS audit_log_ticket ON audit_log (ticket_id, id);
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
