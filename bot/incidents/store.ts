/**
 * Incidents' state in PostgreSQL (migration 125): the keys new tickets are counted under, the detector's
 * window counts, suspected spikes, incidents and the tickets linked to them. SQL only; what to do with it
 * is bot/features/incidents.
 */
import type { Queryable } from '../../core/postgres.js';
import type { Ticket } from '../store/types.js';
import type { Counts, Plan } from './detector.js';

export interface SpikeRow {
  id: number;
  key: string;
  status: 'suspected' | 'confirmed' | 'dismissed';
  tickets: number;
  customers: number;
  baseline: number;
  first_ticket_at: Date;
  detected_at: Date;
  decided_at: Date | null;
  decided_by: number | null;
  incident_id: number | null;
  chat_id: number | null;
  message_id: number | null;
}

export interface IncidentRow {
  id: number;
  title: string;
  key: string | null;
  status: 'open' | 'resolved';
  what_happened: string | null;
  who_affected: string | null;
  next_steps: string | null;
  eta_at: Date | null;
  opened_at: Date;
  opened_by: number;
  resolved_at: Date | null;
  resolved_by: number | null;
  close_tickets: boolean;
  last_update_at: Date | null;
  update_due_at: Date | null;
  status_chat_id: number | null;
  status_message_id: number | null;
}

export interface LinkedTicket {
  ticket_id: number;
  customer_id: number;
}

const num = (v: unknown): number => Number(v);

export class IncidentStore {
  constructor(private readonly db: Queryable) {}

  // ---- what the detector counts ------------------------------------------------

  async recordKeys(ticket: Pick<Ticket, 'id' | 'customer_id' | 'created_at'>, keys: readonly string[], q: Queryable = this.db): Promise<void> {
    if (keys.length === 0) return;
    await q.query(
      `INSERT INTO incident_ticket_keys (ticket_id, key, customer_id, opened_at)
       SELECT $1, k, $2, $3 FROM unnest($4::text[]) AS k ON CONFLICT DO NOTHING`,
      [ticket.id, ticket.customer_id, ticket.created_at, keys],
    );
  }

  async recordSample(ticketId: number, sample: string, at: Date): Promise<void> {
    await this.db.query('INSERT INTO incident_samples (ticket_id, sample, opened_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [ticketId, sample, at]);
  }

  /** Samples are kept for a day: long enough to show a spike's examples, not a store of customers' words. */
  async pruneSamples(before: Date): Promise<void> {
    await this.db.query('DELETE FROM incident_samples WHERE opened_at < $1', [before]);
  }

  async keysOf(ticketId: number): Promise<string[]> {
    return (await this.db.query<{ key: string }>('SELECT key FROM incident_ticket_keys WHERE ticket_id = $1 ORDER BY key', [ticketId])).rows.map((r) => r.key);
  }

  /** When the desk's history begins (a week before it is unknown, not quiet). */
  async historyStart(): Promise<Date | null> {
    const r = await this.db.query<{ start: Date | null }>('SELECT min(opened_at) AS start FROM incident_ticket_keys');
    return r.rows[0]?.start ?? null;
  }

  /** A plan's counts for one key, in one statement over the (key, opened_at) index. */
  async counts(key: string, p: Plan, historyStart: Date): Promise<Counts> {
    const weeks = p.weeks.map((_w, i) => `count(*) FILTER (WHERE opened_at >= $${6 + 2 * i} AND opened_at < $${7 + 2 * i})::int AS w${i}`).join(',\n');
    const recentFrom = new Date(Math.max(p.recent.from.getTime(), historyStart.getTime()));
    const r = await this.db.query<Record<string, unknown>>(
      `SELECT count(*) FILTER (WHERE opened_at >= $2)::int AS tickets,
              count(DISTINCT customer_id) FILTER (WHERE opened_at >= $2)::int AS customers,
              min(opened_at) FILTER (WHERE opened_at >= $2) AS first_at,
              count(*) FILTER (WHERE opened_at >= $4 AND opened_at < $5)::int AS recent${weeks ? `,\n${weeks}` : ''}
       FROM incident_ticket_keys
       WHERE key = $1 AND ((opened_at >= $4 AND opened_at < $3)${p.weeks.map((_, i) => ` OR (opened_at >= $${6 + 2 * i} AND opened_at < $${7 + 2 * i})`).join('')})`,
      [key, p.current.from, p.current.to, recentFrom < p.recent.to ? recentFrom : p.recent.to, p.recent.to, ...p.weeks.flatMap((w) => [w.from, w.to])],
    );
    const row = r.rows[0] ?? {};
    return {
      current: { tickets: num(row.tickets ?? 0), customers: num(row.customers ?? 0), firstAt: row.first_at ? new Date(row.first_at as Date) : null },
      weeks: p.weeks.map((w, i) => (w.from >= historyStart ? num(row[`w${i}`] ?? 0) : null)),
      recent: { tickets: num(row.recent ?? 0), seconds: Math.max(0, (p.recent.to.getTime() - recentFrom.getTime()) / 1000) },
    };
  }

  /** Up to `limit` stored examples of a key's tickets since `from`, newest first. */
  async samples(key: string, from: Date, limit = 3): Promise<string[]> {
    const r = await this.db.query<{ sample: string }>(
      `SELECT s.sample FROM incident_ticket_keys k JOIN incident_samples s ON s.ticket_id = k.ticket_id
       WHERE k.key = $1 AND k.opened_at >= $2 ORDER BY k.opened_at DESC LIMIT $3`,
      [key, from, limit],
    );
    return r.rows.map((x) => x.sample);
  }

  // ---- suspected spikes ----------------------------------------------------------

  /**
   * Whether any of a ticket's keys is already handled: a spike waiting for a team lead, an open incident,
   * or a spike dismissed or an incident resolved less than a window ago. Then the ticket raises no new flag:
   * the late tickets of a burst that was just fixed are the same outage, not a new one.
   */
  async handled(keys: readonly string[], since: Date): Promise<boolean> {
    const r = await this.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM incident_spikes WHERE key = ANY($1) AND (status = 'suspected' OR (status = 'dismissed' AND decided_at >= $2)))::int
            + (SELECT count(*) FROM incidents WHERE key = ANY($1) AND (status = 'open' OR resolved_at >= $2))::int AS n`,
      [keys, since],
    );
    return (r.rows[0]?.n ?? 0) > 0;
  }

  /** Records a new spike unless one is already waiting for the key (two tickets at once flag once). */
  async claimSpike(
    s: Pick<SpikeRow, 'key' | 'tickets' | 'customers' | 'baseline' | 'first_ticket_at' | 'detected_at'>,
    q: Queryable = this.db,
  ): Promise<SpikeRow | undefined> {
    const r = await q.query<SpikeRow>(
      `INSERT INTO incident_spikes (key, tickets, customers, baseline, first_ticket_at, detected_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key) WHERE status = 'suspected' DO NOTHING RETURNING *`,
      [s.key, s.tickets, s.customers, s.baseline, s.first_ticket_at, s.detected_at],
    );
    return r.rows[0] ? spike(r.rows[0]) : undefined;
  }

  async setSpikeMessage(id: number, chatId: number, messageId: number): Promise<void> {
    await this.db.query('UPDATE incident_spikes SET chat_id = $2, message_id = $3 WHERE id = $1', [id, chatId, messageId]);
  }

  async getSpike(id: number): Promise<SpikeRow | undefined> {
    const r = await this.db.query<SpikeRow>('SELECT * FROM incident_spikes WHERE id = $1', [id]);
    return r.rows[0] ? spike(r.rows[0]) : undefined;
  }

  /** First decision wins: a waiting spike becomes confirmed or dismissed once. */
  async decide(q: Queryable, id: number, status: 'confirmed' | 'dismissed', by: number, at: Date): Promise<SpikeRow | undefined> {
    const r = await q.query<SpikeRow>(
      `UPDATE incident_spikes SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1 AND status = 'suspected' RETURNING *`,
      [id, status, by, at],
    );
    return r.rows[0] ? spike(r.rows[0]) : undefined;
  }

  async setSpikeIncident(q: Queryable, id: number, incidentId: number): Promise<void> {
    await q.query('UPDATE incident_spikes SET incident_id = $2 WHERE id = $1', [id, incidentId]);
  }

  /** Suspected spikes nobody confirmed or dismissed yet, with the oldest one's age (the exporter's gauge). */
  async unacknowledged(now: Date): Promise<{ count: number; oldestSeconds: number }> {
    const r = await this.db.query<{ n: number; oldest: Date | null }>(
      `SELECT count(*)::int AS n, min(detected_at) AS oldest FROM incident_spikes WHERE status = 'suspected'`,
    );
    const row = r.rows[0];
    return { count: row?.n ?? 0, oldestSeconds: row?.oldest ? Math.max(0, (now.getTime() - new Date(row.oldest).getTime()) / 1000) : 0 };
  }

  // ---- incidents ------------------------------------------------------------------

  async open(q: Queryable, i: { title: string; key: string | null; by: number; at: Date }): Promise<IncidentRow> {
    const r = await q.query<IncidentRow>('INSERT INTO incidents (title, key, opened_by, opened_at) VALUES ($1, $2, $3, $4) RETURNING *', [
      i.title,
      i.key,
      i.by,
      i.at,
    ]);
    return incident(r.rows[0]!);
  }

  /** `forUpdate` (inside a transaction): the row stays locked until it ends, so a concurrent change waits for it. */
  async get(id: number, q: Queryable = this.db, forUpdate = false): Promise<IncidentRow | undefined> {
    const r = await q.query<IncidentRow>(`SELECT * FROM incidents WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return r.rows[0] ? incident(r.rows[0]) : undefined;
  }

  async latestOpen(): Promise<IncidentRow | undefined> {
    const r = await this.db.query<IncidentRow>(`SELECT * FROM incidents WHERE status = 'open' ORDER BY id DESC LIMIT 1`);
    return r.rows[0] ? incident(r.rows[0]) : undefined;
  }

  async listOpen(): Promise<IncidentRow[]> {
    return (await this.db.query<IncidentRow>(`SELECT * FROM incidents WHERE status = 'open' ORDER BY id`)).rows.map(incident);
  }

  /** The open incident a ticket with these keys belongs to (the newest when several match). */
  async openFor(keys: readonly string[]): Promise<IncidentRow | undefined> {
    if (keys.length === 0) return undefined;
    const r = await this.db.query<IncidentRow>(`SELECT * FROM incidents WHERE status = 'open' AND key = ANY($1) ORDER BY id DESC LIMIT 1`, [keys]);
    return r.rows[0] ? incident(r.rows[0]) : undefined;
  }

  /** The incident with these keys resolved since `since` (the newest), for a ticket that comes just after the fix. */
  async resolvedFor(keys: readonly string[], since: Date): Promise<IncidentRow | undefined> {
    if (keys.length === 0) return undefined;
    const r = await this.db.query<IncidentRow>(
      `SELECT * FROM incidents WHERE status = 'resolved' AND resolved_at >= $2 AND key = ANY($1) ORDER BY resolved_at DESC, id DESC LIMIT 1`,
      [keys, since],
    );
    return r.rows[0] ? incident(r.rows[0]) : undefined;
  }

  async update(
    q: Queryable,
    id: number,
    set: Partial<Pick<IncidentRow, 'eta_at' | 'what_happened' | 'who_affected' | 'next_steps'>>,
  ): Promise<IncidentRow | undefined> {
    const cols = Object.keys(set) as (keyof typeof set)[];
    if (cols.length === 0) return this.get(id, q);
    const r = await q.query<IncidentRow>(
      `UPDATE incidents SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1 AND status = 'open' RETURNING *`,
      [id, ...cols.map((c) => set[c] ?? null)],
    );
    return r.rows[0] ? incident(r.rows[0]) : undefined;
  }

  /** Asks for an ETA update at `due` unless one is already waiting; true when this call scheduled it. */
  async requestUpdate(q: Queryable, id: number, due: Date): Promise<boolean> {
    const r = await q.query(`UPDATE incidents SET update_due_at = $2 WHERE id = $1 AND status = 'open' AND update_due_at IS NULL`, [id, due]);
    return (r.rowCount ?? 0) > 0;
  }

  /** The waiting update is going out now: true once. */
  async takeUpdate(q: Queryable, id: number, at: Date): Promise<boolean> {
    const r = await q.query(`UPDATE incidents SET update_due_at = NULL, last_update_at = $2 WHERE id = $1 AND status = 'open' AND update_due_at IS NOT NULL`, [
      id,
      at,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async resolve(q: Queryable, id: number, by: number, at: Date, closeTickets: boolean): Promise<IncidentRow | undefined> {
    const r = await q.query<IncidentRow>(
      `UPDATE incidents SET status = 'resolved', resolved_by = $2, resolved_at = $3, close_tickets = $4, update_due_at = NULL
       WHERE id = $1 AND status = 'open' RETURNING *`,
      [id, by, at, closeTickets],
    );
    return r.rows[0] ? incident(r.rows[0]) : undefined;
  }

  async setStatusPost(id: number, chatId: number, messageId: number): Promise<void> {
    await this.db.query('UPDATE incidents SET status_chat_id = $2, status_message_id = $3 WHERE id = $1', [id, chatId, messageId]);
  }

  // ---- links -----------------------------------------------------------------------

  /** Links the open tickets with the incident's key opened since `since`; returns those newly linked. */
  async linkOpenTickets(q: Queryable, incidentId: number, key: string, since: Date, at: Date): Promise<LinkedTicket[]> {
    const r = await q.query<LinkedTicket>(
      `INSERT INTO incident_links (incident_id, ticket_id, customer_id, linked_at)
       SELECT $1, t.id, t.customer_id, $4 FROM incident_ticket_keys k JOIN tickets t ON t.id = k.ticket_id
       WHERE k.key = $2 AND k.opened_at >= $3 AND t.status <> 'resolved'
       ON CONFLICT DO NOTHING RETURNING ticket_id, customer_id`,
      [incidentId, key, since, at],
    );
    return r.rows.map((x) => ({ ticket_id: num(x.ticket_id), customer_id: num(x.customer_id) }));
  }

  /** Links one ticket (again, when it was unlinked); false when it already was. */
  async link(q: Queryable, incidentId: number, t: Pick<Ticket, 'id' | 'customer_id'>, by: number | null, at: Date): Promise<boolean> {
    const r = await q.query(
      `INSERT INTO incident_links (incident_id, ticket_id, customer_id, linked_at, linked_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (incident_id, ticket_id) DO UPDATE SET unlinked_at = NULL, linked_at = EXCLUDED.linked_at, linked_by = EXCLUDED.linked_by
       WHERE incident_links.unlinked_at IS NOT NULL`,
      [incidentId, t.id, t.customer_id, at, by],
    );
    return (r.rowCount ?? 0) > 0;
  }

  /** The known-issue reply of a linked ticket is sent once. */
  async markKnownIssue(incidentId: number, ticketId: number, at: Date): Promise<boolean> {
    const r = await this.db.query('UPDATE incident_links SET known_issue_at = $3 WHERE incident_id = $1 AND ticket_id = $2 AND known_issue_at IS NULL', [
      incidentId,
      ticketId,
      at,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async unlink(q: Queryable, ticketId: number, at: Date): Promise<number | undefined> {
    const r = await q.query<{ incident_id: number }>(
      'UPDATE incident_links SET unlinked_at = $2 WHERE ticket_id = $1 AND unlinked_at IS NULL RETURNING incident_id',
      [ticketId, at],
    );
    return r.rows[0] ? num(r.rows[0].incident_id) : undefined;
  }

  async setNotify(incidentId: number, customerId: number): Promise<boolean> {
    const r = await this.db.query('UPDATE incident_links SET notify = true WHERE incident_id = $1 AND customer_id = $2', [incidentId, customerId]);
    return (r.rowCount ?? 0) > 0;
  }

  /** The incident a ticket is linked to now, for its card. */
  async linkOf(ticketId: number): Promise<Pick<IncidentRow, 'id' | 'title' | 'status'> | undefined> {
    const r = await this.db.query<Pick<IncidentRow, 'id' | 'title' | 'status'>>(
      `SELECT i.id, i.title, i.status FROM incident_links l JOIN incidents i ON i.id = l.incident_id
       WHERE l.ticket_id = $1 AND l.unlinked_at IS NULL ORDER BY i.id DESC LIMIT 1`,
      [ticketId],
    );
    return r.rows[0] ? { ...r.rows[0], id: num(r.rows[0].id) } : undefined;
  }

  async linkedCount(incidentId: number, q: Queryable = this.db): Promise<number> {
    const r = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM incident_links WHERE incident_id = $1 AND unlinked_at IS NULL', [incidentId]);
    return r.rows[0]?.n ?? 0;
  }

  /**
   * The tickets linked now; with `beforeResolution`, only those linked while the incident was open (a ticket
   * linked after the fix is not closed by the resolution, nor told of it: it was told the problem was fixed).
   */
  async linkedTickets(incidentId: number, beforeResolution = false): Promise<LinkedTicket[]> {
    const r = await this.db.query<LinkedTicket>(
      `SELECT l.ticket_id, l.customer_id FROM incident_links l JOIN incidents i ON i.id = l.incident_id
       WHERE l.incident_id = $1 AND l.unlinked_at IS NULL AND (NOT $2 OR i.resolved_at IS NULL OR l.linked_at <= i.resolved_at)
       ORDER BY l.ticket_id`,
      [incidentId, beforeResolution],
    );
    return r.rows.map((x) => ({ ticket_id: num(x.ticket_id), customer_id: num(x.customer_id) }));
  }

  /**
   * The customers an incident message goes to (the broadcast's audience): linked, or unlinked but asked to
   * be told when it is fixed (the resolution only); not banned, not blocked; opted-out ones counted apart.
   */
  async audience(incidentId: number, message: 'opened' | 'updated' | 'resolved'): Promise<{ id: number; language_code: string | null; opted_out: boolean }[]> {
    const r = await this.db.query<{ id: number; language_code: string | null; opted_out: boolean }>(
      `SELECT c.id, c.language_code, coalesce(s.broadcast_opt_out, false) AS opted_out FROM customers c
       LEFT JOIN customer_settings s ON s.customer_id = c.id
       WHERE NOT c.banned AND NOT c.blocked_bot AND c.id IN (
         SELECT l.customer_id FROM incident_links l JOIN incidents i ON i.id = l.incident_id
         WHERE l.incident_id = $1 AND (l.unlinked_at IS NULL OR ($2 AND l.notify)) AND (i.resolved_at IS NULL OR l.linked_at <= i.resolved_at))
       ORDER BY c.id`,
      [incidentId, message === 'resolved'],
    );
    return r.rows.map((x) => ({ ...x, id: num(x.id) }));
  }
}

function spike(r: SpikeRow): SpikeRow {
  return {
    ...r,
    id: num(r.id),
    baseline: num(r.baseline),
    incident_id: r.incident_id === null ? null : num(r.incident_id),
    chat_id: r.chat_id === null ? null : num(r.chat_id),
  };
}

function incident(r: IncidentRow): IncidentRow {
  return { ...r, id: num(r.id), opened_by: num(r.opened_by), status_chat_id: r.status_chat_id === null ? null : num(r.status_chat_id) };
}
