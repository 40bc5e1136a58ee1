import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { REMINDER_KINDS } from '../../api/vocabulary/tasks.ts';
import { FormDialog } from '../admin/form-dialog.tsx';
import { newClientId } from '../client-id.ts';
import { showNotice } from '../handle-error.ts';
import { fill, formatDateTime } from '../i18n.ts';
import { remindersQuery, remindLaggards, taskKeys } from './tasks-api.ts';
import { useTasksStrings } from './tasks-strings.ts';

interface RemindersPanelProps {
  taskId: string;
  /** Targets not done: those a reminder goes to. */
  laggards: number;
  canRemind: boolean;
}

/**
 * 一键催办 and what was sent: one action reminds every target not done (after a confirmation
 * naming how many); the list shows the reminders and the sweep's escalations, newest first.
 */
export function RemindersPanel({ taskId, laggards, canRemind }: RemindersPanelProps) {
  const { s, lang } = useTasksStrings();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<string | null>(null);
  const reminders = useQuery(remindersQuery(taskId)).data?.reminders ?? [];

  const remind = async (clientId: string) => {
    const { reminded } = await remindLaggards(taskId, clientId);
    await queryClient.invalidateQueries({ queryKey: taskKeys.task(taskId) });
    showNotice(fill(s.reminded, { n: reminded }));
  };

  return (
    <section className="tasks-panel" data-testid="reminders-panel">
      <header className="tasks-panel-header">
        <h3>{s.reminders}</h3>
        {canRemind && (
          <button
            type="button"
            className="button primary"
            disabled={laggards === 0}
            onClick={() => setConfirming(newClientId())}
            data-testid="remind"
          >
            {s.remind}
          </button>
        )}
      </header>
      <div className="tasks-table-wrap short">
        <table className="tasks-table" data-testid="reminders-table">
          <thead>
            <tr>
              <th>{s.at}</th>
              <th>{s.kind}</th>
              <th>{s.recipient}</th>
              <th>{s.sentBy}</th>
            </tr>
          </thead>
          <tbody>
            {reminders.map((reminder) => (
              <tr key={reminder.id} data-testid="reminder-row" data-kind={reminder.kind}>
                <td>{formatDateTime(reminder.sentAt)}</td>
                <td>{REMINDER_KINDS[reminder.kind][lang]}</td>
                <td title={reminder.areaCode}>{reminder.areaName ?? <code>{reminder.areaCode}</code>}</td>
                <td>{reminder.sentByName}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {reminders.length === 0 && <p className="empty-note">{s.noReminders}</p>}
      </div>
      {confirming && (
        <FormDialog
          title={s.remind}
          submitLabel={s.confirm}
          onSubmit={() => remind(confirming)}
          onClose={() => setConfirming(null)}
        >
          <p data-testid="remind-confirm">{fill(s.remindConfirm, { n: laggards })}</p>
        </FormDialog>
      )}
    </section>
  );
}
