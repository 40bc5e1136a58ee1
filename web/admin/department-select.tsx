import { useId } from 'react';
import { REPORT_TYPES } from '../../api/vocabulary/report-types.ts';
import { DepartmentOptions } from '../cases/department-options.tsx';
import { useI18n } from '../i18n.ts';

/**
 * The department a cadre belongs to: the cases dispatched to it are theirs to acknowledge and
 * handle, and each department's lines (the report types it answers for) say which other cases of
 * its scope the cadre sees, so they are named beside it.
 */
export function DepartmentSelect({ value, onChange }: { value: string | null; onChange: (code: string | null) => void }) {
  const { lang } = useI18n();
  const id = useId();

  return (
    <div className="field">
      <label htmlFor={id}>{lang === 'zh' ? '所属部门' : 'Department'}</label>
      <select id={id} className="input" value={value ?? ''} onChange={(event) => onChange(event.target.value || null)}>
        <option value="">{lang === 'zh' ? '（无）' : '(none)'}</option>
        <DepartmentOptions
          keep={value}
          labelOf={(department) =>
            department.reportTypes.length === 0
              ? department.name
              : `${department.name}（${department.reportTypes.map((type) => REPORT_TYPES[type][lang]).join(lang === 'zh' ? '、' : ', ')}）`
          }
        />
      </select>
    </div>
  );
}
