/**
 * A customer's own settings (customer_settings, migrations 020 and 111), as the Mini App's settings page
 * shows and changes them and as the desk honours them: the time zone (dates shown to them, their quiet
 * hours), quiet hours (non-urgent messages wait until they end, in their zone), status updates (each /
 * summary / off) and announcements (the inverse of broadcast_opt_out). Language lives on customers.
 */
import type { Queryable } from '../../core/postgres.js';
import { parseQuietHours, type QuietHours } from '../runtime/quiet-hours.js';

export type StatusUpdates = 'each' | 'summary' | 'off';

export interface CustomerPrefs {
  timeZone: string | null;
  quietHours: { start: string; end: string } | null;
  statusUpdates: StatusUpdates;
  announcements: boolean;
}

export const DEFAULT_PREFS: CustomerPrefs = { timeZone: null, quietHours: null, statusUpdates: 'each', announcements: true };

interface Row {
  time_zone: string | null;
  quiet_start: string | null;
  quiet_end: string | null;
  status_updates: StatusUpdates;
  broadcast_opt_out: boolean;
}

export async function readPrefs(q: Queryable, customerId: number): Promise<CustomerPrefs> {
  const r = (
    await q.query<Row>('SELECT time_zone, quiet_start, quiet_end, status_updates, broadcast_opt_out FROM customer_settings WHERE customer_id = $1', [
      customerId,
    ])
  ).rows[0];
  if (!r) return DEFAULT_PREFS;
  return {
    timeZone: r.time_zone,
    quietHours: r.quiet_start && r.quiet_end ? { start: r.quiet_start, end: r.quiet_end } : null,
    statusUpdates: r.status_updates,
    announcements: !r.broadcast_opt_out,
  };
}

export async function writePrefs(q: Queryable, customerId: number, p: CustomerPrefs): Promise<void> {
  await q.query(
    `INSERT INTO customer_settings (customer_id, time_zone, quiet_start, quiet_end, status_updates, broadcast_opt_out, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (customer_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, quiet_start = EXCLUDED.quiet_start, quiet_end = EXCLUDED.quiet_end,
       status_updates = EXCLUDED.status_updates, broadcast_opt_out = EXCLUDED.broadcast_opt_out, updated_at = now()`,
    [customerId, p.timeZone, p.quietHours?.start ?? null, p.quietHours?.end ?? null, p.statusUpdates, !p.announcements],
  );
}

/**
 * The quiet hours that hold a non-urgent message to this customer: their own (in their zone, else the
 * desk's zone), else the desk's QUIET_HOURS moved into their zone when they chose one, else the desk's.
 */
export function quietHoursFor(p: CustomerPrefs, desk: QuietHours | undefined): QuietHours | undefined {
  const zone = p.timeZone ?? desk?.zone ?? 'UTC';
  if (p.quietHours) return parseQuietHours(`${p.quietHours.start}-${p.quietHours.end}`, zone);
  if (desk && p.timeZone) return { ...desk, zone: p.timeZone };
  return desk;
}
