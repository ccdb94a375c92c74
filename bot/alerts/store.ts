/**
 * The bot's memory of escalations (tables of bot/store/migrations/040): one
 * row per Alertmanager alert fingerprint with the Telegram message showing it,
 * and the queues muted from Telegram.
 */
import type { Queryable } from '../../core/postgres.js';
import type { AmAlert } from './alertmanager-schema.js';

export interface AlertMessageRow {
  fingerprint: string;
  alertname: string;
  queue: string | null;
  severity: string | null;
  status: 'firing' | 'resolved';
  chat_id: number;
  message_id: number | null;
  ticket_ids: number[];
  starts_at: Date;
  first_posted_at: Date | null;
  last_fired_at: Date;
  resolved_at: Date | null;
  last_followup_at: Date | null;
  fire_count: number;
  /** The last alert as Alertmanager sent it (labels, annotations, startsAt). */
  alert: AmAlert | null;
}

export class AlertStore {
  constructor(private readonly db: Queryable) {}

  async get(fingerprint: string): Promise<AlertMessageRow | undefined> {
    const row = (await this.db.query<AlertMessageRow>('SELECT * FROM alert_messages WHERE fingerprint = $1', [fingerprint])).rows[0];
    return row && normalize(row);
  }

  /**
   * Records a firing alert (new, or again after a resolve). The caller decides
   * the episode: `startsAt` and `fireCount` carry over within a flap window and
   * start afresh after it.
   */
  async saveFiring(a: {
    fingerprint: string;
    alertname: string;
    queue: string | null;
    severity: string | null;
    chatId: number;
    messageId: number | null;
    ticketIds: number[];
    startsAt: Date;
    fireCount: number;
    at: Date;
    postedNow: boolean;
    alert: AmAlert;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO alert_messages (fingerprint, alertname, queue, severity, status, chat_id, message_id, ticket_ids,
                                   starts_at, first_posted_at, last_fired_at, fire_count, alert, updated_at)
       VALUES ($1, $2, $3, $4, 'firing', $5, $6, $7, $8, CASE WHEN $10 THEN $9::timestamptz END, $9, $12, $11, now())
       ON CONFLICT (fingerprint) DO UPDATE SET
         status = 'firing',
         alert = EXCLUDED.alert,
         chat_id = EXCLUDED.chat_id,
         message_id = EXCLUDED.message_id,
         ticket_ids = EXCLUDED.ticket_ids,
         severity = EXCLUDED.severity,
         starts_at = EXCLUDED.starts_at,
         first_posted_at = COALESCE(CASE WHEN $10 THEN $9::timestamptz END, alert_messages.first_posted_at),
         fire_count = EXCLUDED.fire_count,
         last_fired_at = $9,
         resolved_at = NULL,
         updated_at = now()`,
      [
        a.fingerprint,
        a.alertname,
        a.queue,
        a.severity,
        a.chatId,
        a.messageId,
        a.ticketIds,
        a.startsAt,
        a.at,
        a.postedNow,
        JSON.stringify(a.alert),
        a.fireCount,
      ],
    );
  }

  /** `messageId`: the message now showing the resolution (a new one when the old was gone), null when none does. */
  async saveResolved(fingerprint: string, at: Date, followupPosted: boolean, messageId: number | null): Promise<void> {
    await this.db.query(
      `UPDATE alert_messages SET status = 'resolved', resolved_at = $2, message_id = $4,
              last_followup_at = CASE WHEN $3 THEN $2 ELSE last_followup_at END, updated_at = now()
       WHERE fingerprint = $1`,
      [fingerprint, at, followupPosted, messageId],
    );
  }

  /** The tickets a firing alert's message now shows. */
  async setTickets(fingerprint: string, ticketIds: number[]): Promise<void> {
    await this.db.query('UPDATE alert_messages SET ticket_ids = $2, updated_at = now() WHERE fingerprint = $1', [fingerprint, ticketIds]);
  }

  /** The message now showing a firing alert (posted anew in `chatId`), or null when none does (gone while muted). */
  async setMessage(fingerprint: string, chatId: number, messageId: number | null, ticketIds: number[]): Promise<void> {
    await this.db.query(
      `UPDATE alert_messages SET chat_id = $2, message_id = $3, ticket_ids = $4,
              first_posted_at = COALESCE(first_posted_at, CASE WHEN $3::bigint IS NOT NULL THEN now() END), updated_at = now()
       WHERE fingerprint = $1`,
      [fingerprint, chatId, messageId, ticketIds],
    );
  }

  /**
   * A chat's message ids only grow, so once a message got `messageId`, any
   * remembered id at or above it points into an earlier life of the chat (a
   * restarted sandbox numbers from 1 again) and would edit somebody else's
   * message: forget those. Their alerts are posted anew by the refresher.
   */
  async forgetMessagesFrom(chatId: number, messageId: number): Promise<number> {
    const r = await this.db.query('UPDATE alert_messages SET message_id = NULL, updated_at = now() WHERE chat_id = $1 AND message_id >= $2', [
      chatId,
      messageId,
    ]);
    return r.rowCount;
  }

  /** Firing alerts, for /sla and the refresher. */
  async firing(): Promise<AlertMessageRow[]> {
    return (await this.db.query<AlertMessageRow>(`SELECT * FROM alert_messages WHERE status = 'firing' ORDER BY queue, alertname`)).rows.map(normalize);
  }

  // ---- mutes ----

  async mute(queue: string, until: Date, by: number): Promise<void> {
    await this.db.query(
      `INSERT INTO alert_mutes (queue, muted_until, muted_by, muted_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (queue) DO UPDATE SET muted_until = EXCLUDED.muted_until, muted_by = EXCLUDED.muted_by, muted_at = now()`,
      [queue, until, by],
    );
  }

  async unmute(queue: string): Promise<void> {
    await this.db.query('DELETE FROM alert_mutes WHERE queue = $1', [queue]);
  }

  /** The end of the queue's mute, when it is muted at `at`. */
  async mutedUntil(queue: string, at: Date): Promise<Date | undefined> {
    const r = await this.db.query<{ muted_until: Date }>('SELECT muted_until FROM alert_mutes WHERE queue = $1 AND muted_until > $2', [queue, at]);
    return r.rows[0] ? new Date(r.rows[0].muted_until) : undefined;
  }

  async activeMutes(at: Date): Promise<Map<string, Date>> {
    const r = await this.db.query<{ queue: string; muted_until: Date }>('SELECT queue, muted_until FROM alert_mutes WHERE muted_until > $1', [at]);
    return new Map(r.rows.map((m) => [m.queue, new Date(m.muted_until)]));
  }
}

/** bigint[] comes back as strings from some drivers; ids fit in a number. */
function normalize(r: AlertMessageRow): AlertMessageRow {
  const alert = typeof r.alert === 'string' ? (JSON.parse(r.alert) as AmAlert) : r.alert;
  return {
    ...r,
    alert,
    ticket_ids: (r.ticket_ids ?? []).map(Number),
    message_id: r.message_id === null ? null : Number(r.message_id),
    chat_id: Number(r.chat_id),
  };
}
