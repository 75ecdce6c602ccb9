import type { ChartSpec } from '../contract/reports';

// One chart, one option object: the React page hands it to ECharts in the browser, the core
// renders it to SVG for the PDF (echarts server-side rendering). Both build it here, so both
// draw the same picture; the one function in it (the axis labels' decimal comma) is this file's.

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

/** A value as a label reads it: «66,7», the decimal comma, no unit (the axis and legend carry it). */
function valueText(value: number): string {
  return String(value).replace('.', ',');
}

/** Every value a whole number: the chart counts things. */
function countsOnly(spec: ChartSpec): boolean {
  return spec.series.every((s) => s.values.every((value) => value === null || Number.isInteger(value)));
}

/** The widest labels still fit side by side up to this many bars; more stand upright, and past the second limit only the table below the chart has the figures. */
const FLAT_LABEL_BARS = 24;
const UPRIGHT_LABEL_BARS = 64;

/**
 * Each bar (or point) carries its value. The text has no halo: the PDF's SVG renderer cannot
 * draw a halo under the text and would paint it over the figures. Labels stand upright when
 * the bars are too narrow for them, and the grid leaves room above the highest bar for them.
 */
function valueLabels(spec: ChartSpec): { label: Record<string, unknown> | null; room: number } {
  const marks = spec.kind === 'bar' ? spec.categories.length * spec.series.length : spec.categories.length;
  const plain = { show: true, color: '#222', textBorderWidth: 0, fontSize: 10 };
  if (spec.kind === 'line') return marks <= 12 ? { label: { ...plain, position: 'top' }, room: 16 } : { label: null, room: 0 };
  if (marks <= FLAT_LABEL_BARS) return { label: { ...plain, position: 'top', distance: 3 }, room: 16 };
  if (marks <= UPRIGHT_LABEL_BARS) return { label: { ...plain, fontSize: 8, position: 'top', distance: 3, rotate: 90, align: 'left', verticalAlign: 'middle' }, room: 30 };
  return { label: null, room: 0 };
}

export function chartOption(spec: ChartSpec, options: { animation?: boolean; fontFamily?: string; width?: number } = {}): Record<string, unknown> {
  const unit = spec.unit === '%' ? ' %' : '';
  const { label, room } = valueLabels(spec);
  return {
    animation: options.animation ?? true,
    color: PALETTE,
    textStyle: { fontFamily: options.fontFamily ?? 'PT Sans, Arial, sans-serif' },
    title: { text: spec.title, left: 'center', textStyle: { fontSize: 14, fontWeight: 'bold' } },
    legend: { bottom: 0, data: spec.series.map((s) => s.name) },
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 40 + room, bottom: 26 + 22 * legendLines(spec, options.width ?? 720) },
    xAxis: { type: 'category', data: spec.categories, axisLabel: { interval: 0 } },
    yAxis: {
      type: 'value',
      min: 0,
      ...(spec.max !== null ? { max: spec.max } : {}),
      // Counts (lessons missed, students) step by whole numbers: no «1,5 урока» on the axis.
      ...(countsOnly(spec) ? { minInterval: 1 } : {}),
      axisLabel: { formatter: (value: number) => `${valueText(value)}${unit}` },
    },
    series: spec.series.map((s) => ({
      name: s.name,
      type: spec.kind,
      // The label's text is set per value (plain data, no formatter function): both renderers print the same.
      data: s.values.map((value) => (value === null || label === null ? value : { value, label: { formatter: valueText(value) } })),
      label: label ?? { show: false },
      // Lines of several series meet: a label that would cover another is left out.
      labelLayout: { hideOverlap: true },
    })),
  };
}
