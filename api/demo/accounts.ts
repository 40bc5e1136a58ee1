import type { Role } from '../vocabulary/roles.ts';

/**
 * Accounts of the embedded demo (`npm start` without DATABASE_URL), one per role at realistic
 * scopes. Their passwords are public on purpose: they are listed on the login page and in the
 * README. They are never created on PostgreSQL.
 */
export const DEMO_PASSWORD = 'demo2024';

export const DEMO_ACCOUNTS: {
  username: string;
  displayName: string;
  role: Role;
  scopeCode: string;
  /** Department cadres: the department whose dispatched cases they act on (D01 应急管理局, D02 自然资源局). */
  departmentCode?: string;
  note: string;
}[] = [
  { username: 'county', displayName: '县总指挥（演示）', role: 'county_commander', scopeCode: '511921', note: '通江县' },
  { username: 'duty', displayName: '县值班员（演示）', role: 'duty_officer', scopeCode: '511921', note: '通江县' },
  { username: 'admin', displayName: '县管理员（演示）', role: 'admin', scopeCode: '511921', note: '通江县' },
  { username: 'shaxi', displayName: '沙溪镇指挥长（演示）', role: 'township_commander', scopeCode: '511921108', note: '沙溪镇' },
  { username: 'shaxi-admin', displayName: '沙溪镇管理员（演示）', role: 'admin', scopeCode: '511921108', note: '沙溪镇' },
  { username: 'fuyang', displayName: '涪阳镇指挥长（演示）', role: 'township_commander', scopeCode: '511921112', note: '涪阳镇' },
  {
    username: 'wangping-chief',
    displayName: '王坪村网格长（演示）',
    role: 'grid_chief',
    scopeCode: '511921108209',
    note: '沙溪镇 王坪村',
  },
  {
    username: 'wangping-grid',
    displayName: '王坪村网格员（演示）',
    role: 'grid_worker',
    scopeCode: '511921108209001',
    note: '王坪村第1网格',
  },
  {
    username: 'wangping-cell',
    displayName: '王坪村单元格信息员（演示）',
    role: 'cell_informant',
    scopeCode: '511921108209001001',
    note: '王坪村第1网格1单元',
  },
  {
    username: 'cadre',
    displayName: '县应急管理局下沉干部（演示）',
    role: 'department_cadre',
    scopeCode: '511921112200',
    departmentCode: 'D01',
    note: '涪阳镇 红江村',
  },
  {
    username: 'ziran',
    displayName: '县自然资源局地灾股（演示）',
    role: 'department_cadre',
    scopeCode: '511921',
    departmentCode: 'D02',
    note: '通江县 · 地质灾害',
  },
];
