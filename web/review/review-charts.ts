import type { Language } from '../i18n.ts';
import type { Kpi, TrendResponse, UrbanRuralResponse } from './review-api.ts';
import type { ChartOption, ChartTheme } from './review-chart.tsx';
import { formatKpi, monthLabel } from './review-format.ts';

/**
 * The UI's typeface by name: ECharts measures text on a canvas, where `inherit` means nothing, and
 * a measure in another font than the one drawn lets long Chinese labels run into each other.
 */
const CHART_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", system-ui, sans-serif';

/** KPIs on the 0-100 scale (rates and scores), which share one axis; the mean times do not. */
function onHundredScale(kpi: Pick<Kpi, 'unit'>): boolean {
  return kpi.unit !== 'minutes';
}

/** Lines shown at first; the others are a legend click away. */
const TREND_SHOWN = new Set(['on_time_closure', 'closure', 'resident_satisfaction', 'score']);

function axes(theme: ChartTheme) {
  const axisLine = { lineStyle: { color: theme.line } };
  return {
    axisLabel: { color: theme.muted, fontFamily: CHART_FONT },
    axisLine,
    splitLine: { lineStyle: { color: theme.line } },
  };
}

/** The area's KPIs month by month: the rates and scores (0-100) as lines, and the overall score. */
export function trendOption(trend: TrendResponse, theme: ChartTheme, lang: Language, scoreLabel: string): ChartOption {
  const first = trend.months[0];
  const kpis = (first?.kpis ?? []).filter(onHundredScale);
  const names = [scoreLabel, ...kpis.map((kpi) => kpi.label[lang])];
  const selected = Object.fromEntries([[scoreLabel, true], ...kpis.map((kpi) => [kpi.label[lang], TREND_SHOWN.has(kpi.key)])]);
  return {
    color: [...theme.palette],
    textStyle: { color: theme.text, fontFamily: CHART_FONT },
    tooltip: { trigger: 'axis', valueFormatter: (value) => (typeof value === 'number' ? value.toFixed(1) : '—') },
    legend: { data: names, selected, textStyle: { color: theme.text, fontFamily: CHART_FONT }, type: 'scroll', top: 0 },
    grid: { left: 44, right: 16, top: 48, bottom: 28 },
    xAxis: { type: 'category', data: trend.months.map((month) => monthLabel(month.month, lang)), ...axes(theme) },
    yAxis: { type: 'value', min: 0, max: 100, ...axes(theme) },
    series: [
      {
        name: scoreLabel,
        type: 'line',
        data: trend.months.map((month) => month.score),
        connectNulls: false,
        lineStyle: { width: 3 },
        animation: false,
      },
      ...kpis.map((kpi) => ({
        name: kpi.label[lang],
        type: 'line' as const,
        data: trend.months.map((month) => month.kpis.find((candidate) => candidate.key === kpi.key)?.value ?? null),
        connectNulls: false,
        animation: false,
      })),
    ],
  };
}

/** The urban core against the rural townships, KPI by KPI (rates and scores, 0-100). */
export function urbanRuralOption(data: UrbanRuralResponse, theme: ChartTheme, lang: Language): ChartOption {
  const kpis = data.urban.kpis.filter(onHundredScale);
  const value = (group: UrbanRuralResponse['urban'], key: string) => group.kpis.find((kpi) => kpi.key === key)?.value ?? null;
  return {
    color: [theme.palette[0] ?? '#1a62c9', theme.palette[1] ?? '#d9822b'],
    textStyle: { color: theme.text, fontFamily: CHART_FONT },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (figure) => (typeof figure === 'number' ? formatKpi(figure, 'score', lang) : '—'),
    },
    legend: {
      data: [data.urban.label[lang], data.rural.label[lang]],
      textStyle: { color: theme.text, fontFamily: CHART_FONT },
      top: 0,
    },
    grid: { left: 44, right: 16, top: 40, bottom: 64 },
    xAxis: {
      type: 'category',
      data: kpis.map((kpi) => kpi.label[lang]),
      ...axes(theme),
      axisLabel: { color: theme.muted, fontFamily: CHART_FONT, interval: 0, rotate: kpis.length > 5 ? 30 : 0 },
    },
    yAxis: { type: 'value', min: 0, max: 100, ...axes(theme) },
    series: [data.urban, data.rural].map((group) => ({
      name: group.label[lang],
      type: 'bar' as const,
      data: kpis.map((kpi) => value(group, kpi.key)),
      animation: false,
    })),
  };
}

/** Each township's overall score, the urban core's in one colour and the rural ones in another, best first. */
export function townshipScoresOption(
  data: UrbanRuralResponse,
  theme: ChartTheme,
  lang: Language,
  scoreLabel: string,
): ChartOption {
  const townships = [...data.townships].sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
  const urbanColour = theme.palette[0] ?? '#1a62c9';
  const ruralColour = theme.palette[1] ?? '#d9822b';
  return {
    textStyle: { color: theme.text, fontFamily: CHART_FONT },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (figure) => (typeof figure === 'number' ? formatKpi(figure, 'score', lang) : '—'),
    },
    grid: { left: 44, right: 16, top: 16, bottom: 64 },
    xAxis: {
      type: 'category',
      data: townships.map((township) => township.name),
      ...axes(theme),
      axisLabel: { color: theme.muted, fontFamily: CHART_FONT, interval: 0, rotate: townships.length > 8 ? 40 : 0 },
    },
    yAxis: { type: 'value', min: 0, max: 100, ...axes(theme) },
    series: [
      {
        name: scoreLabel,
        type: 'bar',
        data: townships.map((township) => ({
          value: township.score,
          itemStyle: { color: township.urban ? urbanColour : ruralColour },
        })),
        animation: false,
      },
    ],
  };
}
