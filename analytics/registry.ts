/**
 * Every metric, in the order the API returns them, and what consumers do with
 * a list of definitions: the SELECT list of the aggregates some metrics need,
 * their values from one row of results.
 *
 * Consumers take a registry as a parameter with this default, so a test can
 * add a throwaway definition (`METRICS.with(myMetric)`) and see it in every
 * view without editing a file.
 */
import type { Aggregate, AggregateRow, MetricDefinition, Unit } from './metric.js';
import { frtBhP50, frtBhP90, frtP50, frtP90 } from './metrics/frt.js';
import { fcrRate, reopenRate, repeatContactRate } from './metrics/fcr.js';
import { incidentLinkedShare, knownIssueReplies } from './metrics/incidents.js';
import { csatAvg, csatPct, csatResponseRate, csatResponses, nps, npsResponses } from './metrics/quality.js';
import { autoResolutionRate, resolutionP50, resolutionP90 } from './metrics/resolution.js';
import { appTickets, appTicketShare } from './metrics/selfservice.js';
import { slaFirstResponseMetRate, slaResolutionMetRate } from './metrics/sla.js';
import { ticketsCreated, ticketsResolved } from './metrics/volume.js';

/** The values of a list of definitions: counts are numbers, everything else may be null (no data). */
export type ValuesOf<D extends MetricDefinition> = { [M in D as M['key']]: M['unit'] extends 'count' ? number : number | null };
export type MetricValues = Record<string, number | null>;

export interface Registry<V extends MetricValues = MetricValues> {
  /** In API order. */
  readonly metrics: readonly MetricDefinition[];
  /** The API field names, in order (typed by consumers that know the registry: METRIC_FIELDS). */
  readonly keys: readonly string[];
  has(key: string): boolean;
  get(key: string): MetricDefinition;
  /** Every aggregate the metrics read, by name. */
  readonly aggregates: ReadonlyMap<string, Aggregate>;
  /** `agg AS name, …` for the aggregates the given metrics need (default: all), each once. */
  selectList(keys?: readonly string[]): string;
  /** The metrics' values from one row of aggregates (missing aggregates → counts 0, the rest null). */
  valuesFrom(row: AggregateRow, keys?: readonly string[]): V;
  /** A registry with more definitions after these (for tests and experiments). */
  with<D extends MetricDefinition>(...defs: D[]): Registry<V & ValuesOf<D>>;
}

export function createRegistry<const D extends MetricDefinition>(defs: readonly D[]): Registry<ValuesOf<D>> {
  const byKey = new Map<string, MetricDefinition>();
  const aggregates = new Map<string, Aggregate>();
  const gauges = new Map<string, { help: string; labels: string; seen: Set<string> }>();
  for (const d of defs) {
    if (byKey.has(d.key)) throw new Error(`metric ${d.key} is defined twice`);
    byKey.set(d.key, d);
    for (const a of d.sql.needs) {
      const known = aggregates.get(a.name);
      if (known && known.sql !== a.sql) throw new Error(`aggregate ${a.name} has two definitions:\n  ${known.sql}\n  ${a.sql}`);
      aggregates.set(a.name, a);
    }
    const p = d.prometheus;
    if (p) {
      const labels = Object.keys(p.labels ?? {})
        .sort()
        .join(',');
      const g = gauges.get(p.name) ?? { help: p.help, labels, seen: new Set<string>() };
      if (g.help !== p.help || g.labels !== labels) throw new Error(`${d.key}: gauge ${p.name} is exported with another help text or other label names`);
      const id = JSON.stringify(p.labels ?? {});
      if (g.seen.has(id)) throw new Error(`${d.key}: gauge ${p.name}${id} is exported twice`);
      g.seen.add(id);
      gauges.set(p.name, g);
    }
  }
  for (const d of defs)
    if (d.businessHours && !byKey.has(d.businessHours)) throw new Error(`${d.key}: business-hours variant ${d.businessHours} is not defined`);
  for (const name of aggregates.keys()) if (byKey.has(name)) throw new Error(`aggregate ${name} has the name of a metric`);

  const get = (key: string): MetricDefinition => {
    const d = byKey.get(key);
    if (!d) throw new Error(`unknown metric ${key}`);
    return d;
  };
  const keys = defs.map((d) => d.key);
  return {
    metrics: defs,
    keys,
    has: (key: string) => byKey.has(key),
    get,
    aggregates,
    selectList(wanted = keys) {
      const needed = new Map<string, Aggregate>();
      for (const k of wanted) for (const a of get(k).sql.needs) needed.set(a.name, a);
      return [...needed.values()].map((a) => `${a.sql} AS ${a.name}`).join(',\n      ');
    },
    valuesFrom(row, wanted = keys) {
      const out: MetricValues = {};
      for (const k of wanted) out[k] = get(k).sql.eval(row);
      return out as ValuesOf<D>;
    },
    with: (...more) => createRegistry([...defs, ...more]) as never,
  };
}

/** The metrics, in the order the API returns them. */
export const METRICS = createRegistry([
  ticketsCreated,
  ticketsResolved,
  frtP50,
  frtP90,
  frtBhP50,
  frtBhP90,
  resolutionP50,
  resolutionP90,
  fcrRate,
  autoResolutionRate,
  reopenRate,
  csatPct,
  csatAvg,
  csatResponses,
  csatResponseRate,
  nps,
  npsResponses,
  repeatContactRate,
  slaFirstResponseMetRate,
  slaResolutionMetRate,
  incidentLinkedShare,
  knownIssueReplies,
  appTickets,
  appTicketShare,
]);

export type Metrics = typeof METRICS extends Registry<infer V> ? V : never;
export type MetricField = keyof Metrics & string;
export const METRIC_FIELDS = METRICS.keys as readonly MetricField[];
/** Whether a unit's values are counts (0, never null, for an empty cohort). */
export const isCount = (unit: Unit): boolean => unit === 'count';
