/**
 * A per-day rollup of the registry's additive aggregates, for long ranges
 * (schemas/clickhouse/116). A year's summary evaluated 25 aggregates over every
 * one of the year's tickets; most of them are counts and sums, which add up
 * over days. Those are kept per creation day (UTC) and per group — the whole
 * day, and each value of queue, category, agent and language — and a long
 * range reads ~365 small rows for them. The percentiles need every value, so
 * they (and any aggregate not known to be additive) are still computed from
 * ticket_facts over the whole range: exact, never approximated.
 *
 * Robust to at-least-once delivery and late events: a day's row is never added
 * to — it is recomputed whole from ticket_facts FINAL (already idempotent) once
 * the day was touched after its last computation, and the latest computation
 * replaces the others. `ticket_days_touched` says when each creation day last
 * got ticket_facts rows (a view on ticket_facts, by the server's clock), so a
 * late rating, a re-delivered event or a ticket moved to another queue touches
 * the day the ticket was created, and that day is recomputed or read straight
 * from ticket_facts until it is.
 *
 * A day of the range is read from the rollup when its row was computed more
 * than `quietMs` after its last touch (an insert's rows are visible well within
 * that); a day touched earlier than `quietMs` ago is recomputed on the spot (a
 * day's tickets, FINAL: a few ms); a day touched within `quietMs` (today, while
 * tickets come in) is read from ticket_facts, as are the partial days at the
 * range's ends. Counts that grow with "now" (SLA deadlines passed, `dueCount`)
 * keep their settled count and the pending deadlines, which a query compares
 * with its own `now`: the rollup is exact for any clock.
 *
 * Only unfiltered cohorts of at least `minDays` whole days use it (the
 * summary, and the breakdown by one dimension); the others read ticket_facts
 * as before.
 */
import { createHash } from 'node:crypto';
import type { Aggregate, AggregateRow } from './metric.js';
import { BREAKDOWN_DIMENSIONS, chTime, DIMENSION_SQL, type BreakdownDimension } from './ticket-facts.js';

/** The rollup's capability of a runner: recompute days (INSERT … SELECT), and how quiet a day must be. */
export interface RollupAccess {
  write(sql: string, params: Record<string, unknown>): Promise<void>;
  /** A day is read from the rollup only when computed more than this after its last touch (default 30 s). */
  quietMs: number;
  /**
   * Ranges with fewer whole days are read from ticket_facts alone (default 60): the rollup's two small
   * statements cost ~15 ms of CPU, more than a month's counts and sums (measured on 82 k tickets).
   */
  minDays: number;
}

type Run = (sql: string, params: Record<string, unknown>) => Promise<Record<string, unknown>[]>;

const DAY_MS = 86_400_000;
/** The group ticket count the breakdown orders by, stored first in every group. */
const GROUP_TICKETS: Aggregate = { name: 'group_tickets', sql: 'count()', kind: 'number' };

/** Whether an aggregate's SQL is one count or sum (adds up over days). */
function isAdditive(a: Aggregate): boolean {
  if (a.kind !== 'number' || a.due) return false;
  const m = /^(count|countIf|sum|sumIf)\(/.exec(a.sql);
  if (!m || !a.sql.endsWith(')') || a.sql.includes('{now:')) return false;
  // the call's parenthesis must close at the end: `countIf(a) + countIf(b)` is not one call
  let depth = 0;
  for (let i = m[0].length - 1; i < a.sql.length; i++) {
    if (a.sql[i] === '(') depth++;
    else if (a.sql[i] === ')' && --depth === 0) return i === a.sql.length - 1;
  }
  return false;
}

/** How a list of aggregates splits between the rollup and ticket_facts. */
export interface RollupPlan {
  /** cityHash-like id of what is rolled up (UInt64 as decimal text): rows of another definition are never read. */
  definition: string;
  /** Stored per group as `counts`, in this order: the group's tickets, the additive aggregates, then the settled part of each due count. */
  additive: readonly Aggregate[];
  /** Due counts: settled part in `counts` (after `additive`), pending deadlines in `pending`, in this order. */
  due: readonly Aggregate[];
  /** Computed from ticket_facts over the whole range (the percentiles; numbers not known to add up). */
  rest: readonly Aggregate[];
}

export function rollupPlan(aggregates: readonly Aggregate[]): RollupPlan {
  const additive = [GROUP_TICKETS, ...aggregates.filter(isAdditive)];
  const due = aggregates.filter((a) => a.kind === 'number' && a.due);
  const rest = aggregates.filter((a) => !isAdditive(a) && !(a.kind === 'number' && a.due));
  const text = JSON.stringify({
    v: 1,
    dims: BREAKDOWN_DIMENSIONS.map((d) => DIMENSION_SQL[d].key),
    additive: additive.map((a) => [a.name, a.sql]),
    due: due.map((a) => [a.name, a.due]),
  });
  const definition = BigInt(`0x${createHash('sha256').update(text).digest('hex').slice(0, 15)}`).toString();
  return { definition, additive, due, rest };
}

/** UTC day 'YYYY-MM-DD' of a time in ms. */
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The whole UTC days inside [from, to), as 'YYYY-MM-DD', first to last. */
export function wholeDays(from: Date, to: Date): string[] {
  const first = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const out: string[] = [];
  for (let d = first; d + DAY_MS <= to.getTime(); d += DAY_MS) out.push(dayOf(d));
  return out;
}

/**
 * Days one request recomputes at most: bounds a request's time and memory when the rollup starts over years of
 * tickets (after migration 116, or a changed metric): a year-long request that computed a quarter of the bench's
 * year (≈ 250 k tickets) took 0.6–1.4 s at load 14–17.
 */
const MAX_DAYS_COMPUTED = 92;

/** Days being computed in this process, so concurrent requests (the page sends 11 at once) compute a day once. */
const computing = new WeakMap<RollupAccess, Map<string, Promise<void>>>();
/** Runners whose writes failed (e.g. a read-only user), and until when not to try again. */
const writeFailedUntil = new WeakMap<RollupAccess, number>();

/** Whether the runner's last write failed less than a minute ago (a read-only user): read ticket_facts alone meanwhile. */
export const rollupUnavailable = (access: RollupAccess): boolean => (writeFailedUntil.get(access) ?? 0) >= Date.now();

/**
 * The days of `days` the rollup serves for this definition, computing the ones
 * that are stale and quiet; the others are left to ticket_facts. `served`
 * includes the days without tickets; `rolled` are those with a rollup row.
 */
export async function servedDays(
  run: Run,
  access: RollupAccess,
  plan: RollupPlan,
  days: readonly string[],
): Promise<{ served: Set<string>; rolled: Set<string> }> {
  if (days.length === 0) return { served: new Set(), rolled: new Set() };
  const range = { d1: days[0], d2: dayOf(Date.parse(days.at(-1)!) + DAY_MS), definition: plan.definition };
  const rows = await run(
    `SELECT toString(day) AS d, 0 AS rolled, toUnixTimestamp64Milli(max(touched_at)) AS at, toUnixTimestamp64Milli(now64(3)) AS server_now
     FROM ticket_days_touched WHERE day >= {d1:Date} AND day < {d2:Date} GROUP BY day
     UNION ALL
     SELECT toString(day) AS d, 1 AS rolled, toUnixTimestamp64Milli(max(computed_at)) AS at, toUnixTimestamp64Milli(now64(3)) AS server_now
     FROM ticket_rollup_days WHERE definition = {definition:UInt64} AND dimension = '' AND day >= {d1:Date} AND day < {d2:Date} GROUP BY day`,
    range,
  );
  const touchedAt = new Map<string, number>();
  const computedAt = new Map<string, number>();
  let serverNow = 0;
  for (const r of rows) {
    (Number(r.rolled) ? computedAt : touchedAt).set(String(r.d), Number(r.at));
    serverNow = Math.max(serverNow, Number(r.server_now));
  }
  const rolled = new Set<string>();
  const stale: string[] = [];
  for (const day of days) {
    const touched = touchedAt.get(day);
    if (touched === undefined) continue; // no tickets that day
    if ((computedAt.get(day) ?? 0) > touched + access.quietMs) rolled.add(day);
    else if (touched + access.quietMs < serverNow) stale.push(day);
  }
  if (stale.length > 0 && (writeFailedUntil.get(access) ?? 0) < Date.now()) {
    // a request computes at most MAX_DAYS_COMPUTED days (the latest first); the others are read from ticket_facts this time
    // per connection (the access object): another database's computation says nothing about this one's days
    let inflight = computing.get(access);
    if (!inflight) computing.set(access, (inflight = new Map()));
    const mine = stale.filter((d) => !inflight.has(`${plan.definition}:${d}`)).slice(-MAX_DAYS_COMPUTED);
    const theirs = stale.filter((d) => inflight.has(`${plan.definition}:${d}`));
    const job = mine.length > 0 ? computeDays(access, plan, mine) : Promise.resolve(true);
    const settle = job.then(() => undefined);
    for (const d of mine) inflight.set(`${plan.definition}:${d}`, settle);
    try {
      const [ok] = await Promise.all([job, ...theirs.map((d) => inflight.get(`${plan.definition}:${d}`))]);
      if (ok) for (const d of mine) rolled.add(d);
      // another request's days: served if it succeeded (its failure marked the runner)
      if ((writeFailedUntil.get(access) ?? 0) < Date.now()) for (const d of theirs) rolled.add(d);
    } finally {
      for (const d of mine) if (inflight.get(`${plan.definition}:${d}`) === settle) inflight.delete(`${plan.definition}:${d}`);
    }
  }
  // days with no touch row hold no tickets: nothing to read anywhere
  const served = new Set([...rolled, ...days.filter((d) => !touchedAt.has(d))]);
  return { served, rolled };
}

/** Recomputes the given days whole from ticket_facts FINAL; false (and no retry for a minute) when the runner cannot write. */
async function computeDays(access: RollupAccess, plan: RollupPlan, days: readonly string[]): Promise<boolean> {
  const groups = ["('', '')", ...BREAKDOWN_DIMENSIONS.map((d) => `('${d}', ${DIMENSION_SQL[d].key})`)];
  const counts = [...plan.additive.map((a) => `toFloat64(${a.sql})`), ...plan.due.map((a) => `toFloat64(countIf(${a.due!.settled}))`)];
  const pending = plan.due.map((a) => `groupArrayIf(toUnixTimestamp64Milli(${a.due!.deadline}), ${a.due!.pending})`);
  const sorted = [...days].sort();
  // never deduplicated (each computation is new: computed_at); in the statement, not as chDB's session-wide SETs
  const sql = `INSERT INTO ticket_rollup_days (definition, dimension, day, computed_at, keys, counts, pending)
SETTINGS insert_deduplicate = 0
SELECT {definition:UInt64}, tupleElement(g, 1) AS dimension, day, now64(3, 'UTC'), groupArray(tupleElement(g, 2)), groupArray(c), groupArray(p)
FROM (
  SELECT toDate(ticket_created_at, 'UTC') AS day, g,
    [${counts.join(',\n     ')}] AS c,
    [${pending.join(', ')}]::Array(Array(Int64)) AS p
  FROM ticket_facts FINAL
  ARRAY JOIN [${groups.join(', ')}] AS g
  WHERE ticket_created_at >= {d1:DateTime64(3)} AND ticket_created_at < {d2:DateTime64(3)} AND toDate(ticket_created_at, 'UTC') IN {days:Array(Date)}
  GROUP BY day, g
)
GROUP BY day, dimension`;
  try {
    await access.write(sql, {
      definition: plan.definition,
      days: sorted,
      d1: `${sorted[0]} 00:00:00.000`,
      d2: `${dayOf(Date.parse(sorted.at(-1)!) + DAY_MS)} 00:00:00.000`,
    });
    return true;
  } catch (err) {
    writeFailedUntil.set(access, Date.now() + 60_000);
    // a read-only user (docker-compose's dashboard) cannot keep the rollup: the days are read from ticket_facts
    if (!/readonly|READONLY|Not enough privileges|ACCESS_DENIED/i.test(String((err as Error).message))) throw err;
    return false;
  }
}

/**
 * The rolled-up aggregates of the served days, per value of `dimension` ('' = the whole day): the additive
 * aggregates summed over the days, each due count its settled part plus the pending deadlines before `now`.
 */
export async function readRollup(
  run: Run,
  plan: RollupPlan,
  days: ReadonlySet<string>,
  dimension: BreakdownDimension | '',
  now: Date,
): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (days.size === 0) return out;
  const rows = await run(
    `SELECT k AS key, sumForEach(c) AS sums, sumForEach(arrayMap(a -> arrayCount(x -> x < {now_ms:Int64}, a), p)) AS passed
     FROM ticket_rollup_days FINAL
     ARRAY JOIN keys AS k, counts AS c, pending AS p
     WHERE definition = {definition:UInt64} AND dimension = {dimension:String} AND day IN {days:Array(Date)}
     GROUP BY key`,
    { definition: plan.definition, days: [...days], dimension, now_ms: now.getTime() },
  );
  const nAdditive = plan.additive.length;
  for (const r of rows) {
    const counts = (r.sums as (number | string)[]).map(Number);
    const passed = ((r.passed as (number | string)[] | undefined) ?? []).map(Number);
    const v: Record<string, number> = {};
    plan.additive.forEach((a, i) => (v[a.name] = counts[i] ?? 0));
    plan.due.forEach((a, i) => (v[a.name] = (counts[nAdditive + i] ?? 0) + (passed[i] ?? 0)));
    out.set(String(r.key), v);
  }
  return out;
}

/** Adds the numbers of `b` into a copy of `a` for the rolled-up aggregates (the rollup's part and ticket_facts' part of a range). */
export function addRolled(plan: RollupPlan, a: AggregateRow | undefined, b: AggregateRow | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a, ...b };
  for (const x of [...plan.additive, ...plan.due]) out[x.name] = Number(a?.[x.name] ?? 0) + Number(b?.[x.name] ?? 0);
  return out;
}

/**
 * [from, to) without the served days, as SQL over ticket_facts' key (index ranges), with its parameters; null
 * when nothing is left.
 */
export function remainderRanges(from: Date, to: Date, served: ReadonlySet<string>): { where: string; params: Record<string, string> } | null {
  const cuts: [number, number][] = [];
  let start = from.getTime();
  for (const d of [...served].sort()) {
    const t = Date.parse(`${d}T00:00:00Z`);
    if (t > start) cuts.push([start, t]);
    start = Math.max(start, t + DAY_MS);
  }
  if (start < to.getTime()) cuts.push([start, to.getTime()]);
  if (cuts.length === 0) return null;
  const params: Record<string, string> = {};
  const parts = cuts.map(([a, b], i) => {
    params[`r${i}a`] = chTime(new Date(a));
    params[`r${i}b`] = chTime(new Date(b));
    return `(ticket_created_at >= {r${i}a:DateTime64(3)} AND ticket_created_at < {r${i}b:DateTime64(3)})`;
  });
  return { where: parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`, params };
}
