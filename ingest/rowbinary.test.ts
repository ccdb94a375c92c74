/**
 * The RowBinary insert of `events` (core/rowbinary.ts through the sink) stores exactly what the JSON insert
 * it replaces stores — every column of every event type, nulls, absent optional fields, unicode, long
 * strings, extreme numbers and times in other offsets — in `events` and in every materialized view's
 * table, on a real chDB. What it cannot write faithfully goes as JSON.
 */
import type { TSchema } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertJsonEachRow, queryRows, type ClickHouse } from '../core/clickhouse.js';
import { EVENT_SCHEMAS, type SupportEvent } from '../schemas/events.js';
import { assertEvent } from '../schemas/validate.js';
import { tmpDataDir } from '../test/helpers/tmp.js';
import { createSink, encodeChunkEvents, encodeEvents, eventsEncoder } from './sink.js';
import { openTestClickHouse } from './test-support.js';

const tmp = tmpDataDir('desk-rowbinary-');
let ch: ClickHouse;
beforeAll(async () => {
  ch = await openTestClickHouse(tmp.dir);
});
afterAll(async () => {
  await ch?.close();
  tmp.cleanup();
});

type Variant = 'typical' | 'edge' | 'sparse';

let uuidSeq = 0;
/** A valid UUID whose bytes cover 0x00–0xff, including "\n\n" (0a0a), which inline insert data cannot hold. */
function uuid(): string {
  const n = uuidSeq++;
  const hex = (n % 2 === 0 ? '0a0a0d0a' : 'ff00fe01') + (n * 2654435761).toString(16).padStart(24, '0').slice(-24);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const UNICODE = 'Ünïcødé ✓ 😀 "q" \\ \n\t ß';
const TIMES: Record<Variant, string[]> = {
  typical: ['2026-03-01T10:00:00.123Z', '2026-03-01T10:05:00.000Z'],
  // offsets, more or fewer fraction digits, the first and last days DateTime64 holds, a leap day
  edge: ['2026-03-01T15:30:00.987654+05:30', '1900-01-01T00:00:00Z', '2299-12-31T23:59:59.999Z', '2024-02-29T23:59:59.5-08:00', '1970-01-01T00:00:00.000Z'],
  sparse: ['2026-12-31T23:59:59.999Z'],
};
const RECENT = ['2026-11-30T15:30:00.987654+05:30', '2026-11-30T01:02:03Z', '2026-11-29T23:59:59.999-01:00', '2026-11-30T10:00:00.100Z'];
let timeSeq = 0;

/** A value for a schema: typical, at the edges of its range (nulls where allowed, longest strings…), or sparse (nulls, no optionals). */
function sample(name: string, s: TSchema, v: Variant): unknown {
  if ('const' in s) return s.const;
  if (s.anyOf) {
    const members = s.anyOf as TSchema[];
    const nullable = members.some((m) => m.type === 'null');
    if (nullable && v !== 'typical') return null;
    const options = members.filter((m) => m.type !== 'null');
    return sample(name, options[v === 'edge' ? options.length - 1 : 0]!, v);
  }
  switch (s.type) {
    case 'string': {
      if (s.format === 'uuid') return uuid();
      // occurred_at stays recent: older rows fall to the table's TTL on insert, whichever the format
      if (s.format === 'date-time') return name === 'occurred_at' ? RECENT[timeSeq++ % RECENT.length] : TIMES[v][timeSeq++ % TIMES[v].length];
      const max = (s.maxLength as number | undefined) ?? (v === 'edge' ? 300 : 24);
      if (s.pattern) return v === 'edge' ? 'a1'.repeat(max).slice(0, max) : 'l1';
      if (v !== 'edge') return s.minLength ? 'kb-42' : '';
      return (UNICODE + 'x'.repeat(max)).slice(0, max);
    }
    case 'integer': {
      const min = (s.minimum as number | undefined) ?? (v === 'edge' ? -Number.MAX_SAFE_INTEGER : 0);
      const max =
        (s.maximum as number | undefined) ??
        (name === 'text_length' || name.match(/recipients|delivered|failed|opted_out|incident_tickets|incident_customers|agent_replies/)
          ? 4_294_967_295
          : Number.MAX_SAFE_INTEGER);
      return v === 'edge' ? max : v === 'sparse' ? min : Math.min(max, Math.max(min, 42));
    }
    case 'number':
      return v === 'edge' ? 1.7976931348623157e308 : v === 'sparse' ? 0 : 0.1 + 0.2;
    case 'boolean':
      return v !== 'sparse';
    default:
      throw new Error(`no sample for ${name}: ${JSON.stringify(s)}`);
  }
}

/** One valid event of each type per variant (the sparse one without its optional fields). */
function everyEvent(): SupportEvent[] {
  const out: SupportEvent[] = [];
  for (const schema of EVENT_SCHEMAS)
    for (const v of ['typical', 'edge', 'sparse'] as const) {
      const ev: Record<string, unknown> = {};
      const required = new Set<string>(schema.required ?? []);
      for (const [k, p] of Object.entries(schema.properties as Record<string, TSchema>)) if (v !== 'sparse' || required.has(k)) ev[k] = sample(k, p, v);
      out.push(assertEvent(ev));
    }
  return out;
}

const SERVER_CLOCK = /^(ingested_at|touched_at|computed_at)$/;

/** `events` (without the insert time) and every table a materialized view writes to, as rows. */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {
    events: await queryRows(ch, 'SELECT * EXCEPT ingested_at FROM events ORDER BY event_id, type'),
  };
  const views = await queryRows<{ q: string }>(
    ch,
    "SELECT create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'",
  );
  const targets = new Set(views.map((v) => /\bTO\s+(?:`?\w+`?\.)?`?(\w+)`?/.exec(v.q)?.[1]).filter((t): t is string => !!t));
  for (const t of [...targets].sort()) {
    const cols = await queryRows<{ name: string }>(
      ch,
      "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {t:String} AND type NOT LIKE '%AggregateFunction%' ORDER BY position",
      { t },
    );
    // columns a view fills from the server's clock (now64()) differ between any two inserts
    const keep = cols.filter((c) => !SERVER_CLOCK.test(c.name)).map((c) => `\`${c.name}\``);
    out[t] = await queryRows(ch, `SELECT ${keep.join(', ')} FROM ${t} ORDER BY ${keep.join(', ')}`);
  }
  return out;
}

async function truncateAll(): Promise<void> {
  const tables = await queryRows<{ name: string }>(
    ch,
    "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT IN ('MaterializedView', 'View') AND is_temporary = 0",
  );
  for (const { name } of tables) await ch.client.command({ query: `TRUNCATE TABLE \`${name}\`` });
}

describe('RowBinary insert of events', () => {
  it('stores every event type, edge values and absent fields exactly as the JSON insert, in events and every view', async () => {
    const encoder = await eventsEncoder(ch);
    expect(encoder).toBeDefined();
    const events = everyEvent();
    expect(events.length).toBe(EVENT_SCHEMAS.length * 3);
    // the encoder writes them all (nothing falls back to JSON)
    expect(encodeEvents(encoder, events)).toBeDefined();

    await truncateAll();
    const payloads = events.map((e) => JSON.stringify(e));
    await insertJsonEachRow(ch, 'events', Buffer.from(`${payloads.join('\n')}\n`), { dedupToken: 'rt-json' });
    const viaJson = await snapshot();
    expect(viaJson.events!.length).toBe(events.length);

    await truncateAll();
    const sink = createSink(ch, { retryMaxMs: 100, keepTrying: () => false }, encoder);
    const chunk = encodeChunkEvents(encoder, {
      origin: { source: 'kafka', topic: 'rt', partition: 0, first: '0', last: String(events.length - 1) },
      rows: events,
      raw: payloads.map((p) => Buffer.from(p)),
      dead: [],
    });
    expect(chunk.binary?.rows).toBe(events.length);
    expect(chunk.raw).toBeUndefined();
    await sink.write([chunk]);
    const viaBinary = await snapshot();
    expect(Object.keys(viaBinary).length).toBeGreaterThan(5);
    for (const t of Object.keys(viaJson)) expect({ table: t, rows: viaBinary[t] }).toEqual({ table: t, rows: viaJson[t] });
    // the staff row still comes from the kept staff_updated events
    expect(Number((await queryRows<{ n: string }>(ch, 'SELECT count() AS n FROM staff'))[0]!.n)).toBe(3);
  });

  it('a value RowBinary cannot write faithfully sends its chunk as JSON, beside the others as RowBinary, once each', async () => {
    await truncateAll();
    const encoder = await eventsEncoder(ch);
    const ok = everyEvent().slice(0, 6);
    // valid to the schema, beyond the integers a double holds exactly: ClickHouse reads the JSON text (as it always did)
    const odd = assertEvent({ ...ok[0]!, event_id: uuid(), customer_id: 2 ** 53 });
    expect(encodeEvents(encoder, [odd])).toBeUndefined();
    const sink = createSink(ch, { retryMaxMs: 100, keepTrying: () => false }, encoder);
    const chunks = [
      encodeChunkEvents(encoder, {
        origin: { source: 'kafka', topic: 'mix', partition: 0, first: '0', last: '5' },
        rows: ok,
        raw: ok.map((e) => Buffer.from(JSON.stringify(e))),
        dead: [],
      }),
      encodeChunkEvents(encoder, {
        origin: { source: 'kafka', topic: 'mix', partition: 1, first: '0', last: '0' },
        rows: [odd],
        raw: [Buffer.from(JSON.stringify(odd))],
        dead: [],
      }),
    ];
    expect(chunks[0]!.binary).toBeDefined();
    expect(chunks[1]!.binary).toBeUndefined();
    await sink.write(chunks);
    await sink.write(chunks); // a retried block: both inserts deduplicated by their tokens
    const [c] = await queryRows<{ n: string; u: string }>(ch, 'SELECT count() AS n, uniqExact(event_id) AS u FROM events');
    expect([Number(c!.n), Number(c!.u)]).toEqual([7, 7]);
  });
});
