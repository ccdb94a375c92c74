-- Two-person rule for urgent broadcasts (bot/features/broadcasts, issue 17): the first team lead who asks for
-- Urgent is recorded here; the broadcast becomes urgent only when a second, different team lead presses it.
ALTER TABLE broadcasts ADD COLUMN IF NOT EXISTS urgent_requested_by bigint;
