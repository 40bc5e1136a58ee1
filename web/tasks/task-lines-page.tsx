import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { FormDialog, inputError } from '../admin/form-dialog.tsx';
import { useDepartments } from '../cases/use-departments.ts';
import { handleError, showNotice } from '../handle-error.ts';
import type { TaskLine } from './tasks-api.ts';
import { addLine, changeLine, taskKeys, taskLinesQuery } from './tasks-api.ts';
import { useTasksStrings } from './tasks-strings.ts';
import './tasks.css';

/** A line's code as the API takes it: lower-case letters, digits and underscores, a letter first. */
const LINE_CODE = /^[a-z][a-z0-9_]{1,31}$/;

type Editing = { kind: 'new' } | { kind: 'edit'; line: TaskLine };

/**
 * 任务条线 (admin, `tasks.lines`): the county's lines (the N of 1+4+N) with the departments that
 * own them, whose cadres may dispatch on them. Lines are data: added, renamed, given other
 * departments, retired (a retired line keeps its tasks, and takes no new ones) or restored.
 */
export function TaskLinesPage() {
  const { s } = useTasksStrings();
  const queryClient = useQueryClient();
  const linesRead = useQuery(taskLinesQuery());
  const lines = linesRead.data?.lines ?? [];
  const [editing, setEditing] = useState<Editing | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const reload = () => queryClient.invalidateQueries({ queryKey: taskKeys.lines() });

  const setActive = async (line: TaskLine, active: boolean) => {
    setBusy(line.code);
    try {
      await changeLine(line.code, { active });
      await reload();
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="task-lines" data-testid="task-lines-page">
      <div className="admin-toolbar">
        <button type="button" className="button primary" onClick={() => setEditing({ kind: 'new' })} data-testid="add-line">
          {s.addLine}
        </button>
      </div>
      <div className="table-scroll">
        <table className="data-table" data-testid="task-lines-table">
          <thead>
            <tr>
              <th>{s.lineCode}</th>
              <th>{s.lineName}</th>
              <th>{s.departments}</th>
              <th>{s.status}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.code} data-line={line.code} data-disabled={!line.active}>
                <td>
                  <code>{line.code}</code>
                </td>
                <td>{line.name}</td>
                <td>{line.departments.map((department) => department.name).join('、') || '—'}</td>
                <td>{line.active ? s.active : s.retired}</td>
                <td className="row-actions">
                  <button type="button" className="button small" onClick={() => setEditing({ kind: 'edit', line })}>
                    {s.rename}
                  </button>
                  <button
                    type="button"
                    className={line.active ? 'button small danger' : 'button small'}
                    disabled={busy === line.code}
                    onClick={() => setActive(line, !line.active)}
                  >
                    {line.active ? s.retire : s.restore}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {lines.length === 0 && <p className="empty-note">{linesRead.isPending ? s.loading : s.noTasks}</p>}
      {editing && <LineDialog editing={editing} onSaved={reload} onClose={() => setEditing(null)} />}
    </section>
  );
}

function LineDialog({ editing, onSaved, onClose }: { editing: Editing; onSaved: () => Promise<void>; onClose: () => void }) {
  const { s } = useTasksStrings();
  const ids = useId();
  const departments = useDepartments();
  const line = editing.kind === 'edit' ? editing.line : null;
  const [code, setCode] = useState(line?.code ?? '');
  const [name, setName] = useState(line?.name ?? '');
  const [chosen, setChosen] = useState<string[]>(line ? [...line.departmentCodes] : []);

  const submit = async () => {
    if (!name.trim()) throw inputError(s.lineName);
    if (line) {
      await changeLine(line.code, { name: name.trim(), departmentCodes: chosen });
    } else {
      if (!LINE_CODE.test(code.trim())) throw inputError(`${s.lineCode}：a-z 0-9 _`);
      await addLine({ code: code.trim(), name: name.trim(), departmentCodes: chosen });
    }
    await onSaved();
    showNotice(s.lineSaved, name.trim());
  };

  return (
    <FormDialog title={line ? s.editLine : s.addLine} submitLabel={s.save} onSubmit={submit} onClose={onClose}>
      {!line && (
        <div className="field">
          <label htmlFor={`${ids}-code`}>{s.lineCode}</label>
          <input id={`${ids}-code`} className="input" value={code} onChange={(event) => setCode(event.target.value)} />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${ids}-name`}>{s.lineName}</label>
        <input
          id={`${ids}-name`}
          className="input"
          maxLength={40}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      <fieldset className="field line-departments">
        <legend>{s.departments}</legend>
        {departments.map((department) => (
          <label key={department.code} className="checkbox">
            <input
              type="checkbox"
              checked={chosen.includes(department.code)}
              onChange={(event) =>
                setChosen(
                  event.target.checked
                    ? [...chosen, department.code]
                    : chosen.filter((candidate) => candidate !== department.code),
                )
              }
            />
            {department.name}
          </label>
        ))}
      </fieldset>
    </FormDialog>
  );
}
