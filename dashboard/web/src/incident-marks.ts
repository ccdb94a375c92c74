/**
 * Incidents over the volume chart: each incident of GET /api/v1/incidents as a shaded area from the bucket it
 * opened in to the bucket it was resolved in (the last bucket while it is open), and a line where its spike was
 * flagged. The chart's x axis is its buckets, so times become bucket indices here; pure, tested in
 * incident-marks.test.ts.
 */
export interface IncidentSpanView {
  incident_id: number;
  category: string;
  suspected_at: string | null;
  opened_at: string;
  resolved_at: string | null;
  tickets: number;
}

export interface IncidentMarks {
  /** ECharts markArea data: pairs of [start, end] by bucket index. */
  areas: [{ name: string; xAxis: number }, { xAxis: number }][];
  /** ECharts markLine data: a vertical line per flag. */
  flags: { name: string; xAxis: number }[];
}

/** The index of the bucket holding `at` (bucket starts ascending), or undefined outside the chart. */
export function bucketOf(starts: readonly number[], at: number, end: number): number | undefined {
  if (starts.length === 0 || at < starts[0]! || at >= end) return undefined;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `bucketMs`: a bucket's length (the last one ends there); `label`: how an incident is named on the chart. */
export function incidentMarks(
  bucketStarts: readonly string[],
  bucketMs: number,
  incidents: readonly IncidentSpanView[],
  label: (i: IncidentSpanView) => string = (i) => `#${i.incident_id}${i.category ? ` ${i.category}` : ''}`,
): IncidentMarks {
  const starts = bucketStarts.map((t) => Date.parse(t));
  if (starts.length === 0) return { areas: [], flags: [] };
  const end = starts.at(-1)! + bucketMs;
  const last = starts.length - 1;
  const areas: IncidentMarks['areas'] = [];
  const flags: IncidentMarks['flags'] = [];
  for (const i of incidents) {
    const opened = Date.parse(i.opened_at);
    const resolved = i.resolved_at ? Date.parse(i.resolved_at) : end;
    if (resolved < starts[0]! || opened >= end) continue;
    const from = bucketOf(starts, Math.max(opened, starts[0]!), end) ?? 0;
    const to = bucketOf(starts, Math.min(resolved, end - 1), end) ?? last;
    areas.push([{ name: label(i), xAxis: from }, { xAxis: to }]);
    const flagged = i.suspected_at ? bucketOf(starts, Date.parse(i.suspected_at), end) : undefined;
    if (flagged !== undefined) flags.push({ name: `⚑ ${label(i)}`, xAxis: flagged });
  }
  return { areas, flags };
}
