import type { ChartSpec } from '../contract/reports';

// One chart, one option object: the React page hands it to ECharts in the browser, the core
// renders it to SVG for the PDF (echarts server-side rendering). Plain data, no functions,
// so both sides draw the same picture.

const PALETTE = ['#2f5d8a', '#d98c2b', '#5b8c4a', '#a33f3f'];

/**
 * Lines the legend takes at the bottom, packed as ECharts packs it: the axis labels stay clear
 * of it. Measured at 12 px a letter, as the server-side renderer measures Cyrillic (the
 * browser's canvas measures narrower, so the screen may keep a little room to spare).
 */
function legendLines(spec: ChartSpec, width: number): number {
  let lines = 1;
  let used = 0;
  for (const s of spec.series) {
    const item = s.name.length * 12 + 35;
    if (used > 0 && used + item > width - 20) {
      lines += 1;
      used = 0;
    }
    used += item;
  }
  return lines;
}

export function chartOption(spec: ChartSpec, options: { animation?: boolean; fontFamily?: string; width?: number } = {}): Record<string, unknown> {
  const unit = spec.unit === '%' ? ' %' : '';
  return {
    animation: options.animation ?? true,
    color: PALETTE,
    textStyle: { fontFamily: options.fontFamily ?? 'PT Sans, Arial, sans-serif' },
    title: { text: spec.title, left: 'center', textStyle: { fontSize: 14, fontWeight: 'bold' } },
    legend: { bottom: 0, data: spec.series.map((s) => s.name) },
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 40, bottom: 26 + 22 * legendLines(spec, options.width ?? 720) },
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
