-- The community chat guard (issue 17, item 6; bot/features/community-guard/). The person is `customer_id` (their
-- Telegram user id, whether or not they ever wrote to the desk), so an erasure (bot/store/privacy.ts, every table
-- with a customer_id) deletes their rows too. Ids, counts and times only: no names, no texts.

-- One captcha per person and chat: pending until the right button (passed), a wrong one or the deadline (failed).
-- The deadline lives here, so a restart loses no timeout: the scheduler's sweep (community-guard/feature.ts)
-- settles every pending row past it. A new attempt (a new request, joining again) replaces a settled row.
CREATE TABLE IF NOT EXISTS community_captchas (
  chat_id           bigint NOT NULL,
  customer_id       bigint NOT NULL,
  join_kind         text NOT NULL CHECK (join_kind IN ('join_request', 'member')),
  -- The right button's random token (the callback data carries a token per button, never which one is right).
  answer            text NOT NULL,
  -- Where the captcha message is: the person's private chat (a join request) or the community chat (a new member).
  prompt_chat_id    bigint NOT NULL,
  prompt_message_id bigint,
  language          text NOT NULL DEFAULT 'en',
  created_at        timestamptz NOT NULL,
  deadline          timestamptz NOT NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'passed', 'failed')),
  settled_at        timestamptz,
  PRIMARY KEY (chat_id, customer_id)
);
CREATE INDEX IF NOT EXISTS community_captchas_due ON community_captchas (deadline) WHERE status = 'pending';

-- Real messages per member: links and media are held until COMMUNITY_NEWCOMER_MESSAGES; one notice per 10 minutes.
CREATE TABLE IF NOT EXISTS community_members (
  chat_id          bigint NOT NULL,
  customer_id      bigint NOT NULL,
  messages         integer NOT NULL DEFAULT 0,
  held_notice_at   timestamptz,
  PRIMARY KEY (chat_id, customer_id)
);

-- The pinned "official accounts" message per chat: sent and pinned once, edited in place when the text changes.
CREATE TABLE IF NOT EXISTS community_pins (
  chat_id    bigint PRIMARY KEY,
  message_id bigint NOT NULL,
  text_hash  text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
