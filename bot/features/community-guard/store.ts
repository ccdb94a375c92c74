/**
 * The community guard's rows (bot/store/migrations/200): captchas with their deadlines, members' real-message
 * counts, the pinned official-accounts message. `customer_id` is the person's Telegram id (erased with them).
 * Every state change is one conditional UPDATE … RETURNING: of two deliveries of a press, or a press racing the
 * timeout sweep, exactly one settles a captcha.
 */
import type { Queryable } from '../../../core/postgres.js';

export type JoinKind = 'join_request' | 'member';

export interface Captcha {
  chat_id: number;
  customer_id: number;
  join_kind: JoinKind;
  answer: string;
  prompt_chat_id: number;
  prompt_message_id: number | null;
  language: string;
  created_at: Date;
  deadline: Date;
  status: 'pending' | 'passed' | 'failed';
}

const COLUMNS = `chat_id::float8 AS chat_id, customer_id::float8 AS customer_id, join_kind, answer, prompt_chat_id::float8 AS prompt_chat_id,
  prompt_message_id::float8 AS prompt_message_id, language, created_at, deadline, status`;

/**
 * Starts a captcha; a settled one (passed or failed earlier) is replaced — a new attempt. Undefined when one is
 * already pending (the same join delivered twice): the first delivery's captcha stands.
 */
export async function startCaptcha(
  db: Queryable,
  c: Pick<Captcha, 'chat_id' | 'customer_id' | 'join_kind' | 'answer' | 'prompt_chat_id' | 'language' | 'created_at' | 'deadline'>,
): Promise<Captcha | undefined> {
  const r = await db.query<Captcha>(
    `INSERT INTO community_captchas (chat_id, customer_id, join_kind, answer, prompt_chat_id, language, created_at, deadline)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (chat_id, customer_id) DO UPDATE SET
       join_kind = EXCLUDED.join_kind, answer = EXCLUDED.answer, prompt_chat_id = EXCLUDED.prompt_chat_id, prompt_message_id = NULL,
       language = EXCLUDED.language, created_at = EXCLUDED.created_at, deadline = EXCLUDED.deadline, status = 'pending', settled_at = NULL
     WHERE community_captchas.status <> 'pending'
     RETURNING ${COLUMNS}`,
    [c.chat_id, c.customer_id, c.join_kind, c.answer, c.prompt_chat_id, c.language, c.created_at, c.deadline],
  );
  return r.rows[0];
}

export async function setPromptMessage(db: Queryable, chatId: number, customerId: number, messageId: number): Promise<void> {
  await db.query('UPDATE community_captchas SET prompt_message_id = $3 WHERE chat_id = $1 AND customer_id = $2', [chatId, customerId, messageId]);
}

export async function captchaOf(db: Queryable, chatId: number, customerId: number): Promise<Captcha | undefined> {
  return (await db.query<Captcha>(`SELECT ${COLUMNS} FROM community_captchas WHERE chat_id = $1 AND customer_id = $2`, [chatId, customerId])).rows[0];
}

/** Settles a pending captcha (passed or failed); the row as it was, or undefined when it was no longer pending. */
export async function settleCaptcha(db: Queryable, chatId: number, customerId: number, status: 'passed' | 'failed', at: Date): Promise<Captcha | undefined> {
  const r = await db.query<Captcha>(
    `UPDATE community_captchas SET status = $3, settled_at = $4 WHERE chat_id = $1 AND customer_id = $2 AND status = 'pending' RETURNING ${COLUMNS}`,
    [chatId, customerId, status, at],
  );
  return r.rows[0];
}

/** Pending captchas past their deadline, failed now (at most `limit`): each returned once, to the one sweep that failed it. */
export async function expireCaptchas(db: Queryable, now: Date, limit = 100): Promise<Captcha[]> {
  const r = await db.query<Captcha>(
    `UPDATE community_captchas SET status = 'failed', settled_at = $1
     WHERE (chat_id, customer_id) IN (
       SELECT chat_id, customer_id FROM community_captchas WHERE status = 'pending' AND deadline <= $1 ORDER BY deadline LIMIT ${limit} FOR UPDATE SKIP LOCKED)
       AND status = 'pending'
     RETURNING ${COLUMNS}`,
    [now],
  );
  return r.rows;
}

/** Counts a real message of a member; their count after it. */
export async function countMessage(db: Queryable, chatId: number, customerId: number): Promise<number> {
  const r = await db.query<{ messages: number }>(
    `INSERT INTO community_members (chat_id, customer_id, messages) VALUES ($1, $2, 1)
     ON CONFLICT (chat_id, customer_id) DO UPDATE SET messages = community_members.messages + 1
     RETURNING messages`,
    [chatId, customerId],
  );
  return r.rows[0]!.messages;
}

/**
 * Records the hash of the member's name and username as last seen; returns the one seen before — `undefined` when
 * none was (first sight, or a row from before migration 206). Writes only when it changed.
 */
export async function noteIdentity(db: Queryable, chatId: number, customerId: number, hash: string): Promise<string | undefined> {
  const r = await db.query<{ before: string | null }>(
    `WITH seen AS (SELECT identity_hash FROM community_members WHERE chat_id = $1 AND customer_id = $2),
     upsert AS (
       INSERT INTO community_members (chat_id, customer_id, identity_hash) VALUES ($1, $2, $3)
       ON CONFLICT (chat_id, customer_id) DO UPDATE SET identity_hash = EXCLUDED.identity_hash
       WHERE community_members.identity_hash IS DISTINCT FROM EXCLUDED.identity_hash)
     SELECT (SELECT identity_hash FROM seen) AS before`,
    [chatId, customerId, hash],
  );
  return r.rows[0]?.before ?? undefined;
}

export async function messagesOf(db: Queryable, chatId: number, customerId: number): Promise<number> {
  const r = await db.query<{ messages: number }>('SELECT messages FROM community_members WHERE chat_id = $1 AND customer_id = $2', [chatId, customerId]);
  return r.rows[0]?.messages ?? 0;
}

/** Whether to send the "links after N messages" notice now (at most one per `everySeconds`); claims it. */
export async function claimHeldNotice(db: Queryable, chatId: number, customerId: number, at: Date, everySeconds: number): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO community_members (chat_id, customer_id, held_notice_at) VALUES ($1, $2, $3)
     ON CONFLICT (chat_id, customer_id) DO UPDATE SET held_notice_at = EXCLUDED.held_notice_at
     WHERE community_members.held_notice_at IS NULL OR community_members.held_notice_at <= $3 - make_interval(secs => $4)`,
    [chatId, customerId, at, everySeconds],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function pinOf(db: Queryable, chatId: number): Promise<{ message_id: number; text_hash: string } | undefined> {
  const r = await db.query<{ message_id: number; text_hash: string }>(
    'SELECT message_id::float8 AS message_id, text_hash FROM community_pins WHERE chat_id = $1',
    [chatId],
  );
  return r.rows[0];
}

export async function savePin(db: Queryable, chatId: number, messageId: number, textHash: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO community_pins (chat_id, message_id, text_hash, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (chat_id) DO UPDATE SET message_id = EXCLUDED.message_id, text_hash = EXCLUDED.text_hash, updated_at = EXCLUDED.updated_at`,
    [chatId, messageId, textHash, at],
  );
}
