-- A message written in the Mini App that cannot reach the support group yet (Telegram down, the topic cannot
-- be created) waits in pending_deliveries like a chat message: it has no message in the customer's chat to
-- copy, so its row points at the ticket_messages row that keeps its text (the customer's deletion removes
-- both); the repair (bot/delivery-repair.ts) sends it into the topic once and records the copy on that row.
ALTER TABLE pending_deliveries ALTER COLUMN message_id DROP NOT NULL;
ALTER TABLE pending_deliveries ADD COLUMN IF NOT EXISTS history_id bigint REFERENCES ticket_messages (id) ON DELETE CASCADE;
