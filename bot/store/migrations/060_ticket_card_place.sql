-- Where a ticket's card lives: the chat and forum topic of card_message_id.
-- A topic gets the card of a ticket once: the desk claims (card_chat_id,
-- card_thread_id) before it posts, so recovery paths that meet a deleted topic
-- at the same time post one card, and the card it replaces loses its buttons
-- (bot/handlers/ticket-card.ts postCard). Rows from before stay NULL: their
-- next topic gets a card, and their old card's buttons are left alone.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS card_chat_id bigint;
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS card_thread_id int;
