/**
 * The hooks features plug into (bot/EXTENSION.md §3). The desk's notifier
 * (bot/notifier.ts) runs them after the state change committed; a hook that
 * throws is logged, never fatal.
 */
import type { Message } from 'grammy/types';
import type { BotContext, Desk } from './context.js';
import type { Customer, Ticket } from './store/types.js';
import type { ReopenReason, ResolvedBy } from './tickets/service.js';

export type { ReopenReason, ResolvedBy };

/**
 * 'continue' → the next step; 'wait' → intake pauses (see IntakeStep.run); 'answered' → the customer already got
 * an automatic answer (the incidents' known-issue reply): the next steps run, but none answers again (no KB
 * suggestion after "we know about this problem"), and the category keyboard follows.
 */
export type IntakeResult = 'continue' | 'wait' | 'answered';

export interface IntakeInput {
  ticket: Ticket;
  customer: Customer;
  /** The customer's message that opened the ticket. */
  message: Message;
  /** An earlier step answered the customer already ('answered'): do not answer again. */
  answered: boolean;
}

export interface IntakeStep {
  name: string;
  /**
   * 'continue' → the next step, then the category keyboard. 'wait' → intake
   * pauses; the step's own button handler later calls
   * `ctx.desk.intake.continue(ticketId)` or resolves the ticket.
   */
  run(ctx: BotContext, input: IntakeInput): Promise<IntakeResult>;
  /**
   * After the customer picked the category (the intake feature's keyboard): what a step put off until then
   * (the KB suggestion when the experiment surface question_order says category_first).
   */
  afterCategory?(ctx: BotContext, input: { ticket: Ticket; answered: boolean }): Promise<IntakeResult | undefined>;
}

export interface TicketResolvedHookEvent {
  ticket: Ticket;
  by: ResolvedBy;
}

export interface FeatureHooks {
  intakeSteps: IntakeStep[];
  onOpened: Array<(e: { ticket: Ticket; customer: Customer }, desk: Desk) => Promise<void>>;
  onResolved: Array<(e: TicketResolvedHookEvent, desk: Desk) => Promise<void>>;
  onReopened: Array<(e: { ticket: Ticket; reason: ReopenReason }, desk: Desk) => Promise<void>>;
  /** When the desk starts (before polling): features load their files and start their scheduler, so due jobs run after a restart even before any update arrives. */
  onStart?: Array<(desk: Desk) => Promise<void>>;
  /** When the desk stops (after polling stopped, before the outbox relay stops). */
  onStop?: Array<() => Promise<void>>;
}

export function emptyHooks(): FeatureHooks {
  return { intakeSteps: [], onOpened: [], onResolved: [], onReopened: [] };
}
