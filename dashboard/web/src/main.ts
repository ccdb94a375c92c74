/**
 * The analytics dashboard: reads filters from the URL, loads every panel in
 * parallel (each panel shows its own loading, empty or error state), refreshes
 * on a timer, and asks for the API token when the server wants one.
 */
import {
  ApiError,
  downloadCsv,
  getJson,
  token,
  type BreakdownRow,
  type Dimensions,
  type FrtBucket,
  type Heatmap,
  type Live,
  type Metrics,
  type Timeseries,
} from './api.js';
import { ChartCard, categoryOption, frtDistributionOption, frtTrendOption, heatmapOption, volumeOption } from './charts.js';
import type { IncidentSpanView } from './incident-marks.js';
import { renderKpis } from './kpis.js';
import { Labels, type Dimension } from './labels.js';
import { renderLive } from './live.js';
import {
  apiRange,
  bucketInterval,
  dayRange,
  isPreset,
  presetPeriod,
  rangeLabel,
  readFilters,
  timeZone,
  withDate,
  writeFilters,
  type Filters,
} from './state.js';
import { MetricTable } from './tables.js';
import { initTheme, toggleTheme } from './theme.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const REFRESH_MS = 60_000;
const LIVE_REFRESH_MS = 15_000;
/** Periods up to this many days get hourly buckets: the volume chart, the FRT trend (fewer answered tickets per hour). */
const VOLUME_HOURLY_DAYS = 14;
const FRT_HOURLY_DAYS = 2;

initTheme();

const charts = {
  volume: new ChartCard($('chart-volume')),
  frt: new ChartCard($('chart-frt')),
  frtDist: new ChartCard($('chart-frt-dist')),
  heatmap: new ChartCard($('chart-heatmap')),
  category: new ChartCard($('chart-category')),
};
const labels = new Labels();
const queueTable = new MetricTable($('table-queue'), 'Queue', labels.queue);
// agents by the display name the API labels them with ("Anna K."); one never seen acting by id
const agentTable = new MetricTable($('table-agents'), 'Agent', (k, r) => r.label ?? (k ? `agent ${k}` : 'unassigned'));

let filters: Filters = readFilters();
let generation = 0;
let controller: AbortController | undefined;

/** The API parameters of the current filters; a rolling window ends at `now`. */
function params(extra: Record<string, string> = {}, now = new Date()): Record<string, string | undefined> {
  return { ...apiRange(filters, now), queue: filters.queue || undefined, category: filters.category || undefined, ...extra };
}

function syncControls(now = new Date()): void {
  const days = dayRange(filters, now);
  ($('from') as HTMLInputElement).value = days.from;
  ($('to') as HTMLInputElement).value = days.to;
  for (const b of document.querySelectorAll<HTMLButtonElement>('#presets button'))
    b.setAttribute('aria-pressed', String(isPreset(filters, b.dataset.preset!, now)));
  fillSelect($('queue') as HTMLSelectElement, 'queue', filters.queue, 'All queues');
  fillSelect($('category') as HTMLSelectElement, 'category', filters.category, 'All categories');
  $('range-label').textContent = rangeLabel(filters, now, timeZone(), labels);
}

function fillSelect(select: HTMLSelectElement, dim: Dimension, current: string, all: string): void {
  select.replaceChildren(new Option(all, ''), ...labels.options(dim, current).map(([key, name]) => new Option(name, key)));
  select.value = current;
}

function setFilters(next: Filters): void {
  filters = next;
  writeFilters(filters);
  syncControls();
  void loadAll();
}

function setLoading(on: boolean): void {
  document.querySelectorAll('.card').forEach((c) => c.classList.toggle('loading', on));
  $('kpis').classList.toggle('loading', on);
  $('refresh').classList.toggle('spin', on);
}

function banner(message: string | null, retry = false): void {
  const b = $('banner');
  b.hidden = message === null;
  b.textContent = message ?? '';
  if (retry) {
    const btn = document.createElement('button');
    btn.textContent = 'Retry';
    btn.onclick = () => void loadAll();
    b.append(btn);
  }
}

let asking = false;
function askToken(): void {
  const dialog = $('token-dialog') as HTMLDialogElement;
  if (asking || dialog.open) return;
  asking = true;
  ($('token-input') as HTMLInputElement).value = token.get() ?? '';
  dialog.showModal();
}

/** Runs one panel's load; failures stay in that panel. Returns false when the API wants a token. */
async function panel<T>(load: () => Promise<T>, show: (v: T) => void, fail: (msg: string) => void): Promise<boolean> {
  try {
    show(await load());
    return true;
  } catch (e) {
    if ((e as Error).name === 'AbortError') return true;
    const msg = e instanceof ApiError ? e.message : 'Could not reach the analytics API';
    fail(msg);
    return !(e instanceof ApiError && e.status === 401);
  }
}

async function loadAll(): Promise<void> {
  const gen = ++generation;
  controller?.abort();
  controller = new AbortController();
  const signal = controller.signal;
  setLoading(true);
  const volumeHourly = bucketInterval(filters, VOLUME_HOURLY_DAYS) === 'hour';
  const frtHourly = bucketInterval(filters, FRT_HOURLY_DAYS) === 'hour';
  const tz = timeZone();
  const now = new Date(); // one instant for every panel, so a rolling window is the same window everywhere
  const at = (extra: Record<string, string> = {}) => params(extra, now);
  const named = loadLabels(signal); // the panels that show keys wait for their names
  const fail = (c: { message(t: string, e: boolean): void }) => (msg: string) => c.message(msg, true);

  const results = await Promise.all([
    panel(
      // The tiles' tickets metrics, and the Mini App's self-service ones (by the time customers acted; no ticket filters apply).
      () =>
        Promise.all([
          getJson<Metrics>('summary', at(), signal),
          // A failed self-service request leaves its tiles without data, not the others.
          getJson<Metrics>('selfservice', apiRange(filters, now), signal).catch((e: unknown) => {
            if (signal.aborted) throw e;
            return {};
          }),
        ]).then(([m, self]) => ({ ...m, ...self })),
      (m) => gen === generation && renderKpis($('kpis'), m),
      () => gen === generation && renderKpis($('kpis'), null),
    ),
    panel(
      () =>
        Promise.all([
          getJson<Timeseries>('timeseries', at({ metric: 'tickets_created', interval: volumeHourly ? 'hour' : 'day', tz }), signal),
          // The incident timeline over it; the chart is still drawn without it when it cannot be loaded.
          getJson<{ timeline: IncidentSpanView[] }>('incidents', { from: at().from, to: at().to }, signal).catch((e: unknown) => {
            if (signal.aborted) throw e;
            return { timeline: [] };
          }),
        ]),
      ([ts, inc]) => charts.volume.show(volumeOption(ts, volumeHourly, inc.timeline), ts.points.reduce((a, p) => a + (p.value ?? 0), 0) ? ts.points.length : 0),
      fail(charts.volume),
    ),
    panel(
      () =>
        Promise.all([
          getJson<Timeseries>('timeseries', at({ metric: 'frt_p50_seconds', interval: frtHourly ? 'hour' : 'day', tz }), signal),
          getJson<Timeseries>('timeseries', at({ metric: 'frt_p90_seconds', interval: frtHourly ? 'hour' : 'day', tz }), signal),
        ]),
      ([p50, p90]) =>
        charts.frt.show(frtTrendOption(p50, p90, frtHourly), p50.points.filter((p) => p.value !== null).length, 'No answered tickets in this range'),
      fail(charts.frt),
    ),
    panel(
      () => getJson<FrtBucket[]>('frt-distribution', at(), signal),
      (b) => charts.frtDist.show(frtDistributionOption(b), b.reduce((a, x) => a + x.tickets, 0) ? b.length : 0, 'No answered tickets in this range'),
      fail(charts.frtDist),
    ),
    panel(
      () => getJson<Heatmap>('heatmap', at({ tz }), signal),
      (h) => charts.heatmap.show(heatmapOption(h), h.cells.filter((c) => c.tickets > 0).length),
      fail(charts.heatmap),
    ),
    panel(
      () => named.then(() => getJson<BreakdownRow[]>('breakdown', at({ by: 'category' }), signal)),
      (rows) => {
        labels.see(
          'category',
          rows.map((r) => r.key),
        );
        charts.category.show(categoryOption(rows as never, labels.category), rows.length);
      },
      fail(charts.category),
    ),
    panel(
      () => named.then(() => getJson<BreakdownRow[]>('breakdown', at({ by: 'queue' }), signal)),
      (rows) => {
        labels.see(
          'queue',
          rows.map((r) => r.key),
        );
        queueTable.show(rows);
      },
      (m) => queueTable.message(m, true),
    ),
    panel(
      () => getJson<BreakdownRow[]>('breakdown', at({ by: 'agent' }), signal),
      (rows) => agentTable.show(rows),
      (m) => agentTable.message(m, true),
    ),
    loadLive(signal),
  ]);
  if (gen !== generation) return;
  setLoading(false);
  syncControls(now);
  if (results.includes(false)) {
    banner('The analytics API needs a token.');
    askToken();
  } else if (document.querySelector('[data-state="error"]')) banner('Some panels could not be loaded.', true);
  else banner(null);
}

/**
 * The configured labels, fetched until they arrive once. Never fails: without
 * them (no token yet, an old server) keys show humanised, and the next load asks again.
 */
async function loadLabels(signal: AbortSignal): Promise<void> {
  if (labels.loaded) return;
  try {
    labels.configure(await getJson<Dimensions>('dimensions', {}, signal));
  } catch {
    /* the panels report their own errors */
  }
}

async function loadLive(signal?: AbortSignal): Promise<boolean> {
  const live = $('live');
  return panel(
    () => getJson<Live>('live', { queue: filters.queue || undefined, category: filters.category || undefined }, signal),
    (l) => {
      renderLive(live, l, labels.queue);
      $('live-asof').textContent = `as of ${new Date(l.as_of).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;
    },
    (msg) => {
      live.dataset.state = 'error';
      live.innerHTML = '<div class="state error"></div>';
      live.firstElementChild!.textContent = msg;
    },
  );
}

/** CSV of each card's table, with the current filters. */
const CSV: Record<string, () => [string, Record<string, string | undefined>]> = {
  volume: () => ['timeseries', params({ metric: 'tickets_created', interval: bucketInterval(filters, VOLUME_HOURLY_DAYS), tz: timeZone() })],
  'frt-trend': () => ['timeseries', params({ metric: 'frt_p90_seconds', interval: bucketInterval(filters, FRT_HOURLY_DAYS), tz: timeZone() })],
  'frt-distribution': () => ['frt-distribution', params()],
  heatmap: () => ['heatmap', params({ tz: timeZone() })],
  category: () => ['breakdown', params({ by: 'category' })],
  queue: () => ['breakdown', params({ by: 'queue' })],
  agent: () => ['breakdown', params({ by: 'agent' })],
  live: () => ['live', { queue: filters.queue || undefined, category: filters.category || undefined }],
};

function wire(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('#presets button'))
    b.addEventListener('click', () => setFilters({ ...filters, period: presetPeriod(b.dataset.preset!, new Date()) }));
  for (const input of ['from', 'to'] as const)
    $(input).addEventListener('change', (e) => setFilters(withDate(filters, input, (e.target as HTMLInputElement).value, new Date())));
  $('queue').addEventListener('change', (e) => setFilters({ ...filters, queue: (e.target as HTMLSelectElement).value }));
  $('category').addEventListener('change', (e) => setFilters({ ...filters, category: (e.target as HTMLSelectElement).value }));
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('refresh').addEventListener('click', () => void loadAll());
  $('theme').addEventListener('click', toggleTheme);
  $('token-button').addEventListener('click', askToken);
  $('token-cancel').addEventListener('click', () => {
    asking = false;
    ($('token-dialog') as HTMLDialogElement).close();
  });
  $('token-form').addEventListener('submit', () => {
    asking = false;
    token.set(($('token-input') as HTMLInputElement).value.trim());
    void loadAll();
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>('button.csv[data-csv]'))
    b.addEventListener('click', () => {
      const [path, p] = CSV[b.dataset.csv!]!();
      const days = dayRange(filters, new Date());
      downloadCsv(path, p, `${b.dataset.csv}-${days.from}-${days.to}.csv`).catch((e: Error) => banner(`CSV download failed: ${e.message}`));
    });
  window.addEventListener('popstate', () => {
    filters = readFilters();
    syncControls();
    void loadAll();
  });
  setInterval(() => {
    if (($('auto-refresh') as HTMLInputElement).checked && !document.hidden) void loadAll();
  }, REFRESH_MS);
  setInterval(() => {
    if (($('auto-refresh') as HTMLInputElement).checked && !document.hidden) void loadLive();
  }, LIVE_REFRESH_MS);
}

writeFilters(filters);
syncControls();
renderKpis($('kpis'), null);
wire();
void loadAll();
