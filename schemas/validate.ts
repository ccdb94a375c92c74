/**
 * Validation at every boundary: producers call `makeEvent`/`assertEvent`
 * before an event leaves the process, consumers call `decodeEvent` on every
 * message they read. A rejection always carries a reason a human can act on.
 */
import { FormatRegistry, type TObject } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { uuidv7 } from 'uuidv7';
import { EVENT_SCHEMAS, SCHEMA_VERSION, type EventOf, type EventType, type SupportEvent } from './events.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID_RE.test(v));
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => DATE_TIME_RE.test(v) && !Number.isNaN(Date.parse(v)));

const checks = new Map<string, TypeCheck<TObject>>(EVENT_SCHEMAS.map((s) => [s.properties.type.const as string, TypeCompiler.Compile(s as TObject)]));

export type RejectReason = 'malformed_json' | 'not_an_object' | 'unknown_schema_version' | 'unknown_type' | 'invalid';

export type Decoded = { ok: true; event: SupportEvent } | { ok: false; reason: RejectReason; detail: string };

/** Checks a parsed value; the detail names the first few failing fields. */
export function checkEvent(value: unknown): Decoded {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'not_an_object', detail: 'an event must be a JSON object' };
  const v = value as Record<string, unknown>;
  if (v.schema_version !== SCHEMA_VERSION)
    return {
      ok: false,
      reason: 'unknown_schema_version',
      detail: `schema_version ${JSON.stringify(v.schema_version)} is not supported (expected ${SCHEMA_VERSION})`,
    };
  const check = typeof v.type === 'string' ? checks.get(v.type) : undefined;
  if (!check) return { ok: false, reason: 'unknown_type', detail: `unknown event type ${JSON.stringify(v.type)}` };
  if (check.Check(value)) return { ok: true, event: value as SupportEvent };
  const errors = [...check.Errors(value)].slice(0, 5).map((e) => `${e.path || '/'}: ${e.message}`);
  return { ok: false, reason: 'invalid', detail: errors.join('; ') };
}

/** Decodes one bus message or import line. */
export function decodeEvent(raw: Buffer | string): Decoded {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (e) {
    return { ok: false, reason: 'malformed_json', detail: (e as Error).message };
  }
  return checkEvent(parsed);
}

export class InvalidEventError extends Error {
  constructor(
    readonly reason: RejectReason,
    readonly detail: string,
  ) {
    super(`invalid event (${reason}): ${detail}`);
    this.name = 'InvalidEventError';
  }
}

export function assertEvent(value: unknown): SupportEvent {
  const d = checkEvent(value);
  if (!d.ok) throw new InvalidEventError(d.reason, d.detail);
  return d.event;
}

type EnvelopeDefaults =
  | 'event_id'
  | 'schema_version'
  | 'emitted_at'
  | 'ticket_id'
  | 'ticket_created_at'
  | 'customer_id'
  | 'agent_id'
  | 'queue'
  | 'category'
  | 'language';
export type EventInput<T extends EventType> = Omit<EventOf<T>, EnvelopeDefaults> & Partial<Pick<EventOf<T>, EnvelopeDefaults>>;

/** Builds a complete, validated event: a fresh UUIDv7, the schema version, emitted_at = now, nulls for absent envelope fields. */
export function makeEvent<T extends EventType>(input: EventInput<T>, now: Date = new Date()): EventOf<T> {
  const ev = {
    event_id: uuidv7(),
    schema_version: SCHEMA_VERSION,
    emitted_at: now.toISOString(),
    ticket_id: null,
    ticket_created_at: null,
    customer_id: null,
    agent_id: null,
    queue: null,
    category: null,
    language: null,
    ...input,
  };
  return assertEvent(ev) as EventOf<T>;
}
