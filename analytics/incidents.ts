/**
 * The incident metrics (analytics/metrics/incidents.ts): a registry of their own over `incident_facts` — the
 * flags, openings and links of incidents — and its statements: the summary of [from, to) and the timeline the
 * dashboard draws over the volume chart. The period is the events' own time; queue and agent do not apply.
 * `incident_facts` is read with FINAL: one row per event.
 */
import { incidentsOpened, incidentsSuspected, ticketsPerIncident, timeToAcknowledgeP50, timeToDetectP50 } from './metrics/incidents.js';
import type { QueryRunner, Range } from './query.js';
import { createRegistry } from './registry.js';
import { chTime } from './ticket-facts.js';

export const INCIDENTS = createRegistry([incidentsSuspected, incidentsOpened, timeToDetectP50, timeToAcknowledgeP50, ticketsPerIncident]);
export type IncidentValues = typeof INCIDENTS extends { valuesFrom(...a: never[]): infer V } ? V : never;

/** The incident metrics of [from, to). */
export async function incidentSummary(run: QueryRunner, range: Range): Promise<IncidentValues> {
  const sql = `SELECT ${INCIDENTS.selectList()}
    FROM incident_facts FINAL
    WHERE occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}`;
  const rows = await run(sql, { from: chTime(range.from), to: chTime(range.to) });
  return INCIDENTS.valuesFrom(rows[0] ?? {});
}

export interface IncidentSpan {
  incident_id: number;
  category: string;
  opened_at: string;
  /** null while it is open. */
  resolved_at: string | null;
  /** The suspected-incident flag it was confirmed from, if any. */
  suspected_at: string | null;
  tickets: number;
}

/** The incidents open at any time in [from, to), oldest first: what the volume chart marks. */
export async function incidentTimeline(run: QueryRunner, range: Range): Promise<IncidentSpan[]> {
  const sql = `
    SELECT incident_id,
           anyIf(category, type = 'incident_opened') AS category,
           minIf(occurred_at, type = 'incident_opened') AS opened,
           minIf(occurred_at, type = 'incident_resolved') AS resolved,
           countIf(type = 'incident_resolved') > 0 AS is_resolved,
           uniqExactIf(ticket_id, type = 'ticket_linked' AND link_action = 'linked') AS tickets,
           anyIf(spike_id, type = 'incident_opened') AS spike
    FROM incident_facts FINAL
    WHERE incident_id != 0 AND type IN ('incident_opened', 'incident_resolved', 'ticket_linked')
    GROUP BY incident_id
    HAVING countIf(type = 'incident_opened') > 0 AND opened < {to:DateTime64(3)} AND (NOT is_resolved OR resolved >= {from:DateTime64(3)})
    ORDER BY opened, incident_id`;
  const rows = await run(sql, { from: chTime(range.from), to: chTime(range.to) });
  const spikes = rows.map((r) => Number(r.spike)).filter((s) => s > 0);
  const flagged = new Map<number, string>();
  if (spikes.length) {
    const s = await run(
      `SELECT spike_id, min(occurred_at) AS at FROM incident_facts FINAL WHERE type = 'incident_suspected' AND spike_id IN {spikes:Array(UInt64)} GROUP BY spike_id`,
      { spikes },
    );
    for (const r of s) flagged.set(Number(r.spike_id), iso(r.at));
  }
  return rows.map((r) => ({
    incident_id: Number(r.incident_id),
    category: String(r.category ?? ''),
    opened_at: iso(r.opened),
    resolved_at: Number(r.is_resolved) ? iso(r.resolved) : null,
    suspected_at: flagged.get(Number(r.spike)) ?? null,
    tickets: Number(r.tickets),
  }));
}

/** ClickHouse's 'YYYY-MM-DD hh:mm:ss.sss' (UTC) as ISO 8601. */
function iso(v: unknown): string {
  const s = String(v);
  return s.includes('T') ? s : `${s.replace(' ', 'T')}Z`;
}
