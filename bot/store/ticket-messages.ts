/**
 * ticket_messages (migration 110): a ticket's conversation as the customer's Mini App shows it — customer,
 * agent and bot messages, text as the topic saw it (masked when it held a secret), media by kind and file
 * name. Written where the conversation already happens: the relay (customer → topic, topic → customer),
 * the ticket service (the bot's own answers), the Mini App (a message written there). Personal data: the
 * privacy feature's eraseCustomer deletes a customer's rows.
 */
import type { Message } from 'grammy/types';
import type { Queryable } from '../../core/postgres.js';
import type { Channel } from '../../schemas/events.js';
import { messageKind } from '../telegram/message-kind.js';
import { batchingFor, GroupCommit } from './group-commit.js';

export type Sender = 'customer' | 'agent' | 'bot';

export interface TicketMessageInput {
  ticketId: number;
  customerId: number;
  sender: Sender;
  agentId?: number | null;
  text: string | null;
  mediaKind?: string | null;
  mediaName?: string | null;
  /** The message it stands for (a redelivery is stored once; an edit updates it). */
  chatId?: number | null;
  messageId?: number | null;
  channel?: Channel;
  at: Date;
}

export interface TicketMessageRow {
  id: number;
  sender: Sender;
  agent_id: number | null;
  /** The agent's display name (staff), for sender 'agent'. */
  agent_name: string | null;
  text: string | null;
  media_kind: string | null;
  media_name: string | null;
  channel: Channel;
  /** ISO time (from JSON). */
  sent_at: string;
  edited_at: string | null;
}

/** The longest text kept per message (Telegram's own limit for a text message). */
const MAX_TEXT = 4096;

/** What of a Telegram message the history keeps: its text or caption, the media kind and a document's file name. */
export function historyOf(m: Message, textOverride?: string): Pick<TicketMessageInput, 'text' | 'mediaKind' | 'mediaName'> {
  const kind = messageKind(m);
  return {
    text: (textOverride ?? m.text ?? m.caption ?? null)?.slice(0, MAX_TEXT) ?? null,
    mediaKind: kind === 'text' ? null : kind,
    mediaName: m.document?.file_name ?? m.audio?.file_name ?? m.video?.file_name ?? m.animation?.file_name ?? null,
  };
}

const COLUMNS = 11;

function rowParams(r: TicketMessageInput): unknown[] {
  return [
    r.ticketId,
    r.customerId,
    r.sender,
    r.agentId ?? null,
    r.text?.slice(0, MAX_TEXT) ?? null,
    r.mediaKind ?? null,
    r.mediaName ?? null,
    r.chatId ?? null,
    r.messageId ?? null,
    r.channel ?? 'chat',
    r.at,
  ];
}

export class TicketMessageRepo {
  /** Concurrent relays' rows (different customers), one statement per tick (group-commit.ts). */
  private readonly records: GroupCommit<readonly TicketMessageInput[], undefined> | undefined;

  constructor(private readonly db: Queryable) {
    const batching = batchingFor(db);
    if (batching)
      this.records = new GroupCommit(
        async (items) => {
          await this.insertMany(items.flat(), this.db);
          return items.map(() => undefined);
        },
        { ...batching, keys: (rows) => rows.flatMap((r) => (r.messageId === null || r.messageId === undefined ? [] : [`${r.chatId}:${r.messageId}`])) },
      );
  }

  /** Rows in one statement (a redelivered message stored already is skipped); with the database itself, grouped with other callers'. */
  async record(rows: readonly TicketMessageInput[], q: Queryable = this.db): Promise<void> {
    if (rows.length === 0) return;
    if (this.records && q === this.db) {
      await this.records.run(rows);
      return;
    }
    await this.insertMany(rows, q);
  }

  private async insertMany(rows: readonly TicketMessageInput[], q: Queryable): Promise<void> {
    const params = rows.flatMap(rowParams);
    const values = rows.map((_, i) => `(${Array.from({ length: COLUMNS }, (_, j) => `$${i * COLUMNS + j + 1}`).join(', ')})`);
    await q.query(
      `INSERT INTO ticket_messages (ticket_id, customer_id, sender, agent_id, text, media_kind, media_name, chat_id, message_id, channel, sent_at)
         VALUES ${values.join(', ')}
         ON CONFLICT (chat_id, message_id) WHERE message_id IS NOT NULL DO NOTHING`,
      params,
    );
  }

  /** One row; its id (undefined: a redelivered message stored already). */
  async insert(r: TicketMessageInput, q: Queryable = this.db): Promise<number | undefined> {
    const res = await q.query<{ id: string }>(
      `INSERT INTO ticket_messages (ticket_id, customer_id, sender, agent_id, text, media_kind, media_name, chat_id, message_id, channel, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (chat_id, message_id) WHERE message_id IS NOT NULL DO NOTHING RETURNING id`,
      rowParams(r),
    );
    return res.rows[0] ? Number(res.rows[0].id) : undefined;
  }

  /** A message written in the Mini App and kept here before it reached the topic (bot/telegram/relay.ts sendWritten). */
  async written(id: number, q: Queryable = this.db): Promise<{ text: string | null; delivered: boolean } | undefined> {
    const r = await q.query<{ text: string | null; message_id: string | null }>('SELECT text, message_id FROM ticket_messages WHERE id = $1', [id]);
    const row = r.rows[0];
    return row && { text: row.text, delivered: row.message_id !== null };
  }

  /** That message reached the topic: its copy there (an edit or a reply finds it by it). */
  async delivered(id: number, chatId: number, messageId: number, q: Queryable = this.db): Promise<void> {
    await q.query('UPDATE ticket_messages SET chat_id = $2, message_id = $3 WHERE id = $1 AND message_id IS NULL', [id, chatId, messageId]);
  }

  /** An edit of a message the history holds: its new text (as the other side now sees it). */
  async edited(chatId: number, messageId: number, text: string | null, at: Date, q: Queryable = this.db): Promise<void> {
    await q.query('UPDATE ticket_messages SET text = $3, edited_at = $4 WHERE chat_id = $1 AND message_id = $2', [
      chatId,
      messageId,
      text?.slice(0, MAX_TEXT) ?? null,
      at,
    ]);
  }

  /**
   * The ticket's conversation, oldest first (the latest `limit`), with each agent's display name (staff): one
   * row of JSON from the database — a 500-message page is one value to read instead of 500 rows.
   */
  async list(ticketId: number, limit = 500, q: Queryable = this.db): Promise<TicketMessageRow[]> {
    const r = await q.query<{ j: TicketMessageRow[] | string }>(
      `SELECT coalesce(json_agg(m ORDER BY m.sent_at, m.id), '[]') AS j FROM (
         SELECT t.id, t.sender, t.agent_id, s.display_name AS agent_name, t.text, t.media_kind, t.media_name, t.channel, t.sent_at, t.edited_at
         FROM ticket_messages t LEFT JOIN staff s ON s.id = t.agent_id
         WHERE t.ticket_id = $1 ORDER BY t.sent_at DESC, t.id DESC LIMIT $2) m`,
      [ticketId, limit],
    );
    const j = r.rows[0]?.j ?? [];
    return typeof j === 'string' ? (JSON.parse(j) as TicketMessageRow[]) : j;
  }
}
