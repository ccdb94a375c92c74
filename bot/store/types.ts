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
  updated_at: Date;
}

export const isOpen = (t: Pick<Ticket, 'status'>): boolean => t.status !== 'resolved';
