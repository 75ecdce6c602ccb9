import type { ChartSpec } from '../contract/reports';

// One chart, one option object: the React page hands it to ECharts in the browser, the core
// renders it to SVG for the PDF (echarts server-side rendering). Plain data, no functions,
// so both sides draw the same picture.

const PALETTE = ['#2f5d8a', '#d98c2b', '#5b8c4a', '#a33f3f'];

export function chartOption(spec: ChartSpec, options: { animation?: boolean; fontFamily?: string } = {}): Record<string, unknown> {
  const unit = spec.unit === '%' ? ' %' : '';
  return {
    animation: options.animation ?? true,
    color: PALETTE,
    textStyle: { fontFamily: options.fontFamily ?? 'PT Sans, Arial, sans-serif' },
    title: { text: spec.title, left: 'center', textStyle: { fontSize: 14, fontWeight: 'bold' } },
    legend: { bottom: 0, data: spec.series.map((s) => s.name) },
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 40, bottom: 48 },
    xAxis: { type: 'category', data: spec.categories, axisLabel: { interval: 0 } },
    yAxis: { type: 'value', min: 0, ...(spec.max !== null ? { max: spec.max } : {}), axisLabel: { formatter: `{value}${unit}` } },
    series: spec.series.map((s) => ({
      name: s.name,
      type: spec.kind,
      data: s.values,
      label: { show: spec.categories.length <= 12, position: 'top', fontSize: 10 },
    })),
  };
}
