import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ChartSpec } from '../../../src-shared/contract/reports';
import { chartOption } from '../../../src-shared/rules/charts';

// The report's chart on screen: the same option object the core renders to SVG for the PDF.
// Canvas here: the page's style policy allows no inline style attributes, which SVG needs.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export function ReportChart({ spec }: { spec: ChartSpec }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const chart = echarts.init(box.current, null, { renderer: 'canvas' });
    // No animation: a report is read, and a frozen test clock would freeze the bars at zero.
    chart.setOption(chartOption(spec, { animation: false }));
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [spec]);
  return <div ref={box} className="report-chart" role="img" aria-label={spec.title} />;
}
