import { useI18n } from '../i18n.ts';
import { useDepartments } from './use-departments.ts';

type Department = ReturnType<typeof useDepartments>[number];

/**
 * The departments as `<option>`s in two groups, the county's departments and the service providers
 * (服务主体), which take cases the same way; a provider no longer active is left out, unless it is
 * `keep` (the value already chosen). `labelOf` names each option.
 */
export function DepartmentOptions({
  exclude,
  keep,
  labelOf = (department) => department.name,
}: {
  exclude?: string;
  keep?: string | null;
  labelOf?: (department: Department) => string;
}) {
  const { lang } = useI18n();
  const departments = useDepartments().filter(
    (department) => department.code !== exclude && (department.active || department.code === keep),
  );
  const groups = [
    { kind: 'department', label: lang === 'zh' ? '县直部门' : 'County departments' },
    { kind: 'provider', label: lang === 'zh' ? '服务主体' : 'Service providers' },
  ] as const;
  return groups.map((group) => {
    const members = departments.filter((department) => department.kind === group.kind);
    if (members.length === 0) return null;
    return (
      <optgroup key={group.kind} label={group.label} data-kind={group.kind}>
        {members.map((department) => (
          <option key={department.code} value={department.code}>
            {labelOf(department)}
          </option>
        ))}
      </optgroup>
    );
  });
}
