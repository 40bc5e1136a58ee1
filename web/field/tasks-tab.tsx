import './tasks.css';
import { useEffect, useState } from 'react';
import { TARGET_STATES, TASK_KINDS } from '../../api/vocabulary/tasks.ts';
import { fill, formatDateTime } from '../i18n.ts';
import type { InboxTask } from './inbox-task.ts';
import { taskOutbox } from './task-outbox.ts';
import { useTaskStrings } from './task-strings.ts';
import { TaskView } from './task-view.tsx';
import type { Escalation } from './tasks-api.ts';
import type { TaskInboxState } from './use-task-inbox.ts';

/** The target whose task is open: `#tasks/<target id>` in the URL, so a reload keeps it. */
function targetInHash(): number | null {
  const match = /^#tasks\/(\d+)$/.exec(window.location.hash);
  return match?.[1] ? Number(match[1]) : null;
}

function openTask(targetId: number | null): void {
  window.location.hash = targetId === null ? 'tasks' : `tasks/${targetId}`;
}

function TaskRow({ task }: { task: InboxTask }) {
  const { k, lang } = useTaskStrings();
  const overdue = new Date(task.task.deadline).getTime() < Date.now() && task.shownState !== 'done';
  const waiting = task.unsent.some((item) => item.state !== 'refused');
  return (
    <li>
      <button
        type="button"
        className="fp-card tk-row"
        data-state={task.shownState}
        data-status={task.task.status}
        onClick={() => openTask(task.targetId)}
        data-testid="task-row"
      >
        <span className="tk-line">
          {task.task.lineName} · {TASK_KINDS[task.task.kind][lang]}
          {task.task.drill && <span className="tk-drill">{k.drill}</span>}
        </span>
        <strong>{task.task.title}</strong>
        <span className="tk-meta" data-overdue={overdue}>
          {fill(k.deadline, { time: formatDateTime(task.task.deadline) })}
          {overdue && ` · ${k.overdue}`}
        </span>
        <span className="tk-state" data-state={task.shownState}>
          {TARGET_STATES[task.shownState][lang]}
          {waiting && ' ↑'}
        </span>
      </button>
    </li>
  );
}

/** The silent cells escalated to this grid worker or grid chief, with the informant to call. */
function Escalations({ escalations }: { escalations: Escalation[] }) {
  const { k } = useTaskStrings();
  if (escalations.length === 0) return null;
  return (
    <section className="tk-escalations" data-testid="task-escalations">
      <h3>{k.escalations}</h3>
      <p className="tk-hint">{k.escalationHint}</p>
      <ul>
        {escalations.map((escalation) => (
          <li key={escalation.targetId} className="fp-card" data-testid="task-escalation">
            <strong>{escalation.areaName}</strong>
            <span>{escalation.taskTitle}</span>
            <span className="tk-meta">
              {escalation.level === 2 ? k.escalationLevel2 : k.escalationLevel1} ·{' '}
              {fill(k.escalatedAt, { time: formatDateTime(escalation.escalatedAt) })}
            </span>
            <span className="tk-person">
              {escalation.personName ?? '—'}
              {escalation.personPhone ? (
                <a className="button" href={`tel:${escalation.personPhone}`}>
                  {k.call} {escalation.personPhone}
                </a>
              ) : (
                <em>{k.noPhone}</em>
              )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The task inbox (任务): the reader's tasks, newest first, each a tap from its view; escalations to the reader below. */
export function TasksTab({ state }: { state: TaskInboxState }) {
  const { k, t } = useTaskStrings();
  const [targetId, setTargetId] = useState(targetInHash);
  useEffect(() => {
    const onHash = () => setTargetId(targetInHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const { tasks, escalations, copyReadAt, failed, refresh } = state;
  const opened = targetId === null ? undefined : tasks?.find((task) => task.targetId === targetId);
  if (opened) return <TaskView key={opened.targetId} task={opened} onBack={() => openTask(null)} />;
  const waiting = tasks?.reduce((sum, task) => sum + task.unsent.filter((item) => item.state !== 'refused').length, 0) ?? 0;
  return (
    <section className="fp-list tk-inbox" data-testid="task-inbox">
      <div className="fp-list-tools">
        <h2>{k.title}</h2>
        {waiting > 0 && (
          <button type="button" className="button" onClick={taskOutbox.retryNow}>
            {fill(k.pending, { n: waiting })} · {k.sendNow}
          </button>
        )}
        <button type="button" className="button" onClick={refresh}>
          {k.refresh}
        </button>
      </div>
      {copyReadAt !== null && (
        <p className="tk-hint">{fill(k.offlineCopy, { time: formatDateTime(new Date(copyReadAt).toISOString()) })}</p>
      )}
      {tasks === null && !failed && <p className="fp-empty">{t.loading}</p>}
      {tasks === null && failed && <p className="fp-empty">{k.loadFailed}</p>}
      {tasks?.length === 0 && <p className="fp-empty">{k.empty}</p>}
      <ul>
        {tasks?.map((task) => (
          <TaskRow key={task.targetId} task={task} />
        ))}
      </ul>
      <Escalations escalations={escalations} />
    </section>
  );
}
