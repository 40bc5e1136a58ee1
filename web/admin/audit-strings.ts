import type { Language } from '../i18n.ts';
import { useI18n } from '../i18n.ts';

/** The words of the audit log page (filters, columns, export), Chinese first (see i18n.ts for the pattern). */

const zh = {
  action: '操作',
  actor: '操作人',
  actorFilter: '操作人用户名',
  address: '地址',
  allActions: '全部操作',
  allOutcomes: '全部结果',
  applyFilters: '查询',
  areaColumn: '区域',
  dateFrom: '起始日期',
  dateTo: '截止日期',
  entryCount: '共 {n} 条',
  exportCsv: '导出 CSV',
  exportFailed: '导出失败',
  exportedNotice: '已导出',
  exporting: '正在导出…',
  nextPage: '下一页',
  noEntries: '没有符合条件的记录',
  outcome: '结果',
  pageOf: '第 {page} / {pages} 页',
  previousPage: '上一页',
  resetFilters: '重置',
  systemActor: '系统',
  target: '对象',
  time: '时间',
} as const;

type AuditStrings = { readonly [K in keyof typeof zh]: string };

const en: AuditStrings = {
  action: 'Action',
  actor: 'Actor',
  actorFilter: 'Actor username',
  address: 'Address',
  allActions: 'All actions',
  allOutcomes: 'All outcomes',
  applyFilters: 'Search',
  areaColumn: 'Area',
  dateFrom: 'From',
  dateTo: 'To',
  entryCount: '{n} entries',
  exportCsv: 'Export CSV',
  exportFailed: 'Export failed',
  exportedNotice: 'Exported',
  exporting: 'Exporting…',
  nextPage: 'Next',
  noEntries: 'No entry matches',
  outcome: 'Outcome',
  pageOf: 'Page {page} of {pages}',
  previousPage: 'Previous',
  resetFilters: 'Reset',
  systemActor: 'System',
  target: 'Target',
  time: 'Time',
};

const AUDIT_STRINGS: Record<Language, AuditStrings> = { zh, en };

export function useAuditStrings(): { lang: Language; a: AuditStrings } {
  const { lang } = useI18n();
  return { lang, a: AUDIT_STRINGS[lang] };
}

/** Actions the audit log records, as a reviewer reads them. */
export const AUDIT_ACTION_NAMES: Record<Language, Record<string, string>> = {
  zh: {
    'auth.login': '登录',
    'auth.login_failed': '登录失败',
    'auth.logout': '退出登录',
    'auth.logout_everywhere': '退出所有设备',
    'account.create': '创建账号',
    'account.update': '修改账号',
    'account.disable': '停用账号',
    'account.enable': '启用账号',
    'account.password_reset': '重置密码',
    'audit.export': '导出审计日志',
    'people.read': '查看责任人',
    'households.read': '查看住户',
    'cases.export': '导出案卷',
    'patrols.track_read': '查看他人巡查轨迹',
    'patrols.active_read': '查看在岗巡查人员',
    'patrols.nearby_read': '查看案件附近巡查人员',
    'patrols.playback_read': '回放巡查轨迹',
    'geohazards.visits_read': '查看地灾点巡查记录',
    'special.list': '查看重点人群名单',
    'special.read': '查看重点人群详情',
    'special.due_read': '查看重点人群待访、逾期名单',
    'special.export': '导出重点人群名单',
    'special.register': '登记重点人群',
    'special.edit': '修改重点人群登记',
    'special.state': '调整风险等级或管控级别',
    'special.close': '注销重点人群登记',
    'special.rule_set': '修改重点人群走访规则',
    'special.visit_photo_read': '查看走访照片',
    'special.visits_mine_read': '查看本人走访记录',
    'special.due_people_read': '查看本人走访对象名单（现场）',
  },
  en: {
    'auth.login': 'Sign-in',
    'auth.login_failed': 'Failed sign-in',
    'auth.logout': 'Sign-out',
    'auth.logout_everywhere': 'Sign-out everywhere',
    'account.create': 'Account created',
    'account.update': 'Account changed',
    'account.disable': 'Account disabled',
    'account.enable': 'Account enabled',
    'account.password_reset': 'Password reset',
    'audit.export': 'Audit log exported',
    'people.read': 'People viewed',
    'households.read': 'Households viewed',
    'cases.export': 'Cases exported',
    'patrols.track_read': "Someone else's patrol track viewed",
    'patrols.active_read': 'Workers on patrol viewed',
    'patrols.nearby_read': 'Workers on patrol near a case viewed',
    'patrols.playback_read': 'Patrol tracks played back',
    'geohazards.visits_read': 'Geohazard point patrols viewed',
    'special.list': 'Special-population register listed',
    'special.read': 'Special-population entry viewed',
    'special.due_read': 'Special-population due list viewed',
    'special.export': 'Special-population register exported',
    'special.register': 'Special-population entry registered',
    'special.edit': 'Special-population entry edited',
    'special.state': 'Risk level or grade changed',
    'special.close': 'Special-population entry closed',
    'special.rule_set': 'Follow-up rule changed',
    'special.visit_photo_read': 'Visit photo viewed',
    'special.visits_mine_read': 'Own visits listed',
    'special.due_people_read': 'People to visit listed (field page)',
  },
};

/** The action prefixes the audit filter offers (the API matches `action` as a prefix). */
export const AUDIT_ACTION_FILTERS: { prefix: string; label: Record<Language, string> }[] = [
  { prefix: 'auth.', label: { zh: '登录与退出', en: 'Sign-in and sign-out' } },
  { prefix: 'auth.login_failed', label: { zh: '登录失败', en: 'Failed sign-ins' } },
  { prefix: 'account.', label: { zh: '账号管理', en: 'Account administration' } },
  { prefix: 'people.read', label: { zh: '查看责任人', en: 'People viewed' } },
  { prefix: 'households.read', label: { zh: '查看住户', en: 'Households viewed' } },
  { prefix: 'patrols.', label: { zh: '巡查轨迹查看', en: 'Patrol tracks viewed' } },
  { prefix: 'geohazards.', label: { zh: '地灾点巡查查看', en: 'Geohazard patrols viewed' } },
  { prefix: 'special.', label: { zh: '重点人群', en: 'Special populations' } },
  { prefix: 'cases.export', label: { zh: '案卷导出', en: 'Case exports' } },
  { prefix: 'audit.', label: { zh: '审计日志导出', en: 'Audit log exports' } },
];

export const AUDIT_OUTCOME_NAMES: Record<Language, Record<string, string>> = {
  zh: { ok: '成功', denied: '拒绝', failed: '失败' },
  en: { ok: 'OK', denied: 'Denied', failed: 'Failed' },
};

export const AUDIT_TARGET_NAMES: Record<Language, Record<string, string>> = {
  zh: {
    account: '账号',
    area: '区域',
    tile: '瓦片',
    audit_log: '审计日志',
    case: '案卷',
    patrol: '巡查',
    geohazard_point: '地灾点',
  },
  en: {
    account: 'Account',
    area: 'Area',
    tile: 'Tile',
    audit_log: 'Audit log',
    case: 'Case',
    patrol: 'Patrol',
    geohazard_point: 'Geohazard point',
  },
};
