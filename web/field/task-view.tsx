import { type ReactNode, useEffect, useRef, useState } from 'react';
import { firstLocation } from '../../api/vocabulary/task-forms.ts';
import { TARGET_STATES, TASK_KINDS } from '../../api/vocabulary/tasks.ts';
import { useSession } from '../auth/session.ts';
import { showNotice } from '../handle-error.ts';
import { fill, formatDateTime } from '../i18n.ts';
import { formOf, type InboxTask } from './inbox-task.ts';
import { TaskForm } from './task-form.tsx';
import { queueTaskAction, type TaskAction } from './task-outbox.ts';
import { useTaskStrings } from './task-strings.ts';

/** The task's heading: line, kind, title, deadline, who sent it, and its text. */
function TaskHead({ task }: { task: InboxTask }) {
  const { k, lang } = useTaskStrings();
  const overdue = new Date(task.task.deadline).getTime() < Date.now() && task.shownState !== 'done';
  return (
    <header className="tk-head">
      <p className="tk-line">
        {task.task.lineName} · {TASK_KINDS[task.task.kind][lang]}
        {task.task.drill && <span className="tk-drill">{k.drill}</span>}
        <span className="tk-state" data-state={task.shownState} data-testid="task-state">
          {TARGET_STATES[task.shownState][lang]}
        </span>
      </p>
      <h2>{task.task.title}</h2>
      <p className="tk-meta" data-overdue={overdue}>
        {fill(k.deadline, { time: formatDateTime(task.task.deadline) })}
        {overdue && ` · ${k.overdue}`}
      </p>
      <p className="tk-meta">
        {fill(k.dispatchedBy, { owner: task.task.ownerName, time: formatDateTime(task.task.dispatchedAt) })}
      </p>
      {task.task.body && <p className="tk-body">{task.task.body}</p>}
      {task.task.status !== 'open' && (
        <p className="tk-closed">{task.task.status === 'cancelled' ? k.cancelledTask : k.closedTask}</p>
      )}
    </header>
  );
}

/** What waits in the outbox for this task, or what the server refused of it. */
function TaskUnsent({ task }: { task: InboxTask }) {
  const { k } = useTaskStrings();
  if (task.unsent.length === 0) return null;
  const refused = task.unsent.filter((item) => item.state === 'refused');
  const waiting = task.unsent.length - refused.length;
  return (
    <div className="tk-unsent" data-testid="task-unsent">
      {waiting > 0 && <p>{fill(k.pending, { n: waiting })}</p>}
      {refused.map((item) => (
        <p key={item.clientId} className="tf-problem" role="alert">
          {fill(k.outboxRefused, { message: item.error ?? '' })}
        </p>
      ))}
    </div>
  );
}

/**
 * One task opened from the inbox: opening it sends the read receipt (through the outbox); a notice
 * is acknowledged (签收) with one button; a collection form is filled once, or once per household
 * of the cell with 完成 for the households left (nobody home).
 */
export function TaskView({ task, onBack }: { task: InboxTask; onBack: () => void }) {
  const { k } = useTaskStrings();
  const { me } = useSession();
  const [household, setHousehold] = useState<string | null>(null);
  const queue = (action: TaskAction) => queueTaskAction(me.username, task.task.title, action);
  const base = { targetId: task.targetId, taskId: task.task.id };
  const open = task.task.status === 'open';

  // Opening sends the read receipt, once: the server keeps the first read.
  const receipted = useRef(false);
  useEffect(() => {
    if (receipted.current || task.readAt || (task.shownState !== 'delivered' && task.shownState !== 'pending')) return;
    receipted.current = true;
    void queueTaskAction(me.username, task.task.title, { kind: 'read', targetId: task.targetId, taskId: task.task.id });
  }, [task, me.username]);

  const answer = async (answers: Record<string, unknown>, photos: Map<string, Blob>, householdCode: string | null) => {
    const fields = formOf(task);
    await queue({
      kind: 'answer',
      ...base,
      householdCode,
      answers,
      location: firstLocation(fields, answers),
      photos: [...photos].map(([localId, blob]) => ({ localId, blob, serverId: null })),
    });
    showNotice(k.submitQueued);
    setHousehold(null);
    if (!task.task.perHousehold) onBack();
  };

  let body: ReactNode = null;
  if (task.task.kind === 'notice') {
    body =
      task.acknowledgedAt || task.shownState === 'acknowledged' || task.shownState === 'done' ? (
        <p className="fp-acknowledged" data-testid="task-acknowledged">
          ✓ {fill(k.acknowledged, { time: formatDateTime(task.acknowledgedAt ?? new Date().toISOString()) })}
        </p>
      ) : (
        open && (
          <button
            type="button"
            className="button primary tk-acknowledge"
            onClick={() => void queue({ kind: 'acknowledge', ...base }).then(() => showNotice(k.acknowledgeQueued))}
            data-testid="task-acknowledge"
          >
            {k.acknowledge}
          </button>
        )
      );
  } else if (!task.task.perHousehold) {
    const earlier = task.responses[0];
    body = (
      <>
        {earlier && <p className="fp-acknowledged">✓ {fill(k.submitted, { time: formatDateTime(earlier.updatedAt) })}</p>}
        {open && (
          <TaskForm
            fields={formOf(task)}
            earlier={earlier?.answers}
            onSubmit={(answers, photos) => answer(answers, photos, null)}
          />
        )}
      </>
    );
  } else {
    body = (
      <HouseholdList
        task={task}
        open={open}
        household={household}
        onHousehold={setHousehold}
        onAnswer={answer}
        onComplete={() => queue({ kind: 'complete', ...base }).then(() => showNotice(k.completeQueued))}
      />
    );
  }

  return (
    <section className="tk-view" data-testid="task-view" data-kind={task.task.kind}>
      <button type="button" className="tk-back" onClick={onBack}>
        ‹ {k.back}
      </button>
      <TaskHead task={task} />
      <TaskUnsent task={task} />
      {body}
    </section>
  );
}

/** A per-household task: the cell's households answered or not, each a tap from its form; 完成 with some left. */
function HouseholdList({
  task,
  open,
  household,
  onHousehold,
  onAnswer,
  onComplete,
}: {
  task: InboxTask;
  open: boolean;
  household: string | null;
  onHousehold: (code: string | null) => void;
  onAnswer: (answers: Record<string, unknown>, photos: Map<string, Blob>, householdCode: string | null) => Promise<void>;
  onComplete: () => Promise<unknown>;
}) {
  const { k } = useTaskStrings();
  const households = task.households ?? [];
  const answered = new Map(task.responses.map((response) => [response.householdCode, response]));
  const queued = new Set(
    task.unsent.flatMap((item) =>
      item.action.kind === 'answer' && item.action.householdCode ? [item.action.householdCode] : [],
    ),
  );
  const done = households.filter((entry) => answered.has(entry.code) || queued.has(entry.code)).length;
  const chosen = households.find((entry) => entry.code === household);
  if (chosen) {
    return (
      <>
        <button type="button" className="tk-back" onClick={() => onHousehold(null)}>
          ‹ {fill(k.households, { done, total: households.length })}
        </button>
        <TaskForm
          key={chosen.code}
          title={fill(k.answerFor, { address: chosen.address })}
          fields={formOf(task)}
          earlier={answered.get(chosen.code)?.answers}
          onSubmit={(answers, photos) => onAnswer(answers, photos, chosen.code)}
        />
      </>
    );
  }
  const left = households.length - done;
  return (
    <div className="tk-households" data-testid="task-households">
      <h3>{fill(k.households, { done, total: households.length })}</h3>
      <ul>
        {households.map((entry) => {
          const state = queued.has(entry.code) ? 'queued' : answered.has(entry.code) ? 'answered' : 'open';
          return (
            <li key={entry.code}>
              <button
                type="button"
                disabled={!open}
                onClick={() => onHousehold(entry.code)}
                data-state={state}
                data-testid="task-household"
              >
                <span>{entry.address}</span>
                <em>{{ queued: k.householdQueued, answered: k.householdAnswered, open: k.householdOpen }[state]}</em>
              </button>
            </li>
          );
        })}
      </ul>
      {open && task.shownState !== 'done' && left > 0 && (
        <button
          type="button"
          className="button tk-complete"
          onClick={() => {
            if (window.confirm(fill(k.completeConfirm, { n: left }))) void onComplete();
          }}
          data-testid="task-complete"
        >
          {k.complete}
        </button>
      )}
    </div>
  );
}
