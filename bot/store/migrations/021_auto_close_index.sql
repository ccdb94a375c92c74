-- The auto-close sweep looks for tickets waiting on the customer since before a cutoff.
CREATE INDEX IF NOT EXISTS tickets_waiting_customer ON tickets (updated_at) WHERE status = 'waiting_customer';
