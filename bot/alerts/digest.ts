/**
 * The daily digest: yesterday (in DIGEST_TIMEZONE) for the escalation chat.
 *
 * Numbers come from the metric definitions' cohort statements (analytics/query.ts
 * over ticket_facts, as the dashboard's API), so the digest and the dashboard never
 * disagree; the worst waits come from the live ticket store, which knows names and topics.
 */
import { DateTime } from 'luxon';
import type { Queryable } from '../../core/postgres.js';
import { breakdown, summary, type BreakdownRow, type QueryRunner, type Range } from '../../analytics/query.js';
import type { Metrics } from '../../analytics/registry.js';
import { escapeHtml, formatElapsed, topicLink } from '../telegram/present.js';
import type { Text } from './format.js';

export interface DigestDay {
  /** The reported local date, YYYY-MM-DD. */
  date: string;
  range: Range;
}

/** The local calendar day before `now` in `zone`, as a UTC range. */
export function yesterdayIn(zone: string, now: Date): DigestDay {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  if (!today.isValid) throw new Error(`DIGEST_TIMEZONE: unknown time zone "${zone}"`);
  const start = today.minus({ days: 1 });
  return { date: start.toISODate()!, range: { from: start.toJSDate(), to: today.toJSDate() } };
}

export interface WorstWait {
  id: number;
  queue: string;
  customer_name: string | null;
  thread_id: number | null;
  /** Seconds to the first response, or waited so far when still unanswered. */
  wait_seconds: number;
  answered: boolean;
}

export interface DigestData {
  day: DigestDay;
  totals: Metrics;
  queues: BreakdownRow[];
  categories: BreakdownRow[];
  /** The busiest agents (by tickets), named by their display name where the staff table has one. */
  agents: BreakdownRow[];
  worstWaits: WorstWait[];
}

/** Tickets created in the range with the longest first-response waits (unanswered ones count up to `now`). */
export async function worstWaits(db: Queryable, range: Range, now: Date, limit = 5): Promise<WorstWait[]> {
  const r = await db.query<WorstWait>(
    `SELECT t.id, t.queue, c.first_name AS customer_name, c.thread_id,
            extract(epoch FROM coalesce(t.first_response_at, $3::timestamptz) - t.created_at)::float8 AS wait_seconds,
            t.first_response_at IS NOT NULL AS answered
     FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id
     WHERE t.created_at >= $1 AND t.created_at < $2
       AND (t.first_response_at IS NOT NULL OR t.status <> 'resolved')
     ORDER BY wait_seconds DESC, t.id
     LIMIT $4`,
    [range.from, range.to, now, limit],
  );
  return r.rows.map((w) => ({ ...w, wait_seconds: Number(w.wait_seconds) }));
}

export async function collectDigest(o: { run: QueryRunner; db: Queryable; day: DigestDay; now: Date }): Promise<DigestData> {
  const [totals, queues, categories, agents, waits] = await Promise.all([
    summary(o.run, o.day.range, {}, o.now),
    breakdown(o.run, 'queue', o.day.range, {}, o.now),
    breakdown(o.run, 'category', o.day.range, {}, o.now),
    breakdown(o.run, 'agent', o.day.range, {}, o.now),
    worstWaits(o.db, o.day.range, o.now),
  ]);
  const named = (rows: BreakdownRow[]) => rows.filter((r) => r.key !== '').slice(0, 5);
  return { day: o.day, totals, queues, categories: named(categories), agents: named(agents), worstWaits: waits };
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);

export function renderDigest(d: DigestData, supportChatId: number, t: Text): string {
  const dur = (v: number | null) => (v === null ? '—' : formatElapsed(v, t));
  const m = d.totals;
  const lines = [
    t('digest-title', { date: d.day.date }),
    '',
    t('digest-tickets', { opened: String(m.tickets_created), resolved: String(m.tickets_resolved) }),
    t('digest-frt', { p50: dur(m.frt_p50_seconds), p90: dur(m.frt_p90_seconds) }),
    t('digest-csat', {
      avg: m.csat_avg === null ? '—' : m.csat_avg.toFixed(2),
      ratings: String(m.csat_responses),
      nps: m.nps === null ? '—' : String(Math.round(m.nps)),
      npsResponses: String(m.nps_responses),
    }),
    t('digest-sla', { first: pct(m.sla_first_response_met_rate), resolution: pct(m.sla_resolution_met_rate) }),
  ];
  if (d.queues.length) {
    lines.push('', t('digest-per-queue'));
    for (const q of d.queues)
      lines.push(`• ${escapeHtml(q.key || '—')}: ${q.tickets_created} · ${dur(q.frt_p90_seconds)} · ${pct(q.sla_first_response_met_rate)}`);
  }
  if (d.categories.length) {
    lines.push('', t('digest-top-categories'));
    lines.push(d.categories.map((c) => `${escapeHtml(c.key)} ${c.tickets_created}`).join(' · '));
  }
  if (d.agents.length) {
    lines.push('', t('digest-per-agent'));
    for (const a of d.agents) {
      const csat = a.csat_avg === null ? '—' : a.csat_avg.toFixed(2);
      lines.push(`• ${escapeHtml(a.label ?? t('digest-agent-unnamed', { id: a.key }))}: ${a.tickets_created} · ${dur(a.frt_p90_seconds)} · ${csat}`);
    }
  }
  if (d.worstWaits.length) {
    lines.push('', t('digest-longest-waits'));
    for (const w of d.worstWaits) {
      const ref = w.thread_id !== null ? `<a href="${topicLink(supportChatId, w.thread_id)}">#${w.id}</a>` : `#${w.id}`;
      lines.push(
        `• ${ref} ${escapeHtml(w.customer_name?.trim() || '')} (${escapeHtml(w.queue)}) — ${formatElapsed(w.wait_seconds, t)}${w.answered ? '' : t('digest-still-unanswered')}`,
      );
    }
  }
  if (m.tickets_created === 0) lines.push('', t('digest-no-tickets'));
  return lines.join('\n');
}
