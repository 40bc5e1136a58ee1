import { useId, useState } from 'react';
import { AREA_LEVEL_LABELS } from '../../api/vocabulary/area-levels.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import type { Account, AreaSearchResult } from '../api-client.ts';
import { createAccount } from '../api-client.ts';
import { PasswordInput } from '../auth/password-input.tsx';
import { useSession } from '../auth/session.ts';
import { fill, type Language, useI18n } from '../i18n.ts';
import { AreaPicker } from './area-picker.tsx';
import { DepartmentSelect } from './department-select.tsx';
import { FormDialog, inputError } from './form-dialog.tsx';
import type { GrantOption, RoleOption } from './role-options.ts';

/** What the signed-in administrator may grant (grantOptions) and the rule in words, from the permission table. */
export interface Grants {
  grants: GrantOption[];
  grantRule: { zh: string; en: string } | null;
}

const GRANT_STRINGS = {
  zh: {
    grantLevels: '该角色可设在：{levels}',
    scopeOutsideGrant: '所选区域是{level}级，该角色须设在：{levels}',
    noGrantableRole: '您的管辖范围内没有可授予的角色',
  },
  en: {
    grantLevels: 'This role may be given at: {levels}',
    scopeOutsideGrant: 'The chosen area is a {level}; this role must be given at: {levels}',
    noGrantableRole: 'There is no role you may grant within your scope',
  },
} as const;

export function RoleSelect({ roles, value, onChange }: { roles: RoleOption[]; value: string; onChange: (role: string) => void }) {
  const { lang, t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t.role}</label>
      <select id={id} className="input" value={value} onChange={(event) => onChange(event.target.value)}>
        {roles.map((option) => (
          <option key={option.role} value={option.role}>
            {option.label[lang]}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The levels, named in the UI language: 村（社区）、网格. */
const levelNames = (lang: Language, levels: readonly string[]) =>
  levels.map((level) => labelOf(AREA_LEVEL_LABELS, lang, level)).join(lang === 'zh' ? '、' : ', ');

/** Refuses, before the server does, an area at a level the role may not be given there. */
export function checkGrantedLevel(lang: Language, area: AreaSearchResult, levels: readonly string[]): void {
  if (levels.includes(area.level)) return;
  const t = GRANT_STRINGS[lang];
  throw inputError(
    fill(t.scopeOutsideGrant, { level: labelOf(AREA_LEVEL_LABELS, lang, area.level), levels: levelNames(lang, levels) }),
  );
}

/** Under the role: the levels it may be given at, so the admin knows which areas the picker offers. */
export function GrantHint({ levels }: { levels: readonly string[] }) {
  const { lang } = useI18n();
  if (levels.length === 0) return null;
  return (
    <p className="muted field-hint grant-levels" data-testid="grant-levels">
      {fill(GRANT_STRINGS[lang].grantLevels, { levels: levelNames(lang, levels) })}
    </p>
  );
}

export function CreateAccountDialog({
  grants,
  grantRule,
  onClose,
  onCreated,
}: Grants & {
  onClose: () => void;
  onCreated: (account: Account) => void;
}) {
  const { lang, t } = useI18n();
  const { scope } = useSession();
  const id = useId();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState(() => grants.find((grant) => grant.role === 'grid_worker')?.role ?? grants[0]?.role ?? '');
  const levels = grants.find((grant) => grant.role === role)?.levels ?? [];
  const [department, setDepartment] = useState<string | null>(null);
  // The admin's own area is the first choice only where the role may be given there (the county's admins).
  const [area, setArea] = useState<AreaSearchResult | null>(scope && levels.includes(scope.level) ? scope : null);
  const [password, setPassword] = useState('');
  const chooseRole = (next: string) => {
    setRole(next);
    const nextLevels = grants.find((grant) => grant.role === next)?.levels ?? [];
    if (area && !nextLevels.includes(area.level)) setArea(null);
  };

  return (
    <FormDialog
      title={t.createAccount}
      submitLabel={t.create}
      onClose={onClose}
      onSubmit={async () => {
        if (!role) throw inputError(GRANT_STRINGS[lang].noGrantableRole);
        if (!area) throw inputError(t.scopeRequired);
        checkGrantedLevel(lang, area, levels);
        const departmentCode = role === 'department_cadre' ? department : null;
        onCreated(
          await createAccount({ username: username.trim(), displayName, role, scopeCode: area.code, departmentCode, password }),
        );
      }}
    >
      {grantRule && (
        <p className="muted grant-rule" data-testid="account-grant-rule">
          {grantRule[lang]}
        </p>
      )}
      {grants.length === 0 && <p className="empty-note">{GRANT_STRINGS[lang].noGrantableRole}</p>}
      <div className="field">
        <label htmlFor={`${id}-username`}>{t.username}</label>
        <input
          id={`${id}-username`}
          className="input"
          name="new-username"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          aria-describedby={`${id}-username-rule`}
        />
        <small id={`${id}-username-rule`} className="muted field-hint">
          {t.usernameRule}
        </small>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t.displayName}</label>
        <input
          id={`${id}-name`}
          className="input"
          name="display-name"
          autoComplete="off"
          required
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
        />
      </div>
      <RoleSelect roles={grants} value={role} onChange={chooseRole} />
      <GrantHint levels={levels} />
      {role === 'department_cadre' && <DepartmentSelect value={department} onChange={setDepartment} />}
      <AreaPicker label={t.scope} value={area} onChange={setArea} levels={levels} />
      <div className="field">
        <label htmlFor={`${id}-password`}>{t.password}</label>
        <PasswordInput
          id={`${id}-password`}
          className="input"
          name="new-password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-describedby={`${id}-password-rule`}
        />
        <small id={`${id}-password-rule`} className="muted field-hint">
          {t.passwordRule}
        </small>
      </div>
    </FormDialog>
  );
}
