/** The trust feature's rows (bot/store/migrations/160): one per customer, deleted with the customer (bot/store/privacy.ts). */
import type { Db, Queryable } from '../../../core/postgres.js';

/** A "Report a fake account" prompt is answered within this long, else the next message is an ordinary one. */
export const REPORT_WINDOW_SECONDS = 15 * 60;

export async function askForReport(db: Queryable, customerId: number, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO customer_trust (customer_id, fake_report_asked_at) VALUES ($1, $2)
     ON CONFLICT (customer_id) DO UPDATE SET fake_report_asked_at = EXCLUDED.fake_report_asked_at`,
    [customerId, at],
  );
}

/** Whether a report prompt waits (asked within the window). */
export async function reportPending(db: Queryable, customerId: number, at: Date): Promise<boolean> {
  const r = await db.query<{ asked: Date | null }>('SELECT fake_report_asked_at AS asked FROM customer_trust WHERE customer_id = $1', [customerId]);
  const asked = r.rows[0]?.asked;
  return !!asked && at.getTime() - new Date(asked).getTime() <= REPORT_WINDOW_SECONDS * 1000;
}

/** Clears the prompt; true for the one caller that cleared it (a redelivered update reports nothing twice). */
export async function takeReport(db: Queryable, customerId: number): Promise<boolean> {
  const r = await db.query('UPDATE customer_trust SET fake_report_asked_at = NULL WHERE customer_id = $1 AND fake_report_asked_at IS NOT NULL', [customerId]);
  return (r.rowCount ?? 0) > 0;
}

/** Marks the "agents write only through this bot" notice as sent; true the first time only. */
export async function claimAgentNotice(db: Queryable, customerId: number, at: Date): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO customer_trust (customer_id, agent_notice_at) VALUES ($1, $2)
     ON CONFLICT (customer_id) DO UPDATE SET agent_notice_at = EXCLUDED.agent_notice_at WHERE customer_trust.agent_notice_at IS NULL`,
    [customerId, at],
  );
  return (r.rowCount ?? 0) > 0;
}

/** Whether the customer accepted this version of the privacy notice. */
export async function hasConsent(db: Queryable, customerId: number, version: string): Promise<boolean> {
  const r = await db.query<{ v: string | null }>('SELECT consent_version AS v FROM customer_trust WHERE customer_id = $1', [customerId]);
  return r.rows[0]?.v === version;
}

/** Keeps a message written before the consent; returns how many were kept before it (0: ask now). */
export async function holdForConsent(db: Queryable, customerId: number, message: unknown): Promise<number> {
  const r = await db.query<{ n: number }>(
    `INSERT INTO customer_trust (customer_id, consent_held) VALUES ($1, jsonb_build_array($2::jsonb))
     ON CONFLICT (customer_id) DO UPDATE SET consent_held = customer_trust.consent_held || jsonb_build_array($2::jsonb)
     RETURNING jsonb_array_length(consent_held)::int - 1 AS n`,
    [customerId, JSON.stringify(message)],
  );
  return r.rows[0]?.n ?? 0;
}

/** Records the consent (version, time) and hands back the held messages, oldest first, once. */
export async function acceptConsent<M>(db: Db, customerId: number, version: string, at: Date): Promise<M[]> {
  return db.transaction(async (tx) => {
    const old = await tx.query<{ held: M[] | string }>('SELECT consent_held AS held FROM customer_trust WHERE customer_id = $1 FOR UPDATE', [customerId]);
    await tx.query(
      `INSERT INTO customer_trust (customer_id, consent_version, consent_at) VALUES ($1, $2, $3)
       ON CONFLICT (customer_id) DO UPDATE SET consent_version = EXCLUDED.consent_version, consent_at = EXCLUDED.consent_at, consent_held = '[]'::jsonb`,
      [customerId, version, at],
    );
    const held = old.rows[0]?.held ?? [];
    return typeof held === 'string' ? (JSON.parse(held) as M[]) : held;
  });
}

/** The customer's recorded consent (version and time), if any: the Mini App's Settings show it. */
export async function consentOf(db: Queryable, customerId: number): Promise<{ version: string; at: Date } | undefined> {
  const r = await db.query<{ v: string | null; at: Date | null }>('SELECT consent_version AS v, consent_at AS at FROM customer_trust WHERE customer_id = $1', [
    customerId,
  ]);
  const row = r.rows[0];
  return row?.v && row.at ? { version: row.v, at: new Date(row.at) } : undefined;
}

/** How many chat messages wait for the consent (held until Accept in the chat, which hands them to the intake). */
export async function heldCount(db: Queryable, customerId: number): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT jsonb_array_length(consent_held)::int AS n FROM customer_trust WHERE customer_id = $1', [customerId]);
  return r.rows[0]?.n ?? 0;
}
