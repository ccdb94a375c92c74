/**
 * The "Experiments" section: the experiments' files with their exposure
 * counts (and the files left out), and for the chosen one (#experiment=<key>)
 * its SRM warning, sample progress and MDE, the variants' metrics, the uplift
 * of each variant over the control with its 95 % interval (ECharts), and
 * exposures over time. Data from /api/v1/experiments*; every text from the API
 * goes in as text, never as markup.
 */
import type { Static } from '@sinclair/typebox';
import { CandlestickChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ExperimentListSchema, ResultsSchema } from '../../api/experiments.js';
import { ApiError, downloadCsv, getJson } from './api.js';
import { ChartCard } from './charts.js';
import { DASH, num, pct } from './format.js';
import { METRIC_INFO } from './metrics.generated.js';
import { palette } from './theme.js';
import { $, el } from './dom.js';

echarts.use([CandlestickChart, ScatterChart, LineChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

type List = Static<typeof ExperimentListSchema>;
type Results = Static<typeof ResultsSchema>;
type Comparison = Results['comparisons'][number];

const metricInfo = (key: string): { title: string; unit: string } | undefined => (METRIC_INFO as Record<string, { title: string; unit: string }>)[key];
const title = (key: string) => metricInfo(key)?.title ?? key;

/** A metric's value in its unit. */
export function formatValue(metric: string, v: number | null | undefined): string {
  if (v === null || v === undefined) return DASH;
  const unit = metricInfo(metric)?.unit;
  if (unit === 'ratio') return pct(v, 1);
  if (unit === 'seconds') return `${num(v, v < 100 ? 1 : 0)} s`;
  if (unit === 'count') return num(v, 2);
  return num(v, 2);
}

/** A difference in the metric's unit: percentage points for a ratio. */
function formatDiff(metric: string, v: number | null | undefined): string {
  if (v === null || v === undefined) return DASH;
  if (metricInfo(metric)?.unit === 'ratio') return `${num(v * 100, 1)} pp`;
  return formatValue(metric, v);
}

const pValue = (p: number | null) => (p === null ? DASH : p < 0.001 ? '< 0.001' : p.toFixed(3));

function selected(): string | null {
  const m = /(?:^|&)experiment=([a-z0-9-]+)/.exec(location.hash.slice(1));
  return m?.[1] ?? null;
}

function renderList(list: List, chosen: string | null): void {
  const wrap = $('table-experiments');
  wrap.replaceChildren();
  wrap.dataset.state = 'data';
  if (list.experiments.length === 0) {
    wrap.append(el('p', 'No experiments: add a YAML file to the experiments directory (EXPERIMENTS_DIR).', { class: 'state' }));
  } else {
    const table = el('table');
    const head = el('tr');
    for (const h of ['Experiment', 'Surface', 'Status', 'Variants', 'Customers', 'Primary metric', 'Since']) head.append(el('th', h));
    table.append(el('thead'), el('tbody'));
    table.tHead!.append(head);
    for (const e of list.experiments) {
      const tr = el('tr', undefined, { 'data-key': e.key });
      if (e.key === chosen) tr.classList.add('selected');
      const link = el('a', e.key, { href: `#experiment=${e.key}` });
      const first = el('td');
      first.append(link);
      tr.append(
        first,
        el('td', e.surface),
        el('td', e.winner ? `${e.status} (shipped: ${e.winner})` : e.status, { class: `status ${e.status}` }),
        el('td', e.variants.map((v) => `${v.name} ${num(v.customers)}`).join(' · ')),
        el('td', num(e.customers), { class: 'num' }),
        el('td', title(e.metrics[0] ?? '')),
        el('td', e.first_exposure ? new Date(e.first_exposure).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' }) : DASH),
      );
      table.tBodies[0]!.append(tr);
    }
    wrap.append(table);
  }
  const problems = $('experiment-problems');
  problems.replaceChildren();
  problems.hidden = list.problems.length === 0;
  for (const p of list.problems) {
    const li = el('li');
    li.append(el('code', p.file), document.createTextNode(` — ${p.message}`));
    problems.append(li);
  }
}

function renderProgress(r: Results): void {
  const box = $('experiment-progress');
  box.replaceChildren();
  const pw = r.experiment.power;
  const needed = pw.customers_needed;
  const share = needed ? Math.min(1, r.experiment.customers / needed) : 0;
  const bar = el('div', undefined, {
    class: 'progress-bar',
    role: 'progressbar',
    'aria-valuemin': '0',
    'aria-valuemax': '100',
    'aria-valuenow': String(Math.round(share * 100)),
  });
  const fill = el('span');
  fill.style.width = `${Math.round(share * 100)}%`;
  bar.append(fill);
  const text =
    pw.mde === null
      ? `${num(r.experiment.customers)} customers exposed over ${num(r.experiment.days, 1)} days; ${pw.reason ?? 'no estimate yet'}.`
      : `${num(r.experiment.customers)} of ~${num(needed)} customers for a ${pct(pw.target_effect)} change in ${title(pw.metric)} · detectable now: ${formatValue(pw.metric, pw.mde)} (${pct(pw.mde_relative, 1)}) · ${
          pw.days_needed === null ? 'days needed unknown' : pw.days_needed === 0 ? 'sample reached' : `about ${num(pw.days_needed, 1)} more days`
        }`;
  box.append(bar, el('p', text, { class: 'hint' }));
}

function renderVariants(r: Results): void {
  const wrap = $('table-variants');
  wrap.replaceChildren();
  const table = el('table');
  const head = el('tr');
  head.append(el('th', 'Metric'));
  for (const v of r.variants) head.append(el('th', `${v.name} (${num(v.customers)} customers, ${num(v.tickets)} tickets)`));
  for (const h of ['Difference', '95 % interval', 'p', 'p (always valid)', 'Method']) head.append(el('th', h));
  table.append(el('thead'), el('tbody'));
  table.tHead!.append(head);
  for (const c of r.comparisons) {
    const tr = el('tr', undefined, { 'data-metric': c.metric, 'data-variant': c.variant });
    tr.append(el('td', r.variants.length > 2 ? `${title(c.metric)} — ${c.variant}` : title(c.metric)));
    for (const v of r.variants) {
      const cell = v.metrics[c.metric];
      tr.append(el('td', `${formatValue(c.metric, cell?.value)} (n ${num(cell?.n ?? 0)})`, { class: 'num' }));
    }
    const significant = c.p_value !== null && c.p_value < 0.05;
    tr.append(
      el('td', c.diff === null ? DASH : `${formatDiff(c.metric, c.diff)}${c.rel_diff === null ? '' : ` (${c.rel_diff > 0 ? '+' : ''}${pct(c.rel_diff, 1)})`}`, {
        class: `num${significant ? ' significant' : ''}`,
      }),
      el('td', c.ci_low === null ? (c.reason ?? DASH) : `${formatDiff(c.metric, c.ci_low)} … ${formatDiff(c.metric, c.ci_high)}`, { class: 'num' }),
      el('td', pValue(c.p_value), { class: 'num' }),
      el('td', pValue(c.sequential_p_value), { class: 'num' }),
      el('td', c.method.replaceAll('_', ' ')),
    );
    table.tBodies[0]!.append(tr);
  }
  wrap.append(table);
}

/** Relative uplift with its interval per comparison: boxes from the interval's ends (candlesticks), the estimate as a point. */
function upliftOption(rows: readonly Comparison[]) {
  return () => {
    const p = palette();
    const rel = (c: Comparison, x: number | null) =>
      x === null || c.baseline_value === null || c.baseline_value === 0 ? null : (100 * x) / Math.abs(c.baseline_value);
    const labels = rows.map((c) => `${title(c.metric)}${rows.some((o) => o.variant !== c.variant) ? ` · ${c.variant}` : ''}`);
    return {
      tooltip: {
        trigger: 'item',
        formatter: (x: { dataIndex: number }) => {
          const c = rows[x.dataIndex]!;
          return `${labels[x.dataIndex]}<br/>${c.variant} vs ${c.baseline}: ${(rel(c, c.diff) ?? 0).toFixed(1)} % [${(rel(c, c.ci_low) ?? 0).toFixed(1)}, ${(rel(c, c.ci_high) ?? 0).toFixed(1)}], p ${pValue(c.p_value)}`;
        },
      },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: labels,
        axisLabel: { color: p.muted, interval: 0, rotate: labels.length > 4 ? 20 : 0 },
        axisLine: { lineStyle: { color: p.grid } },
      },
      yAxis: {
        type: 'value',
        name: 'uplift, %',
        axisLabel: { color: p.muted, formatter: '{value} %' },
        splitLine: { lineStyle: { color: p.grid, type: 'dashed' } },
      },
      series: [
        {
          name: '95 % interval',
          type: 'candlestick',
          barMaxWidth: 22,
          itemStyle: { color: p.series[0], color0: p.series[0], borderColor: p.series[0], borderColor0: p.series[0], opacity: 0.35 },
          data: rows.map((c) => {
            const lo = rel(c, c.ci_low);
            const hi = rel(c, c.ci_high);
            return lo === null || hi === null ? '-' : [lo, hi, lo, hi];
          }),
          markLine: { silent: true, symbol: 'none', lineStyle: { color: p.muted }, data: [{ yAxis: 0 }], label: { show: false } },
        },
        {
          name: 'estimate',
          type: 'scatter',
          symbolSize: 10,
          itemStyle: { color: p.text },
          data: rows.map((c) => rel(c, c.diff) ?? '-'),
        },
      ],
    };
  };
}

function exposuresOption(r: Results) {
  return () => {
    const p = palette();
    const days = [...new Set(r.experiment.exposures_by_day.map((d) => d.day))].sort();
    return {
      legend: { top: 0, textStyle: { color: p.muted } },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: days, axisLabel: { color: p.muted }, axisLine: { lineStyle: { color: p.grid } } },
      yAxis: {
        type: 'value',
        name: 'customers (cumulative)',
        minInterval: 1,
        axisLabel: { color: p.muted },
        splitLine: { lineStyle: { color: p.grid, type: 'dashed' } },
      },
      series: r.variants.map((v) => {
        let sum = 0;
        return {
          name: v.name,
          type: 'line',
          showSymbol: days.length < 40,
          data: days.map((d) => {
            sum += r.experiment.exposures_by_day.find((x) => x.day === d && x.variant === v.name)?.customers ?? 0;
            return sum;
          }),
        };
      }),
    };
  };
}

const uplift = new ChartCard($('chart-uplift'));
const exposures = new ChartCard($('chart-exposures'));
let current: string | null = null;

async function showExperiment(key: string): Promise<void> {
  const card = $('card-experiment');
  card.hidden = false;
  card.classList.add('loading');
  $('experiment-title').textContent = key;
  try {
    const r = await getJson<Results>(`experiments/${encodeURIComponent(key)}/results`, {});
    if (current !== key) return;
    $('experiment-hint').textContent =
      `${r.experiment.surface} · ${r.experiment.status} · first exposure ${r.experiment.first_exposure ? new Date(r.experiment.first_exposure).toLocaleString('en-GB') : DASH}`;
    const srm = $('experiment-srm');
    srm.hidden = !r.srm.mismatch;
    srm.textContent = r.srm.mismatch
      ? `Sample-ratio mismatch: the customers per variant do not match the weights (p = ${pValue(r.srm.p_value)}). Assignment or exposure logging is broken — do not trust these results.`
      : '';
    renderProgress(r);
    renderVariants(r);
    const rows = r.comparisons.filter((c) => c.ci_low !== null);
    uplift.show(upliftOption(rows), rows.length, 'Not enough data for any interval yet');
    exposures.show(exposuresOption(r), r.experiment.exposures_by_day.length, 'Nobody exposed yet');
    card.dataset.state = 'data';
  } catch (e) {
    card.dataset.state = 'error';
    $('experiment-hint').textContent = e instanceof ApiError ? e.message : 'failed to load';
  } finally {
    card.classList.remove('loading');
  }
}

async function refresh(): Promise<void> {
  const wrap = $('table-experiments');
  try {
    const list = await getJson<List>('experiments', {});
    const chosen = selected() ?? list.experiments.find((e) => e.status === 'running')?.key ?? list.experiments[0]?.key ?? null;
    renderList(list, chosen);
    current = chosen;
    if (chosen && list.experiments.some((e) => e.key === chosen)) await showExperiment(chosen);
    else $('card-experiment').hidden = true;
  } catch (e) {
    wrap.dataset.state = 'error';
    wrap.replaceChildren(el('p', e instanceof ApiError ? e.message : 'failed to load the experiments', { class: 'state error' }));
  }
}

$('experiment-csv').addEventListener('click', () => {
  if (current) void downloadCsv(`experiments/${encodeURIComponent(current)}/results`, {}, `experiment-${current}.csv`);
});
addEventListener('hashchange', () => void refresh());
void refresh();
