/**
 * What a metric is: one definition — name, meaning, unit, direction, target,
 * the SQL that computes it, where it is exported and shown — from which every
 * consumer derives its view (the API, Grafana, the Prometheus exporter, the
 * digest, the docs, the web client's KPI list). Pure: no I/O, no imports.
 *
 * The SQL has two parts, as the API's "one flat statement per endpoint" needs:
 * the aggregates a metric reads (each an SQL aggregate over `ticket_facts` rows,
 * selected under its name and shared between metrics that need the same count),
 * and the value computed from them. The value is one small expression
 * (`count`, `ratio`, `quantile`, …) that renders both as TypeScript (the API
 * divides in TypeScript, naming every numerator and denominator once) and as
 * SQL (Grafana computes in ClickHouse) — so the two can never disagree.
 */

/** What the number measures. `score` is CSAT's 1–5, `nps` the net promoter score −100…100. */
export type Unit = 'count' | 'seconds' | 'ratio' | 'score' | 'nps';
/** Which way is good. Volume has no good direction. */
export type Better = 'higher' | 'lower' | 'neither';

/** One SQL aggregate over `ticket_facts` rows, selected `AS name`. Names differ from ticket_facts' columns (an alias would shadow the column). */
export interface Aggregate<N extends string = string> {
  readonly name: N;
  readonly sql: string;
  /** `number`: a count or a sum; `quantiles`: an array of quantiles. */
  readonly kind: 'number' | 'quantiles';
  /** A quantiles aggregate's per-ticket form: the value it takes quantiles of, over which rows, at which levels (experiments resample customers' tickets). */
  readonly sample?: QuantileSample;
  /** A count that grows with "now" (`dueCount`): its parts, so a per-day rollup can keep the pending deadlines and compare them with any now. */
  readonly due?: DueCount;
}

/**
 * Tickets counted once something settled them, plus those still pending whose deadline has passed by
 * `{now:DateTime64(3)}`: `countIf(settled) + countIf(pending AND deadline < now)`. `settled` and `pending`
 * must exclude each other.
 */
export interface DueCount {
  /** SQL condition over a ticket_facts row: counted whatever the time. */
  readonly settled: string;
  /** SQL condition over a ticket_facts row: counted once its deadline has passed. */
  readonly pending: string;
  /** SQL of the deadline (DateTime64) over a ticket_facts row. */
  readonly deadline: string;
}

export interface QuantileSample {
  /** SQL of one ticket's value over its ticket_facts row. */
  readonly value: string;
  /** SQL condition for the rows that have a value; absent: every row (NULLs skipped). */
  readonly where?: string;
  readonly levels: readonly number[];
}

export const aggregate = <const N extends string>(name: N, sql: string): Aggregate<N> => ({ name, sql, kind: 'number' });
export const quantilesAggregate = <const N extends string>(name: N, sql: string): Aggregate<N> => ({ name, sql, kind: 'quantiles' });
/** Exact quantiles (quantilesExactInclusive) of a per-ticket value, declared so its per-ticket form is known too. */
export const quantilesOf = <const N extends string>(name: N, sample: QuantileSample): Aggregate<N> => ({
  name,
  sql: sample.where
    ? `quantilesExactInclusiveIf(${sample.levels.join(', ')})(${sample.value}, ${sample.where})`
    : `quantilesExactInclusive(${sample.levels.join(', ')})(${sample.value})`,
  kind: 'quantiles',
  sample,
});

/** A count that grows with now (see DueCount); its SQL is the two counts' sum. */
export const dueCount = <const N extends string>(name: N, due: DueCount): Aggregate<N> => ({
  name,
  sql: `countIf(${due.settled}) + countIf(${due.pending} AND ${due.deadline} < {now:DateTime64(3)})`,
  kind: 'number',
  due,
});

/** A row of aggregates as ClickHouse returns it (64-bit integers may come as strings). */
export type AggregateRow = Readonly<Record<string, unknown>>;

/** A number computed from aggregates, in both renderings. */
export interface Term {
  readonly needs: readonly Aggregate[];
  /** TypeScript: a missing aggregate reads as 0. */
  eval(row: AggregateRow): number;
  /** SQL over the aggregates' names (Float64 arithmetic: unsigned counts never wrap below zero). */
  readonly sql: string;
}

/** How a metric's value is computed from its aggregates. */
export interface ValueExpr {
  readonly needs: readonly Aggregate[];
  /** null = no data (an empty denominator, no values to take a quantile of). */
  eval(row: AggregateRow): number | null;
  /** The same in ClickHouse SQL, NULL for no data. */
  readonly sql: string;
  /** Counts are 0, never null, for an empty cohort. */
  readonly nullable: boolean;
  /** What it is made of, for per-customer analysis (experiments): set by count(), ratio() and quantile(). */
  readonly form?: ValueForm;
}

/**
 * A value's per-unit form: a count (per customer: how many), a ratio of sums
 * (per customer: the numerator's and the denominator's sums) or a quantile of a
 * per-ticket value (element `index` of the aggregate's levels).
 */
export type ValueForm =
  | { readonly kind: 'count'; readonly of: Aggregate }
  | { readonly kind: 'ratio'; readonly num: Term; readonly den: Aggregate }
  | { readonly kind: 'quantile'; readonly of: Aggregate; readonly index: number };

const numberOf = (row: AggregateRow, a: Aggregate) => Number(row[a.name] ?? 0);

/** An aggregate's value as a term. */
export function n(a: Aggregate): Term {
  if (a.kind !== 'number') throw new Error(`${a.name} is not a number aggregate`);
  return { needs: [a], eval: (r) => numberOf(r, a), sql: `toFloat64(${a.name})` };
}
export function minus(a: Term, b: Term): Term {
  return { needs: [...a.needs, ...b.needs], eval: (r) => a.eval(r) - b.eval(r), sql: `(${a.sql} - ${b.sql})` };
}
export function times(k: number, a: Term): Term {
  return { needs: a.needs, eval: (r) => k * a.eval(r), sql: `${k} * ${a.sql}` };
}

/** The aggregate itself: a count (0 for an empty cohort). */
export function count(a: Aggregate): ValueExpr {
  return { needs: [a], eval: (r) => numberOf(r, a), sql: a.name, nullable: false, form: { kind: 'count', of: a } };
}

/** numerator ÷ denominator; null when the denominator is 0. */
export function ratio(num: Term | Aggregate, den: Aggregate): ValueExpr {
  const t = 'eval' in num ? num : n(num);
  return {
    needs: [...t.needs, den],
    eval: (r) => {
      const d = numberOf(r, den);
      return d === 0 ? null : t.eval(r) / d;
    },
    sql: `${t.sql} / nullIf(toFloat64(${den.name}), 0)`,
    nullable: true,
    form: { kind: 'ratio', num: t, den },
  };
}

/** Element `i` (0-based) of a quantiles aggregate; null when there was nothing to take it of. */
export function quantile(q: Aggregate, i: number): ValueExpr {
  if (q.kind !== 'quantiles') throw new Error(`${q.name} is not a quantiles aggregate`);
  const el = `arrayElement(${q.name}, ${i + 1})`;
  return {
    needs: [q],
    eval: (r) => {
      const v = (r[q.name] as (number | null)[] | null | undefined)?.[i];
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    },
    sql: `if(isFinite(${el}), ${el}, NULL)`,
    nullable: true,
    form: { kind: 'quantile', of: q, index: i },
  };
}

/**
 * A target. SLA targets are the queue's own (the desk's SLA_TARGETS, `sla/policy.ts`):
 * the definition names which deadline, never a number. Other targets are the playbook's
 * (or the desk's own where the playbook names none), optionally overridden by a variable.
 */
export type Target =
  | {
      kind: 'sla';
      /** The queue's first-response or resolution target. */
      deadline: 'first_response' | 'resolution';
      /** "Near target" up to this multiple of it. */
      warnFactor: number;
    }
  | {
      kind: 'at_least' | 'at_most';
      value: number;
      /** "Near target" up to here. */
      warn: number;
      /** Shown as a range "value–upTo" (the playbook's FCR 60–75 %); the status only checks `value`. */
      upTo?: number;
      /** Where the number comes from. */
      source: 'playbook' | 'desk';
      /** The variable that overrides it where one does (its default is this value). */
      variable?: string;
    };

export const slaTarget = (deadline: 'first_response' | 'resolution', warnFactor: number): Target => ({ kind: 'sla', deadline, warnFactor });
export const atLeast = (value: number, o: { warn: number; upTo?: number; source: 'playbook' | 'desk'; variable?: string }): Target => ({
  kind: 'at_least',
  value,
  ...o,
});
export const atMost = (value: number, o: { warn: number; source: 'playbook' | 'desk'; variable?: string }): Target => ({ kind: 'at_most', value, ...o });

/** An instant column of a ticket's row and the window before "now" it must fall in. */
export interface FactsWindow {
  source: 'ticket_facts';
  /** SQL of the instant over a ticket_facts row, e.g. the latest rating's time. */
  since: string;
  seconds: number;
  /** For help texts and docs: "tickets rated in the last 24 h". */
  describe: string;
}

/**
 * A live window over the desk's own store (PostgreSQL `tickets`), for numbers that
 * must be current to the second (the exporter scrapes every 5 s, `/sla` answers a
 * human): one statement per queue; `$1` is now.
 */
export interface StoreWindow {
  name: string;
  /** Returns `queue`, `n` (the sample size) and one column per metric read from it. */
  sql: string;
  describe: string;
  /** The sample size exported beside the metrics, so rules can require enough of it. */
  sample: { name: string; help: string };
}

/**
 * A Prometheus gauge exported per queue (label `queue`, plus constant `labels`)
 * over a recent window: a ticket_facts window computed with the definition's own
 * SQL, or a live window of the desk's store. Several definitions may share one
 * gauge name with different constant labels (the FRT quantiles).
 */
export interface PrometheusExport {
  name: string;
  help: string;
  labels?: Readonly<Record<string, string>>;
  window: FactsWindow | { source: 'store'; window: StoreWindow; column: string };
  /** Exports the metric's target beside it (per queue for an SLA target), so alert rules hold no numbers. */
  target?: { name: string; help: string };
}

/** How Grafana shows the metric on the Overview dashboard (tables elsewhere pick metrics by key and take the unit from here). */
export interface GrafanaPanel {
  /** A stat of the dashboard's period, and/or a timeseries by ticket creation time. */
  panels: readonly ('stat' | 'timeseries')[];
  /** Grafana's unit id: 's', 'percentunit', 'none'. */
  unit: string;
  decimals?: number;
  /** The timeseries has one series per value of the ticket's current queue. */
  byQueue?: boolean;
}

export interface MetricDefinition<K extends string = string, U extends Unit = Unit> {
  /** The API field name. */
  key: K;
  /** Short name for tiles and panels: "FRT P90". */
  title: string;
  /** One sentence: what it counts, over which tickets. Docs, OpenAPI and tooltips use it. */
  meaning: string;
  unit: U;
  better: Better;
  target?: Target;
  /** The aggregates over ticket_facts it needs and its value from them. */
  sql: ValueExpr;
  /**
   * How an experiment analyses it per customer (analytics/experiments), where its form alone does not say:
   * `share` — the share of exposed customers with at least one ticket counted by the aggregate (two-proportion z-test).
   * Without it: a ratio by the delta method, a count as a per-customer mean (Welch), a quantile by the bootstrap.
   */
  perCustomer?: { share: Aggregate };
  /** Key of the same metric in the queue's business hours, where one exists. */
  businessHours?: string;
  prometheus?: PrometheusExport;
  grafana?: GrafanaPanel;
}

/** A metric definition (checked: counts are never null, directions agree with targets). */
export function metric<const K extends string, const U extends Unit>(d: MetricDefinition<K, U>): MetricDefinition<K, U> {
  if (!/^[a-z][a-z0-9_]*$/.test(d.key)) throw new Error(`metric key "${d.key}" must be snake_case`);
  if ((d.unit === 'count') !== !d.sql.nullable) throw new Error(`${d.key}: a count (and only a count) is never null`);
  const t = d.target;
  if (t) {
    const wanted = t.kind === 'at_least' ? 'higher' : 'lower';
    if (d.better !== wanted) throw new Error(`${d.key}: target ${t.kind} but better is ${d.better}`);
  }
  if (d.prometheus && !/^[a-z_][a-z0-9_]*$/.test(d.prometheus.name)) throw new Error(`${d.key}: bad Prometheus name ${d.prometheus.name}`);
  return d;
}
