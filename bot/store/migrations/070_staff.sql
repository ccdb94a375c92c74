-- Staff: the desk's agents as the analytics name them, id → display name ("Anna K.",
-- bot/store/staff.ts): the first name and the last name's initial, nothing else (no
-- username, no full last name). Written when an agent acts under a name the desk has
-- not recorded yet; the same transaction puts a staff_updated event in the outbox,
-- which is how the name reaches ClickHouse's `staff` (schemas/clickhouse/020_staff.sql).
CREATE TABLE IF NOT EXISTS staff (
  id            bigint PRIMARY KEY,          -- Telegram user id
  display_name  text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
