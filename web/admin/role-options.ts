import { ROLE_LABELS, ROLES } from '../../api/vocabulary/roles.ts';
import type { PermissionTable } from '../api-client.ts';

/** A role with its label in each UI language. */
export type RoleOption = Pick<PermissionTable['roles'][number], 'role' | 'label'>;

/** The roles, labelled by the permission table when the account may read it, else by the vocabulary. */
export function roleOptions(table: PermissionTable | null): RoleOption[] {
  if (table) return table.roles.map(({ role, label }) => ({ role, label }));
  return ROLES.map((role) => ({ role, label: ROLE_LABELS[role] }));
}
