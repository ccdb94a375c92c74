/**
 * The staff store on PGlite with the desk's migrations: an agent's display
 * name is written with its staff_updated event in one transaction, once per
 * name; a rename writes again, later; the name is "First L." and nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../core/postgres.js';
import { openTestStore } from '../../sla/exporter/test-support.js';
import type { EventOf } from '../../schemas/events.js';
import { checkEvent } from '../../schemas/validate.js';
import { tmpDataDir } from '../../test/helpers/tmp.js';
import { Outbox } from './outbox.js';
import { displayName, recordStaff } from './staff.js';

const tmp = tmpDataDir('desk-staff-');
let db: Db;
const outbox = new Outbox('support.events');

beforeAll(async () => {
  db = await openTestStore(tmp.dir);
});
afterAll(async () => {
  await db?.close();
  tmp.cleanup();
});

const staffEvents = async () =>
  (await db.query<{ payload: unknown }>("SELECT payload FROM outbox WHERE payload->>'type' = 'staff_updated' ORDER BY id")).rows.map((r) => {
    const d = checkEvent(typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload);
    if (!d.ok) throw new Error(d.detail);
    return d.event as EventOf<'staff_updated'>;
  });
const staffRow = async (id: number) =>
  (await db.query<{ display_name: string; updated_at: Date }>('SELECT display_name, updated_at FROM staff WHERE id = $1', [id])).rows[0];

describe('display name', () => {
  it('is the first name and the initial of the last name', () => {
    expect(displayName({ first_name: 'Anna', last_name: 'Karenina' })).toBe('Anna K.');
    expect(displayName({ first_name: '  Anna   Maria ', last_name: ' von Trapp' })).toBe('Anna Maria V.');
    expect(displayName({ first_name: 'Anna' })).toBe('Anna');
    expect(displayName({ first_name: 'Юлия', last_name: 'ёлкина' })).toBe('Юлия Ё.');
    // a whole grapheme, not half a surrogate pair or a bare base letter
    expect(displayName({ first_name: 'Sam', last_name: '👩‍💻 Ops' })).toBe('Sam 👩‍💻.');
    expect(displayName({ first_name: 'Zoë', last_name: 'e\u0301lan' })).toBe('Zoë E\u0301.');
    expect(displayName({ first_name: ' ', last_name: '' })).toBe('');
    const long = displayName({ first_name: 'A'.repeat(100), last_name: 'Bee' });
    expect(long).toBe(`${'A'.repeat(61)} B.`);
    expect(long.length).toBe(64);
    // the limit counts UTF-16 units, as the event schema's maxLength does, and never splits a character
    const smiles = displayName({ first_name: '😀'.repeat(40), last_name: 'Ray' });
    expect(smiles).toBe(`${'😀'.repeat(30)} R.`);
  });
});

describe('recordStaff', () => {
  it('writes the name and its staff_updated event once, and again only when the name changes', async () => {
    expect(await recordStaff(db, outbox, { id: 504, first_name: 'Anna', last_name: 'Karenina' })).toBe(true);
    expect(await recordStaff(db, outbox, { id: 504, first_name: 'Anna', last_name: 'Karenina' })).toBe(false);
    // another process (no memory of it) finds the same name in the store and writes nothing either
    const otherProcess: Db = { ...db };
    expect(await recordStaff(otherProcess, outbox, { id: 504, first_name: 'Anna', last_name: 'Kowalska' })).toBe(false);
    const first = await staffRow(504);
    expect(first?.display_name).toBe('Anna K.');

    let events = await staffEvents();
    expect(events.map((e) => [e.agent_id, e.display_name, e.ticket_id])).toEqual([[504, 'Anna K.', null]]);
    expect(events[0]!.occurred_at).toBe(new Date(first!.updated_at).toISOString());

    // renamed in Telegram: the store and a second event carry the new name, later
    await new Promise((r) => setTimeout(r, 5));
    expect(await recordStaff(db, outbox, { id: 504, first_name: 'Anna', last_name: 'Vronskaya' })).toBe(true);
    events = await staffEvents();
    expect(events.map((e) => e.display_name)).toEqual(['Anna K.', 'Anna V.']);
    expect(Date.parse(events[1]!.occurred_at)).toBeGreaterThan(Date.parse(events[0]!.occurred_at));
    expect((await staffRow(504))?.display_name).toBe('Anna V.');
    // nothing but the display name is kept: no username, no full last name
    expect(JSON.stringify(await db.query('SELECT * FROM staff'))).not.toMatch(/Vronskaya|Karenina/);
    expect(JSON.stringify(events)).not.toMatch(/Vronskaya|Karenina/);
  });

  it('a failed outbox write leaves no name behind (one transaction)', async () => {
    const broken = { append: async () => Promise.reject(new Error('outbox down')) } as unknown as Outbox;
    await expect(recordStaff(db, broken, { id: 777, first_name: 'Bo', last_name: 'Lind' })).rejects.toThrow('outbox down');
    expect(await staffRow(777)).toBeUndefined();
    // and it is tried again on the next action
    expect(await recordStaff(db, outbox, { id: 777, first_name: 'Bo', last_name: 'Lind' })).toBe(true);
    expect((await staffRow(777))?.display_name).toBe('Bo L.');
  });
});
