/**
 * What keeps secrets and personal data out of the logs and of printed errors (issue 17), without
 * side effects so the CLI's crash printer can use it too; core/log.ts wires it into pino.
 * See core/log.ts for the rules.
 */
import { secretValues } from './env.js';

export const REDACTED = '[redacted]';

/** A Bot API token, alone or in a URL (`/bot<token>/`), its colon possibly percent-encoded. */
const TOKEN_IN_TEXT = /\d{6,}(?::|%3A)[A-Za-z0-9_-]{30,}/gi;
/** Keys whose values are personal data wherever they appear. */
export const PERSONAL_KEYS = new Set(['text', 'caption', 'first_name', 'last_name', 'username', 'phone_number']);
/** Telegram fields whose strings are gathered to be blanked out of the rest of the line (topic names too). */
const HARVESTED_KEYS = new Set([...PERSONAL_KEYS, 'name', 'title', 'question', 'vcard', 'email']);
/** Shorter harvested strings are left alone: blanking "ok" out of a stack would only garble it. */
const MIN_HARVESTED_LENGTH = 3;
const MAX_DEPTH = 8;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;
const isPlain = (v: Json) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
/** A grammY Context (duck-typed: core does not load grammY for every process). */
const isContext = (v: Json) => isObject(v.update) && typeof (v.update as Json).update_id === 'number' && 'api' in v;
const isUpdate = (v: Json) => typeof v.update_id === 'number';
const isMessage = (v: Json) => typeof v.message_id === 'number' && isObject(v.chat);
const isUser = (v: Json) => typeof v.id === 'number' && typeof v.is_bot === 'boolean';
const isChat = (v: Json) => typeof v.id === 'number' && typeof v.type === 'string' && ['private', 'group', 'supergroup', 'channel'].includes(v.type);

/** Replaces tokens, configured secrets and the given strings in one text. */
export function scrubText(s: string, extra: Iterable<string> = []): string {
  let out = s.replace(TOKEN_IN_TEXT, REDACTED);
  for (const v of [...secretValues(), ...extra]) if (out.includes(v)) out = out.split(v).join(REDACTED);
  return out;
}

/** The ids of an update: its kind, chat, message, thread and sender — never what it carried. */
function updateIds(u: Json): Json {
  const out: Json = { update_id: u.update_id };
  const kind = Object.keys(u).find((k) => k !== 'update_id' && isObject(u[k]));
  if (!kind) return out;
  const body = u[kind] as Json;
  const message = (isMessage(body) ? body : isObject(body.message) ? body.message : undefined) as Json | undefined;
  const chat = (body.chat ?? message?.chat) as Json | undefined;
  const from = (body.from ?? message?.from) as Json | undefined;
  Object.assign(out, { kind, chat_id: chat?.id, message_id: message?.message_id, thread_id: message?.message_thread_id, user_id: from?.id });
  return out;
}

/** Gathers the personal strings a value's Telegram objects and errors carry. */
function harvest(v: unknown, into: Set<string>, depth = 0, seen = new WeakSet<object>()): void {
  if (!isObject(v) || depth > MAX_DEPTH || seen.has(v)) return;
  seen.add(v);
  if (isContext(v)) {
    harvest(v.update, into, depth + 1, seen);
    return;
  }
  if (v instanceof Error) {
    const e = v as unknown as Json;
    for (const k of ['payload', 'ctx', 'error', 'cause']) harvest(e[k], into, depth + 1, seen);
    return;
  }
  if (!Array.isArray(v) && !isPlain(v)) return;
  const names: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string' && HARVESTED_KEYS.has(k) && x.trim().length >= MIN_HARVESTED_LENGTH) {
      into.add(x.trim());
      if (k === 'first_name' || k === 'last_name') names.push(x.trim());
    } else harvest(x, into, depth + 1, seen);
  }
  if (names.length > 1) into.add(names.join(' '));
}

/** What an error says about itself — type, message, codes, stack, cause — and nothing it carried. */
function safeError(e: Error, personal: Set<string>, depth: number, seen: WeakSet<object>): Json {
  const x = e as unknown as Json;
  const out: Json = { type: e.name || e.constructor?.name || 'Error', message: scrubText(String(e.message), personal) };
  for (const k of ['code', 'errno', 'syscall', 'method', 'error_code', 'statusCode', 'status']) {
    if (typeof x[k] === 'string' || typeof x[k] === 'number') out[k] = typeof x[k] === 'string' ? scrubText(x[k] as string, personal) : x[k];
  }
  // Telegram's own words ("Bad Request: chat not found"); retry_after and migrate_to_chat_id are ids and numbers.
  if (typeof x.description === 'string') out.description = scrubText(x.description, personal);
  if (isObject(x.parameters)) out.parameters = sanitize(x.parameters, personal, depth + 1, seen);
  if (isObject(x.ctx) && isContext(x.ctx)) out.update = updateIds(x.ctx.update as Json);
  if (typeof e.stack === 'string') out.stack = scrubText(e.stack, personal);
  // HttpError and BotError keep the underlying error in `error`; others in `cause`.
  const inner = x.error instanceof Error ? x.error : e.cause;
  if (inner !== undefined && depth < MAX_DEPTH)
    out.cause = inner instanceof Error ? safeError(inner, personal, depth + 1, seen) : sanitize(inner, personal, depth + 1, seen);
  if (e instanceof AggregateError) out.errors = e.errors.slice(0, 10).map((i) => sanitize(i, personal, depth + 1, seen));
  return out;
}

/** A copy of a log object with errors, contexts and Telegram objects reduced and every string scrubbed. */
function sanitize(v: unknown, personal: Set<string>, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof v === 'string') return scrubText(v, personal);
  if (typeof v === 'bigint') return v.toString();
  if (!isObject(v)) return v;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (seen.has(v)) return '[circular]';
  if (v instanceof Error) return safeError(v, personal, depth, seen);
  if (isContext(v)) return updateIds(v.update as Json);
  if (v instanceof URL) return scrubText(v.href, personal);
  if (!Array.isArray(v) && !isPlain(v)) return v; // a request, a Date, a Buffer: its serializer or JSON decides, the line is scrubbed last
  seen.add(v);
  if (Array.isArray(v)) return v.map((x) => sanitize(x, personal, depth + 1, seen));
  if (isUpdate(v)) return updateIds(v);
  if (isMessage(v)) return { message_id: v.message_id, chat_id: (v.chat as Json).id, thread_id: v.message_thread_id };
  if (isUser(v)) return { id: v.id, is_bot: v.is_bot };
  if (isChat(v)) return { id: v.id, type: v.type };
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[k] = PERSONAL_KEYS.has(k) && x !== undefined && x !== null ? REDACTED : sanitize(x, personal, depth + 1, seen);
  return out;
}

/** The log object as written: what the line's Telegram objects carried is blanked out of all of it. */
export function redactLogObject(obj: Json): Json {
  return sanitize(obj, personalOf(obj)) as Json;
}

/** An error for a person (a crash printed to stderr): its type, message, codes, stack and causes, scrubbed. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return scrubText(String(e));
  const personal = personalOf(e);
  const lines: string[] = [];
  let cur: Json | undefined = safeError(e, personal, 0, new WeakSet());
  for (let i = 0; cur && i < MAX_DEPTH; i++) {
    const { stack, cause, type, message, ...rest }: Json = cur;
    lines.push(`${i ? 'Caused by: ' : ''}${typeof stack === 'string' ? stack : `${type}: ${message}`}`);
    if (Object.keys(rest).length) lines.push(`  ${JSON.stringify(rest)}`);
    cur = isObject(cause) ? cause : undefined;
  }
  return lines.join('\n');
}

/** The personal strings a log call's object carries. */
function personalOf(v: unknown): Set<string> {
  const personal = new Set<string>();
  harvest(v, personal);
  return personal;
}

/**
 * Before pino builds the line: `log.error(err)` becomes `log.error({ err }, message)` and a message
 * loses what the object's Telegram objects carried (pino would take an error's message as it is).
 */
export function logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void): void {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    const personal = personalOf(first);
    const msg = typeof rest[0] === 'string' ? rest.shift() : first.message;
    method.apply(this, [{ err: first }, scrubText(String(msg), personal), ...rest]);
    return;
  }
  if (isObject(first) && typeof rest[0] === 'string') rest[0] = scrubText(rest[0], personalOf(first));
  method.apply(this, [first, ...rest]);
}

/** JSON string escaping of a secret, as it appears inside a finished line. */
const inJson = (s: string) => JSON.stringify(s).slice(1, -1);

/** A finished line without tokens and secret values (its message, bindings, a request's URL included). */
export function scrubLine(line: string): string {
  let out = line.replace(TOKEN_IN_TEXT, REDACTED);
  for (const v of secretValues()) for (const form of new Set([v, inJson(v)])) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}

/** The error serializer (pino's `err`, also under `error`): an error as safeError reduces it, anything else as it is. */
export const safeErrorSerializer = (e: unknown): unknown => (e instanceof Error ? redactLogObject({ e }).e : e);
