import { ROLE_LABELS, ROLES } from '../../api/vocabulary/roles.ts';
import type { PermissionTable } from '../api-client.ts';

/** A role with its label in each UI language. */
export type RoleOption = Pick<PermissionTable['roles'][number], 'role' | 'label'>;

/** The roles, labelled by the permission table when the account may read it, else by the vocabulary. */
export function roleOptions(table: PermissionTable | null): RoleOption[] {
  if (table) return table.roles.map(({ role, label }) => ({ role, label }));
  return ROLES.map((role) => ({ role, label: ROLE_LABELS[role] }));
}

/** A role the signed-in administrator may grant, with the area levels it may give it (inside its scope). */
export type GrantOption = RoleOption & { levels: readonly string[] };

/**
 * The roles the signed-in account may create and manage, at which levels, as the server's rule
 * (`mayGrant`) says: the account form offers these and nothing else. Empty until the table is read.
 */
export function grantOptions(table: PermissionTable | null): GrantOption[] {
  if (!table) return [];
  const labels = new Map(table.roles.map(({ role, label }) => [role, label]));
  return table.grantable.map(({ role, levels }) => ({
    role,
    label: labels.get(role) ?? { zh: role, en: role },
    levels,
  }));
}
