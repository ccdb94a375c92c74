/**
 * Messages anti-spam holds instead of relaying at once: a newcomer's links and
 * media wait for an agent's tap on the ticket card; messages over the rate
 * limit wait for their slot. A held message still joins its ticket like any
 * other (it opens one, it is a message_in, it gets the receipt) — only its copy
 * into the topic waits. Anti-spam marks the update (`holdUpdate`); the desk's
 * customer handler then calls `storeHold` and `announceHold` where it would
 * have relayed.
 *
 * held_messages keeps what the relay needs (ids, kind, album, reply), never the
 * text: on release the relay copies the message from the customer's chat, and
 * message_pairs makes that copy happen once however often a release runs.
 */
import type { Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { Queryable } from '../../../core/postgres.js';
import type { MessageKind } from '../../../schemas/events.js';
import type { Desk } from '../../context.js';
import type { Ticket } from '../../store/types.js';
import { messageKind } from '../../telegram/message-kind.js';
import { escapeHtml } from '../../telegram/present.js';
import { textWithLinkHosts } from './rules.js';

export type HoldReason = 'link' | 'media' | 'rate_limit';

export interface Hold {
  reason: HoldReason;
  /** rate_limit: when the message's slot frees up. Null: an agent releases it. */
  releaseAt: Date | null;
  /** Runs in the hold's transaction once the row is written (e.g. schedules the release). */
  inTx?: (tx: Queryable, held: HeldMessage) => Promise<void>;
  /** Runs after the hold committed (e.g. the note to the customer). */
  after?: () => Promise<void>;
}

export interface HeldMessage {
  id: number;
  customer_id: number;
  message_id: number;
  ticket_id: number;
  reason: HoldReason;
  kind: MessageKind;
  media_group_id: string | null;
  reply_to_message_id: number | null;
  sent_at: Date;
  release_at: Date | null;
  state: 'held' | 'released' | 'discarded';
}

/** Longest stretch of the customer's text quoted in the topic's note (a message is at most 4096 characters). */
const QUOTE_MAX = 3000;

const marks = new WeakMap<object, Hold>();

/** Marks the update's message as held: the desk joins it to a ticket but does not relay it. */
export function holdUpdate(ctx: Context, hold: Hold): void {
  marks.set(ctx.update, hold);
}

export function holdOf(ctx: Context): Hold | undefined {
  return marks.get(ctx.update);
}

/** Whether the message was held already (a redelivered update must not join the ticket twice). */
export async function isHeld(db: Queryable, customerId: number, messageId: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM held_messages WHERE customer_id = $1 AND message_id = $2', [customerId, messageId])).rows.length > 0;
}

/**
 * Stores the hold with its spam_blocked event in one transaction. Undefined
 * when the message was held already. The desk then updates the card and calls
 * announceHold.
 */
export async function storeHold(desk: Desk, ticket: Ticket, msg: Message, hold: Hold): Promise<HeldMessage | undefined> {
  const at = new Date(msg.date * 1000);
  return desk.db.transaction(async (tx) => {
    const r = await tx.query<HeldMessage>(
      `INSERT INTO held_messages (customer_id, message_id, ticket_id, reason, kind, media_group_id, reply_to_message_id, sent_at, release_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (customer_id, message_id) DO NOTHING RETURNING *`,
      [
        ticket.customer_id,
        msg.message_id,
        ticket.id,
        hold.reason,
        messageKind(msg),
        msg.media_group_id ?? null,
        msg.reply_to_message?.message_id ?? null,
        at,
        hold.releaseAt,
      ],
    );
    const held = r.rows[0];
    if (!held) return undefined;
    await desk.outbox.appendForTicket(tx, ticket, [{ type: 'spam_blocked', occurred_at: at.toISOString(), reason: hold.reason }]);
    await hold.inTx?.(tx, held);
    return held;
  });
}

/**
 * Where the relayed copy would have gone: for links and media, a note to the
 * agents in the topic (what was held, the text with links shown as their
 * hosts; an album once); then the hold's own follow-up (the customer's note).
 */
export async function announceHold(desk: Desk, held: HeldMessage, msg: Message, hold: Hold): Promise<void> {
  if (hold.reason !== 'rate_limit' && !(await laterAlbumPart(desk.db, held))) await noteInTopic(desk, held.customer_id, msg, hold.reason);
  await hold.after?.();
}

/** How many links and media of the ticket wait for an agent (the card shows them, with a Release button). */
export async function heldForAgents(db: Queryable, ticketId: number): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM held_messages WHERE ticket_id = $1 AND state = 'held' AND release_at IS NULL`, [
    ticketId,
  ]);
  return r.rows[0]?.n ?? 0;
}

/** An agent's tap: the ticket's held links and media go to the topic, in the order they were sent. Returns how many. */
export async function releaseForAgents(desk: Desk, ticketId: number): Promise<number> {
  const rows = await desk.db.query<HeldMessage>(
    `SELECT * FROM held_messages WHERE ticket_id = $1 AND state = 'held' AND release_at IS NULL ORDER BY message_id`,
    [ticketId],
  );
  await relay(desk, rows.rows);
  return rows.rows.length;
}

/**
 * The customer's queued messages whose slot has come, relayed in the order
 * sent. A customer banned meanwhile stays blocked: their queue is discarded.
 */
export async function releaseQueued(desk: Desk, customerId: number, now: Date): Promise<void> {
  const rows = (
    await desk.db.query<HeldMessage>(`SELECT * FROM held_messages WHERE customer_id = $1 AND state = 'held' AND release_at <= $2 ORDER BY message_id`, [
      customerId,
      now,
    ])
  ).rows;
  if (rows.length === 0) return;
  if ((await desk.customers.get(customerId))?.banned) return settle(desk.db, rows, 'discarded');
  await relay(desk, rows);
}

/** How many of the customer's messages wait for their slot. */
export async function queuedCount(db: Queryable, customerId: number): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM held_messages WHERE customer_id = $1 AND state = 'held' AND release_at IS NOT NULL`, [
    customerId,
  ]);
  return r.rows[0]?.n ?? 0;
}

/** What still waits for its slot, per customer, as RelayWindow.restore takes it after a restart. */
export async function waitingQueues(db: Queryable): Promise<Array<{ customerId: number; slots: number[]; messages: number }>> {
  const r = await db.query<{ customer_id: number; release_at: Date; n: number }>(
    `SELECT customer_id, min(release_at) AS release_at, count(*)::int AS n FROM held_messages
     WHERE state = 'held' AND release_at IS NOT NULL
     GROUP BY customer_id, coalesce(media_group_id, id::text) ORDER BY customer_id, 2`,
  );
  const out = new Map<number, { customerId: number; slots: number[]; messages: number }>();
  for (const row of r.rows) {
    const id = Number(row.customer_id);
    const q = out.get(id) ?? { customerId: id, slots: [], messages: 0 };
    q.slots.push(new Date(row.release_at).getTime());
    q.messages += row.n;
    out.set(id, q);
  }
  return [...out.values()];
}

async function relay(desk: Desk, rows: readonly HeldMessage[]): Promise<void> {
  if (rows.length === 0) return;
  // Album parts resolve at once and are copied together a moment later: wait for that before marking them.
  await Promise.all(rows.map((row) => desk.relay.toTopic(row.customer_id, row.ticket_id, asMessage(row))));
  if (rows.some((r) => r.media_group_id !== null)) await desk.relay.idle();
  await settle(desk.db, rows, 'released');
}

async function settle(db: Queryable, rows: readonly HeldMessage[], state: 'released' | 'discarded'): Promise<void> {
  await db.query(`UPDATE held_messages SET state = $2, settled_at = now() WHERE id = ANY($1::bigint[]) AND state = 'held'`, [rows.map((r) => r.id), state]);
}

/**
 * The held message as the relay needs it: ids, date, album and reply. The
 * content is copied from the customer's chat, not from here; the kind is set
 * only so the relay can name it if Telegram refuses the copy.
 */
function asMessage(row: HeldMessage): Message {
  const chat = { id: Number(row.customer_id), type: 'private', first_name: '' };
  const m: Record<string, unknown> = { message_id: row.message_id, date: Math.floor(new Date(row.sent_at).getTime() / 1000), chat };
  if (row.kind !== 'other') m[row.kind] = row.kind === 'text' ? '' : {};
  if (row.media_group_id !== null) m.media_group_id = row.media_group_id;
  if (row.reply_to_message_id !== null) m.reply_to_message = { message_id: row.reply_to_message_id, date: 0, chat };
  return m as unknown as Message;
}

/** An album is noted once in the topic, at its first held part. */
async function laterAlbumPart(db: Queryable, row: HeldMessage): Promise<boolean> {
  if (row.media_group_id === null) return false;
  const r = await db.query('SELECT 1 FROM held_messages WHERE customer_id = $1 AND media_group_id = $2 AND message_id < $3 LIMIT 1', [
    row.customer_id,
    row.media_group_id,
    row.message_id,
  ]);
  return r.rows.length > 0;
}

async function noteInTopic(desk: Desk, customerId: number, msg: Message, reason: 'link' | 'media'): Promise<void> {
  const head = desk.agentText(reason === 'link' ? 'spam-agent-held-link' : 'spam-agent-held-media', { kind: messageKind(msg) });
  const quote = quoteWithHosts(msg);
  await desk.relay.sendToTopic(customerId, quote ? `${head}\n\n${quote}` : head, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
}

/** The text or caption, escaped, each link shown as its host in code (nothing to click), cut at QUOTE_MAX. */
function quoteWithHosts(msg: Message): string {
  let budget = QUOTE_MAX;
  let out = '';
  for (const part of textWithLinkHosts(msg)) {
    if (budget <= 0) return `${out}…`;
    if ('host' in part) {
      out += `[🔗 <code>${escapeHtml(part.host)}</code>]`;
      budget -= part.host.length;
    } else {
      out += escapeHtml(part.text.slice(0, budget));
      budget -= part.text.length;
    }
  }
  return (budget < 0 ? `${out}…` : out).trim();
}
