-- Trust and safety per customer (issue 17, item 5; bot/features/trust/). One row per customer, created on
-- first need; erasing the customer (bot/store/privacy.ts) deletes it with everything else keyed by customer_id.
CREATE TABLE IF NOT EXISTS customer_trust (
  customer_id          bigint PRIMARY KEY,                     -- Telegram user id
  -- When the customer was told, under an agent's first reply, that agents write only through this bot.
  agent_notice_at      timestamptz,
  -- A "Report a fake account" prompt waiting for the @username or a forwarded message (cleared when used).
  fake_report_asked_at timestamptz,
  -- The privacy notice the customer accepted (CONSENT_VERSION) and when.
  consent_version      text,
  consent_at           timestamptz,
  -- Messages written before accepting (CONSENT_VERSION set): kept as Telegram sent them until the customer
  -- accepts, then handed to the intake in order. Message text — personal data, deleted when relayed or erased.
  consent_held         jsonb NOT NULL DEFAULT '[]'::jsonb
);
