import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormField } from '../../api/vocabulary/task-forms.ts';
import type { TaskKind } from '../../api/vocabulary/tasks.ts';
import { TASK_KINDS } from '../../api/vocabulary/tasks.ts';
import { AreaPicker } from '../admin/area-picker.tsx';
import { FormDialog, inputError } from '../admin/form-dialog.tsx';
import type { AreaSearchResult } from '../api-client.ts';
import { useSession } from '../auth/session.ts';
import { newClientId } from '../client-id.ts';
import { showNotice } from '../handle-error.ts';
import { fill } from '../i18n.ts';
import { navigate, taskPath } from '../routes.ts';
import { FormBuilder } from './form-builder.tsx';
import type { DraftField } from './form-draft.ts';
import { checkDraft } from './form-draft.ts';
import { dispatchTask, type TaskLine, taskKeys, taskLinesQuery } from './tasks-api.ts';
import { useTasksStrings } from './tasks-strings.ts';

const DEFAULT_ESCALATE_MINUTES = 60;

/** `datetime-local`'s value for a moment, in the browser's time zone. */
function localInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/**
 * The lines this account may dispatch on: the active ones, and for a department cadre only those
 * its department owns (the server refuses the others; they are not offered).
 */
function dispatchableLines(lines: readonly TaskLine[], departmentCode: string | null, isCadre: boolean): TaskLine[] {
  return lines.filter(
    (line) => line.active && (!isCadre || (departmentCode !== null && line.departmentCodes.includes(departmentCode))),
  );
}

/**
 * 下发任务: a notice or a collection task to every cell and grid of an area inside the reader's
 * scope. The form is checked in the browser with the server's schema before anything is sent;
 * the server's refusals show in the dialog as they come. One client id per opened dialog, so a
 * double click (or a retry after a lost answer) dispatches once.
 */
export function DispatchDialog({ onClose }: { onClose: () => void }) {
  const { s, lang } = useTasksStrings();
  const { me, scope } = useSession();
  const queryClient = useQueryClient();
  const ids = useId();
  const [clientId] = useState(newClientId);
  const linesRead = useQuery(taskLinesQuery());
  const lines = dispatchableLines(linesRead.data?.lines ?? [], me.departmentCode, me.role === 'department_cadre');
  const [lineCode, setLineCode] = useState('');
  const [kind, setKind] = useState<TaskKind>('notice');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [area, setArea] = useState<AreaSearchResult | null>(scope);
  const [deadline, setDeadline] = useState(() => localInput(new Date(Date.now() + 24 * 3_600_000)));
  const [escalateAfter, setEscalateAfter] = useState(String(DEFAULT_ESCALATE_MINUTES));
  const [perHousehold, setPerHousehold] = useState(false);
  const [fields, setFields] = useState<DraftField[]>([]);
  const chosenLine = lineCode || (lines.length === 1 ? (lines[0]?.code ?? '') : '');

  const submit = async () => {
    if (!chosenLine) throw inputError(s.needLine);
    if (!title.trim()) throw inputError(s.needTitle);
    if (!area) throw inputError(s.needArea);
    const due = new Date(deadline);
    if (!deadline || Number.isNaN(due.getTime())) throw inputError(s.needDeadline);
    if (due.getTime() <= Date.now()) throw inputError(s.deadlinePast);
    let form: FormField[] | undefined;
    if (kind === 'collection') {
      const checked = checkDraft(fields);
      if (!checked.ok) throw inputError(checked.problem.message[lang]);
      form = checked.value;
    }
    const { task } = await dispatchTask({
      clientId,
      lineCode: chosenLine,
      kind,
      title: title.trim(),
      body: body.trim(),
      ...(form ? { fields: form } : {}),
      perHousehold: kind === 'collection' && perHousehold,
      areaCode: area.code,
      deadline: due.toISOString(),
      escalateAfterMinutes: Number(escalateAfter) || DEFAULT_ESCALATE_MINUTES,
    });
    await queryClient.invalidateQueries({ queryKey: taskKeys.all });
    showNotice(fill(s.dispatched, { title: task.title, n: task.targetCount }));
    navigate(taskPath(task.id));
  };

  return (
    <FormDialog title={s.dispatch} submitLabel={s.dispatch} onSubmit={submit} onClose={onClose}>
      <div className="dispatch-grid" data-testid="dispatch-dialog">
        <div className="field">
          <label htmlFor={`${ids}-line`}>{s.line}</label>
          <select
            id={`${ids}-line`}
            className="input"
            value={chosenLine}
            onChange={(event) => setLineCode(event.target.value)}
            data-testid="dispatch-line"
          >
            <option value="">—</option>
            {lines.map((line) => (
              <option key={line.code} value={line.code}>
                {line.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field dispatch-kind">
          <legend>{s.kind}</legend>
          {(Object.keys(TASK_KINDS) as TaskKind[]).map((code) => (
            <label key={code} className="checkbox">
              <input
                type="radio"
                name={`${ids}-kind`}
                checked={kind === code}
                onChange={() => setKind(code)}
                data-testid={`kind-${code}`}
              />
              {TASK_KINDS[code][lang]}
            </label>
          ))}
        </fieldset>
        <div className="field wide">
          <label htmlFor={`${ids}-title`}>{s.taskTitle}</label>
          <input
            id={`${ids}-title`}
            className="input"
            maxLength={100}
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            data-testid="dispatch-title"
          />
        </div>
        <div className="field wide">
          <label htmlFor={`${ids}-body`}>{s.body}</label>
          <textarea
            id={`${ids}-body`}
            className="input"
            rows={3}
            value={body}
            onChange={(event) => setBody(event.target.value)}
            data-testid="dispatch-body"
          />
        </div>
        <div className="wide">
          <AreaPicker label={s.area} value={area} onChange={setArea} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-deadline`}>{s.deadline}</label>
          <input
            id={`${ids}-deadline`}
            className="input"
            type="datetime-local"
            value={deadline}
            onChange={(event) => setDeadline(event.target.value)}
            data-testid="dispatch-deadline"
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-escalate`}>{s.escalateAfter}</label>
          <input
            id={`${ids}-escalate`}
            className="input"
            type="number"
            min={1}
            value={escalateAfter}
            onChange={(event) => setEscalateAfter(event.target.value)}
            aria-describedby={`${ids}-escalate-hint`}
          />
          <small id={`${ids}-escalate-hint`} className="field-hint">
            {s.escalateHint}
          </small>
        </div>
        {kind === 'collection' && (
          <div className="wide">
            <label className="checkbox">
              <input type="checkbox" checked={perHousehold} onChange={(event) => setPerHousehold(event.target.checked)} />
              {s.perHousehold}
            </label>
            <FormBuilder fields={fields} onChange={setFields} />
          </div>
        )}
      </div>
    </FormDialog>
  );
}
