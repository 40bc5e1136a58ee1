import { isWithinScope, levelOfCode } from '../../geo/area-codes.ts';
import { AREA_LEVELS, type AreaLevel } from '../../geo/types.ts';
import { isRole, ROLE_LEVELS, type Role } from '../vocabulary/roles.ts';

/**
 * What each role may do: one table, reviewed by people (an admin page shows it read-only)
 * and enforced by `requires(action)` on every route. Where an action applies, the account's
 * area scope then limits which rows it reaches (row-level security, migrations/0003).
 */
export const ACTIONS = {
  'map.view': { zh: '查看地图、区划与统计', en: 'View the map, areas and their figures' },
  'people.view': { zh: '查看责任人姓名与电话（记录审计）', en: 'View responsible people and phone numbers (audited)' },
  'households.view': { zh: '查看住户位置与门牌（记录审计）', en: 'View households and addresses (audited)' },
  'permissions.view': { zh: '查看角色权限表', en: 'View the role permission table' },
  'accounts.view': { zh: '查看账号', en: 'View accounts' },
  'accounts.manage': { zh: '创建、停用、调整范围、重置密码', en: 'Create, disable, re-scope accounts and reset passwords' },
  'audit.view': { zh: '查看审计日志', en: 'View the audit log' },
  'audit.export': { zh: '导出审计日志', en: 'Export the audit log' },
  'reports.create': { zh: '上报隐患与事件（现场标注、照片）', en: 'Report hazards and incidents (tag on site, photos)' },
  'cases.view': { zh: '查看事件、案件、时间线与实时推送', en: 'View reports, cases, their timeline and the live feed' },
  'cases.command': {
    zh: '立案、派遣、核查结案、督办、审批、合并、管控区与预警',
    en: 'File, dispatch, check and close, supervise, approve, merge, control zones and alerts',
  },
  'cases.handle': {
    zh: '签收、处置、反馈，申请延期、回退、挂账、作废',
    en: 'Acknowledge, handle, give feedback; request extension, send-back, parking or cancelling',
  },
  'cases.export': { zh: '导出案件（CSV、Excel）', en: 'Export cases (CSV, Excel)' },
  'alerts.acknowledge': { zh: '签收预警通知', en: 'Acknowledge alerts' },
  'time-limits.manage': { zh: '设置办理时限', en: 'Set the time limits' },
  'drill.run': { zh: '开启或停止演练模式', en: 'Start or stop drill mode' },
  'patrols.record': { zh: '记录自己的巡查轨迹', en: 'Record your own patrol tracks' },
  'patrols.view': {
    zh: '查看辖区内他人的巡查轨迹与位置（记录审计）',
    en: 'View the patrol tracks and positions of others in scope (audited)',
  },
  'geohazards.view': {
    zh: '查看地灾隐患点、监测员与当日巡查次数',
    en: 'View geohazard points, their monitors and today’s patrols',
  },
  'geohazards.manage': { zh: '设置地灾隐患点巡查规则（县级）', en: 'Set the geohazard patrol rule (county level)' },
  'special.view': {
    zh: '查看重点人群统计、逾期走访数与热力图（汇总，少于5人不显示）',
    en: 'View special-population figures, overdue counts and heatmaps (aggregates; fewer than 5 people suppressed)',
  },
  'special.personal': {
    zh: '查看辖区内重点人群个人信息、走访记录与位置（记录审计）',
    en: 'View the people in the special-population registers in scope, their visits and locations (audited)',
  },
  'special.visit': { zh: '登记走访（现场、电话、视频）', en: 'Log follow-up visits (home, phone, video)' },
  'special.manage': {
    zh: '登记、修改、注销重点人群（风险等级、管控级别）',
    en: 'Register, edit and close special-population entries (risk level, supervision grade)',
  },
  'special.rules': { zh: '设置重点人群走访规则（县级）', en: 'Set the follow-up rules of the registers (county level)' },
  'special.break_glass': {
    zh: '紧急查看个人信息（说明理由、限时、上级可见）',
    en: 'Emergency access to personal fields (reason stated, time-limited, shown to superiors)',
  },
  'review.view': {
    zh: '查看考评：各级指标及其公式、等级、排名、趋势与城乡对比',
    en: 'View the review: KPIs with their formulas, grades, rankings, trends and the urban-rural gap',
  },
  'review.export': { zh: '导出考评表格与打印考评报告', en: 'Export review tables and print the review' },
  'review.people': {
    zh: '登记网格员培训、社工证与考试，评选年度表彰',
    en: 'Record grid workers’ training, social-work certificates and exams; award annual commendations',
  },
  'surveys.record': { zh: '登记居民对网格员的满意度调查', en: 'Record residents’ satisfaction surveys of their grid worker' },
  'providers.manage': { zh: '登记、修改、停用服务主体', en: 'Register, edit and retire service providers' },
  'tasks.view': {
    zh: '查看条线任务：送达地图、到达曲线、催办记录与收集结果（记录审计）',
    en: 'View line tasks: the reach map, reach curves, reminders and collected results (audited)',
  },
  'tasks.dispatch': {
    zh: '下发通知与收集任务、一键催办、关闭任务（部门限本部门条线）',
    en: 'Dispatch notices and collection tasks, remind laggards, close tasks (departments: their own lines)',
  },
  'tasks.respond': { zh: '接收任务：签收通知、填报收集表', en: 'Receive tasks: acknowledge notices, fill collection forms' },
  'tasks.export': { zh: '导出任务结果（Excel、CSV）', en: 'Export task results (Excel, CSV)' },
  'tasks.lines': {
    zh: '设置条线及其主管部门（县级）',
    en: 'Set the task lines and the departments that own them (county level)',
  },
} as const;
export type Action = keyof typeof ACTIONS;

const FIELD: Action[] = ['map.view', 'people.view', 'households.view'];
/** Those who run cases: file, dispatch, close, approve. */
const COMMAND: Action[] = ['reports.create', 'cases.view', 'cases.command', 'cases.handle', 'cases.export'];
/** Those in the field: report, follow their reports, handle what is dispatched to them, acknowledge alerts. */
const FIELD_CASES: Action[] = ['reports.create', 'cases.view', 'cases.handle', 'alerts.acknowledge'];

/** Those who watch geohazard points and set their patrol rule (county level: the service checks the scope). */
const GEOHAZARDS: Action[] = ['geohazards.view', 'geohazards.manage'];

/**
 * The special-population registers: those who visit the people see them in person (grid workers,
 * and grid chiefs who also keep the register); those who command see aggregates only, and may
 * break the glass in an emergency (issue 17, DESIGN.md "Security").
 */
const SPECIAL_FIELD: Action[] = ['special.view', 'special.personal', 'special.visit'];
const SPECIAL_COMMAND: Action[] = ['special.view', 'special.break_glass'];

/** Those who review their area (考评, issue 18): commanders and grid chiefs, each in their scope. */
const REVIEW: Action[] = ['review.view', 'review.export'];

/**
 * Task lines (条线任务, issue 19): commanders, duty officers and department cadres send tasks and
 * watch them reach everyone; informants, grid workers and grid chiefs receive them; grid chiefs
 * also watch their village's, as silent targets are escalated to them.
 */
const TASKS_SEND: Action[] = ['tasks.view', 'tasks.dispatch', 'tasks.export'];

export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  county_commander: [
    ...FIELD,
    ...COMMAND,
    'permissions.view',
    'accounts.view',
    'audit.view',
    'audit.export',
    'drill.run',
    'patrols.view',
    ...GEOHAZARDS,
    ...SPECIAL_COMMAND,
    'special.rules',
    ...REVIEW,
    'review.people',
    'providers.manage',
    ...TASKS_SEND,
  ],
  township_commander: [
    ...FIELD,
    ...COMMAND,
    'permissions.view',
    'patrols.view',
    'geohazards.view',
    ...SPECIAL_COMMAND,
    ...REVIEW,
    'review.people',
    'surveys.record',
    ...TASKS_SEND,
  ],
  grid_chief: [
    ...FIELD,
    ...FIELD_CASES,
    'patrols.record',
    'patrols.view',
    'geohazards.view',
    ...SPECIAL_FIELD,
    'special.manage',
    ...REVIEW,
    'surveys.record',
    'tasks.view',
    'tasks.export',
    'tasks.respond',
  ],
  grid_worker: [...FIELD, ...FIELD_CASES, 'patrols.record', ...SPECIAL_FIELD, 'tasks.respond'],
  cell_informant: [
    ...FIELD,
    'reports.create',
    'cases.view',
    'alerts.acknowledge',
    'patrols.record',
    'surveys.record',
    'tasks.respond',
  ],
  department_cadre: ['map.view', 'people.view', 'reports.create', 'cases.view', 'cases.handle', 'geohazards.view', ...TASKS_SEND],
  duty_officer: [
    ...FIELD,
    ...COMMAND,
    'drill.run',
    'patrols.view',
    'geohazards.view',
    ...SPECIAL_COMMAND,
    'review.view',
    ...TASKS_SEND,
  ],
  admin: [
    'map.view',
    'people.view',
    'permissions.view',
    'accounts.view',
    'accounts.manage',
    'audit.view',
    'audit.export',
    'cases.view',
    'cases.export',
    'time-limits.manage',
    'drill.run',
    ...GEOHAZARDS,
    'review.people',
    'providers.manage',
    'tasks.lines',
  ],
};

export function can(role: string, action: Action): boolean {
  return isRole(role) && ROLE_ACTIONS[role].includes(action);
}

/** The delegation rule in words, as the permissions page shows it next to the table. */
export const GRANT_RULE = {
  zh: '每个角色的管辖范围固定在一个层级：总指挥、值班员为县级，指挥长为乡镇级，网格长为村（社区）级，网格员为网格级，单元格信息员为单元格级；部门干部可在县、乡镇、村或网格，管理员可在县、乡镇或村。县级管理员管理全县账号；其他管理员只能在自己的范围内创建和管理低于自身层级的账号（例如乡镇管理员管理本镇的网格长、网格员和信息员），不能创建或接管指挥长、值班员或同级管理员。',
  en: 'Each role is scoped at one level: county commanders and duty officers at the county, township commanders at a township, grid chiefs at a village or community, grid workers at a grid, informants at a cell; department cadres at the county, a township, a village or a grid; administrators at the county, a township or a village. The county’s administrators manage every account of the county; any other administrator creates and manages only accounts below its own level inside its scope (a township’s administrator manages its grid chiefs, grid workers and informants), never a commander, a duty officer or an administrator of its own level.',
} as const;

/** Whether an account of `role` may be scoped at `scopeCode`'s level. */
export function roleFitsScope(role: Role, scopeCode: string): boolean {
  const level = levelOfCode(scopeCode);
  return level !== null && ROLE_LEVELS[role].includes(level);
}

/**
 * Whether an administrator scoped at `adminScope` may create or manage an account of `role` at
 * `scopeCode`. The county's administrators manage every account of the county. Any other
 * administrator manages only accounts below its own level inside its scope: a township's
 * administrator makes the grid chiefs, grid workers and informants of its villages, never a
 * commander or another administrator of its own level, so it cannot hand out (or take over, by a
 * password reset) an account that may do more than it is meant to manage.
 */
export function mayGrant(adminScope: string, role: Role, scopeCode: string): boolean {
  const level = levelOfCode(scopeCode);
  if (!level || !isWithinScope(scopeCode, adminScope)) return false;
  return grantableLevels(adminScope, role).includes(level);
}

/**
 * The levels at which an administrator scoped at `adminScope` may create or manage accounts of
 * `role` (inside its scope): empty when it may not grant the role at all. The account form offers
 * exactly these, so it never offers what the server refuses.
 */
export function grantableLevels(adminScope: string, role: Role): AreaLevel[] {
  const adminLevel = levelOfCode(adminScope);
  if (!adminLevel) return [];
  const adminRank = AREA_LEVELS.indexOf(adminLevel);
  return ROLE_LEVELS[role].filter((level) =>
    adminLevel === 'county' ? AREA_LEVELS.indexOf(level) >= adminRank : AREA_LEVELS.indexOf(level) > adminRank,
  );
}
