/**
 * Turns validated query strings into query inputs, rejecting what JSON Schema
 * cannot express (a real calendar date, from < to, a known time zone) with a
 * 400 whose message says what to fix.
 */
import type { Range, Interval } from './queries.js';
import type { TicketFilter } from '../../analytics/ticket-facts.js';

export class BadRequest extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'BadRequest';
  }
}

const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** ISO 8601 date or date-time; no offset means UTC. Rejects impossible dates (2026-02-30). */
export function parseInstant(name: string, raw: string): Date {
  const m = INSTANT_RE.exec(raw.trim());
  if (!m) throw new BadRequest(`${name} must be an ISO 8601 date or date-time (e.g. 2026-01-31 or 2026-01-31T09:00:00Z), got "${raw}"`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', off = 'Z'] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${off.toUpperCase() === 'Z' ? 'Z' : off.length === 5 ? `${off.slice(0, 3)}:${off.slice(3)}` : off}`;
  const t = Date.parse(iso);
  // Date.parse rolls 2026-02-30 over to March; a round trip of the calendar fields catches it.
  const calendarOk = !Number.isNaN(t) && new Date(Date.UTC(+y!, +mo! - 1, +d!)).getUTCDate() === +d! && +h! < 24 && +mi! < 60 && +s! < 60;
  if (!calendarOk) throw new BadRequest(`${name} is not a valid date: "${raw}"`);
  if (t < Date.UTC(1971, 0, 1) || t > Date.UTC(2200, 0, 1)) throw new BadRequest(`${name} is out of range (1971–2200): "${raw}"`);
  return new Date(t);
}

export function parseRange(q: { from: string; to: string }): Range {
  const from = parseInstant('from', q.from);
  const to = parseInstant('to', q.to);
  if (from.getTime() >= to.getTime()) throw new BadRequest(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  return { from, to };
}

/** Telegram user ids are positive and fit in 52 bits; ClickHouse fails (a 500) on what does not fit its Int64. */
export const AGENT_ID_MAX = Number.MAX_SAFE_INTEGER;
export const AGENT_ID_REASON = `agent must be a Telegram user id (an integer from 1 to ${AGENT_ID_MAX})`;

export function parseAgent(agent: number | undefined): number | undefined {
  if (agent === undefined) return undefined;
  if (!Number.isSafeInteger(agent) || agent < 1) throw new BadRequest(`${AGENT_ID_REASON}, got ${agent}`);
  return agent;
}

export function parseFilter(q: { queue?: string | undefined; category?: string | undefined; agent?: number | undefined }): TicketFilter {
  return { queue: q.queue, category: q.category, agent: parseAgent(q.agent) };
}

const TZ_REASON = 'tz must be an IANA time zone such as UTC or Europe/Berlin';
let knownZones: Set<string> | undefined;

/**
 * A zone ClickHouse will accept. Intl takes names in any case ("europe/berlin")
 * but ClickHouse does not, so a wrongly cased name is a 400 naming the right
 * one. Returns the canonical name for ClickHouse: an alias Intl knows
 * (Asia/Kolkata, US/Pacific, Etc/UTC) becomes the zone it links to.
 */
export function parseTimeZone(raw: string | undefined): string {
  if (raw === undefined) return 'UTC';
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone; // throws RangeError for an unknown zone
  } catch {
    throw new BadRequest(`${TZ_REASON}, got "${raw}"`);
  }
  if (raw === canonical) return raw;
  knownZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (knownZones.has(raw)) return raw;
  const lower = raw.toLowerCase();
  const sameButCase = canonical.toLowerCase() === lower ? canonical : [...knownZones].find((z) => z.toLowerCase() === lower);
  if (sameButCase) throw new BadRequest(`${TZ_REASON} (names are case-sensitive), got "${raw}" — did you mean "${sameButCase}"?`);
  return canonical;
}

const BUCKET_MS: Record<Interval, number> = { hour: 3_600_000, day: 86_400_000 };

export function checkBucketCount(range: Range, interval: Interval, max: number): void {
  const n = Math.ceil((range.to.getTime() - range.from.getTime()) / BUCKET_MS[interval]);
  if (n > max) throw new BadRequest(`${n} ${interval} buckets requested; at most ${max} — use a shorter range or interval=day`);
}
