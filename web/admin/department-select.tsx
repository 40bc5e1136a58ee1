import { useEffect, useId, useState } from 'react';
import { REPORT_TYPES } from '../../api/vocabulary/report-types.ts';
import { client, ok } from '../api-client.ts';
import { handleError } from '../handle-error.ts';
import { useI18n } from '../i18n.ts';

type Department = Awaited<ReturnType<typeof fetchDepartments>>[number];

async function fetchDepartments(signal: AbortSignal) {
  return (await ok(client.api.departments.$get(undefined, { init: { signal } }))).departments;
}

/**
 * The department a cadre belongs to: the cases dispatched to it are theirs to acknowledge and
 * handle, and each department's lines (the report types it answers for) say which other cases of
 * its scope the cadre sees, so they are named beside it.
 */
export function DepartmentSelect({ value, onChange }: { value: string | null; onChange: (code: string | null) => void }) {
  const { lang } = useI18n();
  const id = useId();
  const [departments, setDepartments] = useState<Department[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    fetchDepartments(controller.signal).then(setDepartments, handleError);
    return () => controller.abort();
  }, []);

  return (
    <div className="field">
      <label htmlFor={id}>{lang === 'zh' ? '所属部门' : 'Department'}</label>
      <select id={id} className="input" value={value ?? ''} onChange={(event) => onChange(event.target.value || null)}>
        <option value="">{lang === 'zh' ? '（无）' : '(none)'}</option>
        {departments.map((department) => (
          <option key={department.code} value={department.code}>
            {department.reportTypes.length === 0
              ? department.name
              : `${department.name}（${department.reportTypes.map((type) => REPORT_TYPES[type][lang]).join(lang === 'zh' ? '、' : ', ')}）`}
          </option>
        ))}
      </select>
    </div>
  );
}
