import { MarkLineComponent } from 'echarts/components';
import { use } from 'echarts/core';
import type { ReachStage } from '../../api/vocabulary/task-monitor.ts';
import { REACH_MARK_MINUTES } from '../../api/vocabulary/task-monitor.ts';
import type { ChartOption, ChartTheme } from '../review/review-chart.tsx';
import type { Reach } from './tasks-api.ts';

// The 1-hour mark is a markLine; the review's charts register lines, bars, axes, legend and tooltips.
use([MarkLineComponent]);

const CHART_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", system-ui, sans-serif';

/**
 * A point of a curve: the minute and each stage's share. The route builds the point's schema from
 * REACH_STAGES (Object.fromEntries), which its inferred type does not keep; the stages are there.
 */
type ReachPoint = Reach['total']['points'][number] & Record<ReachStage, number>;

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
export function reachOption(reach: Reach, measure: ReachStage, theme: ChartTheme, labels: ReachLabels): ChartOption {
  const line = (points: readonly Reach['total']['points'][number][]) =>
    (points as readonly ReachPoint[]).map((point) => [point.minute, Math.round(point[measure] * 1000) / 10]);
  const lastMinute = Math.max(REACH_MARK_MINUTES + 10, ...reach.total.points.map((point) => point.minute));
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
          data: [{ xAxis: REACH_MARK_MINUTES }],
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
