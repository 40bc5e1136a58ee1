import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Account, AccountFilter, AreaSearchResult } from '../api-client.ts';
import { resetPassword, updateAccount } from '../api-client.ts';
import { PasswordInput } from '../auth/password-input.tsx';
import { useSession } from '../auth/session.ts';
import { showNotice } from '../handle-error.ts';
import { fill, formatDateTime, useI18n } from '../i18n.ts';
import { levelOfCode } from '../map/area-levels.ts';
import { useDebounced } from '../ui/use-debounced.ts';
import { CreateAccountDialog, checkGrantedLevel, GrantHint, type Grants, RoleSelect } from './account-grants.tsx';
import { accountsQuery, adminKeys } from './admin-queries.ts';
import { AreaPicker } from './area-picker.tsx';
import { DepartmentSelect } from './department-select.tsx';
import { FormDialog, inputError } from './form-dialog.tsx';
import type { RoleOption } from './role-options.ts';

const FILTER_DEBOUNCE_MS = 250;

type Dialog = { kind: 'create' } | { kind: 'disable' | 'enable' | 'role' | 'scope' | 'password'; account: Account } | null;

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
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const roleLabel = (role: string) => roles.find((option) => option.role === role)?.label[lang] ?? role;
  // A row the administrator may not manage (a commander of its own township, an administrator of
  // its own level) offers no actions: the server would refuse each of them (mayGrant).
  const manageable = (account: Account) =>
    grants.some((grant) => grant.role === account.role && grant.levels.includes(levelOfCode(account.scopeCode) ?? ''));

  const settledFilter = useDebounced(filter, FILTER_DEBOUNCE_MS);
  const accounts = useQuery(accountsQuery(settledFilter)).data ?? null;

  const changed = (notice: string, account: Account) => {
    showNotice(notice, `${account.displayName}（${account.username}）`);
    void queryClient.invalidateQueries({ queryKey: adminKeys.accounts() });
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
                  {manage && !manageable(account) && (
                    <td className="muted" title={t.outOfGrant}>
                      —
                    </td>
                  )}
                  {manage && manageable(account) && (
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
