/**
 * Telegram Mini App launch data (`initData`): signing and validation, in one
 * module the sandbox (which signs a customer's launch data) and the desk's
 * Mini App API (bot/miniapp/auth.ts, which checks it) share, so the two can
 * never disagree on the algorithm.
 *
 * Telegram's algorithm (core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
 *  - the data-check-string is every received field but `hash`, as `key=<value>` with the value
 *    URL-decoded, sorted by key, joined with "\n";
 *  - secret_key = HMAC-SHA256(key = "WebAppData", message = bot token);
 *  - hash = hex(HMAC-SHA256(key = secret_key, message = data-check-string)).
 * `signature` (Telegram's Ed25519 signature for third parties) is an ordinary field here: it stays in the
 * data-check-string, as the spec says (only `hash` is left out).
 *
 * Validation refuses with a short fixed reason (safe to return to the caller, never the data itself):
 * missing or malformed `hash`, a hash that does not match (wrong token, altered field), a key given twice
 * (`URLSearchParams` would silently take one of them), a missing or malformed `auth_date`, launch data
 * older than `maxAgeSeconds`, or dated more than `futureSkewSeconds` ahead of our clock (a small skew
 * between Telegram's clock and ours is allowed: 60 s by default), and a missing or malformed `user`.
 * The hash is compared with crypto.timingSafeEqual.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface WebAppUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: boolean;
  allows_write_to_pm?: boolean;
  photo_url?: string;
}

export interface WebAppInitData {
  user: WebAppUser;
  /** Unix seconds: when Telegram signed the data. */
  auth_date: number;
  /** The `startapp` parameter of a direct link / the payload the bot put in the button (`ticket-12`, `article-refunds`). */
  start_param?: string;
  query_id?: string;
  chat_type?: string;
  chat_instance?: string;
  /** Every field as received (decoded), `hash` included. */
  fields: Readonly<Record<string, string>>;
}

export type InitDataRefusal =
  | 'missing hash'
  | 'malformed hash'
  | 'wrong hash'
  | 'duplicate key'
  | 'malformed init data'
  | 'missing auth_date'
  | 'malformed auth_date'
  | 'expired'
  | 'auth_date in the future'
  | 'missing user'
  | 'malformed user';

export type InitDataResult = { ok: true; data: WebAppInitData } | { ok: false; reason: InitDataRefusal };

export interface ValidateOptions {
  /** Oldest accepted launch data, seconds (WEBAPP_AUTH_MAX_AGE; 0 = no limit). */
  maxAgeSeconds: number;
  /** How far ahead of our clock auth_date may be (clock skew with Telegram); default 60 s. */
  futureSkewSeconds?: number;
  /** Our clock (tests pin it). */
  now?: () => Date;
}

export const DEFAULT_FUTURE_SKEW_SECONDS = 60;

/** secret_key = HMAC-SHA256(key = "WebAppData", message = bot token). */
function secretKey(botToken: string): Buffer {
  return createHmac('sha256', 'WebAppData').update(botToken).digest();
}

function dataCheckString(fields: ReadonlyArray<readonly [string, string]>): string {
  return fields
    .filter(([k]) => k !== 'hash')
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('\n');
}

function hashOf(botToken: string, fields: ReadonlyArray<readonly [string, string]>): Buffer {
  return createHmac('sha256', secretKey(botToken)).update(dataCheckString(fields)).digest();
}

/**
 * Launch data as Telegram would hand it to a Mini App: the fields URL-encoded, `hash` appended. `user` is
 * serialised as JSON; `auth_date` defaults to now.
 */
export function signInitData(
  botToken: string,
  data: { user: WebAppUser; auth_date?: number; start_param?: string; query_id?: string; chat_type?: string; chat_instance?: string },
  o: { now?: () => Date } = {},
): string {
  const fields: Array<[string, string]> = [];
  const authDate = data.auth_date ?? Math.floor((o.now?.() ?? new Date()).getTime() / 1000);
  for (const [k, v] of Object.entries({ ...data, auth_date: authDate, user: JSON.stringify(data.user) })) if (v !== undefined) fields.push([k, String(v)]);
  return signFields(botToken, fields);
}

/** Signs arbitrary fields (tests build malformed launch data with it: a duplicate key, a broken user). */
export function signFields(botToken: string, fields: ReadonlyArray<readonly [string, string]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of fields) params.append(k, v);
  params.append('hash', hashOf(botToken, fields).toString('hex'));
  return params.toString();
}

/** Checks raw launch data (`Telegram.WebApp.initData`) against the bot token. */
export function validateInitData(raw: string, botToken: string, o: ValidateOptions): InitDataResult {
  const refuse = (reason: InitDataRefusal): InitDataResult => ({ ok: false, reason });
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw);
  } catch {
    return refuse('malformed init data');
  }
  const pairs = [...params.entries()];
  const fields: Record<string, string> = {};
  for (const [k, v] of pairs) {
    if (Object.hasOwn(fields, k)) return refuse('duplicate key');
    fields[k] = v;
  }
  const hash = fields.hash;
  if (hash === undefined || hash === '') return refuse('missing hash');
  if (!/^[0-9a-f]{64}$/i.test(hash)) return refuse('malformed hash');
  const expected = hashOf(botToken, pairs);
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return refuse('wrong hash');

  // Signed by Telegram from here on: the checks below are about freshness and shape.
  if (fields.auth_date === undefined) return refuse('missing auth_date');
  if (!/^\d{1,12}$/.test(fields.auth_date)) return refuse('malformed auth_date');
  const authDate = Number(fields.auth_date);
  const now = Math.floor((o.now?.() ?? new Date()).getTime() / 1000);
  if (authDate - now > (o.futureSkewSeconds ?? DEFAULT_FUTURE_SKEW_SECONDS)) return refuse('auth_date in the future');
  if (o.maxAgeSeconds > 0 && now - authDate > o.maxAgeSeconds) return refuse('expired');

  if (fields.user === undefined) return refuse('missing user');
  const user = parseUser(fields.user);
  if (!user) return refuse('malformed user');
  const data: WebAppInitData = { user, auth_date: authDate, fields };
  for (const k of ['start_param', 'query_id', 'chat_type', 'chat_instance'] as const) if (fields[k] !== undefined) data[k] = fields[k];
  return { ok: true, data };
}

function parseUser(json: string): WebAppUser | undefined {
  let u: unknown;
  try {
    u = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return undefined;
  const r = u as Record<string, unknown>;
  if (typeof r.id !== 'number' || !Number.isSafeInteger(r.id) || r.id <= 0) return undefined;
  if (typeof r.first_name !== 'string') return undefined;
  for (const k of ['last_name', 'username', 'language_code', 'photo_url'] as const) if (r[k] !== undefined && typeof r[k] !== 'string') return undefined;
  return r as unknown as WebAppUser;
}
