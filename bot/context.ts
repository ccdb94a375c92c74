/**
 * The context every desk composer (core, features, alerts) receives:
 * grammY's Context, @grammyjs/i18n's translation flavor, and `ctx.desk`,
 * the desk's services (bot/EXTENSION.md §1). Types only, over the services:
 * no service imports this file, so no composer's import comes back here.
 */
import type { Api, Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Db } from '../core/postgres.js';
import type { Logger } from '../core/log.js';
import type { BotConfig } from './config.js';
import type { SlaPolicy } from '../sla/policy.js';
import type { CustomerRepo } from './store/customers.js';
import type { MessagePairRepo } from './store/message-pairs.js';
import type { TicketMessageRepo } from './store/ticket-messages.js';
import type { Outbox } from './store/outbox.js';
import type { StaffRoles } from './roles.js';
import type { AgentDirectory } from './telegram/agents.js';
import type { Relay } from './telegram/relay.js';
import type { TopicManager } from './telegram/topics.js';
import type { Intake } from './tickets/intake.js';
import type { DeskExperiments } from './experiments/experiments.js';
import type { TicketService } from './tickets/service.js';

export interface Desk {
  db: Db;
  config: BotConfig;
  api: Api;
  tickets: TicketService;
  customers: CustomerRepo;
  pairs: MessagePairRepo;
  /** A ticket's conversation as the customer's Mini App shows it (ticket_messages). */
  history: TicketMessageRepo;
  outbox: Outbox;
  relay: Relay;
  topics: TopicManager;
  agents: AgentDirectory;
  /** Agent, team lead, admin (bot/roles.ts); check with `authorize(ctx, action)`. */
  roles: StaffRoles;
  intake: Intake;
  sla: SlaPolicy;
  /** A/B tests: `variantFor(surface, ticket)` at each variation point (bot/experiments/). */
  experiments: DeskExperiments;
  /** Translates for agents (AGENT_LANGUAGE), outside a customer's context. */
  agentText: (key: string, vars?: Record<string, string | number>) => string;
  /** Translates into any locale (e.g. a customer's, from a timer). */
  translate: (locale: string, key: string, vars?: Record<string, string | number>) => string;
  /** Locales with translations (locales/<lang>/). */
  locales: readonly string[];
  log: Logger;
}

export type BotContext = Context & I18nFlavor & { desk: Desk };
