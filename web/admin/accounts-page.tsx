import { useEffect, useId, useState } from 'react';
import type { Account, AccountFilter, AreaSearchResult } from '../api-client.ts';
import { createAccount, fetchAccounts, resetPassword, updateAccount } from '../api-client.ts';
import { PasswordInput } from '../auth/password-input.tsx';
import { useSession } from '../auth/session.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { currentLanguage, fill, formatDateTime, type Language, LEVEL_NAMES, STRINGS, useI18n } from '../i18n.ts';
import { levelOfCode } from '../map/area-levels.ts';
import { AreaPicker } from './area-picker.tsx';
import { DepartmentSelect } from './department-select.tsx';
import { FormDialog, inputError } from './form-dialog.tsx';
import type { GrantOption, RoleOption } from './role-options.ts';

const FILTER_DEBOUNCE_MS = 250;

type Dialog = { kind: 'create' } | { kind: 'disable' | 'enable' | 'role' | 'scope' | 'password'; account: Account } | null;

/** What the signed-in administrator may grant (grantOptions) and the rule in words, from the permission table. */
interface Grants {
  grants: GrantOption[];
  grantRule: { zh: string; en: string } | null;
}

/**
 * The accounts inside the admin's scope, filtered by text, role and status. Roles with
 * accounts.manage create accounts and, per row, disable or enable them, change their role or
 * scope and reset their password, each behind a confirmation. The forms offer only the roles and
 * levels the administrator may grant (the server refuses anything else).
 */
export function AccountsPage({ roles, grants, grantRule }: { roles: RoleOption[] } & Grants) {
  const { lang, t } = useI18n();
  const { me, can } = useSession();
  const manage = can('accounts.manage');
  const [filter, setFilter] = useState<AccountFilter>({ text: '', role: '', includeDisabled: true });
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const roleLabel = (role: string) => roles.find((option) => option.role === role)?.label[lang] ?? role;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` reloads after a change.
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetchAccounts(filter, controller.signal)
        .then(setAccounts)
        .catch((error: unknown) => handleError(error, STRINGS[currentLanguage()].loadFailed));
    }, FILTER_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [filter, version]);

  const changed = (notice: string, account: Account) => {
    showNotice(notice, `${account.displayName}（${account.username}）`);
    setVersion((n) => n + 1);
  };

  return (
    <section className="admin-section" data-testid="accounts-page">
      <div className="admin-toolbar">
        <input
          type="search"
          className="input"
          aria-label={t.filterText}
          placeholder={t.filterText}
          value={filter.text}
          onChange={(event) => setFilter((current) => ({ ...current, text: event.target.value }))}
        />
        <select
          className="input"
          aria-label={t.role}
          value={filter.role}
          onChange={(event) => setFilter((current) => ({ ...current, role: event.target.value }))}
        >
          <option value="">{t.allRoles}</option>
          {roles.map((option) => (
            <option key={option.role} value={option.role}>
              {option.label[lang]}
            </option>
          ))}
        </select>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={filter.includeDisabled}
            onChange={(event) => setFilter((current) => ({ ...current, includeDisabled: event.target.checked }))}
          />
          {t.includeDisabled}
        </label>
        <span className="toolbar-count muted">{accounts && fill(t.accountCount, { n: accounts.length })}</span>
        {manage && (
          <button type="button" className="button primary" onClick={() => setDialog({ kind: 'create' })}>
            {t.createAccount}
          </button>
        )}
      </div>
      <div className="table-scroll">
        <table className="data-table" data-testid="accounts-table">
          <thead>
            <tr>
              <th scope="col">{t.username}</th>
              <th scope="col">{t.displayName}</th>
              <th scope="col">{t.role}</th>
              <th scope="col">{t.scope}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.lastSeen}</th>
              {manage && <th scope="col">{t.actions}</th>}
            </tr>
          </thead>
          <tbody>
            {accounts?.map((account) => {
              const self = account.username === me.username;
              return (
                <tr key={account.id} data-username={account.username} data-disabled={account.disabled}>
                  <td className="mono">
                    {account.username}
                    {self && <span className="tag">{t.you}</span>}
                  </td>
                  <td>
                    {account.displayName}
                    {account.demo && <span className="tag tag-demo">{t.demo}</span>}
                  </td>
                  <td>
                    {roleLabel(account.role)}
                    {account.departmentName && <small className="cell-code">{account.departmentName}</small>}
                  </td>
                  <td>
                    {account.scopeName ?? '—'}
                    <small className="cell-code">{account.scopeCode}</small>
                  </td>
                  <td>
                    <span className="status" data-status={account.disabled ? 'disabled' : 'active'}>
                      {account.disabled ? t.disabled : t.active}
                    </span>
                  </td>
                  <td className="nowrap">{account.lastSeenAt ? formatDateTime(account.lastSeenAt) : t.never}</td>
                  {manage && (
                    <td>
                      <div className="row-actions">
                        {account.disabled ? (
                          <button type="button" className="button small" onClick={() => setDialog({ kind: 'enable', account })}>
                            {t.enable}
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="button small danger"
                            onClick={() => setDialog({ kind: 'disable', account })}
                          >
                            {t.disable}
                          </button>
                        )}
                        <button type="button" className="button small" onClick={() => setDialog({ kind: 'role', account })}>
                          {t.changeRole}
                        </button>
                        <button type="button" className="button small" onClick={() => setDialog({ kind: 'scope', account })}>
                          {t.changeScope}
                        </button>
                        <button type="button" className="button small" onClick={() => setDialog({ kind: 'password', account })}>
                          {t.resetPassword}
                        </button>
                      </div>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        {accounts?.length === 0 && <p className="empty-note">{t.noAccounts}</p>}
        {accounts === null && <p className="empty-note">{t.loading}</p>}
      </div>
      {dialog?.kind === 'create' && (
        <CreateAccountDialog
          grants={grants}
          grantRule={grantRule}
          onClose={() => setDialog(null)}
          onCreated={(account) => changed(t.createdNotice, account)}
        />
      )}
      {(dialog?.kind === 'disable' || dialog?.kind === 'enable') && (
        <FormDialog
          title={dialog.kind === 'disable' ? t.disableTitle : t.enableTitle}
          submitLabel={dialog.kind === 'disable' ? t.disable : t.enable}
          danger={dialog.kind === 'disable'}
          onClose={() => setDialog(null)}
          onSubmit={async () => {
            const disabled = dialog.kind === 'disable';
            const account = await updateAccount(dialog.account.id, { disabled });
            changed(disabled ? t.disabledNotice : t.enabledNotice, account);
          }}
        >
          <p>
            {fill(dialog.kind === 'disable' ? t.disableText : t.enableText, {
              name: dialog.account.displayName,
              username: dialog.account.username,
            })}
          </p>
        </FormDialog>
      )}
      {dialog?.kind === 'role' && (
        <RoleDialog
          account={dialog.account}
          grants={grants}
          onClose={() => setDialog(null)}
          onSaved={(account) => changed(t.updatedNotice, account)}
        />
      )}
      {dialog?.kind === 'scope' && (
        <ScopeDialog
          account={dialog.account}
          grants={grants}
          onClose={() => setDialog(null)}
          onSaved={(account) => changed(t.updatedNotice, account)}
        />
      )}
      {dialog?.kind === 'password' && (
        <PasswordDialog
          account={dialog.account}
          onClose={() => setDialog(null)}
          onSaved={() => changed(t.passwordNotice, dialog.account)}
        />
      )}
    </section>
  );
}

function RoleSelect({ roles, value, onChange }: { roles: RoleOption[]; value: string; onChange: (role: string) => void }) {
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
  levels.map((level) => LEVEL_NAMES[lang][level] ?? level).join(lang === 'zh' ? '、' : ', ');

/** Refuses, before the server does, an area at a level the role may not be given there. */
function checkGrantedLevel(lang: Language, area: AreaSearchResult, levels: readonly string[]): void {
  if (levels.includes(area.level)) return;
  const t = STRINGS[lang];
  throw inputError(
    fill(t.scopeOutsideGrant, { level: LEVEL_NAMES[lang][area.level] ?? area.level, levels: levelNames(lang, levels) }),
  );
}

/** Under the role: the levels it may be given at, so the admin knows which areas the picker offers. */
function GrantHint({ levels }: { levels: readonly string[] }) {
  const { lang, t } = useI18n();
  if (levels.length === 0) return null;
  return (
    <p className="muted field-hint grant-levels" data-testid="grant-levels">
      {fill(t.grantLevels, { levels: levelNames(lang, levels) })}
    </p>
  );
}

function CreateAccountDialog({
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
        if (!role) throw inputError(t.noGrantableRole);
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
      {grants.length === 0 && <p className="empty-note">{t.noGrantableRole}</p>}
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

interface AccountDialogProps {
  account: Account;
  onClose: () => void;
  onSaved: (account: Account) => void;
}

function RoleDialog({ account, grants, onClose, onSaved }: AccountDialogProps & Pick<Grants, 'grants'>) {
  const { t } = useI18n();
  // Only roles the admin may give at the level the account is scoped at (the scope stays).
  const level = levelOfCode(account.scopeCode);
  const roles = grants.filter((grant) => level !== null && grant.levels.includes(level));
  const [role, setRole] = useState(account.role);
  const [department, setDepartment] = useState<string | null>(account.departmentCode);
  return (
    <FormDialog
      title={t.roleTitle}
      submitLabel={t.save}
      onClose={onClose}
      onSubmit={async () =>
        onSaved(await updateAccount(account.id, { role, departmentCode: role === 'department_cadre' ? department : null }))
      }
    >
      <p>{fill(t.roleText, { name: account.displayName, username: account.username })}</p>
      <RoleSelect roles={roles} value={role} onChange={setRole} />
      {role === 'department_cadre' && <DepartmentSelect value={department} onChange={setDepartment} />}
      <p className="muted">{t.roleNote}</p>
    </FormDialog>
  );
}

function ScopeDialog({ account, grants, onClose, onSaved }: AccountDialogProps & Pick<Grants, 'grants'>) {
  const { lang, t } = useI18n();
  const [area, setArea] = useState<AreaSearchResult | null>(null);
  const levels = grants.find((grant) => grant.role === account.role)?.levels ?? [];
  return (
    <FormDialog
      title={t.scopeTitle}
      submitLabel={t.save}
      onClose={onClose}
      onSubmit={async () => {
        if (!area) throw inputError(t.scopeRequired);
        checkGrantedLevel(lang, area, levels);
        onSaved(await updateAccount(account.id, { scopeCode: area.code }));
      }}
    >
      <p>{fill(t.scopeText, { name: account.displayName, username: account.username })}</p>
      <p className="muted">{fill(t.currentScope, { name: account.scopeName ?? '—', code: account.scopeCode })}</p>
      <GrantHint levels={levels} />
      <AreaPicker label={t.scopePick} value={area} onChange={setArea} levels={levels} />
      <p className="muted">{t.scopeNote}</p>
    </FormDialog>
  );
}

function PasswordDialog({ account, onClose, onSaved }: AccountDialogProps) {
  const { t } = useI18n();
  const id = useId();
  const [password, setPassword] = useState('');
  return (
    <FormDialog
      title={t.passwordTitle}
      submitLabel={t.resetPassword}
      danger
      onClose={onClose}
      onSubmit={async () => {
        await resetPassword(account.id, password);
        onSaved(account);
      }}
    >
      <p>{fill(t.passwordText, { name: account.displayName, username: account.username })}</p>
      <div className="field">
        <label htmlFor={`${id}-password`}>{t.newPassword}</label>
        <PasswordInput
          id={`${id}-password`}
          className="input"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-describedby={`${id}-rule`}
        />
        <small id={`${id}-rule`} className="muted field-hint">
          {t.passwordRule}
        </small>
      </div>
    </FormDialog>
  );
}
