import { type Label, labelOf } from '../../api/vocabulary/label.ts';
import type { Language } from '../i18n.ts';
import { useI18n } from '../i18n.ts';

/** The words of the live map, the case list and the case detail, Chinese first (see i18n.ts for the pattern). */

const zh = {
  liveReports: '实时事件',
  liveReportsNote: '辖区内未办结的事件，最新在前',
  noOpenCases: '暂无未办结事件',
  legendLights: '事件：正常 / 临期 / 超期',
  legendAlarm: '紧急或滑坡，待接警（闪烁、鸣响）',
  openCount: '{n} 件未办结',
  untakenCount: '{n} 件待接警',
  untaken: '待接警',
  taken: '已接警',
  newBadge: '新',
  showAllOnMap: '全部显示',
  caseList: '案件列表',
  caseListTitle: '案件列表',
  caseDetail: '案件详情',
  openDetail: '完整详情',
  backToList: '返回列表',
  backToMap: '返回地图',
  caseNumber: '案卷号',
  type: '类型',
  urgency: '紧急程度',
  state: '状态',
  light: '时限',
  place: '地点',
  reportedAt: '上报时间',
  dueAt: '办理期限',
  reporter: '上报人',
  responsibleLevel: '责任层级',
  assignedTo: '承办单位',
  coHandling: '协同部门',
  description: '描述',
  source: '来源',
  accuracy: '定位精度',
  satisfaction: '满意度',
  supervised: '督办中',
  parked: '已挂账',
  pendingRequest: '待审批申请',
  escalations: '升级次数',
  escalatedTimes: '已升级 {n} 次',
  onTime: '按期',
  late: '超期',
  close: '关闭',
  timeline: '办理过程',
  photos: '照片',
  noPhotos: '没有照片',
  noTimeline: '暂无记录',
  nextActions: '可执行的操作',
  noActions: '您的角色对此案件当前没有可执行的操作',
  note: '说明',
  notePlaceholder: '写明情况、依据或要求',
  noteRequired: '请填写说明',
  dispatchTo: '派遣给',
  township: '乡镇（街道）',
  department: '部门',
  coDepartments: '协同部门（可多选）',
  pickTownship: '选择乡镇（街道）',
  pickDepartment: '选择部门',
  noDepartment: '不派部门',
  noTownship: '不派乡镇',
  dispatchTargetRequired: '请选择乡镇或部门',
  extensionAmount: '延期时长',
  extensionUnit: '单位',
  extensionClockNote: '按本案当前时限的计时方式（{clock}）延长',
  checkResult: '核查结果',
  checkPassed: '通过，结案',
  checkFailed: '不通过，返工',
  checkResultRequired: '请选择核查结果',
  extensionAmountInvalid: '延期时长应为 1 到 250 的整数',
  submitAction: '提交',
  actionDone: '已办理：{action}',
  staleCase: '案件已被他人更新，已载入最新状态，请确认后再操作',
  filters: '筛选',
  allStates: '全部状态',
  openStates: '未办结',
  allTypes: '全部类型',
  allUrgencies: '全部紧急程度',
  allLights: '全部时限',
  areaFilter: '区域',
  allAreas: '全部区域',
  textFilter: '案卷号或描述中的文字',
  textFilterLabel: '搜索',
  apply: '查询',
  reset: '重置',
  timeFrom: '上报起',
  timeTo: '上报止',
  sortBy: '排序',
  sortNewest: '最新上报',
  sortOldest: '最早上报',
  sortDue: '期限最近',
  sortUrgency: '紧急优先',
  exportCsv: '导出 CSV',
  exportXlsx: '导出 Excel',
  caseCount: '共 {n} 件',
  noCases: '没有符合条件的案件',
  controlZone: '管控区',
  controlZoneNote: '管控区内的单元格、住户与人员',
  editZone: '编辑管控区',
  saveZone: '保存管控区',
  cancelEdit: '取消',
  resetZone: '恢复默认圆形',
  clearZone: '重新绘制',
  zoneEditHelp: '拖动顶点调整形状；点击“重新绘制”后在地图上依次点击放置顶点（至少 3 个）。',
  zoneTooFew: '管控区至少需要 3 个顶点',
  zoneSaved: '已保存管控区',
  impact: '影响范围',
  cells: '单元格',
  grids: '网格',
  households: '住户',
  residents: '居民',
  peopleToAlert: '需通知人员',
  alertAll: '一键通知全部',
  alertRest: '通知其余人员',
  notAlerted: '未通知',
  zoneBeyondScope: '管控区超出您的管辖范围，只列出范围内的部分',
  alertsSent: '已通知 {n} 人',
  acknowledged: '已签收',
  notAcknowledged: '未签收',
  ackCount: '{done} / {all} 已签收',
  noPeopleInZone: '管控区内没有登记的网格员或信息员',
  duplicates: '疑似重复上报',
  duplicatesNote: '同类型、距离相近、时间相近的事件',
  merge: '合并到本案',
  mergedNotice: '已合并',
  mergeConfirm: '把 {other} 合并到本案 {case}？被合并的事件将关闭并记入本案的办理过程。',
  distanceM: '{n} 米',
  minutesApart: '相隔 {n} 分钟',
  loadFailed: '载入失败',
  actionFailed: '操作失败',
  page: '第 {page} / {pages} 页',
  previous: '上一页',
  next: '下一页',
  timeLimits: '办理时限',
  timeLimitsIntro:
    '各类事件在各办理环节的时限。每条时限注明计时方式：“自然时间”昼夜、周末和节假日都计时（紧急事件和地质灾害默认如此，夜里的滑坡不等到周一）；“工作时间”只计工作日的办公时间（8:30–12:00、14:00–17:30），扣除周末和法定节假日，调休上班日照常计时，1 个工作日为 7 个工作小时。类型为“全部”的行适用于没有单独设置的类型；现场核查按城区、农村区分。修改只影响此后开始计时的环节。',
  stage: '环节',
  amount: '时长',
  unit: '单位',
  clock: '计时方式',
  allTypesRow: '全部类型',
  updatedAt: '修改时间',
  saveLimits: '保存时限',
  limitsSaved: '已保存办理时限',
  changedRows: '{n} 行已修改',
  unknown: '—',
  yes: '是',
  no: '否',
} as const;

type CaseStrings = { readonly [K in keyof typeof zh]: string };

const en: CaseStrings = {
  liveReports: 'Live reports',
  liveReportsNote: 'Open reports in your area, newest first',
  noOpenCases: 'No open reports',
  legendLights: 'Reports: on time / due soon / overdue',
  legendAlarm: 'Urgent or landslide, not taken yet (flashes, sounds)',
  openCount: '{n} open',
  untakenCount: '{n} waiting to be taken',
  untaken: 'Not taken',
  taken: 'Taken',
  newBadge: 'New',
  showAllOnMap: 'Show all',
  caseList: 'Cases',
  caseListTitle: 'Cases',
  caseDetail: 'Case',
  openDetail: 'Full details',
  backToList: 'Back to the list',
  backToMap: 'Back to the map',
  caseNumber: 'Case no.',
  type: 'Type',
  urgency: 'Urgency',
  state: 'State',
  light: 'Time limit',
  place: 'Place',
  reportedAt: 'Reported',
  dueAt: 'Due',
  reporter: 'Reporter',
  responsibleLevel: 'Responsible level',
  assignedTo: 'Assigned to',
  coHandling: 'Co-handling',
  description: 'Description',
  source: 'Source',
  accuracy: 'Accuracy',
  satisfaction: 'Satisfaction',
  supervised: 'Supervised',
  parked: 'Parked',
  pendingRequest: 'Request awaiting approval',
  escalations: 'Escalations',
  escalatedTimes: 'escalated {n}×',
  onTime: 'on time',
  late: 'late',
  close: 'Close',
  timeline: 'Timeline',
  photos: 'Photos',
  noPhotos: 'No photos',
  noTimeline: 'Nothing recorded yet',
  nextActions: 'What you can do',
  noActions: 'Your role has nothing to do on this case now',
  note: 'Note',
  notePlaceholder: 'What was found, why, or what is asked',
  noteRequired: 'Write a note',
  dispatchTo: 'Dispatch to',
  township: 'Township',
  department: 'Department',
  coDepartments: 'Co-handling departments',
  pickTownship: 'Choose a township',
  pickDepartment: 'Choose a department',
  noDepartment: 'No department',
  noTownship: 'No township',
  dispatchTargetRequired: 'Choose a township or a department',
  extensionAmount: 'Extension',
  extensionUnit: 'Unit',
  extensionClockNote: 'Counted on this case’s current clock ({clock})',
  checkResult: 'Result of the check',
  checkPassed: 'Passed: close the case',
  checkFailed: 'Failed: back for rework',
  checkResultRequired: 'Say whether the check passed',
  extensionAmountInvalid: 'The extension is a whole number from 1 to 250',
  submitAction: 'Submit',
  actionDone: 'Done: {action}',
  staleCase: 'Someone else changed the case; its latest state is shown, check it before acting',
  filters: 'Filters',
  allStates: 'All states',
  openStates: 'Open',
  allTypes: 'All types',
  allUrgencies: 'All urgencies',
  allLights: 'All lights',
  areaFilter: 'Area',
  allAreas: 'All areas',
  textFilter: 'Words of the case no. or description',
  textFilterLabel: 'Search',
  apply: 'Search',
  reset: 'Reset',
  timeFrom: 'Reported from',
  timeTo: 'Reported to',
  sortBy: 'Sort',
  sortNewest: 'Newest first',
  sortOldest: 'Oldest first',
  sortDue: 'Due soonest',
  sortUrgency: 'Urgent first',
  exportCsv: 'Export CSV',
  exportXlsx: 'Export Excel',
  caseCount: '{n} cases',
  noCases: 'No case matches',
  controlZone: 'Control zone',
  controlZoneNote: 'Cells, households and people inside the control zone',
  editZone: 'Edit zone',
  saveZone: 'Save zone',
  cancelEdit: 'Cancel',
  resetZone: 'Back to the default circle',
  clearZone: 'Draw anew',
  zoneEditHelp: 'Drag the vertices to reshape it; after “Draw anew”, click on the map to place vertices (at least 3).',
  zoneTooFew: 'A control zone needs at least 3 vertices',
  zoneSaved: 'Control zone saved',
  impact: 'Impact',
  cells: 'Cells',
  grids: 'Grids',
  households: 'Households',
  residents: 'Residents',
  peopleToAlert: 'People to alert',
  alertAll: 'Alert everyone',
  alertRest: 'Alert the rest',
  notAlerted: 'Not alerted',
  zoneBeyondScope: 'The zone reaches beyond your area; only your part is listed',
  alertsSent: '{n} people alerted',
  acknowledged: 'Acknowledged',
  notAcknowledged: 'Not acknowledged',
  ackCount: '{done} of {all} acknowledged',
  noPeopleInZone: 'No grid worker or informant registered in the zone',
  duplicates: 'Possible duplicates',
  duplicatesNote: 'Same type, close by, reported about the same time',
  merge: 'Merge into this case',
  mergedNotice: 'Merged',
  mergeConfirm: 'Merge {other} into this case {case}? The merged report is closed and recorded in this case’s timeline.',
  distanceM: '{n} m',
  minutesApart: '{n} min apart',
  loadFailed: 'Could not load',
  actionFailed: 'Could not do that',
  page: 'Page {page} of {pages}',
  previous: 'Previous',
  next: 'Next',
  timeLimits: 'Time limits',
  timeLimitsIntro:
    'The limit of each step per report type, each on its clock. Natural time counts every hour, nights, weekends and holidays included (urgent reports and geohazards by default: a landslide at night does not wait for Monday). Working time counts office hours on working days only (08:30–12:00, 14:00–17:30), leaving out weekends and public holidays and counting make-up workdays; a working day is 7 working hours. The “all types” rows apply to types without rows of their own; the on-site check differs between urban and rural places. A change applies to clocks started after it.',
  stage: 'Step',
  amount: 'Amount',
  unit: 'Unit',
  clock: 'Clock',
  allTypesRow: 'All types',
  updatedAt: 'Changed',
  saveLimits: 'Save limits',
  limitsSaved: 'Time limits saved',
  changedRows: '{n} rows changed',
  unknown: '—',
  yes: 'Yes',
  no: 'No',
};

export const CASE_STRINGS: Record<Language, CaseStrings> = { zh, en };

/** The case words in the current language. */
export function useCaseStrings(): { lang: Language; c: CaseStrings } {
  const { lang } = useI18n();
  return { lang, c: CASE_STRINGS[lang] };
}

export const LIGHT_NAMES: Readonly<Record<string, Label>> = {
  green: { zh: '正常', en: 'On time' },
  yellow: { zh: '临期', en: 'Due soon' },
  red: { zh: '超期', en: 'Overdue' },
  none: { zh: '未计时', en: 'No clock' },
};

/** Units of a limit; `work_hours` and `work_days` are how steps written before clocks were stored name theirs. */
export const LIMIT_UNIT_NAMES: Readonly<Record<string, Label>> = {
  minutes: { zh: '分钟', en: 'minutes' },
  hours: { zh: '小时', en: 'hours' },
  days: { zh: '天', en: 'days' },
  work_hours: { zh: '工作小时', en: 'working hours' },
  work_days: { zh: '工作日', en: 'working days' },
};

/** The clock a limit counts on (api/cases/working-time.ts `ClockKind`). */
export const CLOCK_NAMES: Readonly<Record<string, Label>> = {
  natural: { zh: '自然时间', en: 'natural time' },
  working: { zh: '工作时间', en: 'working time' },
};

const EN_UNIT_WORDS: Record<string, [string, string]> = {
  minutes: ['minute', 'minutes'],
  hours: ['hour', 'hours'],
  days: ['day', 'days'],
};

/**
 * A limit as people say it: "1小时（自然时间）" but "1个工作小时", "2个工作日", "30分钟（工作时间）";
 * "1 hour (natural time)", "1 working hour", "2 working days". Without a known clock, the amount
 * and unit as they are.
 */
export function limitText(lang: Language, amount: number, unit: string | null, clock: string | null | undefined): string {
  if (!unit) return String(amount);
  if (clock !== 'natural' && clock !== 'working') return `${amount} ${labelOf(LIMIT_UNIT_NAMES, lang, unit)}`;
  if (lang === 'zh') {
    if (clock === 'working' && unit === 'hours') return `${amount}个工作小时`;
    if (clock === 'working' && unit === 'days') return `${amount}个工作日`;
    return `${amount}${labelOf(LIMIT_UNIT_NAMES, lang, unit)}（${CLOCK_NAMES[clock]?.zh}）`;
  }
  const words = EN_UNIT_WORDS[unit];
  if (!words) return `${amount} ${unit} (${CLOCK_NAMES[clock]?.en})`;
  const word = amount === 1 ? words[0] : words[1];
  return clock === 'working' ? `${amount} working ${word}` : `${amount} ${word} (${CLOCK_NAMES[clock]?.en})`;
}

export const STAGE_NAMES: Readonly<Record<string, Label>> = {
  file: { zh: '核实立案派遣', en: 'Verify, file and dispatch' },
  acknowledge: { zh: '签收', en: 'Acknowledge' },
  handle: { zh: '处置', en: 'Handle' },
  check: { zh: '现场核查', en: 'On-site check' },
};

export const SOURCE_NAMES: Readonly<Record<string, Label>> = {
  field: { zh: '现场上报', en: 'Field report' },
  duty: { zh: '值班登记', en: 'Duty room' },
  drill: { zh: '演练', en: 'Drill' },
  demo: { zh: '演示数据', en: 'Demo data' },
};

export const SATISFACTION_NAMES: Record<Language, string[]> = {
  zh: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
  en: ['Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
};

/** "3 分钟前" / "3 min ago", for the live list; older than a day shows the date. */
export function timeAgo(lang: Language, iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return lang === 'zh' ? '刚刚' : 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return lang === 'zh' ? `${minutes} 分钟前` : `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return lang === 'zh' ? `${hours} 小时前` : `${hours} h ago`;
  const days = Math.round(hours / 24);
  return lang === 'zh' ? `${days} 天前` : `${days} d ago`;
}
