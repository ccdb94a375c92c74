/**
 * Intake of a new ticket: the features' intake steps (e.g. the knowledge-base
 * suggestion) run first; unless one of them waits for the customer, the
 * category keyboard follows, once per ticket.
 */
import { InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import type { BotContext, Desk } from '../context.js';
import type { FeatureHooks } from '../hooks.js';
import type { Customer, Ticket } from '../store/types.js';
import { customerLocale } from '../telegram/present.js';

export class Intake {
  /** Set by createDesk once the services exist. */
  desk!: Desk;

  constructor(
    private readonly hooks: FeatureHooks,
    private readonly locales: readonly string[],
  ) {}

  /** Runs after the ticket was opened and the receipt sent. */
  async start(ctx: BotContext, ticket: Ticket, customer: Customer, message: Message): Promise<void> {
    for (const step of this.hooks.intakeSteps) {
      let result: 'continue' | 'wait' = 'continue';
      try {
        result = await step.run(ctx, { ticket, customer, message });
      } catch (err) {
        this.desk.log.error({ err, step: step.name, ticket: ticket.id }, 'intake step failed; continuing');
      }
      if (result === 'wait') return;
      // A step may have resolved the ticket (e.g. the customer said the article helped).
      const now = await this.desk.tickets.get(ticket.id);
      if (!now || now.status === 'resolved') return;
    }
    await this.askCategory(ticket.id);
  }

  /** Resumes intake after a step that waited: shows the category keyboard unless the ticket moved on. */
  async continue(ticketId: number): Promise<void> {
    await this.askCategory(ticketId);
  }

  private async askCategory(ticketId: number): Promise<void> {
    const desk = this.desk;
    const ticket = await desk.tickets.get(ticketId);
    if (!ticket || ticket.status === 'resolved' || ticket.category !== null || ticket.intake_state === 'category') return;
    const customer = (await desk.customers.get(ticket.customer_id))!;
    const locale = customerLocale(this.locales, customer, ticket);
    const keyboard = new InlineKeyboard();
    desk.config.categories.forEach((c, i) => {
      keyboard.text(this.categoryLabel(locale, c.key, c.label), `desk:cat:${ticket.id}:${c.key}`);
      if (i % 2 === 1) keyboard.row();
    });
    const sent = await desk.relay.sendToCustomer(customer.id, desk.translate(locale, 'category-prompt'), { reply_markup: keyboard });
    if (sent) await desk.tickets.setIntakeState(ticket.id, 'category');
  }

  categoryLabel(locale: string, key: string, fallback: string): string {
    const text = this.desk.translate(locale, `category-${key}`);
    return text === `category-${key}` ? fallback : text;
  }
}
