/**
 * The one way a ticket change reaches the world. The ticket service commits a
 * change (the ticket, its events and the outbox rows in one transaction) and
 * hands it here, its one subscriber; then, in this order:
 *  1. the bus — the outbox relay publishes the new events now, not at its next poll;
 *  2. the topic — its title (status emoji, category) and the ticket card follow the ticket;
 *  3. the customer — an agent's resolve or reopen is announced to them, in their language;
 *  4. the features — their onOpened / onResolved / onReopened hooks, after the
 *     announcement (the customer reads "solved" before the rating keyboard).
 * A new topic (the first, or one replacing a deleted topic) gets the open
 * ticket's card, once. A step that fails is logged and the next one still runs.
 */
import { readPrefs } from './store/customer-prefs.js';
import type { Logger } from '../core/log.js';
import type { Desk } from './context.js';
import { withoutPersonalData } from './error-boundary.js';
import { cardChanged, postCard, refreshCard } from './features/ticket-card/card.js';
import type { FeatureHooks } from './hooks.js';
import type { Customer } from './store/types.js';
import { customerLocale, customerText, formatDurationWords } from './telegram/present.js';
import { STATUS_EMOJI } from './telegram/topic-title.js';
import type { TicketChange } from './tickets/service.js';

export interface NotifierOptions {
  desk: Desk;
  hooks: FeatureHooks;
  /** Asks the outbox relay to publish now (OutboxRelay.kick). */
  publishSoon: () => void;
  log: Logger;
}

export class DeskNotifier {
  constructor(private readonly o: NotifierOptions) {}

  async ticketChanged(change: TicketChange): Promise<void> {
    this.o.publishSoon();
    const customer = await this.step('topic', change, () => this.syncTopic(change));
    if (change.kind === 'resolved' || change.kind === 'reopened') await this.step('customer', change, () => this.announce(change, customer));
    await this.runHooks(change);
  }

  /** A topic this process created for a customer: their open ticket's card goes there. */
  async topicCreated(customerId: number): Promise<void> {
    const open = await this.o.desk.tickets.findOpen(customerId);
    if (open) await postCard(this.o.desk, open);
  }

  /**
   * The topic's title when the status emoji or the category changed (a new
   * ticket of a returning customer takes over their topic's title; its card is
   * posted by the intake), the card when something it shows changed.
   * Returns the customer when it had to read them.
   */
  private async syncTopic({ ticket, previous }: TicketChange): Promise<Customer | undefined> {
    const titleChanged = !previous || STATUS_EMOJI[previous.status] !== STATUS_EMOJI[ticket.status] || previous.category !== ticket.category;
    const showCard = previous !== undefined && cardChanged(previous, ticket);
    if (!titleChanged && !showCard) return undefined;
    const customer = await this.o.desk.customers.get(ticket.customer_id);
    if (!customer) return undefined;
    await this.o.desk.topics.syncTitle(ticket, customer);
    if (showCard) await refreshCard(this.o.desk, ticket, customer);
    return customer;
  }

  /** An agent resolved or reopened the ticket: the customer hears it from the desk (features tell of their own changes). */
  private async announce(change: TicketChange & { kind: 'resolved' | 'reopened' }, known: Customer | undefined): Promise<void> {
    const byAgent = change.kind === 'resolved' ? change.by === 'agent' : change.reason === 'agent';
    if (!byAgent) return;
    const { desk } = this.o;
    const customer = known ?? (await desk.customers.get(change.ticket.customer_id));
    if (!customer) return;
    const t = customerText(desk, customer, change.ticket);
    // Experiment surface `notifications` (bot/experiments/): a short note at each change (control), or one summary at resolution.
    const { ticket } = change;
    // The customer's own choice (Mini App settings, bot/store/customer-prefs.ts) comes first: off → nothing, summary → the summary.
    const chosen = (await readPrefs(desk.db, customer.id)).statusUpdates;
    if (chosen === 'off') return;
    const summary =
      chosen === 'summary' || (await desk.experiments.variantFor('notifications', ticket, { at: ticket.resolved_at ?? ticket.updated_at })) === 'summary';
    if (summary && change.kind === 'reopened') return; // the agent writes next; the summary comes with the resolution
    if (summary && ticket.resolved_at) {
      const locale = customerLocale(desk.locales, customer, ticket);
      const words = (from: Date, to: Date) => formatDurationWords((to.getTime() - from.getTime()) / 1000, locale);
      await desk.relay.sendToCustomer(
        customer.id,
        t('ticket-resolved-summary', {
          number: ticket.id,
          queue: ticket.queue,
          answered: ticket.first_response_at ? words(ticket.created_at, ticket.first_response_at) : 'none',
          solved: words(ticket.created_at, ticket.resolved_at),
        }),
      );
      return;
    }
    await desk.relay.sendToCustomer(
      customer.id,
      t(change.kind === 'resolved' ? 'ticket-resolved-customer' : 'ticket-reopened-customer', { number: ticket.id }),
    );
  }

  private async runHooks(change: TicketChange): Promise<void> {
    const { desk, hooks } = this.o;
    const { ticket } = change;
    const run = async <E>(name: string, list: Array<(e: E, desk: Desk) => Promise<void>>, e: E) => {
      for (const hook of list) await this.step(name, change, () => hook(e, desk));
    };
    if (change.kind === 'opened') await run('onOpened', hooks.onOpened, { ticket, customer: change.customer });
    else if (change.kind === 'resolved') await run('onResolved', hooks.onResolved, { ticket, by: change.by });
    else if (change.kind === 'reopened') await run('onReopened', hooks.onReopened, { ticket, reason: change.reason });
  }

  private async step<T>(what: string, change: TicketChange, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      this.o.log.error({ error: withoutPersonalData(err), ticket: change.ticket.id, change: change.kind, step: what }, 'ticket change notification failed');
      return undefined;
    }
  }
}
