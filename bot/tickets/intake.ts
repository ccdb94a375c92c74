/**
 * Intake of a new ticket, the desk's side: the category keyboard, shown once
 * per ticket when the features' intake steps (run by the intake feature,
 * bot/features/intake/) are done or a step that waited hands the ticket back
 * (`continue`). Built with what it needs; knows no update.
 */
import { InlineKeyboard } from 'grammy';
import type { Category } from '../routing.js';
import type { CustomerRepo } from '../store/customers.js';
import type { Relay } from '../telegram/relay.js';
import { customerLocale } from '../telegram/present.js';
import type { TicketService } from './service.js';

export interface IntakeOptions {
  tickets: TicketService;
  customers: CustomerRepo;
  relay: Relay;
  categories: readonly Category[];
  locales: readonly string[];
  translate: (locale: string, key: string, vars?: Record<string, string | number>) => string;
}

export class Intake {
  constructor(private readonly o: IntakeOptions) {}

  /** Resumes intake after a step that waited (or ends it after the steps): the category keyboard, unless the ticket moved on. */
  async continue(ticketId: number): Promise<void> {
    const { tickets, customers, relay, categories } = this.o;
    const ticket = await tickets.get(ticketId);
    if (!ticket || ticket.status === 'resolved' || ticket.category !== null || ticket.intake_state === 'category') return;
    const customer = (await customers.get(ticket.customer_id))!;
    const locale = customerLocale(this.o.locales, customer, ticket);
    const keyboard = new InlineKeyboard();
    categories.forEach((c, i) => {
      keyboard.text(this.categoryLabel(locale, c.key, c.label), `desk:cat:${ticket.id}:${c.key}`);
      if (i % 2 === 1) keyboard.row();
    });
    const sent = await relay.sendToCustomer(customer.id, this.o.translate(locale, 'category-prompt'), { reply_markup: keyboard });
    if (sent) await tickets.setIntakeState(ticket.id, 'category');
  }

  /** A category's name in a language (locales' category-<key>), else its configured label. */
  categoryLabel(locale: string, key: string, fallback: string): string {
    const text = this.o.translate(locale, `category-${key}`);
    return text === `category-${key}` ? fallback : text;
  }
}
