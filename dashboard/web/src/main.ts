/**
 * The analytics dashboard: reads filters from the URL, loads every panel in
 * parallel (each panel shows its own loading, empty or error state), refreshes
 * on a timer, and asks for the API token when the server wants one.
 */
import { ApiError, downloadCsv, getJson, token, type BreakdownRow, type FrtBucket, type Heatmap, type Live, type Metrics, type Timeseries } from './api.js';
import { ChartCard, categoryOption, frtDistributionOption, frtTrendOption, heatmapOption, volumeOption } from './charts.js';
import { renderKpis } from './kpis.js';
import { renderLive } from './live.js';
import { apiRange, presetRange, readFilters, spanDays, timeZone, writeFilters, type Filters } from './state.js';
import { MetricTable } from './tables.js';
import { initTheme, toggleTheme } from './theme.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const REFRESH_MS = 60_000;
const LIVE_REFRESH_MS = 15_000;

initTheme();

const charts = {
  volume: new ChartCard($('chart-volume')),
  frt: new ChartCard($('chart-frt')),
  frtDist: new ChartCard($('chart-frt-dist')),
  heatmap: new ChartCard($('chart-heatmap')),
  category: new ChartCard($('chart-category')),
};
const queueTable = new MetricTable($('table-queue'), 'Queue', (k) => k || 'none');
const agentTable = new MetricTable($('table-agents'), 'Agent', (k) => (k ? `agent ${k}` : 'unassigned'));
const known = { queue: new Set<string>(), category: new Set<string>() };

let filters: Filters = readFilters();
let generation = 0;
let controller: AbortController | undefined;

function params(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...apiRange(filters), queue: filters.queue || undefined, category: filters.category || undefined, ...extra };
}

function syncControls(): void {
  ($('from') as HTMLInputElement).value = filters.from;
  ($('to') as HTMLInputElement).value = filters.to;
  const days = spanDays(filters);
  const today = presetRange('1d').to;
  for (const b of document.querySelectorAll<HTMLButtonElement>('#presets button')) {
    const pressed = filters.to === today && Number.parseInt(b.dataset.preset!, 10) === days;
    b.setAttribute('aria-pressed', String(pressed));
  }
  fillSelect($('queue') as HTMLSelectElement, known.queue, filters.queue, 'All queues');
  fillSelect($('category') as HTMLSelectElement, known.category, filters.category, 'All categories');
  const fmt = (s: string) => new Date(`${s}T00:00:00`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
  $('range-label').textContent = `${fmt(filters.from)} – ${fmt(filters.to)} · ${timeZone()}${filters.queue ? ` · queue ${filters.queue}` : ''}${filters.category ? ` · ${filters.category}` : ''}`;
}

function fillSelect(select: HTMLSelectElement, values: Set<string>, current: string, all: string): void {
  const options = [...new Set([...values, ...(current ? [current] : [])])].filter(Boolean).sort();
  select.replaceChildren(new Option(all, ''), ...options.map((v) => new Option(v, v)));
  select.value = current;
}

function setFilters(next: Partial<Filters>): void {
  filters = { ...filters, ...next };
  if (filters.from > filters.to) filters.to = filters.from;
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
  const days = spanDays(filters);
  const volumeHourly = days <= 14;
  const frtHourly = days <= 2;
  const tz = timeZone();
  const fail = (c: { message(t: string, e: boolean): void }) => (msg: string) => c.message(msg, true);

  const results = await Promise.all([
    panel(
      () => getJson<Metrics>('summary', params(), signal),
      (m) => gen === generation && renderKpis($('kpis'), m),
      () => gen === generation && renderKpis($('kpis'), null),
    ),
    panel(
      () => getJson<Timeseries>('timeseries', params({ metric: 'tickets_created', interval: volumeHourly ? 'hour' : 'day', tz }), signal),
      (ts) => charts.volume.show(volumeOption(ts, volumeHourly), ts.points.reduce((a, p) => a + (p.value ?? 0), 0) ? ts.points.length : 0),
      fail(charts.volume),
    ),
    panel(
      () =>
        Promise.all([
          getJson<Timeseries>('timeseries', params({ metric: 'frt_p50_seconds', interval: frtHourly ? 'hour' : 'day', tz }), signal),
          getJson<Timeseries>('timeseries', params({ metric: 'frt_p90_seconds', interval: frtHourly ? 'hour' : 'day', tz }), signal),
        ]),
      ([p50, p90]) => charts.frt.show(frtTrendOption(p50, p90, frtHourly), p50.points.filter((p) => p.value !== null).length, 'No answered tickets in this range'),
      fail(charts.frt),
    ),
    panel(
      () => getJson<FrtBucket[]>('frt-distribution', params(), signal),
      (b) => charts.frtDist.show(frtDistributionOption(b), b.reduce((a, x) => a + x.tickets, 0) ? b.length : 0, 'No answered tickets in this range'),
      fail(charts.frtDist),
    ),
    panel(
      () => getJson<Heatmap>('heatmap', params({ tz }), signal),
      (h) => charts.heatmap.show(heatmapOption(h), h.cells.filter((c) => c.tickets > 0).length),
      fail(charts.heatmap),
    ),
    panel(
      () => getJson<BreakdownRow[]>('breakdown', params({ by: 'category' }), signal),
      (rows) => {
        rows.forEach((r) => r.key && known.category.add(r.key));
        charts.category.show(categoryOption(rows as never), rows.length);
      },
      fail(charts.category),
    ),
    panel(
      () => getJson<BreakdownRow[]>('breakdown', params({ by: 'queue' }), signal),
      (rows) => {
        rows.forEach((r) => r.key && known.queue.add(r.key));
        queueTable.show(rows);
      },
      (m) => queueTable.message(m, true),
    ),
    panel(() => getJson<BreakdownRow[]>('breakdown', params({ by: 'agent' }), signal), (rows) => agentTable.show(rows), (m) => agentTable.message(m, true)),
    loadLive(signal),
  ]);
  if (gen !== generation) return;
  setLoading(false);
  syncControls();
  if (results.includes(false)) {
    banner('The analytics API needs a token.');
    askToken();
  } else if (document.querySelector('[data-state="error"]')) banner('Some panels could not be loaded.', true);
  else banner(null);
}

async function loadLive(signal?: AbortSignal): Promise<boolean> {
  const live = $('live');
  return panel(
    () => getJson<Live>('live', { queue: filters.queue || undefined, category: filters.category || undefined }, signal),
    (l) => {
      renderLive(live, l);
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
  volume: () => ['timeseries', params({ metric: 'tickets_created', interval: spanDays(filters) <= 14 ? 'hour' : 'day', tz: timeZone() })],
  'frt-trend': () => ['timeseries', params({ metric: 'frt_p90_seconds', interval: 'day', tz: timeZone() })],
  'frt-distribution': () => ['frt-distribution', params()],
  heatmap: () => ['heatmap', params({ tz: timeZone() })],
  category: () => ['breakdown', params({ by: 'category' })],
  queue: () => ['breakdown', params({ by: 'queue' })],
  agent: () => ['breakdown', params({ by: 'agent' })],
  live: () => ['live', { queue: filters.queue || undefined, category: filters.category || undefined }],
};

function wire(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('#presets button')) b.addEventListener('click', () => setFilters(presetRange(b.dataset.preset!)));
  $('from').addEventListener('change', (e) => (e.target as HTMLInputElement).value && setFilters({ from: (e.target as HTMLInputElement).value }));
  $('to').addEventListener('change', (e) => (e.target as HTMLInputElement).value && setFilters({ to: (e.target as HTMLInputElement).value }));
  $('queue').addEventListener('change', (e) => setFilters({ queue: (e.target as HTMLSelectElement).value }));
  $('category').addEventListener('change', (e) => setFilters({ category: (e.target as HTMLSelectElement).value }));
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
  for (const b of document.querySelectorAll<HTMLButtonElement>('button.csv'))
    b.addEventListener('click', () => {
      const [path, p] = CSV[b.dataset.csv!]!();
      downloadCsv(path, p, `${b.dataset.csv}-${filters.from}-${filters.to}.csv`).catch((e: Error) => banner(`CSV download failed: ${e.message}`));
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
