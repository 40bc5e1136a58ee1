import type { PermissionTable } from '../api-client.ts';
import { ACCOUNT_ROLE_NAMES } from '../i18n.ts';

/** A role with its label in each UI language. */
export type RoleOption = Pick<PermissionTable['roles'][number], 'role' | 'label'>;

/** The roles, labelled by the permission table when the account may read it, else by the client's own names. */
export function roleOptions(table: PermissionTable | null): RoleOption[] {
  if (table) return table.roles.map(({ role, label }) => ({ role, label }));
  return Object.keys(ACCOUNT_ROLE_NAMES.zh).map((role) => ({
    role,
    label: { zh: ACCOUNT_ROLE_NAMES.zh[role] ?? role, en: ACCOUNT_ROLE_NAMES.en[role] ?? role },
  }));
}
