/** Row shapes of the desk's tables (docs/CONTRACTS.md), as the repositories return them. */
import type { TicketStatus } from '../../schemas/events.js';

export type { TicketStatus };

export interface Customer {
  id: number;
  first_name: string;
  last_name: string | null;
  username: string | null;
  language_code: string | null;
  thread_id: number | null;
  is_vip: boolean;
  banned: boolean;
  blocked_bot: boolean;
  created_at: Date;
  updated_at: Date;
}

export type IntakeState = 'steps' | 'category' | 'done';

export interface Ticket {
  id: number;
  customer_id: number;
  status: TicketStatus;
  queue: string;
  category: string | null;
  language: string | null;
  agent_id: number | null;
  created_at: Date;
  first_response_at: Date | null;
  first_response_due_at: Date;
  resolution_due_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  reopened_count: number;
  agent_replies: number;
  customer_messages: number;
  is_repeat_contact: boolean;
  intake_state: IntakeState;
  opening_message_id: number | null;
  card_message_id: number | null;
  /** Chat and topic of card_message_id (migration 060; null on older rows). */
  card_chat_id: number | null;
  card_thread_id: number | null;
  updated_at: Date;
  /** A stop word marked it (migration 120): first in the priority order (sla/priority.ts). */
  urgent: boolean;
  /** When it was first escalated (migration 120); the first-response risk sweep escalates a ticket once. */
  escalated_at: Date | null;
  /** Bumped by every change (optimistic concurrency). */
  version: number;
  /** The customer's pseudonym every event of the ticket carries (bot/store/pseudonyms.ts, migration 140); null on older rows until their next event. */
  analytics_id?: number | null;
}

const TICKET_TIMES = ['created_at', 'first_response_at', 'first_response_due_at', 'resolution_due_at', 'resolved_at', 'updated_at', 'escalated_at'] as const;

/** A ticket row that went through to_jsonb (timestamps as strings) back into a Ticket. */
export function ticketFromJson(j: Record<string, unknown>): Ticket {
  const t = { ...j } as Record<string, unknown>;
  for (const k of TICKET_TIMES) if (typeof t[k] === 'string') t[k] = new Date(t[k] as string);
  return t as unknown as Ticket;
}

export const isOpen = (t: Pick<Ticket, 'status'>): boolean => t.status !== 'resolved';
