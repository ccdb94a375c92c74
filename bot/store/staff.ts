/**
 * staff: the desk's agents by Telegram id, with the display name dashboards,
 * Grafana and the digest show for them ("Anna K."). Personal data kept minimal:
 * the first name and the last name's initial, never a username.
 *
 * `recordStaff` runs when an agent acts. A name the desk has not recorded (a
 * new agent, or one who renamed themselves in Telegram) is written together
 * with a staff_updated event in one transaction, so the outbox carries it to
 * ClickHouse like every other fact; an unchanged name costs nothing after the
 * first action of a process (remembered per database) and writes nothing.
 * Names are never logged.
 */
import type { Db } from '../../core/postgres.js';
import type { Outbox } from './outbox.js';

export interface StaffUser {
  id: number;
  first_name: string;
  last_name?: string | undefined;
}

/** The event's and the column's limit, in UTF-16 code units as JSON Schema's maxLength counts them. */
const MAX_NAME = 64;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (s: string) => Array.from(segmenter.segment(s), (g) => g.segment);

/** "First L.": the first name and the last name's initial (a whole grapheme, upper-cased), cut to 64; '' without a name. */
export function displayName(u: Pick<StaffUser, 'first_name' | 'last_name'>): string {
  const first = graphemes(u.first_name.replace(/\s+/g, ' ').trim());
  const initial = (graphemes((u.last_name ?? '').trim())[0] ?? '').toLocaleUpperCase();
  const suffix = initial && initial.length <= 16 ? `${first.length ? ' ' : ''}${initial}.` : '';
  while (first.length && first.join('').trimEnd().length + suffix.length > MAX_NAME) first.pop();
  return first.join('').trimEnd() + suffix;
}

/** Names recorded per database in this process: the common case (nothing changed) needs no query. */
const recorded = new WeakMap<Db, Map<number, string>>();

/**
 * Records the agent's display name when it is new or changed: the staff row
 * and a staff_updated event in one transaction. Returns whether it wrote.
 */
export async function recordStaff(db: Db, outbox: Outbox, user: StaffUser): Promise<boolean> {
  const name = displayName(user);
  if (!name) return false;
  let known = recorded.get(db);
  if (!known) recorded.set(db, (known = new Map()));
  if (known.get(user.id) === name) return false;
  const wrote = await db.transaction(async (tx) => {
    const r = await tx.query<{ updated_at: Date }>(
      `INSERT INTO staff (id, display_name, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at
       WHERE staff.display_name IS DISTINCT FROM EXCLUDED.display_name
       RETURNING updated_at`,
      [user.id, name],
    );
    const row = r.rows[0];
    if (!row) return false;
    await outbox.append(tx, [{ type: 'staff_updated', agent_id: user.id, display_name: name, occurred_at: new Date(row.updated_at).toISOString() }]);
    return true;
  });
  known.set(user.id, name);
  return wrote;
}
