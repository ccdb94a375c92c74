/**
 * The staff's audit trail (issue 17, item 2): every staff action is a row of
 * the append-only `audit_log` (bot/store/migrations/101_audit_log.sql) and a
 * `staff_action` event, both written in the transaction of the action itself
 * (the ticket service's change, the note's insert, the ban, the broadcast's
 * claim). Ids, hashes and counts only — never a text or a name. The code has
 * no UPDATE or DELETE of it; a trigger refuses them.
 *
 * `/audit` (admins) reads it: bot/audit-command.ts.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../core/postgres.js';
import type { Outbox } from './store/outbox.js';
import type { Ticket } from './store/types.js';

export type AuditAction =
  | 'take'
  | 'reply'
  | 'note'
  | 'resolve'
  | 'reopen'
  | 'escalate'
  | 'ban'
  | 'unban'
  | 'broadcast'
  | 'mute'
  | 'unmute'
  | 'role_change'
  | 'data_export'
  | 'data_deletion'
  | 'incident'; // bot/features/incidents: detail.what = confirm | dismiss | open | eta | text | resolve | link | unlink

export interface AuditEntry {
  actorId: number;
  action: AuditAction;
  ticketId?: number | null;
  customerId?: number | null;
  /** Ids, hashes, counts — never a text or a name. */
  detail?: Record<string, string | number | boolean | null>;
  at?: Date;
}

export const AUDIT_LIST_LIMIT = 20;

/** sha256 of a text, hex: what the audit keeps of a broadcast. */
export const textHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Appends the row and its `staff_action` event, in the caller's transaction (`ticket`: the ticket as changed, for the event's ticket fields).
 * `event: false`: the row only — an action that is not a staff member's (a customer erasing their own data, bot/store/privacy.ts).
 */
export async function recordAudit(tx: Queryable, outbox: Outbox, e: AuditEntry, ticket?: Ticket, o: { event?: boolean } = {}): Promise<void> {
  const at = e.at ?? new Date();
  const ticketId = ticket?.id ?? e.ticketId ?? null;
  const customerId = ticket?.customer_id ?? e.customerId ?? null;
  await tx.query('INSERT INTO audit_log (at, actor_id, action, ticket_id, customer_id, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
    at,
    e.actorId,
    e.action,
    ticketId,
    customerId,
    JSON.stringify(e.detail ?? {}),
  ]);
  if (o.event === false) return;
  const event = { type: 'staff_action' as const, occurred_at: at.toISOString(), agent_id: e.actorId, reason: e.action };
  if (ticket) await outbox.appendForTicket(tx, ticket, [event]);
  else await outbox.append(tx, [event]);
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_id: number;
  action: string;
  ticket_id: number | null;
  customer_id: number | null;
  detail: Record<string, unknown> | string;
}
