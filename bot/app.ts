/**
 * The desk, assembled: a grammY bot with flood control, per-customer
 * sequential processing, i18n, the features' composer and the core handlers;
 * the services behind `ctx.desk`; the outbox relay. Entry points
 * (bot/main.ts, scripts/start.ts) and tests create it with createDesk().
 */
import { sequentialize, run, type RunnerHandle } from '@grammyjs/runner';
import { Bot, Composer, type Context } from 'grammy';
import type { Bus } from '../core/bus/types.js';
import { logger as makeLogger, type Logger } from '../core/log.js';
import type { Db } from '../core/postgres.js';
import type { BotConfig } from './config.js';
import type { BotContext, Desk } from './context.js';
import { featureHooks as defaultHooks, featuresComposer as defaultFeatures } from './features/index.js';
import { agentHandlers } from './features/agent-commands/feature.js';
import { customerHandlers } from './features/intake/feature.js';
import { Intake } from './tickets/intake.js';
import { cardChanged, postCard, refreshCard } from './features/ticket-card/card.js';
import type { FeatureHooks } from './hooks.js';
import { createI18n } from './i18n.js';
import { trackBacklog, updatesHandled } from './metrics.js';
import { OutboxRelay } from './outbox-relay.js';
import { SlaPolicy } from './sla/policy.js';
import { CustomerRepo } from './store/customers.js';
import { MessagePairRepo } from './store/message-pairs.js';
import { migrateBot } from './store/migrate.js';
import { Outbox } from './store/outbox.js';
import { AgentDirectory } from './telegram/agents.js';
import { installFloodControl } from './telegram/api.js';
import { Relay } from './telegram/relay.js';
import { STATUS_EMOJI } from './telegram/topic-title.js';
import { TopicManager } from './telegram/topics.js';
import { TicketService } from './tickets/service.js';

/** Updates the desk asks Telegram for. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member', 'chat_member'] as const;

export interface DeskOptions {
  db: Db;
  bus: Bus;
  config: BotConfig;
  /** Overrides config.apiRoot (tests point it at an in-process sandbox). */
  apiRoot?: string;
  /** Extra composers after the features (e.g. bot/alerts' alertsComposer). */
  composers?: Composer<BotContext>[];
  /** Defaults to bot/features/index.ts. */
  features?: { composer: Composer<BotContext>; hooks: FeatureHooks };
  /** Partitions of the events topic if the relay creates it (KAFKA_PARTITIONS). */
  eventsPartitions?: number;
  log?: Logger;
}

export interface DeskApp {
  bot: Bot<BotContext>;
  services: Desk;
  outboxRelay: OutboxRelay;
  /** Starts the outbox relay and long polling (or registers the webhook when WEBHOOK_URL is set). */
  start(): Promise<void>;
  /** Stops polling, lets in-flight relays finish, publishes what it can, stops the relay. */
  stop(): Promise<void>;
}

/** Updates of one customer run one at a time: private chats by user, topics by thread. */
export function sequentialKey(supportChatId: number) {
  return (ctx: Context): string | undefined => {
    const chat = ctx.chat ?? ctx.callbackQuery?.message?.chat;
    if (chat?.type === 'private') return `c:${chat.id}`;
    const msg = ctx.msg ?? ctx.callbackQuery?.message;
    if (chat?.id === supportChatId && msg && 'message_thread_id' in msg && msg.message_thread_id !== undefined) return `t:${msg.message_thread_id}`;
    return chat ? `chat:${chat.id}` : ctx.from ? `c:${ctx.from.id}` : undefined;
  };
}

export async function createDesk(o: DeskOptions): Promise<DeskApp> {
  const { db, config } = o;
  const log = o.log ?? makeLogger('bot');
  await migrateBot(db, { log: (m) => log.info(m) });

  const apiRoot = o.apiRoot ?? config.apiRoot;
  const bot = new Bot<BotContext>(config.token, { client: apiRoot ? { apiRoot } : {} });
  installFloodControl(bot.api, config.throttle);

  const features = o.features ?? { composer: defaultFeatures, hooks: defaultHooks };
  const i18n = createI18n({ agentLanguage: config.agentLanguage, supportChatId: config.supportChatId });
  const agentLocale = i18n.locales.includes(config.agentLanguage) ? config.agentLanguage : 'en';
  const translate = (locale: string, key: string, vars?: Record<string, string | number>) => i18n.t(locale, key, vars);

  const sla = new SlaPolicy(config.sla, config.businessHours, config.defaultQueue);
  const outbox = new Outbox(config.eventsTopic);
  const customers = new CustomerRepo(db);
  const pairs = new MessagePairRepo(db);
  const tickets = new TicketService({
    db, outbox, sla, categories: config.categories, defaultQueue: config.defaultQueue,
    repeatContactWindowSeconds: config.repeatContactWindowSeconds, hooks: features.hooks, log,
  });
  const topics = new TopicManager(bot.api, customers, config.supportChatId, config.categories, log);
  const agentText = (key: string, vars?: Record<string, string | number>) => translate(agentLocale, key, vars);
  const relay = new Relay({ api: bot.api, supportChatId: config.supportChatId, customers, pairs, tickets, topics, albumBufferMs: config.albumBufferMs, agentText, log });
  const intake = new Intake(features.hooks, i18n.locales);
  const services: Desk = {
    db, config, api: bot.api, tickets, customers, pairs, outbox, relay, topics, intake, sla, agentText, translate, log,
    agents: new AgentDirectory(bot.api, config.supportChatId, config.agentCacheTtlMs),
    locales: i18n.locales,
  };
  intake.desk = services;
  tickets.hookTarget = services;

  const outboxRelay = new OutboxRelay({
    db, bus: o.bus, batchSize: config.outboxBatch, log: log.child({ part: 'outbox' }),
    topics: [{ name: config.eventsTopic, partitions: o.eventsPartitions ?? 6 }],
  });
  const untrack = trackBacklog(() => outboxRelay.backlog());

  // Keep the topic title and the card in step with the ticket; publish the new events soon.
  tickets.listeners.push(async ({ ticket, previous }) => {
    outboxRelay.kick();
    // A new ticket of a returning customer takes over their existing topic's title; its card is posted by the handler.
    const titleChanged = !previous || STATUS_EMOJI[previous.status] !== STATUS_EMOJI[ticket.status] || previous.category !== ticket.category;
    const showCard = previous !== undefined && cardChanged(previous, ticket);
    if (!titleChanged && !showCard) return;
    const customer = await customers.get(ticket.customer_id);
    if (!customer) return;
    await topics.syncTitle(ticket, customer);
    if (showCard) await refreshCard(services, ticket, customer);
  });
  // A new topic (the first, or one replacing a deleted topic) gets the open ticket's card, once.
  topics.onCreated = async (customerId) => {
    const open = await tickets.findOpen(customerId);
    if (open) await postCard(services, open);
  };

  bot.use(sequentialize(sequentialKey(config.supportChatId)));
  bot.use((ctx, next) => {
    ctx.desk = services;
    return next();
  });
  bot.use(i18n);
  bot.use(features.composer);
  for (const c of o.composers ?? []) bot.use(c);
  bot.use(customerHandlers());
  bot.use(agentHandlers(config.supportChatId));
  bot.catch((err) => {
    updatesHandled.inc({ outcome: 'error' });
    log.error({ err: err.error, update: err.ctx.update.update_id }, 'update failed');
  });

  let runner: RunnerHandle | undefined;
  return {
    bot,
    services,
    outboxRelay,
    async start() {
      await bot.init();
      for (const h of features.hooks.onStart ?? []) await h(services);
      outboxRelay.start();
      if (config.webhookUrl) {
        await bot.api.setWebhook(config.webhookUrl, { secret_token: config.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
        log.info({ url: config.webhookUrl }, 'webhook registered');
        return;
      }
      await bot.api.deleteWebhook();
      runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
      log.info({ username: bot.botInfo.username }, 'long polling started');
    },
    async stop() {
      if (runner?.isRunning()) await runner.stop();
      await relay.idle();
      for (const h of features.hooks.onStop ?? []) await h().catch((err: unknown) => log.error({ err }, 'feature stop failed'));
      await outboxRelay.stop();
      untrack();
    },
  };
}
