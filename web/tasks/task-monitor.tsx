import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { TASK_KINDS, TASK_STATUSES } from '../../api/vocabulary/tasks.ts';
import { FormDialog } from '../admin/form-dialog.tsx';
import { areaByCodeQuery } from '../areas/area-queries.ts';
import { useSession } from '../auth/session.ts';
import { formatDateTime } from '../i18n.ts';
import type { ReviewTheme } from '../review/review-theme.ts';
import { ReachPanel } from './reach-panel.tsx';
import { RemindersPanel } from './reminders-panel.tsx';
import { ResultsTable } from './results-table.tsx';
import { StateBar, StateLegend } from './state-bar.tsx';
import { TaskMap } from './task-map.tsx';
import { cancelTask, closeTask, resultsQuery, taskKeys, taskQuery } from './tasks-api.ts';
import { useTasksStrings } from './tasks-strings.ts';
import { useLiveTargets } from './use-live-targets.ts';

/**
 * The monitor of one task: what it asks, the area's cells on the map coloured by their target's
 * state with the legend and counts (live), the reach curves per township, reminding laggards and
 * the reminders and escalations, and for a collection task the answers with their locations on
 * the map and the exports.
 */
export function TaskMonitor({ taskId, theme }: { taskId: string; theme: ReviewTheme }) {
  const { s, lang } = useTasksStrings();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const taskRead = useQuery(taskQuery(taskId));
  const task = taskRead.data?.task ?? null;
  const area = useQuery({ ...areaByCodeQuery(task?.areaCode ?? ''), enabled: task !== null }).data ?? null;
  const live = useLiveTargets(taskId);
  const collection = task?.kind === 'collection';
  const results = useQuery(resultsQuery(taskId, collection)).data ?? null;
  const [ending, setEnding] = useState<'close' | 'cancel' | null>(null);
  const locations = useMemo(
    () =>
      (results?.rows ?? []).flatMap((row) => (row.location ? [[row.location.lon, row.location.lat] as [number, number]] : [])),
    [results],
  );

  if (!task) return <p className="empty-note">{taskRead.isError ? s.notFound : s.loading}</p>;

  const laggards = live.targets.length - live.counts.done;
  const end = async (action: 'close' | 'cancel') => {
    await (action === 'close' ? closeTask(taskId) : cancelTask(taskId));
    await queryClient.invalidateQueries({ queryKey: taskKeys.all });
  };

  return (
    <div className="task-monitor" data-testid="task-monitor">
      <section className="tasks-panel task-head">
        <div className="task-head-text">
          <h3 data-testid="task-title">
            {task.title}
            {task.drill && <span className="drill-chip">{s.drill}</span>}
          </h3>
          <p className="muted">
            {task.lineName} · {TASK_KINDS[task.kind][lang]} · {task.areaName} · {s.deadline} {formatDateTime(task.deadline)} ·{' '}
            <span className="status-chip" data-status={task.status}>
              {TASK_STATUSES[task.status][lang]}
            </span>
          </p>
          {task.body && <p className="task-body">{task.body}</p>}
          <p className="muted small">
            {s.owner} {task.ownerName} · {s.dispatchedAt} {formatDateTime(task.dispatchedAt)}
          </p>
        </div>
        {can('tasks.dispatch') && task.status === 'open' && (
          <div className="task-head-actions">
            <button type="button" className="button small" onClick={() => setEnding('close')}>
              {s.closeTask}
            </button>
            <button type="button" className="button small danger" onClick={() => setEnding('cancel')}>
              {s.cancelTask}
            </button>
          </div>
        )}
      </section>
      <div className="task-monitor-grid">
        <section className="tasks-panel task-map-panel">
          <header className="tasks-panel-header">
            <h3>{s.counts}</h3>
            <StateBar counts={live.counts} />
          </header>
          <StateLegend counts={live.counts} />
          {area && (
            <TaskMap
              key={theme}
              theme={theme}
              areaCode={task.areaCode}
              bbox={area.bbox}
              cellStates={live.cellStates}
              locations={locations}
              label={s.mapLabel}
            />
          )}
        </section>
        <ReachPanel taskId={taskId} theme={theme} />
      </div>
      <RemindersPanel taskId={taskId} laggards={task.status === 'open' ? laggards : 0} canRemind={can('tasks.dispatch')} />
      {collection && <ResultsTable taskId={taskId} results={results} canExport={can('tasks.export')} />}
      {ending && (
        <FormDialog
          title={ending === 'close' ? s.closeTask : s.cancelTask}
          submitLabel={s.confirm}
          danger={ending === 'cancel'}
          onSubmit={() => end(ending)}
          onClose={() => setEnding(null)}
        >
          <p>{ending === 'close' ? s.closeConfirm : s.cancelConfirm}</p>
        </FormDialog>
      )}
    </div>
  );
}
