import { AREA_LEVEL_LABELS } from '../../api/vocabulary/area-levels.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import type { PermissionTable } from '../api-client.ts';
import { useSession } from '../auth/session.ts';
import { useI18n } from '../i18n.ts';

/**
 * The role × action table, read-only, so that a person can review who may do what: one row per
 * action, one column per role, ✓ where the role may. The viewer's own role is marked.
 */
export function PermissionsPage({ table }: { table: PermissionTable }) {
  const { lang, t } = useI18n();
  const { me } = useSession();
  return (
    <section className="admin-section" data-testid="permissions-page">
      <p className="admin-intro">{t.permissionsIntro}</p>
      <p className="admin-intro" data-testid="grant-rule">
        <strong>{t.grantRuleTitle}</strong>
        {table.grantRule[lang]}
      </p>
      <div className="table-scroll">
        <table className="data-table permission-table" data-testid="permissions-table">
          <thead>
            <tr>
              <th scope="col">{t.permission}</th>
              {table.roles.map((role) => (
                <th key={role.role} scope="col" data-role={role.role} data-own={role.role === me.role || undefined}>
                  {role.label[lang]}
                  {role.role === me.role && <small className="own-role">{t.yourRole}</small>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr data-action="levels">
              <th scope="row">{t.scopeLevels}</th>
              {table.roles.map((role) => (
                <td key={role.role} className="levels" data-role={role.role} data-own={role.role === me.role || undefined}>
                  {role.levels.map((level) => labelOf(AREA_LEVEL_LABELS, lang, level)).join(' / ')}
                </td>
              ))}
            </tr>
            {table.actions.map((action) => (
              <tr key={action.action} data-action={action.action}>
                <th scope="row">
                  {action.label[lang]}
                  <small className="cell-code">{action.action}</small>
                </th>
                {table.roles.map((role) => {
                  const allowed = role.actions.includes(action.action);
                  return (
                    <td
                      key={role.role}
                      className="mark"
                      data-role={role.role}
                      data-allowed={allowed}
                      data-own={role.role === me.role || undefined}
                    >
                      <span aria-hidden="true">{allowed ? '✓' : '—'}</span>
                      <span className="visually-hidden">{allowed ? t.allowed : t.notAllowed}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
