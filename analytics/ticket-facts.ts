/**
 * A ticket's state as SQL over its `ticket_facts` row, and the cohorts metrics
 * are computed over: the vocabulary every metric definition and every
 * analytics statement is written in.
 *
 * `ticket_facts` is kept by a materialized view over the raw `events`
 * (schemas/clickhouse/010–015): one row per ticket after merges, every column
 * an idempotent aggregate. Nothing here reads `events`: statements stay cheap
 * at any event volume, and the view already made the data idempotent.
 */

/**
 * A ticket's state as expressions over its merged `ticket_facts` row (read
 * with FINAL, which applies the columns' min/max to rows background merges
 * have not combined yet). Each is a column, a tuple element or one function:
 * every statement is built from these, and ClickHouse's analysis time grows
 * with expression depth — a layer of derived columns in a subquery cost more
 * to plan than to run.
 *
 * The `*_last` columns are max(tuple(ticket_seq, occurred_at, event_id, value…))
 * (schemas/clickhouse/015): the latest by the ticket's own sequence, so element 2
 * is the event's time and values start at element 4.
 */
export const TICKET = {
  queue: 'tupleElement(queue_last, 4)',
  category: 'tupleElement(category_last, 4)',
  language: 'tupleElement(language_last, 4)',
  /** Telegram user id of the latest agent; 0 = none */
  agent: 'tupleElement(agent_last, 4)',
  /** '' until a status event was seen */
  status: 'tupleElement(status_last, 4)',
  /** 1–5, 0 until rated (scores start at 1, so the empty tuple reads as "not rated") */
  csat: 'tupleElement(csat_last, 4)',
  /** when the latest CSAT rating was given (the epoch until rated) */
  csatAt: 'tupleElement(csat_last, 2)',
  /** 0–10; only meaningful where npsRated */
  nps: 'tupleElement(nps_last, 4)',
  npsRated: 'tupleElement(nps_last, 2) != 0',
  resolved: 'first_resolved_at IS NOT NULL',
  /** linked to an incident at some point (ticket_linked, schemas/clickhouse/046) */
  incidentLinked: 'incident_linked = 1',
  /** got the automatic "known issue" reply of an open incident */
  knownIssue: 'known_issue = 1',
  /** a stop word marked it urgent (ticket_escalated.urgent, schemas/clickhouse/040): first in the priority order */
  urgent: 'urgent = 1',
  /** opened in the customer Mini App (ticket_opened.channel 'app'; schemas/clickhouse/035), not by a message to the bot */
  fromApp: 'from_app = 1',
  /** agent replies: none (NULL ids), exactly one (smallest id = largest), more */
  noReply: 'reply_min_id IS NULL',
  oneReply: 'reply_min_id = reply_max_id',
  /** a human agent's reply reached the customer (bot and KB answers never count) */
  replied: 'first_reply_at IS NOT NULL',
  /**
   * seconds from creation; 0 where there is no such event yet (the epoch), so pair with `replied`/`resolved`.
   * Not Nullable: a year's exact quantiles over Nullable arithmetic cost a quarter more.
   */
  frt: 'greatest(0, toUnixTimestamp64Milli(assumeNotNull(first_reply_at)) - toUnixTimestamp64Milli(ticket_created_at)) / 1000',
  resolution: 'greatest(0, toUnixTimestamp64Milli(assumeNotNull(first_resolved_at)) - toUnixTimestamp64Milli(ticket_created_at)) / 1000',
  /** times reopened: distinct ticket_reopened events (schemas/clickhouse/065; a duplicate delivery counts once) */
  reopens: 'length(reopen_ids)',
  /** the first knowledge-base article suggested to it ('' when none; schemas/clickhouse/066) */
  kbArticle: 'tupleElement(arrayMin(kb_suggestions), 3)',
  /** a knowledge-base article was suggested to it */
  kbSuggested: 'notEmpty(kb_suggestions)',
  /** SLA deadlines: the latest queue_changed's, else ticket_opened's; the epoch when unknown */
  frDue: "if(tupleElement(queue_change_last, 2) != 0, tupleElement(queue_change_last, 4), ifNull(opened_fr_due_at, toDateTime64(0, 3, 'UTC')))",
  resDue: "if(tupleElement(queue_change_last, 2) != 0, tupleElement(queue_change_last, 5), ifNull(opened_res_due_at, toDateTime64(0, 3, 'UTC')))",
} as const;

export interface TicketFilter {
  queue?: string | undefined;
  category?: string | undefined;
  /** Telegram user id of the ticket's (latest) agent. */
  agent?: number | undefined;
}

/**
 * The tickets created in [{from}, {to}) with the given current
 * queue/category/agent: a contiguous range of ticket_facts' key. Query
 * parameters: from, to (DateTime64(3)) and queue/category/agent when filtered.
 * Non-key conditions apply after FINAL (ClickHouse does not move them to
 * PREWHERE for FINAL reads), so they see each ticket's merged state.
 */
export function ticketsFrom(filter: TicketFilter, extra: readonly string[] = []): string {
  const where = ['ticket_created_at >= {from:DateTime64(3)}', 'ticket_created_at < {to:DateTime64(3)}', ...extra];
  if (filter.queue !== undefined) where.push(`${TICKET.queue} = {queue:String}`);
  if (filter.category !== undefined) where.push(`${TICKET.category} = {category:String}`);
  if (filter.agent !== undefined) where.push(`${TICKET.agent} = {agent:Int64}`);
  return `FROM ticket_facts FINAL WHERE ${where.join(' AND ')}`;
}

export const BREAKDOWN_DIMENSIONS = ['queue', 'category', 'agent', 'language'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

/**
 * Breakdown per dimension: what rows are grouped by (the ticket's current
 * value) and the key reported for a group ('' = none). Grouping by the agent's
 * integer id and naming the group afterwards hashes numbers, not strings.
 */
export const DIMENSION_SQL: Record<BreakdownDimension, { group: string; key: string }> = {
  queue: { group: TICKET.queue, key: TICKET.queue },
  category: { group: TICKET.category, key: TICKET.category },
  language: { group: TICKET.language, key: TICKET.language },
  agent: { group: TICKET.agent, key: `if(${TICKET.agent} = 0, '', toString(${TICKET.agent}))` },
};

/** Settings every analytics statement runs with (chDB applies them session-wide, so always pass them). */
export const QUERY_SETTINGS = {
  // a ticket's rows all live in its creation month's partition, so FINAL need not merge across partitions
  do_not_merge_across_partitions_select_final: 1,
} as const;

/** DateTime64(3) parameter text: ClickHouse parses 'YYYY-MM-DD hh:mm:ss.sss' in UTC. */
export function chTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}
