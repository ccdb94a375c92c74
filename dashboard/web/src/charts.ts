/**
 * ECharts, tree-shaken to what the dashboard draws, and one option builder per
 * chart. A ChartCard owns a container: it shows the chart, or an empty/error
 * state in its place, and re-renders on theme changes and resizes.
 */
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { FrtBucket, Heatmap, Timeseries } from './api.js';
import { WEEKDAYS, duration, num } from './format.js';
import { incidentMarks, type IncidentSpanView } from './incident-marks.js';
import { onThemeChange, palette } from './theme.js';

echarts.use([
  BarChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  MarkPointComponent,
  MarkLineComponent,
  MarkAreaComponent,
  CanvasRenderer,
]);

type Option = echarts.EChartsCoreOption;

export class ChartCard {
  private chart: echarts.ECharts | undefined;
  private build: (() => Option) | undefined;

  constructor(private readonly el: HTMLElement) {
    new ResizeObserver(() => this.chart?.resize()).observe(el);
    onThemeChange(() => this.render());
  }

  /** Draws `build()`; `points` is how many data points it shows (tests read it from data-points). */
  show(build: () => Option, points: number, emptyText = 'No tickets in this range'): void {
    this.el.dataset.points = String(points);
    if (points === 0) {
      this.message(emptyText, false);
      return;
    }
    this.build = build;
    this.render();
  }

  message(text: string, error: boolean): void {
    this.build = undefined;
    this.chart?.dispose();
    this.chart = undefined;
    this.el.dataset.state = error ? 'error' : 'empty';
    this.el.innerHTML = `<div class="state${error ? ' error' : ''}"></div>`;
    this.el.firstElementChild!.textContent = text;
  }

  private render(): void {
    if (!this.build) return;
    if (!this.chart) {
      this.el.innerHTML = '';
      this.chart = echarts.init(this.el, undefined, { renderer: 'canvas' });
    }
    this.el.dataset.state = 'data';
    this.chart.setOption(withTheme(this.build()), { notMerge: true });
  }
}

function withTheme(o: Option): Option {
  const p = palette();
  return {
    color: p.series,
    backgroundColor: 'transparent',
    textStyle: { color: p.text, fontFamily: 'inherit' },
    animationDuration: 400,
    tooltip: { trigger: 'axis', backgroundColor: p.surface, borderColor: p.border, textStyle: { color: p.text }, confine: true },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    ...o,
  };
}

function axis(extra: object = {}): object {
  const p = palette();
  return {
    axisLine: { lineStyle: { color: p.grid } },
    axisLabel: { color: p.muted },
    splitLine: { lineStyle: { color: p.grid, type: 'dashed' } },
    axisTick: { show: false },
    ...extra,
  };
}

const timeLabel = (iso: string, hourly: boolean) => {
  const d = new Date(iso);
  return hourly
    ? d.toLocaleString('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
};

/** Tickets per bucket with the three busiest buckets marked, the average line, and the incidents of the range (shaded, flags as lines). */
export function volumeOption(ts: Timeseries, hourly: boolean, incidents: readonly IncidentSpanView[] = []): () => Option {
  return () => {
    const p = palette();
    const marks = incidentMarks(
      ts.points.map((x) => x.t),
      hourly ? 3_600_000 : 86_400_000,
      incidents,
    );
    const values = ts.points.map((x) => x.value ?? 0);
    const peaks = [...values.keys()]
      .sort((a, b) => values[b]! - values[a]!)
      .slice(0, 3)
      .filter((i) => values[i]! > 0);
    return {
      tooltip: { trigger: 'axis', backgroundColor: p.surface, borderColor: p.border, textStyle: { color: p.text } },
      grid: { left: 8, right: 48, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: ts.points.map((x) => timeLabel(x.t, hourly)), ...axis({ splitLine: { show: false } }) },
      yAxis: { type: 'value', minInterval: 1, ...axis() },
      series: [
        {
          name: 'Tickets',
          type: 'bar',
          data: values.map((v, i) => ({ value: v, itemStyle: peaks.includes(i) ? { color: p.series[1] } : undefined })),
          barMaxWidth: 18,
          itemStyle: { borderRadius: [3, 3, 0, 0] },
          markPoint: {
            symbol: 'pin',
            symbolSize: 38,
            label: { fontSize: 10, color: '#fff' },
            itemStyle: { color: p.series[1] },
            data: peaks.map((i) => ({ name: 'peak', coord: [i, values[i]], value: values[i] })),
          },
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: p.muted, type: 'dotted' },
            label: { color: p.muted, formatter: 'avg {c}' },
            data: [
              { type: 'average', name: 'average' },
              ...marks.flags.map((f) => ({
                ...f,
                lineStyle: { color: p.series[1], type: 'dashed' as const },
                label: { color: p.series[1], formatter: f.name },
              })),
            ],
          },
          markArea: {
            silent: true,
            itemStyle: { color: p.series[1], opacity: 0.12 },
            label: { color: p.muted, fontSize: 10, position: 'insideTop' },
            data: marks.areas,
          },
        },
      ],
    };
  };
}

export function frtTrendOption(p50: Timeseries, p90: Timeseries, hourly: boolean): () => Option {
  return () => {
    const p = palette();
    const fmt = (v: unknown) => duration(typeof v === 'number' ? v : null);
    return {
      legend: { top: 0, right: 0, textStyle: { color: p.muted } },
      tooltip: { trigger: 'axis', backgroundColor: p.surface, borderColor: p.border, textStyle: { color: p.text }, valueFormatter: fmt },
      xAxis: { type: 'category', data: p50.points.map((x) => timeLabel(x.t, hourly)), boundaryGap: false, ...axis({ splitLine: { show: false } }) },
      yAxis: { type: 'value', ...axis({ axisLabel: { color: p.muted, formatter: (v: number) => duration(v) } }) },
      series: [
        {
          name: 'P50',
          type: 'line',
          smooth: true,
          showSymbol: false,
          connectNulls: true,
          data: p50.points.map((x) => x.value),
          areaStyle: { opacity: 0.12 },
          lineStyle: { width: 2.5 },
        },
        {
          name: 'P90',
          type: 'line',
          smooth: true,
          showSymbol: false,
          connectNulls: true,
          data: p90.points.map((x) => x.value),
          lineStyle: { width: 2, type: 'dashed' },
        },
      ],
    };
  };
}

export function heatmapOption(h: Heatmap): () => Option {
  return () => {
    const p = palette();
    const max = Math.max(1, ...h.cells.map((c) => c.tickets));
    return {
      tooltip: {
        trigger: 'item',
        backgroundColor: p.surface,
        borderColor: p.border,
        textStyle: { color: p.text },
        formatter: (x: { data: [number, number, number] }) => `${WEEKDAYS[x.data[1]]} ${String(x.data[0]).padStart(2, '0')}:00 — <b>${x.data[2]}</b> tickets`,
      },
      grid: { left: 8, right: 8, top: 8, bottom: 44, containLabel: true },
      xAxis: {
        type: 'category',
        data: Array.from({ length: 24 }, (_, i) => String(i).padStart(2, '0')),
        ...axis({ splitArea: { show: false }, splitLine: { show: false } }),
      },
      yAxis: { type: 'category', data: WEEKDAYS, inverse: true, ...axis({ splitLine: { show: false } }) },
      visualMap: {
        min: 0,
        max,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        itemWidth: 10,
        inRange: { color: p.heat },
        textStyle: { color: p.muted },
      },
      series: [
        {
          type: 'heatmap',
          data: h.cells.map((c) => [c.hour, c.weekday - 1, c.tickets]),
          itemStyle: { borderColor: p.surface, borderWidth: 2, borderRadius: 3 },
          emphasis: { itemStyle: { borderColor: p.text } },
        },
      ],
    };
  };
}

export function frtDistributionOption(buckets: FrtBucket[]): () => Option {
  return () => {
    const p = palette();
    const colors = [p.good, p.good, p.series[0], p.warn, p.bad, p.bad];
    return {
      tooltip: {
        trigger: 'axis',
        backgroundColor: p.surface,
        borderColor: p.border,
        textStyle: { color: p.text },
        valueFormatter: (v: unknown) => `${num(v as number)} tickets`,
      },
      xAxis: { type: 'category', data: buckets.map((b) => b.bucket), ...axis({ splitLine: { show: false } }) },
      yAxis: { type: 'value', minInterval: 1, ...axis() },
      series: [
        {
          name: 'Tickets',
          type: 'bar',
          barMaxWidth: 40,
          data: buckets.map((b, i) => ({ value: b.tickets, itemStyle: { color: colors[i], borderRadius: [4, 4, 0, 0] } })),
          label: {
            show: true,
            position: 'top',
            color: p.muted,
            fontSize: 11,
            formatter: (x: { dataIndex: number }) => (buckets[x.dataIndex]!.share === null ? '' : `${Math.round(buckets[x.dataIndex]!.share! * 100)}%`),
          },
        },
      ],
    };
  };
}

/** Horizontal bars: tickets per category by its label, CSAT in the tooltip. */
export function categoryOption(
  rows: { key: string; tickets_created: number | null; csat_avg: number | null; frt_p50_seconds: number | null }[],
  name: (key: string) => string,
): () => Option {
  return () => {
    const p = palette();
    const top = rows.slice(0, 10).reverse();
    return {
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        backgroundColor: p.surface,
        borderColor: p.border,
        textStyle: { color: p.text },
        // Labels come from configuration: the tooltip is built as elements with text, never as HTML.
        formatter: (xs: { dataIndex: number }[]) => {
          const r = top[xs[0]!.dataIndex]!;
          const box = document.createElement('div');
          const title = document.createElement('b');
          title.className = 'tooltip-name';
          title.textContent = name(r.key);
          box.append(
            title,
            document.createElement('br'),
            `${num(r.tickets_created)} tickets`,
            document.createElement('br'),
            `CSAT ${num(r.csat_avg, 2)} · FRT P50 ${duration(r.frt_p50_seconds)}`,
          );
          return box;
        },
      },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, ...axis() },
      yAxis: { type: 'category', data: top.map((r) => name(r.key)), ...axis({ splitLine: { show: false } }) },
      series: [
        {
          type: 'bar',
          data: top.map((r) => r.tickets_created),
          barMaxWidth: 22,
          itemStyle: { borderRadius: [0, 4, 4, 0], color: p.series[0] },
          label: { show: true, position: 'right', color: p.muted },
        },
      ],
    };
  };
}
