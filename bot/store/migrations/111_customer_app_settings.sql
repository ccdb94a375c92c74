-- The customer's own settings, chosen in the Mini App (issue 14, item 1) — language stays on customers,
-- announcements opt-in is the existing broadcast_opt_out (inverted):
--   time_zone        IANA zone (validated by luxon); null = the desk's QUIET_HOURS_TZ
--   quiet_start/end  'HH:MM' of the customer's quiet hours in their zone (both or neither); non-urgent
--                    messages (follow-ups) wait until they end
--   status_updates   'each' (every status message), 'summary' (only the final resolution), 'off' (none; the
--                    app shows the status)
ALTER TABLE customer_settings
  ADD COLUMN IF NOT EXISTS time_zone      text,
  ADD COLUMN IF NOT EXISTS quiet_start    text CHECK (quiet_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  ADD COLUMN IF NOT EXISTS quiet_end      text CHECK (quiet_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  ADD COLUMN IF NOT EXISTS status_updates text NOT NULL DEFAULT 'each' CHECK (status_updates IN ('each', 'summary', 'off'));
