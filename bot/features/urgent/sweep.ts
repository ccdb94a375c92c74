/**
 * The SLA sweep, run on every tick of the feature scheduler (bot/scheduler):
 *  1. automatic escalation — an open ticket of a queue with an escalation target (SLA_TARGETS "L1=…>L2"),
 *     nobody's yet (new or waiting_agent, no agent), without a first response, whose deadline is within
 *     ESCALATION_LEAD (and passed at most an hour ago), never escalated before: moves to the target once (ticket_escalated, reason frt_risk, in
 *     the queue change's transaction; `escalated_at` keeps it from moving twice), and the customer is told;
 *  2. sla_warning / sla_breached for the first response and the resolution (warnings SLA_IMMINENT_WINDOW and
 *     SLA_RESOLUTION_IMMINENT_WINDOW before, the windows of the alerts' FirstResponseSlaImminent and
 *     ResolutionSlaImminent, which tell the escalation chat): once per ticket, kind and notice — the
 *     sla_notices row and the event are written in one transaction, a second insert changes nothing, so
 *     neither a restart nor a second process emits one twice; a ticket first seen past its deadline gets
 *     the breach only.
 * Every query is bounded (BATCH) and served by the open-ticket indexes (migrations 040, 120).
 */
import { loadMonitoringConfig } from '../../../sla/exporter/config.js';
import type { Desk } from '../../context.js';
import { withoutPersonalData } from '../../error-boundary.js';
import type { FeaturesConfig } from '../../runtime/config.js';
import type { Ticket } from '../../store/types.js';
import { unlessRefused } from '../../tickets/errors.js';
import { tellEscalated } from './escalate.js';

const BATCH = 100;
/**
 * A ticket whose first-response deadline passed longer ago than this is not "about to miss" it: it missed it, the
 * breach alerts have it, and moving it now would only reshuffle the queues — as a history imported or replayed with
 * past dates (the demo's week) would do to every ticket at once. An hour covers a desk that was down for a while.
 */
const MISSED_LONG_AGO = 3600;

type Notice = { kind: 'first_response' | 'resolution'; notice: 'warning' | 'breached' };

export async function sweepSla(desk: Desk, now: Date, config: Pick<FeaturesConfig, 'escalationLeadSeconds'>): Promise<void> {
  await escalateAtRisk(desk, now, config.escalationLeadSeconds);
  const monitoring = loadMonitoringConfig();
  await emitNotices(desk, now, monitoring.SLA_IMMINENT_WINDOW, monitoring.SLA_RESOLUTION_IMMINENT_WINDOW);
}

async function escalateAtRisk(desk: Desk, now: Date, leadSeconds: number): Promise<void> {
  if (leadSeconds <= 0) return;
  const queues = desk.sla.queues().filter((q) => desk.sla.escalationTarget(q));
  if (!queues.length) return;
  const due = await desk.db.query<Ticket>(
    `SELECT * FROM tickets
     WHERE status IN ('new', 'waiting_agent') AND agent_id IS NULL AND first_response_at IS NULL AND escalated_at IS NULL
       AND queue = ANY($1::text[]) AND first_response_due_at <= $2 AND first_response_due_at > $3
     ORDER BY first_response_due_at, id LIMIT ${BATCH}`,
    [queues, new Date(now.getTime() + leadSeconds * 1000), new Date(now.getTime() - MISSED_LONG_AGO * 1000)],
  );
  for (const t of due.rows) {
    const target = desk.sla.escalationTarget(t.queue)!;
    // Raced by an agent (taken, answered, resolved) or another process: refused, nothing to tell.
    const moved = await unlessRefused(desk.tickets.escalate(t.id, target, { at: now, reason: 'frt_risk' }));
    if (!moved || moved.escalated_at?.getTime() !== now.getTime()) continue;
    await tellEscalated(desk, moved, now).catch((err: unknown) =>
      desk.log.error({ err: withoutPersonalData(err), ticket: t.id }, 'could not tell the customer of the escalation'),
    );
    await desk.relay
      .sendToTopic(moved.customer_id, desk.agentText('urgent-auto-escalated-note', { number: moved.id, from: t.queue, to: moved.queue }))
      .catch(() => undefined);
  }
}

/** Writes the due notices. */
async function emitNotices(desk: Desk, now: Date, frWindowSeconds: number, resWindowSeconds: number): Promise<void> {
  const soon = (s: number) => new Date(now.getTime() + s * 1000);
  const checks: Array<Notice & { where: string; params: unknown[] }> = [
    { kind: 'first_response', notice: 'breached', where: 'first_response_at IS NULL AND first_response_due_at <= $1', params: [now] },
    {
      kind: 'first_response',
      notice: 'warning',
      where: 'first_response_at IS NULL AND first_response_due_at > $1 AND first_response_due_at <= $2',
      params: [now, soon(frWindowSeconds)],
    },
    { kind: 'resolution', notice: 'breached', where: 'resolution_due_at <= $1', params: [now] },
    { kind: 'resolution', notice: 'warning', where: 'resolution_due_at > $1 AND resolution_due_at <= $2', params: [now, soon(resWindowSeconds)] },
  ];
  for (const c of checks) {
    const n = c.params.length;
    const candidates = await desk.db.query<Ticket>(
      `SELECT t.* FROM tickets t
       WHERE t.status <> 'resolved' AND ${c.where}
         AND NOT EXISTS (SELECT 1 FROM sla_notices s WHERE s.ticket_id = t.id AND s.sla_kind = $${n + 1} AND s.notice = $${n + 2})
       ORDER BY t.id LIMIT ${BATCH}`,
      [...c.params, c.kind, c.notice],
    );
    for (const t of candidates.rows) {
      // A breach first seen now: its warning is moot (never emitted later: the row says it was due).
      const due = c.kind === 'first_response' ? t.first_response_due_at : t.resolution_due_at;
      await desk.db.transaction(async (tx) => {
        const rows = await tx.query<{ notice: string }>(
          `INSERT INTO sla_notices (ticket_id, sla_kind, notice, due_at) VALUES ($1, $2, $3, $4)${c.notice === 'breached' ? `, ($1, $2, 'warning', $4)` : ''}
           ON CONFLICT DO NOTHING RETURNING notice`,
          [t.id, c.kind, c.notice, due],
        );
        if (!rows.rows.some((r) => r.notice === c.notice)) return;
        await desk.outbox.appendForTicket(tx, t, [
          { type: c.notice === 'warning' ? 'sla_warning' : 'sla_breached', occurred_at: now.toISOString(), sla_kind: c.kind, due_at: due.toISOString() },
        ]);
      });
    }
  }
}
