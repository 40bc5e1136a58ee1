import type { AreaLevel } from '../../geo/types.ts';
import type { Label } from './label.ts';

/**
 * The roles an account can have (DESIGN.md, Security). What each may do is the permission table's
 * business (api/auth/permissions.ts); here are the words and the levels only.
 */
export const ROLES = [
  'county_commander',
  'township_commander',
  'grid_chief',
  'grid_worker',
  'cell_informant',
  'department_cadre',
  'duty_officer',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** One label per role, everywhere: the login page, the people lists, timelines and the admin pages. */
export const ROLE_LABELS: Readonly<Record<Role, Label>> = {
  county_commander: { zh: '总指挥', en: 'County commander' },
  township_commander: { zh: '指挥长', en: 'Township commander' },
  grid_chief: { zh: '网格长', en: 'Grid chief' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  cell_informant: { zh: '单元格信息员', en: 'Cell informant' },
  department_cadre: { zh: '部门干部', en: 'Department cadre' },
  duty_officer: { zh: '值班员', en: 'Duty officer' },
  admin: { zh: '管理员', en: 'Administrator' },
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * The levels an account of each role may be scoped at (DESIGN.md, Security): an account's scope
 * is at its role's level. Department cadres are placed wherever their department sends them;
 * administrators serve a county, a township or a village.
 */
export const ROLE_LEVELS: Readonly<Record<Role, readonly AreaLevel[]>> = {
  county_commander: ['county'],
  duty_officer: ['county'],
  township_commander: ['township'],
  grid_chief: ['village'],
  grid_worker: ['grid'],
  cell_informant: ['cell'],
  department_cadre: ['county', 'township', 'village', 'grid'],
  admin: ['county', 'township', 'village'],
};
