import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { PeriodQuery } from './review-api.ts';
import { exportUrl, trendQuery, urbanRuralQuery } from './review-api.ts';
import { CHART_THEMES, ReviewChart } from './review-chart.tsx';
import { townshipScoresOption, trendOption, urbanRuralOption } from './review-charts.ts';
import { formatKpi } from './review-format.ts';
import { useReviewStrings } from './review-strings.ts';
import type { ReviewTheme } from './review-theme.ts';
import { useChartTheme } from './review-theme.ts';

function ExportLink({ href, testId }: { href: string | null; testId: string }) {
  const { s } = useReviewStrings();
  if (!href) return null;
  return (
    <a className="button small review-export" href={href} download data-testid={testId}>
      {s.exportXlsx}
    </a>
  );
}

/** The reviewed area's KPIs month by month, as lines (the overall score and the 0-100 KPIs). */
export function TrendPanel({
  code,
  period,
  theme,
  canExport,
}: {
  code: string;
  period: PeriodQuery;
  theme: ReviewTheme;
  canExport: boolean;
}) {
  const { lang, s } = useReviewStrings();
  const trend = useQuery(trendQuery(code, period)).data;
  const chartTheme = useChartTheme(theme);
  const option = useMemo(
    () => (trend ? trendOption(trend, CHART_THEMES[chartTheme], lang, s.score) : null),
    [trend, chartTheme, lang, s.score],
  );
  return (
    <section className="review-panel review-chart-panel" aria-label={s.trend} data-testid="review-trend">
      <header className="review-panel-header">
        <h3>
          {s.trend}
          {trend && <span className="muted"> · {trend.area.name}</span>}
        </h3>
        <ExportLink href={canExport ? exportUrl('trend', code, period) : null} testId="review-trend-export" />
      </header>
      {option ? (
        <ReviewChart option={option} label={s.trend} testId="review-trend-chart" />
      ) : (
        <p className="muted">{s.loading}</p>
      )}
    </section>
  );
}

/**
 * The urban core (壁州街道, 诺江镇) against the rural townships: the county's two aggregates KPI by
 * KPI as bars, the gap in a table, and each township's overall score in its group's colour.
 */
export function UrbanRuralPanel({ period, theme, canExport }: { period: PeriodQuery; theme: ReviewTheme; canExport: boolean }) {
  const { lang, s } = useReviewStrings();
  const data = useQuery(urbanRuralQuery(period)).data;
  const chartTheme = useChartTheme(theme);
  const options = useMemo(
    () =>
      data
        ? {
            groups: urbanRuralOption(data, CHART_THEMES[chartTheme], lang),
            townships: townshipScoresOption(data, CHART_THEMES[chartTheme], lang, s.score),
          }
        : null,
    [data, chartTheme, lang, s.score],
  );
  const units = new Map(data?.urban.kpis.map((kpi) => [kpi.key, kpi] as const));
  return (
    <section className="review-panel review-urban-rural" aria-label={s.urbanRural} data-testid="review-urban-rural">
      <header className="review-panel-header">
        <h3>{s.urbanRural}</h3>
        <ExportLink href={canExport ? exportUrl('urban-rural', '', period) : null} testId="review-urban-rural-export" />
      </header>
      {options && data ? (
        <div className="review-urban-rural-body">
          <ReviewChart option={options.groups} label={s.urbanRural} testId="review-urban-rural-chart" />
          <ReviewChart option={options.townships} label={s.townships} />
          <div className="review-table-wrap review-gap">
            <table className="review-table">
              <thead>
                <tr>
                  <th>{s.kpis}</th>
                  <th>{s.urban}</th>
                  <th>{s.rural}</th>
                  <th>{s.gap}</th>
                </tr>
              </thead>
              <tbody>
                {data.gap.map((row) => {
                  const kpi = units.get(row.key);
                  if (!kpi) return null;
                  return (
                    <tr key={row.key}>
                      <th scope="row">{kpi.label[lang]}</th>
                      <td className="review-number">{formatKpi(row.urban, kpi.unit, lang)}</td>
                      <td className="review-number">{formatKpi(row.rural, kpi.unit, lang)}</td>
                      <td className="review-number">{formatGap(row.gap, kpi.unit, lang)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      ) : (
        <p className="muted">{s.loading}</p>
      )}
    </section>
  );
}

/** A signed difference: "+12.5" points, or a duration with its sign. */
function formatGap(gap: number | null, unit: 'percent' | 'minutes' | 'score', lang: 'zh' | 'en'): string {
  if (gap === null) return '—';
  const sign = gap > 0 ? '+' : gap < 0 ? '−' : '';
  if (unit === 'minutes') return `${sign}${formatKpi(Math.abs(gap), unit, lang)}`;
  return `${sign}${Math.abs(gap).toFixed(1)}`;
}
