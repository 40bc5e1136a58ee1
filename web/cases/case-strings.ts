import type { ReportType, Urgency } from '../../api/reports/report-types.ts';
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
  satisfactionPick: '回访满意度',
  satisfactionRequired: '请选择满意度',
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
  satisfactionPick: 'Resident satisfaction',
  satisfactionRequired: 'Choose a satisfaction score',
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

export const REPORT_TYPE_NAMES: Record<Language, Record<ReportType, string>> = {
  zh: {
    landslide: '滑坡',
    rockfall: '落石/崩塌',
    ground_crack: '地裂缝',
    flood: '洪涝',
    fire: '火情',
    road_damage: '道路损毁',
    production_safety: '安全生产隐患',
    epidemic: '疫情',
    dispute: '矛盾纠纷',
    other: '其他',
  },
  en: {
    landslide: 'Landslide',
    rockfall: 'Rockfall / collapse',
    ground_crack: 'Ground crack',
    flood: 'Flood',
    fire: 'Fire',
    road_damage: 'Road damage',
    production_safety: 'Production-safety hazard',
    epidemic: 'Epidemic',
    dispute: 'Dispute',
    other: 'Other',
  },
};

export const REPORT_TYPE_ORDER = Object.keys(REPORT_TYPE_NAMES.zh) as ReportType[];

export const URGENCY_NAMES: Record<Language, Record<Urgency, string>> = {
  zh: { normal: '一般', urgent: '紧急' },
  en: { normal: 'Normal', urgent: 'Urgent' },
};

/** Workflow states (api/cases/workflow.ts), in the order a case moves through them, then the ways out. */
export const CASE_STATES = [
  'reported',
  'filed',
  'dispatched',
  'acknowledged',
  'handled',
  'closed',
  'evaluated',
  'parked',
  'rejected',
  'cancelled',
  'merged',
] as const;

/** The open states, as the list's "open" filter means them. */
export const OPEN_STATES = ['reported', 'filed', 'dispatched', 'acknowledged', 'handled', 'parked'] as const;

export const STATE_NAMES: Record<Language, Record<string, string>> = {
  zh: {
    reported: '已上报',
    filed: '已立案',
    dispatched: '已派遣',
    acknowledged: '处置中',
    handled: '待核查',
    closed: '已结案',
    evaluated: '已评价',
    parked: '挂账',
    rejected: '不予立案',
    cancelled: '已作废',
    merged: '已合并',
  },
  en: {
    reported: 'Reported',
    filed: 'Filed',
    dispatched: 'Dispatched',
    acknowledged: 'Acknowledged',
    handled: 'Handled',
    closed: 'Closed',
    evaluated: 'Evaluated',
    parked: 'Parked',
    rejected: 'Rejected',
    cancelled: 'Cancelled',
    merged: 'Merged',
  },
};

/** States after which nothing is left to do on the map: the case leaves the live layer. */
export const FINISHED_STATES: ReadonlySet<string> = new Set(['closed', 'evaluated', 'rejected', 'cancelled', 'merged']);

/** Workflow actions (api/cases/workflow.ts) and the other steps a timeline records, as buttons and the timeline name them. */
export const ACTION_NAMES: Record<Language, Record<string, string>> = {
  zh: {
    report: '上报',
    take: '接警',
    file: '核实立案',
    reject: '不予立案',
    dispatch: '派遣',
    acknowledge: '签收',
    handle: '处置进展',
    feedback: '处置反馈',
    check: '核查结案',
    evaluate: '回访评价',
    on_spot: '自行处置',
    supervise: '督办',
    escalate: '超时升级',
    request_extension: '申请延期',
    request_send_back: '申请回退',
    request_park: '申请挂账',
    request_cancel: '申请作废',
    approve: '批准申请',
    deny: '驳回申请',
    resume: '恢复办理',
    merge: '并入其他案件',
    merged_in: '合并重复上报',
    control_zone: '调整管控区',
    alert: '发送预警',
  },
  en: {
    report: 'Report',
    take: 'Take',
    file: 'Verify and file',
    reject: 'Reject',
    dispatch: 'Dispatch',
    acknowledge: 'Acknowledge',
    handle: 'Progress note',
    feedback: 'Feedback',
    check: 'Check and close',
    evaluate: 'Evaluate',
    on_spot: 'Handled on the spot',
    supervise: 'Supervise',
    escalate: 'Escalated (overdue)',
    request_extension: 'Request an extension',
    request_send_back: 'Request send-back',
    request_park: 'Request parking',
    request_cancel: 'Request cancelling',
    approve: 'Approve the request',
    deny: 'Deny the request',
    resume: 'Resume',
    merge: 'Merged into another case',
    merged_in: 'Duplicate merged in',
    control_zone: 'Control zone changed',
    alert: 'Alert sent',
  },
};

export const REQUEST_NAMES: Record<Language, Record<string, string>> = {
  zh: { extension: '延期', send_back: '回退', park: '挂账', cancel: '作废' },
  en: { extension: 'Extension', send_back: 'Send-back', park: 'Parking', cancel: 'Cancelling' },
};

export const LIGHT_NAMES: Record<Language, Record<string, string>> = {
  zh: { green: '正常', yellow: '临期', red: '超期', none: '未计时' },
  en: { green: 'On time', yellow: 'Due soon', red: 'Overdue', none: 'No clock' },
};

export const LEVEL_WORDS: Record<Language, Record<string, string>> = {
  zh: { cell: '单元格', grid: '网格', village: '村（社区）', township: '乡镇', county: '县' },
  en: { cell: 'Cell', grid: 'Grid', village: 'Village', township: 'Township', county: 'County' },
};

/** Units of a limit; `work_hours` and `work_days` are how steps written before clocks were stored name theirs. */
export const LIMIT_UNIT_NAMES: Record<Language, Record<string, string>> = {
  zh: { minutes: '分钟', hours: '小时', days: '天', work_hours: '工作小时', work_days: '工作日' },
  en: { minutes: 'minutes', hours: 'hours', days: 'days', work_hours: 'working hours', work_days: 'working days' },
};

/** The clock a limit counts on (api/cases/working-time.ts `ClockKind`). */
export const CLOCK_NAMES: Record<Language, Record<string, string>> = {
  zh: { natural: '自然时间', working: '工作时间' },
  en: { natural: 'natural time', working: 'working time' },
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
    return `${amount}${labelOf(LIMIT_UNIT_NAMES, lang, unit)}（${CLOCK_NAMES.zh[clock]}）`;
  }
  const words = EN_UNIT_WORDS[unit];
  if (!words) return `${amount} ${unit} (${CLOCK_NAMES.en[clock]})`;
  const word = amount === 1 ? words[0] : words[1];
  return clock === 'working' ? `${amount} working ${word}` : `${amount} ${word} (${CLOCK_NAMES.en[clock]})`;
}

export const STAGE_NAMES: Record<Language, Record<string, string>> = {
  zh: { file: '核实立案派遣', acknowledge: '签收', handle: '处置', check: '现场核查' },
  en: { file: 'Verify, file and dispatch', acknowledge: 'Acknowledge', handle: 'Handle', check: 'On-site check' },
};

export const SOURCE_NAMES: Record<Language, Record<string, string>> = {
  zh: { field: '现场上报', duty: '值班登记', drill: '演练', demo: '演示数据' },
  en: { field: 'Field report', duty: 'Duty room', drill: 'Drill', demo: 'Demo data' },
};

export const SATISFACTION_NAMES: Record<Language, string[]> = {
  zh: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
  en: ['Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
};

/** A label from one of the tables above, or the code itself when the server knows a word the client does not. */
export function labelOf(
  table: Record<Language, Record<string, string>>,
  lang: Language,
  code: string | null | undefined,
): string {
  if (!code) return '—';
  return table[lang][code] ?? code;
}

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
