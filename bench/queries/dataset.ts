/**
 * The benchmarks' generated analytics data: tickets of 10 events each, spread
 * evenly over [start, end), written straight into chDB with INSERT … SELECT
 * FROM numbers() through the materialized views production uses. The query
 * benchmark times the dashboard over it; the memory benchmark loads it into
 * the data directory `npm start` then runs on.
 */
import { performance } from 'node:perf_hooks';
import type { ClickHouse } from '../../core/clickhouse.js';

export interface DataSet {
  /** Tickets to generate (10 events each). */
  tickets: number;
  /** Creation times of the tickets spread over [start, end). */
  start: number;
  end: number;
  /** The first ticket's id is ticketIdBase + 1 (keeps generated tickets apart from a desk's own). */
  ticketIdBase?: number;
  /** Customers the tickets are spread over, by hash (ids from 1000): default 60 % of the tickets. */
  customers?: number;
  /** What the tickets are drawn from, by hash: default the desk's mix of queues, categories and languages. */
  queues?: readonly string[];
  categories?: readonly string[];
  languages?: readonly string[];
  /**
   * An experiment's effect (the experiments benchmark): customers whose hash `cityHash64(customer - 1000, 'v')`
   * is odd — its exposures' second variant — get their first answer up to 5 minutes sooner and rate one star
   * higher (at most 5).
   */
  effect?: boolean;
}

const MIX = {
  queues: ['L1', 'L2', 'VIP', 'payments'],
  categories: ['payment', 'account', 'features', 'complaint', 'ideas'],
  languages: ['en', 'ru', 'de'],
} as const;

/** A ClickHouse array literal of strings (the data set's own constants: letters only). */
const list = (xs: readonly string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

/**
 * Events [fromEvent, fromEvent + count) of the data set, in SQL: ids, times
 * and outcomes derive from a hash of the ticket number (opened, category, bot
 * reply, customer message, first agent reply, status, a second reply or
 * message, resolution for 90 %, CSAT survey, rating for 60 %; 10 % repeat contacts).
 */
export function generateSql(d: DataSet, fromEvent: number, count: number): string {
  const stepMs = Math.floor((d.end - d.start) / d.tickets);
  const customers = d.customers ?? Math.max(1, Math.floor(d.tickets * 0.6));
  const queues = d.queues ?? MIX.queues;
  const categories = d.categories ?? MIX.categories;
  const languages = d.languages ?? MIX.languages;
  const treated = d.effect ? "(cityHash64(cust - 1000, 'v') % 2)" : '0';
  return `
INSERT INTO events (event_id, schema_version, type, occurred_at, emitted_at, ticket_id, ticket_created_at, customer_id, agent_id, queue, category, language,
  message_kind, is_first_response, first_response_seconds, first_response_bh_seconds, to_status, first_response_due_at, resolution_due_at,
  is_repeat_contact, resolved_by, resolution_seconds, resolution_bh_seconds, agent_replies, survey, score, reply_kind)
SELECT
  generateUUIDv7(number) AS event_id, 1, type, occurred_at, occurred_at, t + ${1 + (d.ticketIdBase ?? 0)}, created, cust,
  if(k >= 4, 500 + bitShiftRight(h, 32) % 20, 0),
  ${list(queues)}[bitShiftRight(h, 24) % ${queues.length} + 1],
  if(k >= 1, ${list(categories)}[bitShiftRight(h, 28) % ${categories.length} + 1], ''),
  ${list(languages)}[bitShiftRight(h, 40) % ${languages.length} + 1],
  if(type IN ('message_out', 'message_in'), 'text', ''),
  k = 4, if(k = 4, frt, NULL), if(k = 4, frt * 0.8, NULL),
  if(k = 5, 'in_progress', ''),
  if(k = 0, created + toIntervalMinute(15), NULL), if(k = 0, created + toIntervalHour(4), NULL),
  if(k = 0, bitShiftRight(h, 44) % 10 = 0, NULL),
  if(type = 'ticket_resolved', 'agent', ''), if(type = 'ticket_resolved', res, NULL), if(type = 'ticket_resolved', res, NULL), if(type = 'ticket_resolved', 1, NULL),
  if(k = 8, 'csat', ''), if(type = 'csat_rated', least(5, 1 + bitShiftRight(h, 20) % 5 + ${treated}), NULL),
  if(k = 2, 'kb', '')
FROM (
  SELECT number, intDiv(number, 10) AS t, number % 10 AS k, cityHash64(intDiv(number, 10)) AS h,
    1000 + bitShiftRight(h, 36) % ${customers} AS cust,
    toDateTime64(${d.start / 1000}, 3, 'UTC') + toIntervalMillisecond(t * ${stepMs}) AS created,
    60 + h % 3600 - if(${treated} = 1, h % 300, 0) AS frt,
    frt + 600 + bitShiftRight(h, 8) % 36000 AS res,
    multiIf(k = 0, 'ticket_opened', k = 1, 'category_selected', k = 2, 'bot_reply', k = 3, 'message_in', k = 4, 'message_out', k = 5, 'status_changed',
            k = 6, if(h % 10 < 4, 'message_out', 'message_in'), k = 7, if(h % 10 != 9, 'ticket_resolved', 'message_in'), k = 8, 'survey_sent',
            if(bitShiftRight(h, 16) % 10 < 6, 'csat_rated', 'message_in')) AS type,
    created + toIntervalSecond(multiIf(k = 0, 0, k = 1, 10, k = 2, 20, k = 3, 30, k = 4, frt, k = 5, frt + 1, k = 6, frt + 300, k = 7, res, k = 8, res + 60, res + 120)) AS occurred_at
  FROM numbers(${fromEvent}, ${count})
)`;
}

/** Inserts the whole data set in 1 M-event statements, with progress on stderr; returns seconds taken. */
export async function generateEvents(ch: ClickHouse, d: DataSet): Promise<number> {
  const total = d.tickets * 10;
  const chunk = 1_000_000;
  const t0 = performance.now();
  for (let from = 0; from < total; from += chunk) {
    await ch.client.command({
      query: generateSql(d, from, Math.min(chunk, total - from)),
      clickhouse_settings: { max_insert_threads: '2', insert_deduplicate: 0, insert_deduplication_token: `bench-${from}` },
    });
    process.stderr.write(`\rgenerated ${Math.min(from + chunk, total).toLocaleString('en-US')} / ${total.toLocaleString('en-US')} events`);
  }
  process.stderr.write('\n');
  return (performance.now() - t0) / 1000;
}
