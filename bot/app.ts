/**
 * The desk, assembled in one pass: a grammY bot with flood control,
 * per-customer sequential processing and i18n; the services behind
 * `ctx.desk`, each built with what it needs, in dependency order; the one
 * notifier of ticket changes; the outbox relay; and the composers — the
 * service features, extra ones (the alerts'), the customer intake and, behind
 * the agent gate, the ticket card, the agent commands and the agents' replies
 * — inside one error boundary for desk errors. Tests create it with
 * createDesk(); the entry points through createDeskService (bot/service.ts).
 */
import { sequentialize } from '@grammyjs/runner';
import { Bot, Composer, type Context } from 'grammy';
import type { Bus } from '../core/bus/types.js';
import { logger as makeLogger, type Logger } from '../core/log.js';
import type { Db } from '../core/postgres.js';
import type { BotConfig } from './config.js';
import type { BotContext, Desk } from './context.js';
import { logUpdateError, replyWithDeskError } from './error-boundary.js';
import { agentCommandsFeature } from './features/agent-commands/feature.js';
import { featureHooks as defaultHooks, featuresComposer as defaultFeatures } from './features/index.js';
import { intakeFeature } from './features/intake/feature.js';
import { ticketCardFeature } from './features/ticket-card/feature.js';
import { topicRepliesFeature } from './features/topic-replies/feature.js';
import type { FeatureHooks } from './hooks.js';
import { createI18n } from './i18n.js';
import { trackBacklog, trackUpdatesLag } from './metrics.js';
import { UpdatesLag } from './telegram/updates-lag.js';
import { DeskNotifier } from './notifier.js';
import { loadAlertsConfig } from './alerts/config.js';
import { DeliveryRepair, type EscalationTarget } from './delivery-repair.js';
import { OutboxRelay } from './outbox-relay.js';
import { SlaPolicy } from '../sla/policy.js';
import { CustomerRepo } from './store/customers.js';
import { MessagePairRepo } from './store/message-pairs.js';
import { TicketMessageRepo } from './store/ticket-messages.js';
import { migrateBot } from './store/migrate.js';
import { Outbox } from './store/outbox.js';
import { roleGuard } from './role-guard.js';
import { StaffRoles } from './roles.js';
import { recordStaff } from './store/staff.js';
import { AgentDirectory } from './telegram/agents.js';
import { installFloodControl } from './telegram/api.js';
import { pickLocale } from './telegram/present.js';
import { startPolling, type Polling } from './telegram/polling.js';
import { startRelayKeyRetention } from './telegram/relay-key-retention.js';
import { Relay } from './telegram/relay.js';
import { checkCommandLocales, checkWebhookUrl } from './telegram/settings.js';
import { TopicManager } from './telegram/topics.js';
import { isAgentUpdate } from './telegram/update.js';
import { Intake } from './tickets/intake.js';
import { DeskExperiments } from './experiments/experiments.js';
import { TicketService } from './tickets/service.js';

/** Updates the desk asks Telegram for. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member', 'chat_member', 'chat_join_request'] as const;

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
  /** Where held customer messages are announced (bot/delivery-repair.ts); default ESCALATION_CHAT_ID/ESCALATION_THREAD_ID. */
  escalation?: EscalationTarget;
  /** Partitions of the events topic if the relay creates it (KAFKA_PARTITIONS). */
  eventsPartitions?: number;
  log?: Logger;
}

export interface DeskApp {
  bot: Bot<BotContext>;
  services: Desk;
  outboxRelay: OutboxRelay;
  /** How far behind Telegram's updates the desk is (desk_updates_lag_seconds; /healthz through bot/service.ts). */
  updatesLag: UpdatesLag;
  /** Starts the outbox relay and long polling (or registers the webhook when WEBHOOK_URL is set). */
  start(): Promise<void>;
  /** Stops polling, lets in-flight relays finish, publishes what it can, stops the relay. */
  stop(): Promise<void>;
}

/**
 * The support group's agents: only members act (getChatMember, cached), and
 * their display name is recorded for the analytics (bot/store/staff.ts);
 * updates of anyone else there, and of any other group, are left alone.
 */
function agentSide(): Composer<BotContext> {
  const side = new Composer<BotContext>();
  side.filter(isAgentUpdate).use(
    async (ctx, next) => {
      await recordStaff(ctx.desk.db, ctx.desk.outbox, ctx.from!);
      await next();
    },
    ticketCardFeature(),
    agentCommandsFeature(),
    topicRepliesFeature(),
  );
  return side;
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
  const apiRoot = o.apiRoot ?? config.apiRoot;
  // Before anything else: a webhook api.telegram.org would refuse is a configuration error, not a silent start.
  checkWebhookUrl(config.webhookUrl, apiRoot);
  await migrateBot(db, { log: (m) => log.info(m) });

  const bot = new Bot<BotContext>(config.token, { client: apiRoot ? { apiRoot } : {} });
  installFloodControl(bot.api, config.throttle, log);
  // Outermost: a getUpdates that failed for good (after the retries) is logged here, through the redacting
  // logger — the runner's own console.error would print the request URL, bot token included.
  bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (err) {
      if (method === 'getUpdates' && !signal?.aborted) log.warn({ err }, 'fetching updates failed; polling retries');
      throw err;
    }
  });
  // What was fetched and not yet handled, by Telegram date (bot/telegram/updates-lag.ts); its middleware goes first below.
  const updatesLag = new UpdatesLag();
  bot.api.config.use(updatesLag.transformer());

  const features = o.features ?? { composer: defaultFeatures, hooks: defaultHooks };
  const i18n = createI18n({ agentLanguage: config.agentLanguage, supportChatId: config.supportChatId });
  // Each locale is published as a command menu (setMyCommands language_code): Telegram accepts only two-letter codes.
  checkCommandLocales(i18n.locales);
  const translate = (locale: string, key: string, vars?: Record<string, string | number>) => i18n.t(locale, key, vars);
  const agentLocale = pickLocale(i18n.locales, config.agentLanguage);
  const agentText = (key: string, vars?: Record<string, string | number>) => translate(agentLocale, key, vars);

  // The services, each given what it needs.
  const sla = new SlaPolicy(config.sla, config.businessHours, config.defaultQueue);
  const outbox = new Outbox(config.eventsTopic);
  const customers = new CustomerRepo(db);
  const pairs = new MessagePairRepo(db);
  const history = new TicketMessageRepo(db);
  const tickets = new TicketService({
    db,
    outbox,
    sla,
    categories: config.categories,
    defaultQueue: config.defaultQueue,
    repeatContactWindowSeconds: config.repeatContactWindowSeconds,
    log,
  });
  const topics = new TopicManager(bot.api, customers, config.supportChatId, config.categories, log);
  const relay = new Relay({
    api: bot.api,
    supportChatId: config.supportChatId,
    customers,
    pairs,
    tickets,
    topics,
    albumBufferMs: config.albumBufferMs,
    agentText,
    history,
    log,
  });
  const intake = new Intake({ tickets, customers, relay, categories: config.categories, locales: i18n.locales, translate });
  const agents = new AgentDirectory(bot.api, config.supportChatId, config.agentCacheTtlMs);
  const roles = new StaffRoles({
    api: bot.api,
    agents,
    supportChatId: config.supportChatId,
    teamLeadIds: config.teamLeadIds,
    adminIds: config.adminIds,
    cacheTtlMs: config.agentCacheTtlMs,
  });
  const experiments = new DeskExperiments({ dir: config.experimentsDir, db, outbox, log: log.child({ part: 'experiments' }) });
  const services: Desk = {
    db,
    config,
    api: bot.api,
    tickets,
    customers,
    pairs,
    history,
    outbox,
    relay,
    topics,
    intake,
    sla,
    experiments,
    agents,
    roles,
    agentText,
    translate,
    locales: i18n.locales,
    log,
  };
  // Customer messages that cannot reach the support group wait here, and are delivered once it works again.
  const deliveries = new DeliveryRepair({
    desk: services,
    escalation: () => {
      if (o.escalation) return o.escalation;
      const a = loadAlertsConfig();
      return { chatId: a.ESCALATION_CHAT_ID, ...(a.ESCALATION_THREAD_ID ? { threadId: a.ESCALATION_THREAD_ID } : {}) };
    },
    log: log.child({ part: 'deliveries' }),
  });
  relay.holdWith(deliveries);

  const outboxRelay = new OutboxRelay({
    db,
    bus: o.bus,
    batchSize: config.outboxBatch,
    log: log.child({ part: 'outbox' }),
    topics: [{ name: config.eventsTopic, partitions: o.eventsPartitions ?? 6 }],
  });
  const untrack = trackBacklog(() => outboxRelay.backlog());
  const untrackLag = trackUpdatesLag(() => updatesLag.seconds());

  // Every committed ticket change and every new topic reach the bus, the topic, the customer and the features one way.
  const notifier = new DeskNotifier({ desk: services, hooks: features.hooks, publishSoon: () => outboxRelay.kick(), log });
  tickets.subscribe((change) => notifier.ticketChanged(change));
  topics.subscribe((customerId) => notifier.topicCreated(customerId));

  bot.use(updatesLag.middleware());
  bot.use(sequentialize(sequentialKey(config.supportChatId)));
  bot.use((ctx, next) => {
    ctx.desk = services;
    return next();
  });
  bot.use(i18n);
  // roleGuard first: every staff command and button is authorised (bot/roles.ts) before any composer sees it.
  bot.errorBoundary(replyWithDeskError(), roleGuard(), features.composer, ...(o.composers ?? []), intakeFeature(features.hooks.intakeSteps), agentSide());
  bot.catch(logUpdateError(log));

  let runner: Polling | undefined;
  let relayKeys: { stop(): Promise<void> } | undefined;
  return {
    bot,
    services,
    outboxRelay,
    updatesLag,
    async start() {
      // Before any update is handled: the claims a dead process left are copies a crash cut off — re-sent, flagged (bot/telegram/relay.ts).
      const orphaned = await pairs.orphanClaims();
      if (orphaned) log.warn({ orphaned }, 'relay claims left by a stopped process: their copies are sent again, flagged');
      await bot.init();
      await experiments.open();
      for (const h of features.hooks.onStart ?? []) await h(services);
      outboxRelay.start();
      await deliveries.start();
      relayKeys = startRelayKeyRetention(db, log);
      if (config.webhookUrl) {
        await bot.api.setWebhook(config.webhookUrl, { secret_token: config.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
        log.info({ url: config.webhookUrl }, 'webhook registered');
        return;
      }
      await bot.api.deleteWebhook();
      // Confirmed to Telegram only once processed; the last processed id persisted (bot/telegram/polling.ts).
      runner = await startPolling(bot, { db, allowedUpdates: ALLOWED_UPDATES, log });
      log.info({ bot: bot.botInfo.username }, 'long polling started');
    },
    async stop() {
      await runner?.stop();
      await relay.idle();
      await deliveries.stop();
      await relayKeys?.stop();
      for (const h of features.hooks.onStop ?? []) await h().catch((err: unknown) => log.error({ err }, 'feature stop failed'));
      experiments.close();
      await outboxRelay.stop();
      untrack();
      untrackLag();
    },
  };
}
