-- The community chat guard checks names changed after joining (bot/features/community-guard/): Telegram sends no
-- update when someone renames themselves, so the guard keeps a hash of each member's name and username as last seen
-- (never the name itself) and runs the clone check when a message shows a different one. Erased with the member's
-- other rows (customer_id).
ALTER TABLE community_members ADD COLUMN IF NOT EXISTS identity_hash text;
