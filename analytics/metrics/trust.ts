/**
 * Trust and safety (issue 17, item 7): how much of what customers send is spam or phishing the desk caught.
 * Rows of `trust_facts` (schemas/clickhouse/070), one per event by its own time, in a registry of their own
 * (`TRUST` in analytics/trust.ts) as the incidents have: these are messages, not a ticket cohort, and queue and
 * agent do not apply. The playbook's bar: under 0.5 % of inbound messages.
 */
import { aggregate, atMost, count, metric, ratio } from '../metric.js';

/** Inbound messages: those that joined a ticket (message_in) and those anti-spam held back or dropped. */
const INBOUND = aggregate('inbound_n', "countIf(type IN ('message_in', 'spam_blocked'))");
/**
 * Caught: held-back spam, secrets masked (one event per kind in a message), fake accounts reported, and captchas
 * failed in the community chat (bot/features/community-guard: a join declined or a new member removed — bots and
 * spammers that never reach a message, counted against the same inbound sample).
 */
const CAUGHT = aggregate('trust_caught_n', "countIf(type IN ('spam_blocked', 'secret_masked', 'fake_reported', 'captcha_failed'))");
const SPAM = aggregate('spam_blocked_n', "countIf(type = 'spam_blocked')");
const SECRETS = aggregate('secrets_masked_n', "countIf(type = 'secret_masked')");
const FAKES = aggregate('fakes_reported_n', "countIf(type = 'fake_reported')");
const CAPTCHAS = aggregate('captchas_failed_n', "countIf(type = 'captcha_failed')");

export const spamPhishingShare = metric({
  key: 'spam_phishing_share',
  title: 'Spam/phishing share',
  meaning:
    'Spam held back by anti-spam, secrets masked in customer messages, fake accounts reported and community-chat captchas failed in the period ÷ inbound customer messages (those that joined a ticket plus those held back).',
  unit: 'ratio',
  better: 'lower',
  target: atMost(0.005, { warn: 0.01, source: 'playbook' }),
  sql: ratio(CAUGHT, INBOUND),
});

export const inboundMessages = metric({
  key: 'inbound_messages',
  title: 'Inbound messages',
  meaning: 'Customer messages in the period: those that joined a ticket plus those anti-spam held back or dropped.',
  unit: 'count',
  better: 'neither',
  sql: count(INBOUND),
});

export const spamBlocked = metric({
  key: 'spam_blocked',
  title: 'Spam blocked',
  meaning: 'Customer messages anti-spam held back or dropped in the period (links and media of newcomers, floods, duplicates, banned senders).',
  unit: 'count',
  better: 'neither',
  sql: count(SPAM),
});

export const secretsMasked = metric({
  key: 'secrets_masked',
  title: 'Secrets masked',
  meaning: 'Secrets masked in customer messages before agents saw them in the period (one per kind in a message).',
  unit: 'count',
  better: 'neither',
  sql: count(SECRETS),
});

export const fakeAccountsReported = metric({
  key: 'fake_accounts_reported',
  title: 'Fake accounts reported',
  meaning: 'Accounts posing as the desk that customers reported in the period.',
  unit: 'count',
  better: 'neither',
  sql: count(FAKES),
});

export const captchasFailed = metric({
  key: 'captchas_failed',
  title: 'Captchas failed',
  meaning:
    'People joining the community chat who failed the button captcha in the period (no answer in time, or a wrong button): their join request declined or they were removed.',
  unit: 'count',
  better: 'neither',
  sql: count(CAPTCHAS),
});
