/**
 * Self-service: the customer Mini App beside the chat (issue 14). Two kinds of rows:
 *
 * - tickets (`ticket_facts`, like every metric in the registry): how many of the
 *   period's tickets were opened in the app — the channel split;
 * - what customers did in the app that is no ticket (`app_facts`, schemas/clickhouse/035):
 *   opening it, reading articles, "Did this help?", and "Solved by this article"
 *   before any request was sent — a deflection. These have no queue, category or
 *   agent, so they are a registry of their own (`SELFSERVICE` in analytics/selfservice.ts)
 *   over the events' time, not the tickets' cohort.
 */
import { aggregate, count, metric, ratio } from '../metric.js';
import { TICKET } from '../ticket-facts.js';
import { TICKETS } from './volume.js';

// ---- over ticket_facts (the registry) ----------------------------------------

export const APP_TICKETS = aggregate('app_tickets_n', `countIf(${TICKET.fromApp})`);

export const appTickets = metric({
  key: 'app_tickets',
  title: 'Tickets from the app',
  meaning: "Tickets created in the period from the Mini App's new-request form (the rest came as messages to the bot).",
  unit: 'count',
  better: 'neither',
  sql: count(APP_TICKETS),
});

export const appTicketShare = metric({
  key: 'app_ticket_share',
  title: 'Opened in the app',
  meaning: 'Tickets created from the Mini App ÷ tickets created (the channel split: the rest came through the chat).',
  unit: 'ratio',
  better: 'neither',
  sql: ratio(APP_TICKETS, TICKETS),
  grafana: { panels: ['stat'], unit: 'percentunit' },
});

// ---- over app_facts (analytics/selfservice.ts) --------------------------------

const OPENS = aggregate('app_opens_n', "countIf(type = 'app_opened')");
const VIEWS = aggregate('kb_views_n', "countIf(type = 'kb_article_viewed')");
/** One row per customer and article: their latest answer (app_facts keeps only it). */
const VOTES = aggregate('kb_votes_n', "countIf(type = 'kb_article_helpful')");
const HELPFUL = aggregate('kb_helpful_n', "countIf(type = 'kb_article_helpful' AND helpful = 1)");
const DEFLECTED = aggregate('kb_deflected_n', "countIf(type = 'kb_outcome')");
/** Every request that started in the app: solved by an article before it was sent, or sent as a ticket. */
const APP_REQUESTS = aggregate('app_requests_n', "countIf(type IN ('kb_outcome', 'ticket_opened'))");

export const appOpens = metric({
  key: 'app_opens',
  title: 'App opens',
  meaning: 'Times customers opened the Mini App in the period (menu button, a ticket or article link, any other launch).',
  unit: 'count',
  better: 'neither',
  sql: count(OPENS),
});

export const kbArticleViews = metric({
  key: 'kb_article_views',
  title: 'Articles read',
  meaning: 'Knowledge-base articles customers opened in the Mini App in the period.',
  unit: 'count',
  better: 'neither',
  sql: count(VIEWS),
});

export const kbHelpfulRate = metric({
  key: 'kb_helpful_rate',
  title: 'Articles helpful',
  meaning: 'Of the customers\' answers to "Did this help?" under an article (the latest per customer and article, given in the period), the share "yes".',
  unit: 'ratio',
  better: 'higher',
  sql: ratio(HELPFUL, VOTES),
});

export const kbDeflections = metric({
  key: 'kb_deflections',
  title: 'Solved by an article',
  meaning: 'Requests the Mini App never sent: the customer tapped "Solved by this article" while writing one.',
  unit: 'count',
  better: 'higher',
  sql: count(DEFLECTED),
});

export const deflectionRate = metric({
  key: 'deflection_rate',
  title: 'Deflection',
  meaning: 'Requests started in the Mini App that an article solved before a ticket was sent ÷ (those + tickets created in the app).',
  unit: 'ratio',
  better: 'higher',
  sql: ratio(DEFLECTED, APP_REQUESTS),
});
