/**
 * Every variable the service features read (core/env.ts turns this into the
 * README table and the start-up validation), and their parsed forms.
 */
import { ConfigError, defineConfig, env } from '../../core/env.js';
import { parseQuietHours, type QuietHours } from './quiet-hours.js';

export const loadFeaturesEnv = defineConfig('features', {
  KB_DIR: env.string({
    default: 'kb',
    doc: 'Knowledge base: Markdown articles, kb/<lang>/<id>.md (first heading = title; front matter keywords:, lang:). Reloaded on change.',
  }),
  KB_AUTO_ANSWER: env.bool({ default: true, doc: "Answer a new ticket's first message with a matching KB article (Solved / Talk to a human)." }),
  KB_MIN_SCORE: env.int({
    default: 40,
    min: 1,
    max: 100,
    doc: "Confidence (percent) the best article needs for an automatic answer: the share of the question's words it explains, weighted by where it holds them (title/keywords over body) and how specific they are. Scale-free: means the same for a 1-article KB and a 1000-article one (bot/features/kb/confidence.ts; corpus-size.test.ts measures 1, 5, 16 and 50 articles).",
  }),
  MACROS_DIR: env.string({ default: 'macros', doc: 'Agent macros: macros/<lang>/<name>.md templates with {name} {ticket} {eta} {agent}.' }),
  STOP_WORDS_FILE: env.optionalString({
    doc: 'Stop words (YAML: per language, phrases → queue, and phrases that cancel a match; bot/features/urgent/stop-words.yaml shows the shape): a customer message with one skips the KB answer, goes to its queue (security, payments) marked urgent, and is posted to the escalation chat. Reloaded on change. Unset: the shipped en/ru/fa phrases.',
  }),
  STOP_WORDS_ENABLED: env.bool({ default: true, doc: 'Match customer messages against the stop words (STOP_WORDS_FILE).' }),
  ESCALATION_LEAD: env.duration({
    default: '5m',
    doc: 'A ticket of a queue that escalates (SLA_TARGETS ">L2") still without a first response this long before its deadline moves to the escalation queue, once; the customer is told. 0 turns it off.',
  }),
  CSAT_ENABLED: env.bool({ default: true, doc: 'Ask for a 1–5 rating after an agent resolves a ticket.' }),
  NPS_ENABLED: env.bool({ default: true, doc: 'Ask the 0–10 "would you recommend us" question after the CSAT rating.' }),
  FOLLOWUP_DELAY: env.duration({ default: '24h', doc: 'How long after resolution the bot asks "Did it help?" (0 turns follow-ups off).' }),
  SURVEY_DELAY: env.duration({
    default: '24h',
    doc: 'Experiment surface survey_timing, variant delayed (experiments/README.md): how long after the resolution the CSAT survey is sent (moved out of QUIET_HOURS) instead of at once. 0: at once.',
  }),
  AUTO_CLOSE_AFTER: env.duration({ default: '72h', doc: 'A ticket waiting on the customer this long is closed with a note (0 turns it off).' }),
  QUIET_HOURS: env.optionalString({ doc: 'Hours when non-urgent messages (follow-ups, non-urgent broadcasts) wait, e.g. "22:00-08:00". Unset: none.' }),
  QUIET_HOURS_TZ: env.string({ default: 'UTC', doc: "IANA time zone of QUIET_HOURS (the desk's customers' zone, e.g. Europe/Moscow)." }),
  SCHEDULER_POLL_INTERVAL: env.duration({
    default: '2s',
    doc: 'How often the feature scheduler looks for due jobs (follow-ups, auto-close, deferred broadcasts).',
  }),
  SPAM_RATE_LIMIT: env.int({
    default: 8,
    min: 1,
    doc: 'Messages of a customer relayed per SPAM_RATE_WINDOW; more are queued and relayed in order as the window allows.',
  }),
  SPAM_RATE_WINDOW: env.duration({ default: '30s', doc: 'Window of SPAM_RATE_LIMIT.' }),
  SPAM_NEWCOMER_MESSAGES: env.int({
    default: 3,
    min: 0,
    doc: 'A customer with fewer real messages than this has links and media held until an agent releases them on the ticket card.',
  }),
  SPAM_NEWCOMER_AGE: env.duration({
    default: '10m',
    doc: 'A customer younger than this (first contact) has links and media held until an agent releases them on the ticket card.',
  }),
  SPAM_DUPLICATE_WINDOW: env.duration({
    default: '2m',
    doc: 'The same text or file sent again within this window is collapsed (not relayed again); 0 turns the check off.',
  }),
  BROADCAST_PROGRESS_INTERVAL: env.duration({
    default: '15s',
    doc: "How often a running broadcast edits its status message in the support group (edits share the group's ~20/min budget).",
  }),
  INCIDENT_DETECTION: env.bool({
    default: true,
    doc: 'Watch new tickets for spikes (per category and per first-message cluster) and post suspected incidents to the escalation chat.',
  }),
  INCIDENT_WINDOW: env.duration({
    default: '30m',
    doc: 'Spike detection window: its ticket count is compared with the same window of the same weekday and hour in the past 4 weeks (the recent average when the history is shorter).',
  }),
  INCIDENT_MIN_TICKETS: env.int({ default: 5, min: 1, doc: 'Tickets in INCIDENT_WINDOW a spike needs at least.' }),
  INCIDENT_MIN_CUSTOMERS: env.int({ default: 3, min: 1, doc: 'Different customers among them a spike needs at least.' }),
  INCIDENT_SPIKE_RATIO: env.string({ default: '3', doc: 'A spike is at least this many times the baseline (a number, e.g. 3 or 2.5).' }),
  INCIDENT_UPDATE_MIN_INTERVAL: env.duration({
    default: '30m',
    doc: "An incident's ETA changes reach its linked customers at most once per this interval (the latest ETA goes out when it ends).",
  }),
  STATUS_CHANNEL_ID: env.optionalString({
    doc: 'Channel where open incidents are posted and pinned (unpinned when resolved), e.g. -1001234567890. Unset: none.',
  }),
  WEEKLY_REPORT_DAY: env.string({
    default: 'monday',
    doc: "Day the weekly report (last week's reasons, hardest cases, SLA and CSAT per queue, incidents) is posted to the escalation chat: monday … sunday, or off.",
  }),
  WEEKLY_REPORT_TIME: env.string({
    default: '09:00',
    doc: 'Time of day (HH:MM, in DIGEST_TIMEZONE, the desk’s zone) the weekly report is posted on WEEKLY_REPORT_DAY.',
  }),
  OFFICIAL_ACCOUNTS: env.optionalString({
    doc: 'The desk\'s official Telegram accounts, comma-separated (e.g. "@acme_support,@acme"): shown under /start, by /official and in the Mini App, so customers can tell clones apart (bot/features/trust). Unset: none shown.',
  }),
  CONSENT_VERSION: env.optionalString({
    doc: 'Version of the privacy notice customers must accept before their first ticket (bot/features/trust; stored with the time). Changing it asks again. Unset: no consent step.',
  }),
  PRIVACY_NOTICE_URL: env.optionalString({ doc: 'Link to the privacy notice shown in the consent step (CONSENT_VERSION).' }),
  COMMUNITY_CHAT_ID: env.optionalString({
    doc: "The company's public chat the bot guards (bot/features/community-guard; the bot an administrator with the rights to ban, restrict, delete, pin and invite), e.g. -1001234567890: a button captcha for join requests and new members, newcomers' links and media held, clones of staff names flagged, the official accounts pinned. Unset: no guard.",
  }),
  COMMUNITY_CAPTCHA_TIMEOUT: env.duration({
    default: '2m',
    doc: 'How long someone joining the community chat has to press the right captcha button; then their join request is declined or they are removed (they may try again).',
  }),
  COMMUNITY_NEWCOMER_MESSAGES: env.int({
    default: 3,
    min: 0,
    doc: 'A community chat member with fewer real messages than this has links and media deleted with a short notice (0: never).',
  }),
});

export interface FeaturesConfig {
  kbDir: string;
  kbAutoAnswer: boolean;
  /** KB_MIN_SCORE as a share, 0–1. */
  kbMinConfidence: number;
  macrosDir: string;
  /** STOP_WORDS_FILE; undefined: the shipped phrases. */
  stopWordsFile: string | undefined;
  stopWordsEnabled: boolean;
  escalationLeadSeconds: number;
  csatEnabled: boolean;
  npsEnabled: boolean;
  followupDelaySeconds: number;
  /** SURVEY_DELAY: the survey's delay for customers in survey_timing's delayed variant. */
  surveyDelaySeconds: number;
  autoCloseAfterSeconds: number;
  quietHours: QuietHours | undefined;
  schedulerPollMs: number;
  spam: { rateLimit: number; rateWindowMs: number; newcomerMessages: number; newcomerAgeMs: number; duplicateWindowMs: number };
  broadcastProgressIntervalMs: number;
  incidents: {
    detection: boolean;
    windowSeconds: number;
    minTickets: number;
    minCustomers: number;
    spikeRatio: number;
    updateMinIntervalSeconds: number;
    statusChannelId: number | undefined;
  };
  /** WEEKLY_REPORT_DAY (1 = Monday … 7 = Sunday; undefined: off) and WEEKLY_REPORT_TIME. */
  weeklyReport: { weekday: number | undefined; hour: number; minute: number };
  /** OFFICIAL_ACCOUNTS as @usernames; CONSENT_VERSION (undefined: no consent step) and PRIVACY_NOTICE_URL (bot/features/trust). */
  trust: { officialAccounts: string[]; consentVersion: string | undefined; privacyNoticeUrl: string | undefined };
  /** COMMUNITY_CHAT_ID (undefined: no guard), COMMUNITY_CAPTCHA_TIMEOUT, COMMUNITY_NEWCOMER_MESSAGES (bot/features/community-guard). */
  community: { chatId: number | undefined; captchaTimeoutSeconds: number; newcomerMessages: number };
}

export function loadFeaturesConfig(source?: Record<string, string | undefined>): FeaturesConfig {
  const e = loadFeaturesEnv(source);
  let quietHours: QuietHours | undefined;
  if (e.QUIET_HOURS) {
    try {
      quietHours = parseQuietHours(e.QUIET_HOURS, e.QUIET_HOURS_TZ);
    } catch (err) {
      throw new ConfigError('QUIET_HOURS', (err as Error).message);
    }
  }
  return {
    kbDir: e.KB_DIR,
    kbAutoAnswer: e.KB_AUTO_ANSWER,
    kbMinConfidence: e.KB_MIN_SCORE / 100,
    macrosDir: e.MACROS_DIR,
    stopWordsFile: e.STOP_WORDS_FILE,
    stopWordsEnabled: e.STOP_WORDS_ENABLED,
    escalationLeadSeconds: e.ESCALATION_LEAD,
    csatEnabled: e.CSAT_ENABLED,
    npsEnabled: e.NPS_ENABLED,
    followupDelaySeconds: e.FOLLOWUP_DELAY,
    surveyDelaySeconds: e.SURVEY_DELAY,
    autoCloseAfterSeconds: e.AUTO_CLOSE_AFTER,
    quietHours,
    schedulerPollMs: Math.max(50, e.SCHEDULER_POLL_INTERVAL * 1000),
    spam: {
      rateLimit: e.SPAM_RATE_LIMIT,
      rateWindowMs: e.SPAM_RATE_WINDOW * 1000,
      newcomerMessages: e.SPAM_NEWCOMER_MESSAGES,
      newcomerAgeMs: e.SPAM_NEWCOMER_AGE * 1000,
      duplicateWindowMs: e.SPAM_DUPLICATE_WINDOW * 1000,
    },
    broadcastProgressIntervalMs: e.BROADCAST_PROGRESS_INTERVAL * 1000,
    incidents: {
      detection: e.INCIDENT_DETECTION,
      windowSeconds: Math.max(60, e.INCIDENT_WINDOW),
      minTickets: e.INCIDENT_MIN_TICKETS,
      minCustomers: e.INCIDENT_MIN_CUSTOMERS,
      spikeRatio: positiveNumber('INCIDENT_SPIKE_RATIO', e.INCIDENT_SPIKE_RATIO),
      updateMinIntervalSeconds: e.INCIDENT_UPDATE_MIN_INTERVAL,
      statusChannelId: e.STATUS_CHANNEL_ID ? chatIdOf('STATUS_CHANNEL_ID', e.STATUS_CHANNEL_ID) : undefined,
    },
    weeklyReport: weeklyReportAt(e.WEEKLY_REPORT_DAY, e.WEEKLY_REPORT_TIME),
    trust: {
      officialAccounts: officialAccounts(e.OFFICIAL_ACCOUNTS),
      consentVersion: e.CONSENT_VERSION?.trim() || undefined,
      privacyNoticeUrl: e.PRIVACY_NOTICE_URL?.trim() || undefined,
    },
    community: {
      chatId: e.COMMUNITY_CHAT_ID?.trim() ? chatIdOf('COMMUNITY_CHAT_ID', e.COMMUNITY_CHAT_ID) : undefined,
      captchaTimeoutSeconds: Math.max(1, e.COMMUNITY_CAPTCHA_TIMEOUT),
      newcomerMessages: e.COMMUNITY_NEWCOMER_MESSAGES,
    },
  };
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function weeklyReportAt(day: string, time: string): FeaturesConfig['weeklyReport'] {
  const d = day.trim().toLowerCase();
  const weekday = d === 'off' ? undefined : WEEKDAYS.indexOf(d) + 1;
  if (weekday === 0) throw new ConfigError('WEEKLY_REPORT_DAY', `must be a weekday (monday … sunday) or off, got "${day}"`);
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time.trim());
  if (!m) throw new ConfigError('WEEKLY_REPORT_TIME', `must be HH:MM, got "${time}"`);
  return { weekday, hour: Number(m[1]), minute: Number(m[2]) };
}

/** OFFICIAL_ACCOUNTS alone, for the Mini App's meta (bot/miniapp/api/settings.ts), which has no feature configuration. */
export const loadOfficialAccounts = (source?: Record<string, string | undefined>): string[] => officialAccounts(loadFeaturesEnv(source).OFFICIAL_ACCOUNTS);

/** "@acme_support, acme" → ['@acme_support', '@acme']: Telegram usernames (5–32 letters, digits, underscores). */
function officialAccounts(raw: string | undefined): string[] {
  const names = (raw ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^@/, ''))
    .filter(Boolean);
  for (const n of names)
    if (!/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(n)) throw new ConfigError('OFFICIAL_ACCOUNTS', `must be Telegram usernames separated by commas, got "${n}"`);
  return names.map((n) => `@${n}`);
}

function positiveNumber(name: string, raw: string): number {
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n <= 0 || raw.trim() === '') throw new ConfigError(name, `must be a positive number, got "${raw}"`);
  return n;
}

function chatIdOf(name: string, raw: string): number {
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n) || n === 0) throw new ConfigError(name, `must be a Telegram chat id: a non-zero integer (e.g. -1001234567890), got "${raw}"`);
  return n;
}
