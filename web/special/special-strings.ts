import type { Language } from '../i18n.ts';
import { useI18n } from '../i18n.ts';

/** The words of the special-population heatmaps and break the glass, Chinese first. */
const zh = {
  mode: '重点人群热力',
  off: '关闭',
  visits: '走访热力',
  overdue: '逾期热力',
  from: '起始月',
  to: '结束月',
  low: '少',
  high: '多',
  suppressed: '少于5人，不显示',
  aggregateNote: '汇总数据：每个六边形少于5人的不显示；合计仅含已显示部分',
  exactNote: '精确数据（个人信息权限，本次查看已记录审计）',
  points: '显示位置点',
  riskCells: '单元格按逾期风险着色',
  risk: { red: '红色（高风险）', yellow: '黄色（中风险）', blue: '蓝色（低风险）' },
  sum: '已显示合计 {n}，不显示 {s} 个单元',
  loading: '正在统计…',
  breakGlass: '紧急查看',
  breakGlassTitle: '紧急查看个人信息',
  breakGlassNote: '仅限紧急情况。授权限时，理由和到期时间会记入审计日志，上级可见。',
  area: '区域',
  reason: '理由（至少10个字）',
  hours: '时长',
  hoursValue: '{n} 小时',
  confirm: '确认并记录',
  reasonTooShort: '请填写至少10个字的理由',
  liveGrants: '生效中的紧急授权',
  until: '至 {time}',
  revoke: '撤销',
  granted: '紧急授权已生效',
  panelTitle: '重点人群',
  panelArea: '区域',
  registered: '在册',
  panelOverdue: '逾期未访',
  dueSoon: '7日内应访',
  thisArea: '本区域（已显示合计）',
  fewerThan: '<5',
  panelExact: '精确数据（个人信息权限，本次查看已记录审计）· {day}',
  panelAggregate: '汇总数据：少于5人的不显示（记为“<5”），合计仅含已显示部分 · {day}',
};

type SpecialStrings = typeof zh;

const en: SpecialStrings = {
  mode: 'Special populations',
  off: 'Off',
  visits: 'Visits',
  overdue: 'Overdue',
  from: 'From',
  to: 'To',
  low: 'Few',
  high: 'Many',
  suppressed: 'Fewer than 5 people: not shown',
  aggregateNote: 'Aggregates: hexagons of fewer than 5 people are not shown; the sum holds only what is shown',
  exactNote: 'Exact figures (personal access; this view is audited)',
  points: 'Show points',
  riskCells: 'Colour cells by overdue risk',
  risk: { red: 'Red (high risk)', yellow: 'Yellow (medium risk)', blue: 'Blue (low risk)' },
  sum: 'Shown: {n}; {s} units not shown',
  loading: 'Counting…',
  breakGlass: 'Break the glass',
  breakGlassTitle: 'Emergency access to personal fields',
  breakGlassNote: 'Emergencies only. Access is time-limited; the reason and expiry go to the audit log, seen by your superiors.',
  area: 'Area',
  reason: 'Reason (at least 10 characters)',
  hours: 'Duration',
  hoursValue: '{n} h',
  confirm: 'Confirm and record',
  reasonTooShort: 'State a reason of at least 10 characters',
  liveGrants: 'Live emergency grants',
  until: 'until {time}',
  revoke: 'Revoke',
  granted: 'Emergency access granted',
  panelTitle: 'Special populations',
  panelArea: 'Area',
  registered: 'Registered',
  panelOverdue: 'Overdue',
  dueSoon: 'Due in 7 days',
  thisArea: 'This area (sum shown)',
  fewerThan: '<5',
  panelExact: 'Exact figures (personal access; this view is audited) · {day}',
  panelAggregate: 'Aggregates: fewer than 5 people not shown ("<5"); sums hold only what is shown · {day}',
};

const SPECIAL_STRINGS: Record<Language, SpecialStrings> = { zh, en };

export function useSpecialStrings() {
  const i18n = useI18n();
  return { ...i18n, s: SPECIAL_STRINGS[i18n.lang] };
}
