/**
 * ClickHouse's RowBinaryWithDefaults format, built in JavaScript from row
 * objects: the insert then skips text parsing (for the 69-column `events`
 * JSON parsing was ~2/3 of chDB's CPU per row, BENCHMARKS.md `## Ingest`).
 *
 * The encoder is made from the table's columns as ClickHouse reports them
 * (`system.columns`), so it follows migrations without a code change. It
 * writes exactly what the JSONEachRow insert with input_format_null_as_default
 * stores: a missing field, or a null for a non-Nullable column, takes the
 * column's DEFAULT (the format's per-column "use default" byte); a null for a
 * Nullable column is NULL; fields without a column are ignored
 * (input_format_skip_unknown_fields). A value it cannot write with the same
 * meaning (a string in a number column, an integer beyond 2^53, a date outside
 * DateTime64's range, …) throws {@link Unencodable}: the caller then inserts
 * those rows as JSON and lets ClickHouse decide, as before.
 */

/** A column of the target table as `system.columns` lists it. */
export interface ColumnInfo {
  name: string;
  type: string;
  /** '', 'DEFAULT', 'MATERIALIZED', 'ALIAS' or 'EPHEMERAL'. */
  default_kind: string;
}

/** A value the encoder cannot write with the meaning the JSON insert would give it. */
export class Unencodable extends Error {
  constructor(column: string, why: string) {
    super(`column ${column}: ${why}`);
    this.name = 'Unencodable';
  }
}

/** A growable output buffer. */
class Out {
  buf = Buffer.allocUnsafe(1 << 16);
  pos = 0;
  /** Room kept free after a string, for the rest of its row's fixed-size values. */
  constructor(readonly slack: number) {}
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

const TWO32 = 2 ** 32;

/** A safe integer as 8 little-endian bytes (two's complement); room already ensured. */
function int64(o: Out, v: number): void {
  const hi = Math.floor(v / TWO32);
  o.buf.writeUInt32LE(v - hi * TWO32, o.pos);
  o.buf.writeInt32LE(hi | 0, o.pos + 4);
  o.pos += 8;
}

/** A string as VarUInt length + UTF-8. */
function string(o: Out, v: string): void {
  // Short strings (≤ 42 UTF-16 units, ≤ 126 UTF-8 bytes): one length byte, written after the text.
  if (v.length <= 42) {
    o.ensure(1 + v.length * 3 + o.slack);
    const n = o.buf.write(v, o.pos + 1, 'utf8');
    o.buf[o.pos] = n;
    o.pos += 1 + n;
    return;
  }
  let n = Buffer.byteLength(v, 'utf8');
  o.ensure(n + 10 + o.slack);
  while (n >= 0x80) {
    o.buf[o.pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  o.buf[o.pos++] = n;
  o.pos += o.buf.write(v, o.pos, 'utf8');
}

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[65 + i] = HEX[97 + i] = 10 + i;
/** Where each of the 16 bytes of xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx starts in the text. */
const UUID_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** A UUID as two UInt64 (high half first), each little-endian; false when not a UUID. Room already ensured. */
function uuid(o: Out, v: string): boolean {
  if (v.length !== 36 || v.charCodeAt(8) !== 45 || v.charCodeAt(13) !== 45 || v.charCodeAt(18) !== 45 || v.charCodeAt(23) !== 45) return false;
  const buf = o.buf;
  const at = o.pos;
  for (let b = 0; b < 16; b++) {
    const k = UUID_AT[b]!;
    const c1 = v.charCodeAt(k);
    const c2 = v.charCodeAt(k + 1);
    const h = c1 < 128 ? HEX[c1]! : -1;
    const l = c2 < 128 ? HEX[c2]! : -1;
    if (h < 0 || l < 0) return false;
    // Byte b of the text is byte (7 - b % 8) of its little-endian half.
    buf[at + (b < 8 ? 7 - b : 23 - b)] = (h << 4) | l;
  }
  o.pos += 16;
  return true;
}

/** DateTime64's range (1900-01-01 … 2299-12-31 23:59:59.999, UTC) in ms: beyond it ClickHouse clamps or wraps. */
const MIN_MS = Date.UTC(1900, 0, 1);
const MAX_MS = Date.UTC(2300, 0, 1) - 1;

/** Digits of `s` from `i` to `j` (exclusive), or NaN. */
function digits(s: string, i: number, j: number): number {
  let n = 0;
  for (; i < j; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const validDay = (year: number, month: number, day: number): boolean =>
  day >= 1 && day <= DAYS[month - 1]! && (month !== 2 || day < 29 || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)));

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 time → epoch ms, truncated to the millisecond as ClickHouse's best_effort parser does for
 * DateTime64(3). The common `YYYY-MM-DDTHH:MM:SS.sssZ` (toISOString) is read digit by digit, others through
 * a regular expression. NaN when not such a time (or not a real date: 2026-02-30).
 */
export function isoMillis(s: string): number {
  let year: number;
  let month: number;
  let day: number;
  let hour: number;
  let minute: number;
  let second: number;
  let milli: number;
  let offsetMin = 0;
  if (
    s.length === 24 &&
    s.charCodeAt(23) === 90 &&
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(10) === 84 &&
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58 &&
    s.charCodeAt(19) === 46
  ) {
    year = digits(s, 0, 4);
    month = digits(s, 5, 7);
    day = digits(s, 8, 10);
    hour = digits(s, 11, 13);
    minute = digits(s, 14, 16);
    second = digits(s, 17, 19);
    milli = digits(s, 20, 23);
  } else {
    const m = RFC3339.exec(s);
    if (!m) return Number.NaN;
    [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
    milli = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
    const z = m[8]!;
    if (z !== 'Z') {
      const hours = Number(z.slice(1, 3));
      const minutes = Number(z.slice(4, 6));
      if (hours > 23 || minutes > 59) return Number.NaN;
      offsetMin = (z[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
    }
  }
  if (!(month >= 1 && month <= 12) || !validDay(year, month, day) || !(hour <= 23 && minute <= 59 && second <= 59) || Number.isNaN(milli)) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, milli) - offsetMin * 60_000;
}

enum Kind {
  Int8,
  UInt8,
  Int16,
  UInt16,
  Int32,
  UInt32,
  Int64,
  UInt64,
  Float32,
  Float64,
  Bool,
  String,
  UUID,
  DateTime64ms,
}

/** Bytes a value of the kind takes (strings: their length byte; the text is ensured when written). */
const FIXED: Record<Kind, number> = {
  [Kind.Int8]: 1,
  [Kind.UInt8]: 1,
  [Kind.Int16]: 2,
  [Kind.UInt16]: 2,
  [Kind.Int32]: 4,
  [Kind.UInt32]: 4,
  [Kind.Int64]: 8,
  [Kind.UInt64]: 8,
  [Kind.Float32]: 4,
  [Kind.Float64]: 8,
  [Kind.Bool]: 1,
  [Kind.String]: 1,
  [Kind.UUID]: 16,
  [Kind.DateTime64ms]: 8,
};

const INT = /^(U?)Int(8|16|32|64)$/;
const DT64 = /^DateTime64\(3(?:, *'UTC')?\)$/;

/** The kind of a (non-Nullable, non-LowCardinality) type, or undefined when this encoder does not write it. */
function kindOf(type: string): Kind | undefined {
  const i = INT.exec(type);
  if (i) {
    const bits = i[2];
    const unsigned = i[1] === 'U';
    if (bits === '8') return unsigned ? Kind.UInt8 : Kind.Int8;
    if (bits === '16') return unsigned ? Kind.UInt16 : Kind.Int16;
    if (bits === '32') return unsigned ? Kind.UInt32 : Kind.Int32;
    return unsigned ? Kind.UInt64 : Kind.Int64;
  }
  if (type === 'String') return Kind.String;
  if (type === 'Float64') return Kind.Float64;
  if (type === 'Float32') return Kind.Float32;
  if (type === 'Bool') return Kind.Bool;
  if (type === 'UUID') return Kind.UUID;
  if (DT64.test(type)) return Kind.DateTime64ms;
  return undefined;
}

/** [min, max] of an integer kind, within the safe integers. */
const RANGE: Partial<Record<Kind, [number, number]>> = {
  [Kind.Int8]: [-128, 127],
  [Kind.UInt8]: [0, 255],
  [Kind.Int16]: [-32768, 32767],
  [Kind.UInt16]: [0, 65535],
  [Kind.Int32]: [-(2 ** 31), 2 ** 31 - 1],
  [Kind.UInt32]: [0, 2 ** 32 - 1],
  [Kind.Int64]: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  [Kind.UInt64]: [0, Number.MAX_SAFE_INTEGER],
};

/** Writes one non-null value; false when the value has the wrong JS type or is out of range. Room for FIXED[kind] ensured. */
function writeValue(o: Out, kind: Kind, v: unknown): boolean {
  switch (kind) {
    case Kind.String:
      if (typeof v !== 'string') return false;
      string(o, v);
      return true;
    case Kind.UUID:
      return typeof v === 'string' && uuid(o, v);
    case Kind.DateTime64ms: {
      if (typeof v !== 'string') return false;
      const ms = isoMillis(v);
      if (!(ms >= MIN_MS && ms <= MAX_MS)) return false;
      int64(o, ms);
      return true;
    }
    case Kind.Bool:
      if (typeof v !== 'boolean') return false;
      o.buf[o.pos++] = v ? 1 : 0;
      return true;
    case Kind.Float64:
      if (typeof v !== 'number') return false;
      o.buf.writeDoubleLE(v, o.pos);
      o.pos += 8;
      return true;
    case Kind.Float32:
      if (typeof v !== 'number') return false;
      o.buf.writeFloatLE(v, o.pos);
      o.pos += 4;
      return true;
    default: {
      const [min, max] = RANGE[kind]!;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return false;
      if (kind === Kind.Int64 || kind === Kind.UInt64) int64(o, v);
      else if (kind === Kind.Int32 || kind === Kind.UInt32) {
        o.buf.writeUInt32LE(v >>> 0, o.pos);
        o.pos += 4;
      } else if (kind === Kind.Int16 || kind === Kind.UInt16) {
        o.buf.writeUInt16LE(v & 0xffff, o.pos);
        o.pos += 2;
      } else o.buf[o.pos++] = v & 0xff;
      return true;
    }
  }
}

function unwrap(type: string, wrapper: string): string | undefined {
  return type.startsWith(`${wrapper}(`) && type.endsWith(')') ? type.slice(wrapper.length + 1, -1) : undefined;
}

export interface RowBinaryEncoder {
  /** The columns written, in order: the INSERT's column list. */
  readonly columns: readonly string[];
  /** The rows as one RowBinaryWithDefaults body; throws Unencodable for a value it cannot write faithfully. */
  encode(rows: readonly object[]): Buffer;
}

/**
 * An encoder for these columns, or undefined when one of them has a type it does not write (the caller keeps
 * the JSON insert). MATERIALIZED, ALIAS and EPHEMERAL columns are not written (an INSERT cannot set them).
 */
export function rowBinaryEncoder(columns: readonly ColumnInfo[]): RowBinaryEncoder | undefined {
  const names: string[] = [];
  const kinds: Kind[] = [];
  const nullable: boolean[] = [];
  let rowMax = 0;
  for (const c of columns) {
    if (c.default_kind !== '' && c.default_kind !== 'DEFAULT') continue;
    let type = c.type;
    type = unwrap(type, 'LowCardinality') ?? type;
    const inner = unwrap(type, 'Nullable');
    type = inner ?? type;
    type = unwrap(type, 'LowCardinality') ?? type;
    const kind = kindOf(type);
    if (kind === undefined) return undefined;
    names.push(c.name);
    kinds.push(kind);
    nullable.push(inner !== undefined);
    rowMax += 2 + FIXED[kind];
  }
  const index = new Map(names.map((n, i) => [n, i]));
  const n = names.length;
  // A row's values in column order; reset after each row.
  const slots: unknown[] = new Array(n).fill(undefined);
  return {
    columns: names,
    encode(rows) {
      const o = new Out(rowMax);
      o.ensure(rows.length * (n + 64));
      for (const row of rows) {
        const r = row as Record<string, unknown>;
        // The row's own fields (a dozen) rather than a lookup of every column (69) on objects of many shapes.
        for (const k in r) {
          const i = index.get(k);
          if (i !== undefined) slots[i] = r[k];
        }
        o.ensure(rowMax);
        for (let i = 0; i < n; i++) {
          const v = slots[i];
          if (v === undefined) {
            // The column's DEFAULT: what JSONEachRow gives a missing field.
            o.buf[o.pos++] = 1;
            continue;
          }
          slots[i] = undefined;
          if (v === null) {
            if (nullable[i]) {
              o.buf[o.pos++] = 0;
              o.buf[o.pos++] = 1;
            } else o.buf[o.pos++] = 1; // null_as_default
            continue;
          }
          o.buf[o.pos++] = 0;
          if (nullable[i]) o.buf[o.pos++] = 0;
          if (!writeValue(o, kinds[i]!, v)) {
            slots.fill(undefined);
            throw new Unencodable(names[i]!, `cannot write ${typeof v} ${JSON.stringify(v)?.slice(0, 40)} as RowBinary`);
          }
        }
      }
      return o.buf.subarray(0, o.pos);
    },
  };
}
