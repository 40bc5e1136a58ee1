import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { ReachStage } from '../../api/vocabulary/task-monitor.ts';
import { REACH_STAGES } from '../../api/vocabulary/task-monitor.ts';
import { TARGET_STATES } from '../../api/vocabulary/tasks.ts';
import { fill } from '../i18n.ts';
import { CHART_THEMES, ReviewChart } from '../review/review-chart.tsx';
import type { ReviewTheme } from '../review/review-theme.ts';
import { useChartTheme } from '../review/review-theme.ts';
import { reachOption } from './reach-chart.ts';
import { reachQuery } from './tasks-api.ts';
import { useTasksStrings } from './tasks-strings.ts';

/**
 * The reach curves: the share of targets delivered, read, acknowledged (or done) by each minute
 * since dispatch, per township and for the whole area, with the 1-hour mark; and the minutes each
 * took to reach 100%.
 */
export function ReachPanel({ taskId, theme }: { taskId: string; theme: ReviewTheme }) {
  const { s, lang } = useTasksStrings();
  const [measure, setMeasure] = useState<ReachStage>('delivered');
  const reach = useQuery(reachQuery(taskId)).data ?? null;
  const chartTheme = CHART_THEMES[useChartTheme(theme)];
  const option = useMemo(
    () =>
      reach &&
      reachOption(reach, measure, chartTheme, { total: s.reachTotal, hourMark: s.hourMark, minutesSince: s.minutesSince }),
    [reach, measure, chartTheme, s],
  );
  const minutes = (value: number | null | undefined) =>
    value === null || value === undefined ? s.notYet : fill(s.minutes, { n: value });

  return (
    <section className="tasks-panel" data-testid="reach-panel">
      <header className="tasks-panel-header">
        <h3>{s.reach}</h3>
        <fieldset className="segmented">
          <legend className="visually-hidden">{s.reach}</legend>
          {REACH_STAGES.map((code) => (
            <button
              key={code}
              type="button"
              aria-pressed={measure === code}
              className={measure === code ? 'segment active' : 'segment'}
              onClick={() => setMeasure(code)}
              data-testid={`reach-${code}`}
            >
              {TARGET_STATES[code][lang]}
            </button>
          ))}
        </fieldset>
      </header>
      {option ? <ReviewChart option={option} label={s.chartLabel} testId="reach-chart" /> : <p className="muted">{s.loading}</p>}
      {reach && (
        <div className="tasks-table-wrap short">
          <table className="tasks-table" data-testid="reach-full">
            <caption className="tasks-caption">{s.fullAt}</caption>
            <thead>
              <tr>
                <th>{s.township}</th>
                <th className="tasks-number">{s.targets}</th>
                {REACH_STAGES.map((code) => (
                  <th key={code} className="tasks-number">
                    {TARGET_STATES[code][lang]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr className="tasks-total-row">
                <th scope="row">{s.reachTotal}</th>
                <td className="tasks-number">{reach.targets}</td>
                {REACH_STAGES.map((code) => (
                  <td key={code} className="tasks-number" data-testid={`full-${code}`}>
                    {minutes(reach.fullAt[code])}
                  </td>
                ))}
              </tr>
              {reach.townships.map((township) => (
                <tr key={township.code}>
                  <th scope="row">{township.name}</th>
                  <td className="tasks-number">{township.targets}</td>
                  {REACH_STAGES.map((code) => (
                    <td key={code} className="tasks-number">
                      {minutes(township.fullAt[code])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
