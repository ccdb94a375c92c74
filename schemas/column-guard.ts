/**
 * Does every event field have a ClickHouse column that can hold it?
 *
 * The ingest inserts events with input_format_skip_unknown_fields, so a field
 * without a column in `events` is dropped without a word. This check compares
 * the TypeBox schemas (schemas/events.ts) with the columns of the migrated
 * table (system.columns) and names each problem; schemas/schema-guards.test.ts
 * runs it after all migrations. The rules, simple and strict:
 *
 *  - every property of every event type has a column of its name, unless it is
 *    listed in NOT_IN_EVENTS_TABLE (and then it must have none);
 *  - a field that can be null or absent: a Nullable column, or one with an
 *    explicit DEFAULT (null and absent read as that default: 0, '', …);
 *  - strings and string enums: String/LowCardinality(String)/FixedString/Enum;
 *    date-times: DateTime/DateTime64; UUIDs: UUID or String; booleans: Bool
 *    or UInt8; non-integer numbers: Float32/Float64 or Decimal;
 *  - integers: an integer column whose range holds the schema's declared
 *    minimum and maximum; no minimum needs a signed column, no maximum at
 *    least 32 bits.
 */
import type { TObject, TSchema } from '@sinclair/typebox';

export interface ColumnInfo {
  name: string;
  /** ClickHouse type as system.columns spells it, e.g. LowCardinality(String), Nullable(Float64). */
  type: string;
  /** '' | 'DEFAULT' | 'MATERIALIZED' | 'ALIAS' | 'EPHEMERAL' */
  default_kind: string;
}

type Kind = 'string' | 'uuid' | 'datetime' | 'boolean' | 'integer' | 'number';

interface FieldShape {
  kinds: Set<Kind>;
  nullable: boolean;
  min: number | undefined;
  max: number | undefined;
}

/** What values a property's schema admits: its kinds, whether null, integer bounds. */
export function fieldShape(schema: TSchema): FieldShape {
  const shape: FieldShape = { kinds: new Set(), nullable: false, min: undefined, max: undefined };
  const visit = (s: TSchema) => {
    if (Array.isArray(s.anyOf)) return void (s.anyOf as TSchema[]).forEach(visit);
    if (s.type === 'null') return void (shape.nullable = true);
    if (s.type === 'string') return void shape.kinds.add(s.format === 'date-time' ? 'datetime' : s.format === 'uuid' ? 'uuid' : 'string');
    if (s.type === 'boolean') return void shape.kinds.add('boolean');
    if (s.type === 'integer' || (s.type === 'number' && typeof s.const === 'number' && Number.isInteger(s.const))) {
      const first = !shape.kinds.has('integer');
      shape.kinds.add('integer');
      const lo = typeof s.const === 'number' ? s.const : (s.minimum as number | undefined);
      const hi = typeof s.const === 'number' ? s.const : (s.maximum as number | undefined);
      // a union of integers: the widest bounds; one unbounded side stays unbounded
      shape.min = first ? lo : lo === undefined || shape.min === undefined ? undefined : Math.min(shape.min, lo);
      shape.max = first ? hi : hi === undefined || shape.max === undefined ? undefined : Math.max(shape.max, hi);
      return;
    }
    if (s.type === 'number') return void shape.kinds.add('number');
    throw new Error(`column guard: unsupported schema ${JSON.stringify(s)}`);
  };
  visit(schema);
  return shape;
}

const INT_RE = /^(U?)Int(8|16|32|64|128|256)$/;

/** The column's base type without Nullable/LowCardinality, and whether it is Nullable. */
function unwrap(type: string): { base: string; nullable: boolean } {
  let base = type.trim();
  let nullable = false;
  for (;;) {
    const m = /^(Nullable|LowCardinality)\((.*)\)$/.exec(base);
    if (!m) return { base, nullable };
    if (m[1] === 'Nullable') nullable = true;
    base = m[2]!.trim();
  }
}

/** Why `column` cannot hold every value of `shape` (none: it can). */
function mismatch(shape: FieldShape, column: ColumnInfo, optional: boolean): string[] {
  const { base, nullable } = unwrap(column.type);
  const problems: string[] = [];
  if ((shape.nullable || optional) && !nullable && column.default_kind !== 'DEFAULT')
    problems.push(`can be ${shape.nullable ? 'null' : 'absent'} but column ${column.type} is neither Nullable nor has a DEFAULT`);
  const int = INT_RE.exec(base);
  for (const kind of shape.kinds) {
    const ok = (() => {
      switch (kind) {
        case 'string':
          return base === 'String' || /^FixedString\(\d+\)$/.test(base) || /^Enum(8|16)\(/.test(base);
        case 'uuid':
          return base === 'UUID' || base === 'String';
        case 'datetime':
          return /^DateTime(64)?(\(.*\))?$/.test(base);
        case 'boolean':
          return base === 'Bool' || base === 'UInt8';
        case 'number':
          return /^Float(32|64)$/.test(base) || /^Decimal(32|64|128|256)?\(/.test(base);
        case 'integer': {
          if (!int) return false;
          const signed = int[1] === '';
          const bits = Number(int[2]);
          const lo = signed ? -(2 ** (bits - 1)) : 0;
          const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
          if (shape.min === undefined ? !signed : shape.min < lo) return false;
          if (shape.max === undefined ? bits < 32 : shape.max > hi) return false;
          return true;
        }
      }
    })();
    if (!ok) {
      const range = kind === 'integer' ? ` in [${shape.min ?? '-∞'}, ${shape.max ?? '∞'}]` : '';
      problems.push(`holds ${kind}${range} values but column is ${column.type}`);
    }
  }
  return problems;
}

/**
 * Every problem between the event schemas and the `events` columns, as
 * `type.field: …` lines; empty when every field has a column that holds it.
 */
export function eventColumnProblems(schemas: readonly TObject[], columns: readonly ColumnInfo[], excluded: Readonly<Record<string, string>>): string[] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const schema of schemas) {
    const type = String(schema.properties.type?.const);
    const required = new Set(schema.required ?? []);
    for (const [field, prop] of Object.entries(schema.properties)) {
      const key = `${type}.${field}`;
      seen.add(key);
      const column = byName.get(field);
      if (key in excluded) {
        if (!excluded[key]?.trim()) problems.push(`${key}: excluded without a reason`);
        if (column) problems.push(`${key}: excluded, yet events has a column ${field} (${column.type}): drop the exclusion`);
        continue;
      }
      if (!column) {
        problems.push(
          `${key}: no column in events — add it in a new migration (schemas/clickhouse/NNN_*.sql), or list it with the reason in NOT_IN_EVENTS_TABLE`,
        );
        continue;
      }
      if (column.default_kind === 'MATERIALIZED' || column.default_kind === 'ALIAS' || column.default_kind === 'EPHEMERAL') {
        problems.push(`${key}: column ${field} is ${column.default_kind}, so an insert does not store it`);
        continue;
      }
      for (const p of mismatch(fieldShape(prop), column, !required.has(field))) problems.push(`${key}: ${p}`);
    }
  }
  for (const key of Object.keys(excluded)) if (!seen.has(key)) problems.push(`${key}: excluded, but no event type has this field: drop the exclusion`);
  return problems;
}
