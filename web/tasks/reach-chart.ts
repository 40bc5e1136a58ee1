import { MarkLineComponent } from 'echarts/components';
import { use } from 'echarts/core';
import type { ChartOption, ChartTheme } from '../review/review-chart.tsx';
import type { Reach } from './tasks-api.ts';

// The 1-hour mark is a markLine; the review's charts register lines, bars, axes, legend and tooltips.
use([MarkLineComponent]);

/** The measures a reach curve may show, furthest last. */
export type ReachMeasure = 'delivered' | 'read' | 'acknowledged' | 'done';
export const REACH_MEASURES: readonly ReachMeasure[] = ['delivered', 'read', 'acknowledged', 'done'];

/** The source study's bar: a notice reached every household of the county within 1 hour. */
const HOUR_MARK_MINUTES = 60;

const CHART_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", system-ui, sans-serif';

type ReachPoint = Reach['total']['points'][number];

/** The first minute at which the share reached 100%, or null. */
export function fullMinute(points: readonly ReachPoint[], measure: ReachMeasure): number | null {
  return points.find((point) => point[measure] >= 1)?.minute ?? null;
}

interface ReachLabels {
  total: string;
  hourMark: string;
  minutesSince: string;
}

/**
 * One measure's reach over minutes since dispatch: a line per township (the share of its targets
 * reached by each minute) and the whole area's as a thick line, the y axis 0–100%, with the
 * study's 1-hour mark drawn as a vertical line. The x axis runs at least past that mark.
 */
export function reachOption(reach: Reach, measure: ReachMeasure, theme: ChartTheme, labels: ReachLabels): ChartOption {
  const line = (points: readonly ReachPoint[]) => points.map((point) => [point.minute, Math.round(point[measure] * 1000) / 10]);
  const lastMinute = Math.max(HOUR_MARK_MINUTES + 10, ...reach.total.points.map((point) => point.minute));
  const axis = {
    axisLabel: { color: theme.muted, fontFamily: CHART_FONT },
    axisLine: { lineStyle: { color: theme.line } },
    splitLine: { lineStyle: { color: theme.line } },
  };
  return {
    color: [theme.text, ...theme.palette],
    textStyle: { color: theme.text, fontFamily: CHART_FONT },
    tooltip: { trigger: 'axis', valueFormatter: (value) => (typeof value === 'number' ? `${value.toFixed(1)}%` : '—') },
    legend: { type: 'scroll', top: 0, textStyle: { color: theme.text, fontFamily: CHART_FONT } },
    grid: { left: 48, right: 24, top: 44, bottom: 40 },
    xAxis: { type: 'value', min: 0, max: lastMinute, name: labels.minutesSince, nameLocation: 'middle', nameGap: 26, ...axis },
    yAxis: {
      type: 'value',
      min: 0,
      max: 100,
      axisLabel: { ...axis.axisLabel, formatter: '{value}%' },
      axisLine: axis.axisLine,
      splitLine: axis.splitLine,
    },
    series: [
      {
        name: labels.total,
        type: 'line',
        step: 'end',
        showSymbol: false,
        lineStyle: { width: 3 },
        data: line(reach.total.points),
        animation: false,
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: '#d6333f', type: 'dashed', width: 2 },
          label: { formatter: labels.hourMark, color: '#d6333f', fontFamily: CHART_FONT },
          data: [{ xAxis: HOUR_MARK_MINUTES }],
        },
      },
      ...(reach.townships.length > 1
        ? reach.townships.map((township) => ({
            name: township.name,
            type: 'line' as const,
            step: 'end' as const,
            showSymbol: false,
            data: line(township.points),
            animation: false,
          }))
        : []),
    ],
  };
}
