/**
 * Schema guards, on a chDB migrated with every ClickHouse migration:
 *  - every field of every event type has a column in `events` that can hold it
 *    (or is listed, with its reason, in NOT_IN_EVENTS_TABLE) — the ingest skips
 *    unknown fields, so a field without a column would vanish silently;
 *  - the migrations produce exactly schemas/clickhouse/schema.snapshot.sql.
 */
import { readFileSync } from 'node:fs';
import { Type, type TObject } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, loadClickHouseConfig, queryRows, type ClickHouse } from '../core/clickhouse.js';
import { migrate } from '../core/migrate.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { eventColumnProblems, type ColumnInfo } from './column-guard.js';
import { EVENT_SCHEMAS, MessageIn, NOT_IN_EVENTS_TABLE, TicketResolved } from './events.js';
import { SNAPSHOT_FILE, SNAPSHOT_TTL_DAYS, normaliseStatement, schemaSnapshot } from './snapshot.js';

const tmp = tmpDataDir('desk-schema-guards-');
let ch: ClickHouse;
let columns: ColumnInfo[];

const columnsOf = (table: string) =>
  queryRows<ColumnInfo>(
    ch,
    'SELECT name, type, default_kind FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position',
    { table },
  );

beforeAll(async () => {
  ch = await createClickHouse(loadClickHouseConfig({ DATA_DIR: tmp.dir }));
  await migrate(ch, { eventsTtlDays: SNAPSHOT_TTL_DAYS });
  columns = await columnsOf('events');
});
afterAll(async () => {
  await ch?.close();
  tmp.cleanup();
});

describe('every event field has a ClickHouse column', () => {
  it('after all migrations, each field of each event type has a column of `events` that can hold it', () => {
    expect(columns.length).toBeGreaterThan(40);
    expect(eventColumnProblems(EVENT_SCHEMAS as unknown as TObject[], columns, NOT_IN_EVENTS_TABLE)).toEqual([]);
  });

  it('fails for a field added to an event without a migration, and for a column that cannot hold a field', () => {
    const grown = Type.Object({ ...MessageIn.properties, sentiment: Type.Number() });
    expect(eventColumnProblems([grown], columns, {})).toEqual([
      expect.stringMatching(/^message_in\.sentiment: no column in events — add it in a new migration/),
    ]);

    const wrong = Type.Object({
      ...TicketResolved.properties,
      // negative values into UInt32, a fraction into an integer column, null into a column without a default
      agent_replies: Type.Integer(),
      text_length: Type.Number(),
      event_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
      resolved_by: Type.Integer({ minimum: 0, maximum: 3 }),
    });
    expect(eventColumnProblems([wrong], columns, {})).toEqual([
      'ticket_resolved.event_id: can be null but column UUID is neither Nullable nor has a DEFAULT',
      'ticket_resolved.resolved_by: holds integer in [0, 3] values but column is LowCardinality(String)',
      'ticket_resolved.agent_replies: holds integer in [-∞, ∞] values but column is Nullable(UInt32)',
      'ticket_resolved.text_length: holds number values but column is UInt32',
    ]);
  });

  it('an excluded field has a reason, really has no column, and names a field that exists', () => {
    expect(Object.keys(NOT_IN_EVENTS_TABLE).length).toBeLessThanOrEqual(3); // a small list: each entry is a field analytics cannot see
    const grown = Type.Object({ ...MessageIn.properties, mood: Type.String() });
    expect(eventColumnProblems([grown], columns, { 'message_in.mood': 'kept elsewhere' })).toEqual([]);
    expect(eventColumnProblems([grown], columns, { 'message_in.mood': ' ' })).toEqual(['message_in.mood: excluded without a reason']);
    expect(eventColumnProblems([grown], columns, { 'message_in.mood': 'kept elsewhere', 'message_in.text_length': 'stale' })).toEqual([
      expect.stringMatching(/^message_in\.text_length: excluded, yet events has a column text_length \(UInt32\): drop the exclusion/),
    ]);
    expect(eventColumnProblems([grown], columns, { 'message_in.mood': 'kept elsewhere', 'message_in.nickname': 'x' })).toEqual([
      'message_in.nickname: excluded, but no event type has this field: drop the exclusion',
    ]);
  });
});

describe('the fields kept out of events', () => {
  it('the display name of staff_updated has its place: the staff table', async () => {
    expect(NOT_IN_EVENTS_TABLE['staff_updated.display_name']).toMatch(/staff/);
    expect(await columnsOf('staff')).toEqual([
      { name: 'id', type: 'Int64', default_kind: '' },
      { name: 'display_name', type: 'String', default_kind: '' },
      { name: 'updated_at', type: "DateTime64(3, 'UTC')", default_kind: '' },
    ]);
  });
});

describe('schema snapshot', () => {
  it('the migrations produce schemas/clickhouse/schema.snapshot.sql', async () => {
    const actual = await schemaSnapshot(ch);
    expect(actual).toContain('CREATE TABLE events\n');
    expect(actual).not.toMatch(/\bdefault\.|UUID '[0-9a-f-]{36}'/);
    expect(
      actual,
      'The ClickHouse schema after all migrations differs from schemas/clickhouse/schema.snapshot.sql. ' +
        'If the change is intended, run `npm run schema:snapshot` and commit the file together with the migration.',
    ).toBe(readFileSync(SNAPSHOT_FILE, 'utf8'));
  });

  it('is stable: no database name, no UUIDs, one statement each', () => {
    const show =
      "CREATE MATERIALIZED VIEW default.mv UUID '0190a0a0-0000-7000-8000-000000000001' TO default.t\n(\n    `a` UInt8\n)\nAS SELECT a FROM default.src";
    expect(normaliseStatement(show, 'default')).toBe('CREATE MATERIALIZED VIEW mv TO t\n(\n    `a` UInt8\n)\nAS SELECT a FROM src;');
    expect(normaliseStatement('CREATE TABLE `support`.`x` (a UInt8)', 'support')).toBe('CREATE TABLE `x` (a UInt8);');
  });
});
