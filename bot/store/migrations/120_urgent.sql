-- Urgent tickets, escalation and SLA notices (issue 15, items 1–2; bot/features/urgent, sla/priority.ts).

-- A stop word marks a ticket urgent: it goes first in the priority order (blocker/urgent > VIP > waiting time >
-- category). `escalated_at`: when it was first escalated (a stop word, "needs expert", /escalate, or the
-- first-response risk sweep) — the sweep escalates a ticket once, never again after any escalation.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS urgent boolean NOT NULL DEFAULT false;
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS escalated_at timestamptz;

-- The sweep's candidates: open tickets of a queue still without a first response, by deadline (also /sla's order).
CREATE INDEX IF NOT EXISTS tickets_open_priority ON tickets (urgent DESC, first_response_due_at) WHERE status <> 'resolved';

-- sla_warning / sla_breached, once per ticket, deadline kind and notice, across restarts and processes:
-- the row is inserted in the transaction that writes the event, and a second insert changes nothing.
CREATE TABLE IF NOT EXISTS sla_notices (
  ticket_id  bigint NOT NULL REFERENCES tickets (id),
  sla_kind   text NOT NULL CHECK (sla_kind IN ('first_response', 'resolution')),
  notice     text NOT NULL CHECK (notice IN ('warning', 'breached')),
  due_at     timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, sla_kind, notice)
);
