/**
 * No consumer restates a metric's formula: outside analytics/, no SQL
 * aggregate in the consumers' code (the API, Grafana's generator, the exporter,
 * the alerts and digest, the benchmarks, the scripts) is taken over what a
 * metric is computed from. A consumer that needs a metric asks the registry
 * (analytics/registry.ts) for its SQL or its value.
 *
 * What a metric is computed from — the "metric sources":
 *  - the `ticket_facts` columns the registry's aggregates read, except the
 *    cohort key and the dimensions (creation time, id, queue, category,
 *    language, agent, status), which any statement may filter or group by;
 *    derived from the registry and the schema snapshot, so a new metric's
 *    columns are covered by itself;
 *  - the `TICKET` expressions built on those columns (`${TICKET.frt}` …), except
 *    `replied` and the deadlines, which the live state (open, at risk,
 *    breached) uses too;
 *  - the `events` fields the view turns into those columns (scores, response
 *    and resolution seconds, first-response and repeat flags, who resolved),
 *    and the event types whose occurrence a metric counts — for a consumer
 *    aggregating raw events;
 *  - in the desk's store (PostgreSQL), a ticket's first-response or resolution
 *    time (`first_response_at - created_at`).
 * The live state (counts of open, breached, at-risk tickets, the oldest wait)
 * and activity counts (replies, macros, breach events, pipeline delays) are not
 * metrics: aggregates over anything else pass.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS } from './registry.js';
import { TICKET } from './ticket-facts.js';

const ROOT = join(import.meta.dirname, '..');
/** The consumers of the metric definitions. */
const CONSUMERS = ['dashboard', 'grafana', 'sla', 'bot/alerts', 'bench', 'scripts'];

/** ticket_facts' columns, from the schema the migrations produce. */
function ticketFactsColumns(): Set<string> {
  const schema = readFileSync(join(ROOT, 'schemas/clickhouse/schema.snapshot.sql'), 'utf8');
  const table = /CREATE TABLE ticket_facts\n\(\n([\s\S]*?)\n\)/.exec(schema)?.[1];
  if (!table) throw new Error('schema.snapshot.sql has no ticket_facts');
  return new Set([...table.matchAll(/^\s+`(\w+)`/gm)].map((m) => m[1]!));
}

/** Columns every statement may filter and group by: the cohort key and the dimensions. */
const SHARED_COLUMNS = new Set(['ticket_created_at', 'ticket_id', 'queue_last', 'category_last', 'language_last', 'agent_last', 'status_last']);
/** TICKET expressions the live state uses as well: whether a human replied, and the deadlines. */
const SHARED_TICKET = new Set(['queue', 'category', 'language', 'agent', 'status', 'replied', 'frDue', 'resDue']);
/** events fields that only metrics are computed from (schemas/events.ts), and the event types a metric counts. */
const EVENT_FIELDS = [
  'score',
  'first_response_seconds',
  'first_response_bh_seconds',
  'resolution_seconds',
  'resolution_bh_seconds',
  'is_first_response',
  'is_repeat_contact',
  'agent_replies',
  'resolved_by',
];
const METRIC_EVENT_TYPES = ['ticket_opened', 'ticket_resolved', 'ticket_reopened', 'csat_rated', 'nps_rated', 'survey_sent'];
/** PostgreSQL: a ticket's first-response or resolution time in the desk's store. */
const STORE_DURATIONS = /\b(first_response_at|resolved_at)\s*-\s*(\w+\.)?created_at\b/;

/** The ticket_facts columns the registry's aggregates read (a new metric's too). */
function metricColumns(): string[] {
  const columns = ticketFactsColumns();
  const sql = [...METRICS.aggregates.values()].map((a) => a.sql).join(' ');
  return [...new Set(sql.match(/\b[a-z_][a-z0-9_]*\b/g) ?? [])].filter((w) => columns.has(w) && !SHARED_COLUMNS.has(w)).sort();
}
const METRIC_TICKET_KEYS = Object.keys(TICKET).filter((k) => !SHARED_TICKET.has(k));

const word = (w: string) => new RegExp(`\\b${w}\\b`);
const SOURCES: { what: string; test: RegExp }[] = [
  ...metricColumns().map((c) => ({ what: `ticket_facts.${c}`, test: word(c) })),
  ...METRIC_TICKET_KEYS.map((k) => ({ what: `TICKET.${k}`, test: new RegExp(`\\$\\{(TICKET|T)\\.${k}\\}`) })),
  ...EVENT_FIELDS.map((f) => ({ what: `events.${f}`, test: word(f) })),
  ...METRIC_EVENT_TYPES.map((t) => ({ what: `events of type ${t}`, test: new RegExp(`'${t}'`) })),
  { what: 'a first-response/resolution time in the desk store', test: STORE_DURATIONS },
];

/** ClickHouse aggregate functions (any combinator suffix) and PostgreSQL's ordered-set aggregates. */
const AGGREGATE =
  /\b(?:(?:count|sum|avg|min|max|any|anyLast|argMin|argMax)(?:If|Array|Distinct|OrNull|OrDefault|Merge|State|ForEach)*|uniq\w*|quantiles?\w*|median\w*|groupArray\w*|topK\w*|percentile_cont|percentile_disc)\s*\(/g;

/** The text inside the parentheses that open at `open`, nested ones included. */
function balanced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** Every aggregate call's arguments: the parametric ones' second list, ordered-set aggregates' WITHIN GROUP too. */
function aggregateCalls(text: string): { call: string; args: string }[] {
  const out: { call: string; args: string }[] = [];
  for (const m of text.matchAll(AGGREGATE)) {
    const open = m.index + m[0].length - 1;
    let args = balanced(text, open);
    let end = open + args.length + 2;
    const more = /^\s*(WITHIN\s+GROUP\s*)?\(/i.exec(text.slice(end));
    if (more) {
      const extra = balanced(text, end + more[0].length - 1);
      args += ` ${extra}`;
      end += more[0].length + extra.length + 1;
    }
    out.push({ call: text.slice(m.index, end).replace(/\s+/g, ' ').slice(0, 160), args });
  }
  return out;
}

/** Statements that aggregate raw `events` of a metric's event type (`uniqExact(ticket_id) … WHERE type = 'ticket_opened'`). */
function eventStatements(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/`[^`]*`/g)) {
    const s = m[0];
    if (!/\bFROM\s+events\b/i.test(s) || aggregateCalls(s).length === 0) continue;
    const type = METRIC_EVENT_TYPES.find((t) => new RegExp(`\\btype\\s*(=|IN\\s*\\()[^)]*'${t}'`).test(s));
    if (type) out.push(`aggregates events of type ${type}: ${s.replace(/\s+/g, ' ').slice(0, 160)}`);
  }
  return out;
}

/** What in `text` restates a metric: each offending aggregate with the metric source it reads. */
function restatements(text: string): string[] {
  const found = aggregateCalls(text).flatMap(({ call, args }) => {
    const source = SOURCES.find((s) => s.test.test(args));
    return source ? [`${call} — reads ${source.what}`] : [];
  });
  return [...found, ...eventStatements(text)];
}

function consumerFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (['node_modules', 'dist', 'web'].includes(name) && statSync(p).isDirectory()) continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !/\.(test|d)\.ts$|test-support\.ts$/.test(p)) out.push(p);
    }
  };
  for (const d of CONSUMERS) walk(join(ROOT, d));
  return out.sort();
}

describe('no consumer restates a metric formula', () => {
  it('the metric sources come from the registry and the schema', () => {
    // the columns the current metrics read; a new metric's columns join by themselves
    expect(metricColumns()).toEqual(
      expect.arrayContaining([
        'first_reply_at',
        'first_reply_bh_seconds',
        'first_resolved_at',
        'reopened',
        'csat_last',
        'nps_last',
        'csat_surveyed',
        'repeat_contact',
      ]),
    );
    expect(metricColumns()).not.toContain('ticket_created_at');
    expect(METRIC_TICKET_KEYS).toEqual(expect.arrayContaining(['frt', 'resolution', 'csat', 'nps', 'noReply', 'oneReply']));
  });

  it('flags the formulas consumers used to restate, and nothing that is not a metric', () => {
    /** A placeholder as it stands in a consumer's template literal: `${expr}`. */
    const P = (expr: string) => ['$', `{${expr}}`].join('');
    const restated = [
      // the Grafana generator's own SQL over events, before the definitions
      "SELECT quantileExact(0.5)(s) AS p50 FROM (SELECT ticket_id, min(first_response_seconds) AS s FROM events WHERE type = 'message_out' GROUP BY ticket_id)",
      "`SELECT uniqExact(ticket_id) AS tickets FROM events WHERE type = 'ticket_opened' AND $__timeFilter(occurred_at)`",
      "SELECT ticket_id, argMax(score, occurred_at) AS rating FROM events WHERE type = 'csat_rated' GROUP BY ticket_id",
      "SELECT uniqExactIf(ticket_id, resolved_by IN ('kb', 'auto_close')) / nullIf(uniqExact(ticket_id), 0) AS auto_share FROM events",
      "round(avgIf(score, type = 'csat_rated'), 2) AS csat",
      'countIf(replied AND first_reply_at <= fr_due)',
      // the exporter's CSAT over events and its FRT quantiles over the desk's store
      "SELECT ticket_id, argMax(score, tuple(ticket_seq, occurred_at, event_id)) AS rating FROM events WHERE type = 'csat_rated'",
      'percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at))::float8 AS p90',
      // the API's aggregates written outside analytics/
      `quantilesExactInclusiveIf(0.5, 0.9)(${P('TICKET.frt')}, ${P('TICKET.replied')})`,
      `countIf(${P('T.csat')} >= 4)`,
      'sum(repeat_contact)',
    ];
    for (const sql of restated) expect(restatements(sql), sql).not.toEqual([]);

    const notMetrics = [
      // live state, in ClickHouse and in the store
      `countIf(fr_pending_due > {now:DateTime64(3)}) AS at_risk_n, countIf(NOT ${P('TICKET.replied')}) AS unanswered_n`,
      `minIf(tuple(toUnixTimestamp64Milli(ticket_created_at), ticket_id), NOT ${P('TICKET.replied')}) AS oldest`,
      'count(*) FILTER (WHERE first_response_at IS NULL AND first_response_due_at <= $1::timestamptz)::int AS fr_overdue',
      'coalesce(max(extract(epoch FROM $1::timestamptz - created_at)) FILTER (WHERE first_response_at IS NULL), 0)::float8 AS oldest_wait',
      // activity and the pipeline
      "`SELECT macro, count() AS uses, uniqExact(agent_id) AS agents FROM events WHERE type = 'macro_used'`",
      "uniqExactIf(ticket_id, type = 'ticket_assigned') AS taken, countIf(type = 'message_out') AS replies",
      "quantile(0.99)(dateDiff('millisecond', emitted_at, ingested_at) / 1000) AS p99",
      'SELECT id, argMax(display_name, updated_at) AS name FROM staff GROUP BY id',
      // presentation of a metric's value computed by the registry
      'round(100 * tickets_created / sum(tickets_created) OVER (), 1) AS pct',
    ];
    for (const sql of notMetrics) expect(restatements(sql), sql).toEqual([]);
  });

  it.each(consumerFiles().map((f) => [relative(ROOT, f), f] as const))('%s', (_name, file) => {
    expect(restatements(readFileSync(file, 'utf8')), 'compute metrics with the registry (analytics/), not here').toEqual([]);
  });
});
