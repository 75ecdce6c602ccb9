import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChartSpec, ReportView } from '../../src-shared/contract/reports';
import { chartSvg, reportPdf } from '../../src-main/reports/render';

// The reports' bar charts carry their figures on the bars, in the PDF as on screen: dark
// text with the decimal comma, no white halo (the PDF's SVG renderer paints the halo over the
// text, which made the figures invisible), clear of the chart's title.

const results: ChartSpec = {
  kind: 'bar',
  title: 'Успеваемость и качество по классам',
  categories: ['5А', '5Б'],
  series: [
    { name: 'Успеваемость, %', values: [100, 66.7] },
    { name: 'Качество, %', values: [55.6, 25] },
  ],
  unit: '%',
  max: 100,
};

/** The chart's text elements: their content, fill, whether they have a stroke, and where they sit. */
function texts(svg: string) {
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map(([, attributes, content]) => ({
    content,
    fill: /fill="([^"]*)"/.exec(attributes!)?.[1],
    stroked: /\bstroke="/.test(attributes!),
    y: Number(/translate\([\d.]+ ([\d.]+)\)/.exec(attributes!)?.[1] ?? NaN) + Number(/\by="(-?[\d.]+)"/.exec(attributes!)?.[1] ?? 0),
  }));
}

describe('value labels on the reports\' bar charts', () => {
  it('every bar shows its value in dark text without a halo, the comma as decimal separator', () => {
    const labels = texts(chartSvg(results, 720, 300));
    for (const value of ['100', '66,7', '55,6', '25']) {
      const label = labels.find((text) => text.content === value);
      expect(label, value).toBeDefined();
      expect(label!.fill).toBe('#222');
      expect(label!.stroked).toBe(false);
    }
    expect(labels.some((text) => text.content === '66.7')).toBe(false);
    // The label over a full bar stays under the 14 px title (centred at y 27).
    const title = labels.find((text) => text.content === results.title)!;
    const full = labels.find((text) => text.content === '100')!;
    expect(full.y - 5).toBeGreaterThan(title.y + 7);
  });

  it('the axis reads the Russian way: a decimal comma, and whole steps when the chart counts', () => {
    // Shares under one: the axis steps by tenths, written 0,2 and not 0.2.
    const shares: ChartSpec = { kind: 'line', title: 'Доля', categories: ['I', 'II'], series: [{ name: '5А', values: [0.55, 0.85] }], unit: '', max: null };
    const axis = texts(chartSvg(shares, 720, 300)).map((text) => text.content);
    expect(axis).toContain('0,2');
    expect(axis.some((content) => /^\d\.\d+$/.test(content!))).toBe(false);
    // Three and one lessons missed: the axis goes 0, 1, 2, 3 — no 0,5 or 1,5 steps.
    const missed: ChartSpec = { kind: 'bar', title: 'Пропущено уроков по классам', categories: ['1А', '5А'], series: [{ name: 'По болезни', values: [1, 3] }], unit: '', max: null };
    const steps = texts(chartSvg(missed, 720, 300)).map((text) => text.content);
    expect(steps).toEqual(expect.arrayContaining(['0', '1', '2', '3']));
    expect(steps.some((content) => content!.includes(','))).toBe(false);
  });

  it('many narrow bars still carry every value (upright), and the PDF holds the figures as text', async () => {
    const classes = ['5А', '5Б', '5В', '6А', '6Б', '6В', '7А', '7Б', '7В', '8А', '8Б', '8В', '9А', '9Б', '9В', '10А', '11А'];
    const wide: ChartSpec = { ...results, categories: classes, series: results.series.map((s, n) => ({ name: s.name, values: classes.map((_, i) => (n === 0 ? 100 : 30 + i + 0.5)) })) };
    const labels = texts(chartSvg(wide, 720, 300));
    expect(labels.filter((text) => text.fill === '#222')).toHaveLength(34);
    expect(labels.find((text) => text.content === '46,5')).toBeDefined();

    const report = { form: 'results', title: 'Итоги успеваемости за период', subtitle: 'I четверть', schoolName: 'Школа № 7', madeOn: '2026-10-14', columns: [], rows: [], chart: results, signatures: [], notes: [], filter: {} } as unknown as ReportView;
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-chart-'));
    try {
      writeFileSync(join(dir, 'chart.pdf'), await reportPdf(report));
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'chart.pdf'), '-'], { encoding: 'utf8' });
      for (const value of ['66,7', '55,6']) expect(text).toContain(value);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
