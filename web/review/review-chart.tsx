import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import { BarChart, LineChart } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { ComposeOption, EChartsType } from 'echarts/core';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useLayoutEffect, useRef } from 'react';

// Only what the review draws: lines and bars, with axes, a legend and tooltips, on SVG (crisp on
// paper when the township's review is printed). Imported by the review's lazy chunk alone.
use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** The page's theme colours a chart takes: text, grid lines and the series' palette. */
export interface ChartTheme {
  text: string;
  muted: string;
  line: string;
  palette: readonly string[];
}

export const CHART_THEMES: Record<'light' | 'dark', ChartTheme> = {
  light: { text: '#111a26', muted: '#4f5d70', line: '#d5dce6', palette: ['#1a62c9', '#d9822b', '#1f9d55', '#9c5298', '#d6333f'] },
  dark: { text: '#eef3fb', muted: '#a3b3cc', line: '#263a5c', palette: ['#4fb0ff', '#ffb054', '#45c97a', '#c98ad0', '#ff7a8a'] },
};

/** The width of an A4 landscape page inside its margins (273 mm), in CSS pixels. */
const PRINT_WIDTH_PX = 1000;

/**
 * One ECharts chart in a box that follows its size. The option is applied whole each time
 * (`notMerge`), so a change of KPI or theme leaves nothing of the previous one behind.
 */
export function ReviewChart({ option, label, testId }: { option: ChartOption; label: string; testId?: string }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsType | null>(null);

  // Both in layout effects, in this order: the chart exists before its first option is set.
  useLayoutEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const chart = init(box, null, { renderer: 'svg' });
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(box);
    // Paper is narrower than a desk screen: the chart is redrawn at the printed width, then back.
    const beforePrint = () => chart.resize({ width: PRINT_WIDTH_PX });
    const afterPrint = () => chart.resize();
    window.addEventListener('beforeprint', beforePrint);
    window.addEventListener('afterprint', afterPrint);
    return () => {
      window.removeEventListener('beforeprint', beforePrint);
      window.removeEventListener('afterprint', afterPrint);
      observer.disconnect();
      chartRef.current = null;
      chart.dispose();
    };
  }, []);

  // Before paint, so that a theme switched for printing is drawn before the print is laid out.
  useLayoutEffect(() => {
    chartRef.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={boxRef} className="review-chart" role="img" aria-label={label} data-testid={testId} />;
}
