/**
 * The desk's configuration: every variable the bot reads, declared once
 * (core/env.ts turns these declarations into the README table and the start-up
 * validation), plus the parsed forms the code works with (queues, SLA targets,
 * business-hours calendars, categories).
 */
import { loadBusConfig } from '../core/bus/config.js';
import { loadExperimentsConfig } from '../analytics/experiments/config.js';
import { ConfigError, defineConfig, env } from '../core/env.js';
import { parseBusinessHours, type BusinessCalendar } from '../sla/business-hours.js';
import { DEFAULT_SLA_TARGETS, parseSlaTargets, type SlaTargets } from '../sla/policy.js';
import { DEFAULT_CATEGORIES, parseCategories, type Category } from './routing.js';

export const SANDBOX_BOT_TOKEN = '7000000001:sandbox-token';

/** Read first: with DEMO=1 an empty BOT_TOKEN counts as unset. */
const loadDemoEnv = defineConfig('bot', {
  DEMO: env.bool({
    default: false,
    doc: 'npm start: run the demo on purpose — the local Telegram sandbox and the traffic simulator, on the embedded stores only (refused with BOT_TOKEN, DATABASE_URL, CLICKHOUSE_URL, KAFKA_BROKERS or a non-loopback SANDBOX_HOST). npm start with no configuration at all runs it too; npm run bot refuses it.',
  }),
});

export const loadBotEnv = defineConfig('bot', {
  BOT_TOKEN: env.botToken({
    doc: 'Telegram bot token from @BotFather (<bot id>:<about 35 characters>); npm run bot requires it. Unset (npm start with no configuration, or DEMO=1): the demo on the local sandbox bot. Set but empty or malformed: an error, never the demo.',
    emptyHint: 'or remove the variable (or set DEMO=1) for the demo on the local sandbox',
  }),
  TELEGRAM_API_ROOT: env.url({
    protocols: ['http:', 'https:'],
    example: 'http://127.0.0.1:8081',
    doc: 'Bot API root (a local Bot API server, or a sandbox started apart). Unset: api.telegram.org, or, in the demo, the local sandbox.',
  }),
  SANDBOX_PORT: env.int({ default: 8081, min: 1, max: 65535, doc: 'Port of the local Telegram sandbox of the demo (npm start without BOT_TOKEN).' }),
  SUPPORT_CHAT_ID: env.chatId({
    default: -1002000000001,
    supergroup: true,
    doc: 'Forum supergroup where agents work (-100…): one topic per customer. The bot must be an admin that can manage topics.',
  }),
  WEBHOOK_URL: env.url({ doc: 'Public HTTPS URL Telegram posts updates to (path included). Unset: long polling.' }),
  WEBHOOK_SECRET: env.optionalString({ doc: 'Secret token Telegram sends in X-Telegram-Bot-Api-Secret-Token; required with WEBHOOK_URL.', secret: true }),
  WEBAPP_URL: env.url({
    doc: "Public HTTPS URL of the customer Mini App (this server's /app/, e.g. https://support.example.com/app/): the menu button, the receipt's Track status button and /start links open it. Unset: no Mini App buttons (the demo uses the local server's /app/).",
  }),
  VIP_USER_IDS: env.userIds({ doc: 'Comma-separated Telegram user ids routed to the VIP queue (always wins over category routing).' }),
  CATEGORIES: env.string({
    default: DEFAULT_CATEGORIES,
    doc: 'Category keyboard and routing: "Label:queue,…". A category without ":queue" goes to the default queue (L1).',
  }),
  DEFAULT_QUEUE: env.string({ default: 'L1', doc: 'Queue of tickets before a category is picked and of categories without a queue.' }),
  SLA_TARGETS: env.string({
    default: DEFAULT_SLA_TARGETS,
    doc: 'Per queue first-response/resolution targets, and where a queue escalates (">L2": the first-response risk sweep and "needs expert" move its tickets there): "L1=15m/4h>L2,L2=30m/24h,VIP=5m/8h,payments=10m/8h,security=5m/8h".',
  }),
  BUSINESS_HOURS: env.optionalString({
    doc: 'Business-hours calendars per queue, ";"-separated: "L1=Mon-Fri 09:00-18:00 Europe/Berlin; L2=Mon-Sat 08:00-20:00 UTC". Queues without one run 24/7.',
  }),
  REPEAT_CONTACT_WINDOW: env.duration({ default: '7d', doc: 'A new ticket is a repeat contact when the customer had a ticket resolved this long before.' }),
  AGENT_CACHE_TTL: env.duration({
    default: '60s',
    doc: "How long a support-group membership check (getChatMember) and the group's administrators list are cached; a chat_member update forgets the entry at once.",
  }),
  TEAM_LEAD_IDS: env.userIds({
    doc: "Telegram user ids of team leads (broadcasts, bans, muting alerts, configuration commands; an urgent broadcast needs two). Unset: the support group's administrators.",
  }),
  ALERT_TEAM_LEAD_IDS: env.userIds({ doc: 'Older name of TEAM_LEAD_IDS, read when TEAM_LEAD_IDS is unset.' }),
  ADMIN_IDS: env.userIds({
    doc: "Telegram user ids of admins (/audit, /forget to erase a customer, role changes; an admin may do what a team lead may). Unset: the support group's administrators.",
  }),
  ALBUM_BUFFER: env.duration({ default: '400ms', doc: 'How long the relay waits for the rest of an album (media_group_id) before copying it as one group.' }),
  THROTTLE: env.bool({
    default: true,
    doc: "Throttle outgoing Bot API calls to Telegram's flood limits (@grammyjs/transformer-throttler). Off only against a sandbox without flood limits (benchmarks).",
  }),
  THROTTLE_GLOBAL_PER_SECOND: env.int({ default: 30, min: 1, doc: 'Outgoing messages per second for the whole bot.' }),
  THROTTLE_GROUP_PER_MINUTE: env.int({ default: 20, min: 1, doc: 'Outgoing messages per minute into one group (the support group included).' }),
  THROTTLE_CHAT_PER_SECOND: env.int({ default: 1, min: 1, doc: 'Outgoing messages per second into one private chat.' }),
  AGENT_LANGUAGE: env.string({
    default: 'en',
    doc: 'Language of the texts the bot posts for agents: the support group and the escalation chat (alerts, /sla, the daily digest); a locales/ directory.',
  }),
  OUTBOX_BATCH: env.int({ default: 200, min: 1, max: 10_000, doc: 'Outbox rows published per bus send.' }),
  DATA_DIR: env.string({ default: './data', doc: 'Directory for all embedded state (chDB, PGlite, embedded bus log).' }),
});

export interface BotConfig {
  token: string;
  /** undefined → grammY's default (api.telegram.org). */
  apiRoot: string | undefined;
  /** No BOT_TOKEN: the sandbox's bot, at TELEGRAM_API_ROOT or the local sandbox (SANDBOX_PORT). */
  sandbox: boolean;
  /** DEMO=1: the demo on purpose (npm start's sandbox and simulator). */
  demo: boolean;
  supportChatId: number;
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  /** WEBAPP_URL: the customer Mini App (bot/miniapp/); undefined: no Mini App buttons. */
  webAppUrl: string | undefined;
  vipUserIds: ReadonlySet<number>;
  categories: Category[];
  defaultQueue: string;
  sla: SlaTargets;
  businessHours: ReadonlyMap<string, BusinessCalendar>;
  repeatContactWindowSeconds: number;
  /** EXPERIMENTS_DIR (analytics/experiments/config.ts): the A/B tests' files (bot/experiments/). */
  experimentsDir: string;
  agentCacheTtlMs: number;
  /** TEAM_LEAD_IDS (else ALERT_TEAM_LEAD_IDS); empty: the support group's administrators (bot/roles.ts). */
  teamLeadIds: ReadonlySet<number>;
  /** ADMIN_IDS; empty: the support group's administrators. */
  adminIds: ReadonlySet<number>;
  albumBufferMs: number;
  /** Bus topic of the events (KAFKA_TOPIC, shared with the ingest). */
  eventsTopic: string;
  throttle: { enabled: boolean; globalPerSecond: number; groupPerMinute: number; chatPerSecond: number };
  agentLanguage: string;
  outboxBatch: number;
  dataDir: string;
}

export function loadBotConfig(source?: Record<string, string | undefined>): BotConfig {
  const { DEMO: demo } = loadDemoEnv(source);
  const e = loadBotEnv(source, { emptyIsUnset: demo ? ['BOT_TOKEN'] : [] });
  if (demo && e.BOT_TOKEN !== undefined)
    throw new ConfigError(
      'DEMO',
      'is set together with BOT_TOKEN: the demo runs the local sandbox instead of Telegram — unset BOT_TOKEN for the demo, or DEMO for Telegram',
    );
  const sandbox = e.BOT_TOKEN === undefined;
  if (e.WEBHOOK_URL && !e.WEBHOOK_SECRET) throw new ConfigError('WEBHOOK_SECRET', 'must be set when WEBHOOK_URL is set');
  // Telegram opens Mini Apps over HTTPS only; the sandbox (tests, the demo) opens the local server's http:// page.
  if (e.WEBAPP_URL && !sandbox && !e.WEBAPP_URL.startsWith('https://'))
    throw new ConfigError('WEBAPP_URL', 'must be an https:// URL: Telegram opens Mini Apps over HTTPS only');
  const wrap = <T>(name: string, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(name, (err as Error).message);
    }
  };
  return {
    token: e.BOT_TOKEN ?? SANDBOX_BOT_TOKEN,
    apiRoot: e.TELEGRAM_API_ROOT ?? (sandbox ? `http://127.0.0.1:${e.SANDBOX_PORT}` : undefined),
    sandbox,
    demo,
    supportChatId: e.SUPPORT_CHAT_ID,
    webhookUrl: e.WEBHOOK_URL,
    webhookSecret: e.WEBHOOK_SECRET,
    webAppUrl: e.WEBAPP_URL,
    vipUserIds: new Set(e.VIP_USER_IDS),
    categories: wrap('CATEGORIES', () => parseCategories(e.CATEGORIES, e.DEFAULT_QUEUE)),
    defaultQueue: e.DEFAULT_QUEUE,
    sla: wrap('SLA_TARGETS', () => parseSlaTargets(e.SLA_TARGETS)),
    businessHours: wrap('BUSINESS_HOURS', () => parseBusinessHours(e.BUSINESS_HOURS ?? '')),
    repeatContactWindowSeconds: e.REPEAT_CONTACT_WINDOW,
    experimentsDir: loadExperimentsConfig(source).EXPERIMENTS_DIR,
    agentCacheTtlMs: e.AGENT_CACHE_TTL * 1000,
    teamLeadIds: new Set(e.TEAM_LEAD_IDS.length > 0 ? e.TEAM_LEAD_IDS : e.ALERT_TEAM_LEAD_IDS),
    adminIds: new Set(e.ADMIN_IDS),
    albumBufferMs: e.ALBUM_BUFFER * 1000,
    eventsTopic: loadBusConfig(source).KAFKA_TOPIC,
    throttle: {
      enabled: e.THROTTLE,
      globalPerSecond: e.THROTTLE_GLOBAL_PER_SECOND,
      groupPerMinute: e.THROTTLE_GROUP_PER_MINUTE,
      chatPerSecond: e.THROTTLE_CHAT_PER_SECOND,
    },
    agentLanguage: e.AGENT_LANGUAGE,
    outboxBatch: e.OUTBOX_BATCH,
    dataDir: e.DATA_DIR,
  };
}

/**
 * The configuration of `npm run bot`, the production entry: it serves Telegram and never starts a
 * sandbox or the demo. Without BOT_TOKEN it runs only against a Bot API that TELEGRAM_API_ROOT names
 * (a sandbox started apart, as the multi-process test does) — never by falling back on its own.
 */
export function loadBotServiceConfig(source?: Record<string, string | undefined>): BotConfig {
  const c = loadBotConfig(source);
  if (c.demo)
    throw new ConfigError(
      'DEMO',
      'is for npm start (the demo: the local sandbox and the simulator); npm run bot serves Telegram and never starts a sandbox — unset DEMO',
    );
  if (c.sandbox && loadBotEnv(source).TELEGRAM_API_ROOT === undefined)
    throw new ConfigError(
      'BOT_TOKEN',
      'is not set: npm run bot serves Telegram and never starts a sandbox — set BOT_TOKEN to the token from @BotFather (<bot id>:<about 35 characters>); against a sandbox you started, set TELEGRAM_API_ROOT to its URL (e.g. http://127.0.0.1:8081); for the demo, run npm start',
    );
  return c;
}
