import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TaskStatus } from '../../api/vocabulary/tasks.ts';
import { TASK_KINDS, TASK_STATUSES } from '../../api/vocabulary/tasks.ts';
import { AppLink } from '../app-link.tsx';
import { useSession } from '../auth/session.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { fill, formatDateTime } from '../i18n.ts';
import { useOwnDrillRunning } from '../live/drill.tsx';
import { navigate, taskPath } from '../routes.ts';
import { DispatchDialog } from './dispatch-dialog.tsx';
import { StateBar } from './state-bar.tsx';
import type { TaskFilter } from './tasks-api.ts';
import { dispatchDrillTask, taskKeys, taskLinesQuery, tasksQuery } from './tasks-api.ts';
import { useTasksStrings } from './tasks-strings.ts';

const STATUSES = Object.keys(TASK_STATUSES) as TaskStatus[];

/**
 * The tasks of the reader's scope, newest first: line, title, area, deadline, status and a bar of
 * how far its targets got; filtered by line and status. Those who may dispatch open the dialog
 * here; while the drill runs, a practice task fills the reach curve for a demonstration.
 */
export function TaskListPage() {
  const { s, lang } = useTasksStrings();
  const { can, me } = useSession();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<TaskFilter>({ line: '', status: '' });
  const [dispatching, setDispatching] = useState(false);
  const [drillBusy, setDrillBusy] = useState(false);
  const drillRunning = useOwnDrillRunning();
  const tasksRead = useQuery(tasksQuery(filter));
  const lines = useQuery(taskLinesQuery()).data?.lines ?? [];
  const tasks = tasksRead.data?.tasks ?? [];

  const drill = async () => {
    setDrillBusy(true);
    try {
      const { taskId, targets } = await dispatchDrillTask(me.scopeCode);
      await queryClient.invalidateQueries({ queryKey: taskKeys.all });
      showNotice(s.drillTaskSent, fill(s.targetsCount, { n: targets }));
      navigate(taskPath(taskId));
    } catch (error) {
      handleError(error);
    } finally {
      setDrillBusy(false);
    }
  };

  return (
    <section className="tasks-panel">
      <div className="tasks-toolbar">
        <label className="tasks-inline-field">
          <span>{s.line}</span>
          <select
            className="input"
            value={filter.line}
            onChange={(event) => setFilter({ ...filter, line: event.target.value })}
            data-testid="filter-line"
          >
            <option value="">{s.allLines}</option>
            {lines.map((line) => (
              <option key={line.code} value={line.code}>
                {line.name}
              </option>
            ))}
          </select>
        </label>
        <label className="tasks-inline-field">
          <span>{s.status}</span>
          <select
            className="input"
            value={filter.status}
            onChange={(event) => setFilter({ ...filter, status: STATUSES.find((status) => status === event.target.value) ?? '' })}
            data-testid="filter-status"
          >
            <option value="">{s.allStatuses}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {TASK_STATUSES[status][lang]}
              </option>
            ))}
          </select>
        </label>
        <div className="tasks-actions">
          {drillRunning && can('drill.run') && can('tasks.dispatch') && (
            <button
              type="button"
              className="button"
              title={s.drillTaskHint}
              disabled={drillBusy}
              onClick={drill}
              data-testid="drill-task"
            >
              {s.drillTask}
            </button>
          )}
          {can('tasks.dispatch') && (
            <button type="button" className="button primary" onClick={() => setDispatching(true)} data-testid="open-dispatch">
              {s.dispatch}
            </button>
          )}
        </div>
      </div>
      <div className="tasks-table-wrap">
        <table className="tasks-table" data-testid="task-list">
          <thead>
            <tr>
              <th>{s.line}</th>
              <th>{s.taskTitle}</th>
              <th>{s.kind}</th>
              <th>{s.area}</th>
              <th>{s.deadline}</th>
              <th>{s.status}</th>
              <th className="tasks-progress-head">{s.progress}</th>
              <th className="tasks-number">{s.targets}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.id} data-testid="task-row" data-task-id={task.id}>
                <td>{task.lineName}</td>
                <th scope="row">
                  <AppLink href={taskPath(task.id)}>{task.title}</AppLink>
                  {task.drill && <span className="drill-chip">{s.drill}</span>}
                </th>
                <td>{TASK_KINDS[task.kind][lang]}</td>
                <td>{task.areaName}</td>
                <td>{formatDateTime(task.deadline)}</td>
                <td>
                  <span className="status-chip" data-status={task.status}>
                    {TASK_STATUSES[task.status][lang]}
                  </span>
                </td>
                <td>
                  <StateBar counts={task.counts} />
                </td>
                <td className="tasks-number">
                  {task.counts.done}/{task.targetCount}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {tasks.length === 0 && <p className="empty-note">{tasksRead.isPending ? s.loading : s.noTasks}</p>}
      </div>
      {dispatching && <DispatchDialog onClose={() => setDispatching(false)} />}
    </section>
  );
}
